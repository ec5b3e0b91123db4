"""The consultant's portfolio: pillar averages and spread by organisation.

Aggregates only (:func:`calms_desktop.core.progress.portfolio`): each team
counts once, by its latest workshop with results; no vote and no single
person's answer is shown. Reading a thousand workshop files takes seconds,
so the work runs on a ``QThreadPool`` worker with a progress bar, and every
workshop is read once per version of its file (a
:class:`~calms_desktop.core.progress.PointCache` kept by the screen): the
GUI never waits for it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...core.i18n import N_, _, activate, active, format_date, format_number, ngettext
from ...core.model import PILLARS, Pillar
from ...core.progress import Aggregate, PointCache, Portfolio, fold, portfolio
from ...core.scoring import fmt
from ..form_types import LibraryPortfolioForm
from ..forms import load_form
from ..screens.base import Screen
from .canvas import make_canvas

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
PILLAR_IDS = {p.value for p in PILLARS}
# Headers are marked here and translated where the table shows them.
COLUMNS = (N_("Organisation"), N_("Workshops"), N_("Teams"), *(p.value for p in PILLARS),
           N_("Overall"))


def aggregate_text(agg: Aggregate) -> str:
    """"3.1 ± 0.4" (several teams), "3.1" (one team) or "—" (no results)."""
    if agg.mean is None:
        return "—"
    if agg.spread is None:
        return fmt(agg.mean)
    return f"{fmt(agg.mean)} ± {fmt(agg.spread)}"


def column_headers() -> list[str]:
    """The table's headers in the active language."""
    return [Pillar(c).title if c in PILLAR_IDS else _(c) for c in COLUMNS]


def aggregate_tip(what: str, agg: Aggregate) -> str:
    if agg.mean is None:
        return _("{what}: no results yet").format(what=what)
    text = ngettext("{what}: mean {mean} over {n} team's latest results",
                    "{what}: mean {mean} over {n} teams' latest results", agg.n).format(
        what=what, mean=fmt(agg.mean, 2), n=agg.n)
    if agg.spread is not None:
        text += _("; spread (standard deviation) {spread}; range {low}–{high}").format(
            spread=fmt(agg.spread, 2), low=fmt(agg.low), high=fmt(agg.high))
    return text


class _SortItem(QTableWidgetItem):
    """A cell that sorts by its SORT_ROLE value (numbers as numbers, names folded)."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if a is None or b is None:
            return a is None and b is not None
        return bool(a < b)


class _Signals(QObject):
    """The worker's way back to the GUI thread (a child of the screen, so it lives there)."""

    progress = Signal(int, int, int)  # generation, done, total
    finished = Signal(int, object)  # generation, Portfolio


class _PortfolioJob:
    """Computes the portfolio off the GUI thread (reads files only; never writes).

    A plain callable for ``QThreadPool.start``; results go back through
    ``signals`` (queued to the GUI thread), tagged with the generation so a
    superseded job's results are ignored.
    """

    def __init__(self, generation: int, rows: Sequence[dict[str, Any]], cache: PointCache,
                 signals: _Signals) -> None:
        self.generation = generation
        self.rows = rows
        self.cache = cache
        self.signals = signals
        #: The screen's language: a pool thread starts in English, and the metric
        #: names and bucket labels the job gathers are the room's to read.
        self.translator = active()
        self.cancelled = False
        self._lock = threading.Lock()

    def cancel(self) -> None:
        """No signal is emitted once this returns (safe while the screen is being destroyed)."""
        with self._lock:
            self.cancelled = True

    def _emit(self, signal: Any, *args: Any) -> bool:
        with self._lock:
            if self.cancelled:
                return False
            try:
                signal.emit(self.generation, *args)
            except RuntimeError:  # the screen (and its signals object) is gone
                self.cancelled = True
        return not self.cancelled

    def __call__(self) -> None:
        def step(done: int, total: int) -> bool:
            return not self.cancelled and self._emit(self.signals.progress, done, total)

        with activate(self.translator):
            result = portfolio(self.rows, self.cache, step)
        if not self.cancelled:
            self._emit(self.signals.finished, result)


class PortfolioScreen(Screen):
    """Every organisation in the library: counts, pillar means and spread, a heatmap.

    Args:
        library: the library to aggregate.
        parent: the main window.

    Attributes:
        portfolio: the last computed aggregates (None while computing the first time).
        matrix: the numbers behind the heatmap (organisations × pillars + overall).

    Signals:
        computed(): a new portfolio is shown.
    """

    computed = Signal()
    title = N_("Portfolio")

    def __init__(self, library: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.cache = PointCache(library.path_of)
        self.portfolio: Portfolio | None = None
        self.matrix: Any = None
        self._generation = 0
        self._job: _PortfolioJob | None = None
        self._canvas: Any = None
        self.metrics_label: QLabel | None = None
        self._signals = _Signals(self)
        self._signals.progress.connect(self._progress)
        self._signals.finished.connect(self._finished)
        jobs: list[_PortfolioJob | None] = [None]
        self._jobs = jobs  # the destroyed handler must not need the screen itself
        self.destroyed.connect(lambda *_args: jobs[0].cancel() if jobs[0] is not None else None)
        self.ui = load_form("library_portfolio", self, LibraryPortfolioForm)
        u = self.ui
        u.progressBar.hide()
        u.refreshButton.clicked.connect(self.load)
        refresh = QAction(_("Refresh"), self)
        refresh.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        refresh.triggered.connect(lambda _checked=False: self.load())
        self.addAction(refresh)
        table: QTableWidget = u.orgTable
        table.setColumnCount(len(COLUMNS))
        table.setHorizontalHeaderLabels(column_headers())
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        numbers = table.fontMetrics().horizontalAdvance("Measurement ") + 28
        for col in range(1, len(COLUMNS)):
            table.setColumnWidth(col, numbers if col > 2 else numbers - 10)
        u.splitter.setStretchFactor(0, 2)
        u.splitter.setStretchFactor(1, 3)

    # -- Screen ---------------------------------------------------------------------------
    def load(self) -> None:
        """Recompute in the background; the last result stays on screen meanwhile."""
        if self._job is not None:
            self._job.cancel()
        self._generation += 1
        rows = self.library.summaries()
        job = _PortfolioJob(self._generation, rows, self.cache, self._signals)
        self._job = self._jobs[0] = job
        u = self.ui
        u.progressBar.setRange(0, 0)
        u.progressBar.show()
        u.refreshButton.setEnabled(False)
        u.statusLabel.setText(ngettext('Reading {n} workshop…', 'Reading {n} workshops…',
                                       len(rows)).format(n=format_number(len(rows), 0)))
        QThreadPool.globalInstance().start(job)

    def focus_first(self) -> None:
        self.ui.orgTable.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def wait(self, msecs: int = 30_000) -> None:
        """Block until the worker is done (tests and benchmarks; the GUI never calls it)."""
        QThreadPool.globalInstance().waitForDone(msecs)

    # -- results ---------------------------------------------------------------------------
    def _progress(self, generation: int, done: int, total: int) -> None:
        if generation != self._generation:
            return
        bar = self.ui.progressBar
        bar.setRange(0, max(1, total))
        bar.setValue(done)

    def _finished(self, generation: int, result: Portfolio | None) -> None:
        if generation != self._generation or result is None:
            return
        self._job = None
        self.portfolio = result
        u = self.ui
        u.progressBar.hide()
        u.refreshButton.setEnabled(True)
        orgs = len(result.organisations)
        text = " · ".join((
            ngettext("{n} organisation", "{n} organisations", orgs).format(n=orgs),
            ngettext("{n} team", "{n} teams", result.teams).format(n=result.teams),
            ngettext("{n} workshop", "{n} workshops", result.workshops).format(
                n=active().format_integer(result.workshops))))
        if result.unreadable:
            text += " · " + ngettext("{n} file could not be read", "{n} files could not be read",
                                     result.unreadable).format(n=result.unreadable)
        u.statusLabel.setText(text)
        self._show_metrics(result)
        self._fill_table(result)
        self._draw(result)
        self._share_space()
        self.computed.emit()

    def _show_metrics(self, data: Portfolio) -> None:
        """The teams' delivery metrics as distributions (how many teams per bucket)."""
        if self.metrics_label is None:
            self.metrics_label = QLabel(self)
            self.metrics_label.setObjectName("portfolioMetrics")
            self.metrics_label.setWordWrap(True)
            status = self.ui.statusLabel
            holder = status.parentWidget()
            box = holder.layout() if holder is not None else None
            if isinstance(box, QBoxLayout):
                box.insertWidget(box.indexOf(status) + 1, self.metrics_label)
        lines = [d.text() for d in data.metrics]
        self.metrics_label.setText(
            _("Delivery metrics, each team's latest (how many teams per bucket, not a "
              "ranking): {metrics}").format(metrics="; ".join(lines)) if lines else "")
        self.metrics_label.setVisible(bool(lines))

    def _share_space(self) -> None:
        """Give the table the height of its rows (at most 40 %) and the heatmap the rest."""
        table: QTableWidget = self.ui.orgTable
        splitter = self.ui.splitter
        total = sum(splitter.sizes()) or splitter.height()
        rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
        wanted = table.horizontalHeader().height() + rows + 2 * table.frameWidth() + 4
        if table.horizontalScrollBar().isVisible():
            wanted += table.horizontalScrollBar().height()
        top = max(table.verticalHeader().defaultSectionSize() * 3, min(wanted, int(total * 0.4)))
        splitter.setSizes([top, max(1, total - top)])

    def _fill_table(self, data: Portfolio) -> None:
        table: QTableWidget = self.ui.orgTable
        table.setSortingEnabled(False)
        table.setRowCount(len(data.organisations))
        for r, org in enumerate(data.organisations):
            name = " ".join(org.organisation.split())
            cells: list[tuple[str, Any, str]] = [
                (name, fold(name), org.organisation if len(org.organisation) > 40 else ""),
                (format_number(org.workshops, 0), org.workshops,
                 _("latest {date}").format(date=format_date(org.latest, "short", empty="—"))),
                (format_number(org.teams, 0), org.teams,
                 ngettext("{n} of {total} team with results",
                          "{n} of {total} teams with results", org.teams).format(
                     n=format_number(org.teams_with_results, 0),
                     total=format_number(org.teams, 0))),
            ]
            for p in PILLARS:
                agg = org.pillars[p]
                cells.append((aggregate_text(agg), agg.mean, aggregate_tip(p.title, agg)))
            cells.append((aggregate_text(org.overall), org.overall.mean,
                          aggregate_tip(_("Overall"), org.overall)))
            for col, (text, key, tip) in enumerate(cells):
                item = _SortItem(text)
                item.setData(SORT_ROLE, key)
                if tip:
                    item.setToolTip(tip[:600])
                if col:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                table.setItem(r, col, item)
        table.setSortingEnabled(True)

    def _draw(self, data: Portfolio) -> None:
        from ...charts.trend import draw_portfolio, heatmap_height

        if self._canvas is None:
            self._canvas = make_canvas(self.ui.chartHost, "calms-portfolio")
        figure = self._canvas.figure
        height = heatmap_height(len(data.organisations))
        self._canvas.setMinimumHeight(int(height * figure.dpi))
        self.matrix = draw_portfolio(figure, data)
        figure.tight_layout()
        self._canvas.draw_idle()
