"""The reveal: per statement its distribution, mean, spread and consensus flag.

Statements are listed most-disagreement first (``score.by_disagreement``),
so the room discusses those first. The privacy rule of anonymous workshops
is applied per statement (``privacy.can_show``): a withheld statement shows
only how many answered. The flag is colour *and* icon *and* word ("✓ Agree",
"⚠ Discuss") so it reads in greyscale and on a projector.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QKeyEvent, QMouseEvent, QPainter, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...charts import style as st
from ...core import privacy
from ...core.i18n import N_, _, ngettext
from ...core.metrics import catalogue, spread_text
from ...core.model import Pillar, Workshop
from ...core.scoring import Distribution, StatementScore, WorkshopScore, fmt, level_name

#: Text colours dark enough to read on a light background (flags are bold).
AGREE_TEXT = "#00795a"
AGREE = ("✓", N_("Agree"), AGREE_TEXT)
DISCUSS = ("⚠", N_("Discuss"), st.VERMILION)
TOO_FEW = ("–", N_("Too few answers"), "")
WITHHELD = ("⊘", N_("Withheld"), "")


def set_text(label, text: str) -> None:
    """Change a label's text only when it differs (results refresh on every vote)."""
    if label.text() != text:
        label.setText(text)


def set_shown(widget: QWidget, shown: bool) -> None:
    if widget.isHidden() == shown:
        widget.setVisible(shown)


def consensus_flag(stats) -> tuple[str, str, str]:
    """(icon, word, colour) for a statement's consensus verdict."""
    icon, word, colour = (AGREE if stats.consensus is True else
                          DISCUSS if stats.consensus is False else TOO_FEW)
    return icon, _(word), colour


class DistributionBars(QWidget):
    """Small horizontal bars: how many answered 1, 2, 3, 4, 5 and "don't know"."""

    ROWS = ("1", "2", "3", "4", "5", "?")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dist = Distribution()
        self.setObjectName("distributionBars")
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.85)
        self.setFont(small)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_distribution(self, dist: Distribution) -> None:
        if dist == self._dist and self.toolTip():
            return
        self._dist = dist
        counts = [*dist.counts, dist.dont_know]
        text = ", ".join(f"{label}: {n}" for label, n in zip(self.ROWS, counts, strict=True))
        self.setAccessibleDescription(text)
        self.setToolTip(_('Answers per level — {value}').format(
            value=text.replace('?:', _('don’t know') + ':')))
        self.update()

    def counts(self) -> list[int]:
        """The six numbers drawn (levels 1–5, then don't know)."""
        return [*self._dist.counts, self._dist.dont_know]

    def _row_height(self) -> int:
        return max(11, self.fontMetrics().height() - 1)

    def sizeHint(self) -> QSize:
        return QSize(220, self._row_height() * len(self.ROWS) + 2)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self._row_height() * len(self.ROWS) + 2)

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = self.fontMetrics()
        rh = self._row_height()
        label_w = fm.horizontalAdvance("?") + 8
        count_w = fm.horizontalAdvance("888") + 6
        bar_w = max(10, self.width() - label_w - count_w - 4)
        counts = self.counts()
        top = max(1, max(counts))
        text_colour = self.palette().color(QPalette.ColorRole.WindowText)
        track = self.palette().color(QPalette.ColorRole.Mid)
        track.setAlpha(50)
        for i, (label, n) in enumerate(zip(self.ROWS, counts, strict=True)):
            y = i * rh + 1
            p.setPen(text_colour)
            p.drawText(QRectF(0, y, label_w - 4, rh), Qt.AlignmentFlag.AlignRight
                       | Qt.AlignmentFlag.AlignVCenter, label)
            bar = QRectF(label_w, y + 2, bar_w, rh - 4)
            p.fillRect(bar, track)
            if n:
                colour = QColor("#8a8a8a" if label == "?" else st.BLUE)
                p.fillRect(QRectF(bar.x(), bar.y(), bar_w * n / top, bar.height()), colour)
            p.setPen(text_colour)
            p.drawText(QRectF(label_w + bar_w + 4, y, count_w, rh),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(n))
        p.end()


class StatementResult(QFrame):
    """One statement's results: its text, bars, numbers and flag.

    Signals:
        activated(str): clicked or Enter pressed; the statement id.
    """

    activated = Signal(str)

    def __init__(self, statement_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.statement_id = statement_id
        self.setObjectName("statementResult")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.title = QLabel(self)
        self.title.setObjectName("resultTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.title.setWordWrap(True)
        self.flag = QLabel(self)
        self.flag.setObjectName("resultFlag")
        self.flag.setTextFormat(Qt.TextFormat.PlainText)
        self.flag.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.bars = DistributionBars(self)
        self.numbers = QLabel(self)
        self.numbers.setObjectName("resultNumbers")
        self.numbers.setTextFormat(Qt.TextFormat.PlainText)
        self.numbers.setWordWrap(True)
        self.numbers.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.numbers.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.flag, 0, 2)
        grid.addWidget(self.bars, 1, 0)
        grid.addWidget(self.numbers, 1, 1, 1, 2)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        self._withheld = False
        self._style: tuple[str, bool] | None = None

    def show_score(self, number: int, ss: StatementScore, ws: Workshop, current: bool) -> None:
        stats = ss.stats
        code = ws.questionnaire.statement_code(ss.statement.id)
        shown = ws.questionnaire.statement(ss.statement.id)  # in the shown language
        set_text(self.title, f"{code}  {shown.text}")
        show = privacy.can_show(ws, ss)
        self._withheld = not show
        dist = stats.distribution
        if not show:
            icon, word, colour = WITHHELD
            word = _(word)
            set_shown(self.bars, False)
            set_text(self.numbers, privacy.withheld_message(dist))
        elif not dist.total:
            icon, word, colour = TOO_FEW
            word = _("No answers")
            set_shown(self.bars, False)
            set_text(self.numbers, _("Nobody has answered this statement yet."))
        else:
            icon, word, colour = consensus_flag(stats)
            set_shown(self.bars, True)
            self.bars.set_distribution(dist)
            lines = []
            if stats.mean is None:
                lines.append(_("Only “don't know” answers"))
            else:
                lines.append(_(
                    "Mean {value} ({value2})").format(
                    value=fmt(stats.mean),
                    value2=level_name(ws, stats.mean)))
                spread = _(
                    "Spread {value} · range {low}–{high}").format(
                    value=fmt(stats.spread, 2),
                    low=stats.low,
                    high=stats.high)
                lines.append(spread)
                if ss.baseline_mean is not None:
                    lines.append(_(
                        "Baseline {value} ({value2})").format(
                        value=fmt(ss.baseline_mean),
                        value2=fmt(ss.delta, signed=True)))
            n = dist.total
            answers = ngettext("{n} answer", "{n} answers", n).format(n=n)
            if dist.dont_know:
                answers += ", " + _("{n} don't know").format(n=dist.dont_know)
            lines.append(answers)
            set_text(self.numbers, "\n".join(lines))
        set_text(self.flag, f"{icon} {word}")
        # Style sheets are costly to re-apply on every vote: only when something changed.
        style = (colour, current)
        if style != self._style:
            self._style = style
            self.flag.setStyleSheet(
                f"color: {colour}; font-weight: bold;" if colour else "font-weight: bold;")
            edge = "palette(highlight)" if current else "transparent"
            self.setStyleSheet(
                f"QFrame#statementResult {{ border: 2px solid {edge}; border-radius: 4px; }}"
                "QFrame#statementResult:focus { border: 2px dashed palette(highlight); }"
            )
        name = _('Statement {number}: {word}').format(number=number, word=word)
        if self.accessibleName() != name:
            self.setAccessibleName(name)

    @property
    def withheld(self) -> bool:
        return self._withheld

    def flag_text(self) -> str:
        return self.flag.text()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.activated.emit(self.statement_id)
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.statement_id)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(self)


class ResultsView(QWidget):
    """A pillar's revealed results, most disagreement first.

    Signals:
        statement_activated(str): a statement's result was clicked or Entered.

    Args:
        parent: the owning widget.
    """

    statement_activated = Signal(str)
    # The attribute hides the method QWidget.scroll(dx, dy).
    scroll: QScrollArea  # type: ignore[assignment]

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultsView")
        self.summary = QLabel(self)
        self.summary.setObjectName("resultsSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.inner = QWidget(self.scroll)
        self.rows_box = QVBoxLayout(self.inner)
        self.rows_box.setContentsMargins(0, 0, 0, 0)
        self.rows_box.setSpacing(6)
        self.rows_box.addStretch(1)
        self.scroll.setWidget(self.inner)
        box = QVBoxLayout(self)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.summary)
        box.addWidget(self.scroll, 1)
        self._rows: dict[str, StatementResult] = {}
        self._order: list[str] = []

    def show_results(self, ws: Workshop, score: WorkshopScore, pillar: Pillar,
                     current_statement: str = "") -> None:
        """Show a pillar's results (reusing the row widgets, reordered)."""
        ps = score.pillars[pillar]
        numbers = {ss.statement.id: i + 1 for i, ss in enumerate(ps.statements)}
        ordered = score.by_disagreement(pillar)
        wanted = [ss.statement.id for ss in ordered]
        row: StatementResult | None
        for sid in list(self._rows):
            if sid not in numbers:
                row = self._rows.pop(sid)
                self.rows_box.removeWidget(row)
                row.deleteLater()
        for ss in ordered:
            sid = ss.statement.id
            row = self._rows.get(sid)
            if row is None:
                row = StatementResult(sid, self.inner)
                row.activated.connect(self.statement_activated)
                self._rows[sid] = row
            row.show_score(numbers[sid], ss, ws, sid == current_statement)
        if wanted != self._order:
            focused = self.inner.focusWidget()
            for sid in wanted:
                self.rows_box.removeWidget(self._rows[sid])
            for i, sid in enumerate(wanted):
                self.rows_box.insertWidget(i, self._rows[sid])
                self._rows[sid].show()
            prev = None
            for sid in wanted:  # tab order follows the order on screen
                if prev is not None:
                    QWidget.setTabOrder(prev, self._rows[sid])
                prev = self._rows[sid]
            self._order = wanted
            if focused is not None:
                focused.setFocus()
        set_text(self.summary, " · ".join(t for t in (self._summary(ws, ps),
                                                        self._disputed_metrics(ws, ps)) if t))

    @staticmethod
    def _disputed_metrics(ws: Workshop, ps) -> str:  # type: ignore[no-untyped-def]
        """Measurement: "1 metric estimate to discuss: Deployment frequency (picks from …)"."""
        disputed = privacy.disputed_metrics(ws) if ps.pillar == Pillar.MEASUREMENT else []
        if not disputed:
            return ""
        cat = catalogue()
        named = "; ".join(f"{cat.metric(r.metric).name} ({spread_text(r)})" for r in disputed)
        return ngettext("{n} metric estimate to discuss: {metrics}",
                        "{n} metric estimates to discuss: {metrics}", len(disputed)).format(
            n=len(disputed), metrics=named)

    @staticmethod
    def _summary(ws: Workshop, ps) -> str:
        if not privacy.can_show(ws, ps):
            return (_(
                "{title}: some statements have too few answers to show anonymously; the pillar "
                "mean is withheld.").format(
                title=ps.pillar.title))
        if ps.mean is None:
            return _('{title}: no scores yet.').format(title=ps.pillar.title)
        parts = [_(
            "{title}: mean {value} ({value2})").format(
            title=ps.pillar.title,
            value=fmt(ps.mean),
            value2=level_name(ws, ps.mean))]
        if ps.baseline_mean is not None:
            parts.append(_(
                "baseline {value} ({value2})").format(
                value=fmt(ps.baseline_mean),
                value2=fmt(ps.delta, signed=True)))
        if ps.target:
            parts.append(_('target {target}').format(target=ps.target))
        n = ps.discuss_count
        parts.append(ngettext("{n} statement to discuss", "{n} statements to discuss", n).format(
            n=n) if n else _("the room agrees on every statement"))
        return " · ".join(parts)

    # -- for tests and the screen ----------------------------------------------------
    def order(self) -> list[str]:
        """Statement ids in the order shown (top first)."""
        return list(self._order)

    def row(self, statement_id: str) -> StatementResult:
        return self._rows[statement_id]

    def focus_first(self) -> None:
        if self._order:
            self._rows[self._order[0]].setFocus(Qt.FocusReason.TabFocusReason)
