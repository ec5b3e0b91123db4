"""The summary: results per pillar and overall, strongest and weakest pillars,
every action item (edited in place) and the summary notes.

Results of a pillar show once it is revealed, and in an anonymous workshop
only when the privacy rule allows (:func:`~calms_desktop.core.privacy.can_show`);
otherwise the cell says why nothing is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...charts import style as chart_style
from ...core import privacy
from ...core.i18n import N_, _, ngettext
from ...core.model import PILLARS, SUMMARY_STEP, Pillar, Workshop
from ...core.scoring import PillarScore, WorkshopScore, fmt, fmt_change, level_name
from ...room import presentation
from ..commands import WorkshopController
from ..form_types import SummaryScreenForm
from ..forms import load_form
from ..widgets.actions_table import ActionsTable
from ..widgets.notes_edit import IDLE_COMMIT_MS, NotesEdit
from .base import Screen, columns_direction

PILLAR_COL, MEAN, LEVEL, DELTA, TARGET, GAP, DISCUSS = range(7)
_CENTRE = Qt.AlignmentFlag.AlignCenter
#: Below this width the notes go under the actions instead of beside them.


is_revealed = privacy.results_visible


def withheld_text(ws: Workshop, ps: PillarScore) -> str | None:
    """Why a pillar's results are hidden by the privacy rule (None: they may show)."""
    if privacy.can_show(ws, ps):
        return None
    for s in ps.statements:
        if not privacy.can_show(ws, s):
            return privacy.withheld_message(s.stats.distribution)
    return privacy.withheld_message(ps.pooled.distribution)


def gap_text(gap: float | None) -> str:
    if gap is None:
        return "—"
    if gap <= 0:
        return _("✓ reached")
    return _('{value} to go').format(value=fmt(gap))


class SummaryScreen(Screen):
    """The summary step.

    Args:
        controller: the open workshop's command layer.
        parent: the owning widget.
        idle_ms: commit notes after this long without typing (0: only on focus-out).

    Attributes:
        actions: the table of every action item.
        notes: the summary notes editor.
    """

    title = N_("Summary")
    # The attribute hides the method QWidget.actions().
    actions: ActionsTable  # type: ignore[assignment]

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None,
                 idle_ms: int = IDLE_COMMIT_MS) -> None:
        super().__init__(parent)
        self.controller = controller
        self._dirty = True
        self.ui = load_form("summary_screen", self, SummaryScreenForm)
        ui = self.ui

        table: QTableWidget = ui.resultsTable
        table.setAccessibleDescription(_("Each pillar's score, with its baseline, change, "
                                         "target and gap to target where there are any"))
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(header.fontMetrics().horizontalAdvance(_(
            "Gap to target")) + 12)
        table.setRowCount(len(PILLARS) + 1)

        self.actions = ActionsTable(controller, None, ui.actionsHost, title=_("All actions"),
                                    shortcut_scope=self)
        actions_box = ui.actionsHost.layout()
        assert isinstance(actions_box, QVBoxLayout)  # actionsHostLayout in summary_screen.ui
        actions_box.addWidget(self.actions)
        self.notes = NotesEdit(controller, SUMMARY_STEP, ui.notesHost, idle_ms=idle_ms)
        self.notes.setPlaceholderText(_("What the room concluded; what happens next…"))
        self.notes.setAccessibleName(_("Summary notes"))
        notes_box = ui.notesHost.layout()
        assert isinstance(notes_box, QVBoxLayout)  # notesHostLayout in summary_screen.ui
        notes_box.addWidget(self.notes)
        ui.notesLabel.setBuddy(self.notes)
        QWidget.setTabOrder(table, self.actions.view)
        QWidget.setTabOrder(self.actions.view, self.notes)
        bottom = ui.root.findChild(QBoxLayout, "bottomLayout")
        assert bottom is not None  # in summary_screen.ui
        self._bottom: QBoxLayout = bottom

        # The team's delivery metrics, as the projector's summary lists them.
        self.metrics_label = QLabel(self)
        self.metrics_label.setObjectName("summaryMetrics")
        self.metrics_label.setWordWrap(True)
        holder = ui.highlightsLabel.parentWidget()
        box = holder.layout() if holder is not None else None
        if isinstance(box, QBoxLayout):
            box.insertWidget(box.indexOf(ui.highlightsLabel) + 1, self.metrics_label)
        controller.metrics_changed.connect(self._metrics_changed)
        controller.scores_changed.connect(self._scores_changed)
        self.load()

    def _load_metrics(self) -> None:
        lines = presentation.metric_lines(self.workshop, self.controller.baseline())
        self.metrics_label.setText(_("Delivery metrics: {metrics}").format(metrics="   ·   ".join(
            line.replace(" · ", ": ", 1) for line in lines)) if lines else "")
        self.metrics_label.setVisible(bool(lines))

    @property
    def workshop(self) -> Workshop:
        """The open workshop as the room sees it (shipped questionnaire in the UI's language)."""
        return self.controller.shown_workshop()

    # -- Screen -------------------------------------------------------------------------
    def load(self) -> None:
        self._load_results()
        self._load_metrics()
        self.actions.load()
        self.notes.load()
        self._dirty = False

    def commit(self) -> bool:
        return self.notes.commit()

    def focus_first(self) -> None:
        self.actions.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.actions.current_action_id() is None and self.actions.model.rowCount():
            self.actions.view.selectRow(0)


    def fit_width(self, narrow: bool) -> None:
        """Results beside the actions when there is room; above them when narrow."""
        self._bottom.setDirection(columns_direction(narrow))
        self._bottom.setStretch(0, 3 if narrow else 2)
        self._bottom.setStretch(1, 1)
        self.notes.setMinimumHeight(90 if narrow else 60)

    @property
    def stacked(self) -> bool:
        """Are the notes under the actions (a narrow window)?"""
        return self._bottom.direction() == QBoxLayout.Direction.TopToBottom

    def _metrics_changed(self, _change: object = None) -> None:
        self._load_metrics()
        self._scores_changed()  # a split estimate counts in Measurement's "to discuss"

    def _scores_changed(self) -> None:
        if self.isVisible():
            self._load_results()
        else:
            self._dirty = True

    # -- results ------------------------------------------------------------------------
    def shown_pillars(self, score: WorkshopScore) -> list[PillarScore]:
        """Pillars whose results may be shown: revealed, with a mean, privacy allowing."""
        ws = self.workshop
        return [ps for ps in score.pillars.values()
                if is_revealed(ws, ps.pillar) and ps.mean is not None
                and withheld_text(ws, ps) is None]

    def _cell(self, row: int, col: int, text: str, tip: str = "") -> QTableWidgetItem:
        table: QTableWidget = self.ui.resultsTable
        item = table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            table.setItem(row, col, item)
        item.setText(text)
        item.setToolTip(tip or text)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        item.setForeground(QBrush())
        item.setFont(QFont())
        if col != PILLAR_COL:
            item.setTextAlignment(_CENTRE)
        return item

    def _load_results(self) -> None:
        ws = self.workshop
        score = self.controller.score()
        table: QTableWidget = self.ui.resultsTable
        table.clearSpans()
        for row, pillar in enumerate(PILLARS):
            ps = score.pillars.get(pillar)
            name = ws.questionnaire.section(pillar).name
            self._cell(row, PILLAR_COL, name)
            target = ps.target if ps is not None else ws.targets.get(pillar)
            self._cell(row, TARGET, str(target) if target else "—",
                       _(
                           "Target level: {value}").format(
                           value=ws.questionnaire.level_name(target)) if target else
                       _("No target level (set one in Set-up)"))
            if ps is None:
                continue
            hidden = None
            if not is_revealed(ws, pillar):
                hidden = _("not revealed yet")
            elif ps.mean is None:
                hidden = _("no answers")
            else:
                hidden = withheld_text(ws, ps)
            if hidden is not None:
                item = self._cell(row, MEAN, hidden)
                item.setTextAlignment(
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                item.setForeground(QBrush(self.palette().placeholderText()))
                for col in (LEVEL, DELTA, GAP, DISCUSS):
                    self._cell(row, col, "")
                table.setSpan(row, MEAN, 1, 3)
                continue
            self._fill_numbers(row, ps.mean, ps.delta, ps.gap)
            n = privacy.discuss_count(ws, ps)  # Measurement: with its disputed metric estimates
            self._cell(row, DISCUSS, str(n) if n else "—",
                       ngettext("{n} statement or estimate where the room disagrees",
                                "{n} statements or estimates where the room disagrees",
                                n).format(n=n) if n else
                       _("The room agrees on every statement"))
        self._load_overall(score)
        self._fit_table()

    def _fill_numbers(self, row: int, mean: float | None, delta: float | None,
                      gap: float | None) -> None:
        ws = self.workshop
        self._cell(row, MEAN, fmt(mean))
        self._cell(row, LEVEL, level_name(ws, mean))
        shown = fmt_change(delta)
        item = self._cell(row, DELTA, shown,
                          _("No earlier workshop to compare with") if delta is None else
                          _(
                              "{value} against the earlier workshop").format(
                              value=fmt(delta, signed=True)))
        if delta is not None and abs(delta) >= 0.05:
            item.setForeground(QBrush(QColor(
                chart_style.GREEN if delta > 0 else chart_style.VERMILION)))
        self._cell(row, GAP, gap_text(gap))

    def _load_overall(self, score: WorkshopScore) -> None:
        ws = self.workshop
        row = len(PILLARS)
        table: QTableWidget = self.ui.resultsTable
        self._cell(row, PILLAR_COL, _("Overall"))
        self._cell(row, TARGET, "")
        self._cell(row, DISCUSS, "")
        shown = self.shown_pillars(score)
        revealed = sum(1 for p in PILLARS if is_revealed(ws, p))
        complete = len(shown) == len(PILLARS)
        if complete and score.overall is not None:
            self._fill_numbers(row, score.overall, score.delta, None)
            self._cell(row, GAP, "")
            name = level_name(ws, score.overall)
            delta = ("" if score.delta is None
                     else _(
                         " · {value} against the earlier workshop").format(
                         value=fmt(score.delta, signed=True)))
            self.ui.overallLabel.setText(_('Overall {value} — {name}{delta}').format(
                value=fmt(score.overall), name=name, delta=delta))
        else:
            # short enough for the cell at 1366×768; the whole sentence is the tip
            why = _(
                "after every reveal ({revealed} of {n} so far)").format(
                revealed=revealed,
                n=len(PILLARS))
            tip = _('The overall score shows when every pillar is revealed; {why}.').format(why=why)
            if revealed == len(PILLARS):
                why = _("withheld (too few answers)")
                tip = _("The overall score cannot be shown: a pillar's results are withheld.")
            self._cell(row, MEAN, why, tip).setTextAlignment(
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            for col in (LEVEL, DELTA, GAP):
                self._cell(row, col, "")
            table.setSpan(row, MEAN, 1, 4)
            self.ui.overallLabel.setText(why[0].upper() + why[1:] + ".")
        bold = QFont()
        bold.setBold(True)
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is not None:
                item.setFont(bold)

        ranked = [ps for ps in score.strongest() if ps in shown]
        if len(ranked) >= 2:
            best, worst = ranked[0], ranked[-1]
            self.ui.highlightsLabel.setText(
                _('Strongest: {value}   ·   Weakest: {value2}').format(
                    value=self._pillar_line(best), value2=self._pillar_line(worst))
            )
        else:
            self.ui.highlightsLabel.setText(
                _("The strongest and weakest pillars show once two pillars are revealed.")
            )

    def _pillar_line(self, ps: PillarScore) -> str:
        ws = self.workshop
        name = ws.questionnaire.section(ps.pillar).name
        return f"{name} {fmt(ps.mean)} ({level_name(ws, ps.mean)})"

    def _fit_table(self) -> None:
        table: QTableWidget = self.ui.resultsTable
        table.resizeRowsToContents()
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height + 2)

    def result_text(self, pillar: Pillar | None, col: int) -> str:
        """The text shown in the results table (``pillar=None``: the overall row)."""
        row = len(PILLARS) if pillar is None else PILLARS.index(pillar)
        item = self.ui.resultsTable.item(row, col)
        return item.text() if item is not None else ""
