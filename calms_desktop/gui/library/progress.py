"""A team's progress: trend per pillar, radar overlay, deltas, actions carried.

The numbers come from :func:`calms_desktop.core.progress.team_trend` (which
applies the privacy rule of anonymous workshops); this screen only lays
them out. Each workshop is read and scored once per version of its file
(:class:`~calms_desktop.core.progress.PointCache`), so switching teams or
coming back is instant. Only the chart of the visible tab is drawn.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QListWidgetItem,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import N_, _, format_date, ngettext
from ...core.model import PILLARS, Pillar
from ...core.progress import (
    PointCache,
    TeamTrend,
    WorkshopPoint,
    overlay_values,
    team_key,
    team_trend,
)
from ...core.scoring import fmt
from ..form_types import LibraryProgressForm
from ..forms import load_form
from ..screens.base import Screen
from .canvas import WheelScrolls, make_canvas

#: The delivery metrics' small multiples on screen: a panel is at least this wide (px;
#: its bucket labels and two dates fit), a row this high, and the axis text this size (pt).
METRIC_PANEL_MIN_WIDTH = 400
METRIC_PANEL_HEIGHT = 250
METRIC_FOOTER_HEIGHT = 30
METRIC_TEXT_PT = 9


class _ResizeScroll(QScrollArea):
    """A scroll area that reports when it is resized."""

    def __init__(self, resized: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._resized = resized

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._resized()

ID_ROLE = Qt.ItemDataRole.UserRole
MAX_OVERLAY = 4
#: How many of the latest workshops the radar overlay shows at first.
DEFAULT_OVERLAY = 2
TOOLTIP_CHARS = 600


def _one_line(text: str, limit: int | None = None) -> str:
    line = " ".join(text.split())
    if limit is not None and len(line) > limit:
        line = line[: limit - 1] + "…"
    return line


def _tip(text: str) -> str:
    return text if len(text) <= TOOLTIP_CHARS else text[: TOOLTIP_CHARS - 1] + "…"


def team_label(organisation: str, team: str, workshops: int | None = None) -> str:
    """"Organisation — Team (3)" for the team picker."""
    org = _one_line(organisation, 60) or _("(no organisation)")
    name = _one_line(team, 60) or _("(no team)")
    count = f" ({workshops})" if workshops is not None else ""
    return f"{org} — {name}{count}"


def delta_text(mean: float | None, delta: float | None, withheld: bool, first: bool) -> str:
    """A deltas-table cell: "3.4  ▲ +0.3", "2.9  ▼ −0.2", "3.0  = 0.0", "—", "withheld"."""
    if withheld:
        return _("withheld")
    if mean is None:
        return "—"
    if first or delta is None:
        return fmt(mean)
    if abs(delta) < 0.05:  # rounds to nothing: no sign, no arrow
        return f"{fmt(mean)}  = {fmt(0.0)}"
    arrow = "▲" if delta > 0 else "▼"
    return f"{fmt(mean)}  {arrow} {fmt(delta, signed=True)}"


class TeamProgressScreen(Screen):
    """One team's workshops over time.

    Args:
        library: the library the workshops come from.
        parent: the main window.

    Attributes:
        trend: what the screen shows (None before a team is chosen).
        trend_chart, radar_chart: the figures (None until first shown).
    """

    title = N_("Team progress")

    def __init__(self, library: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.cache = PointCache(library.path_of)
        self.trend: TeamTrend | None = None
        self.trend_chart: Any = None
        self.radar_chart: Any = None
        self._trend_canvas: Any = None
        self._radar_canvas: Any = None
        # The charts still to draw. It shadows Screen._dirty (a bool): showEvent
        # then also reloads while one is undrawn.
        self._dirty: set[str] = set()  # type: ignore[assignment]
        self._key: tuple[str, str] | None = None
        self._wanted: tuple[str, str] | None = None
        self._wanted_names: tuple[str, str] = ("", "")
        self._overlay_ids: list[str] | None = None
        self.ui = load_form("library_progress", self, LibraryProgressForm)
        u = self.ui
        u.privacyLabel.hide()
        u.teamCombo.currentIndexChanged.connect(self._combo_changed)
        u.tabs.currentChanged.connect(lambda _i: self._draw_visible())
        u.overlayList.itemChanged.connect(self._overlay_changed)
        # The team's delivery metrics: one small multiple per metric (charts/metrics.py).
        self.metrics_tab = QWidget()
        self.metrics_tab.setObjectName("metricsTab")
        # The panels keep a readable size: as many columns as the width fits (up to three),
        # each row a fixed height, and a scroll bar when the rows are more than the height.
        self.metrics_scroll = _ResizeScroll(self._metrics_resized, self.metrics_tab)
        self.metrics_scroll.setObjectName("metricsScroll")
        self.metrics_scroll.setWidgetResizable(True)
        self.metrics_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.metrics_host = QWidget()
        self.metrics_scroll.setWidget(self.metrics_host)
        tab_box = QVBoxLayout(self.metrics_tab)
        tab_box.setContentsMargins(0, 0, 0, 0)
        tab_box.addWidget(self.metrics_scroll)
        self.metrics_grid: tuple[int, int] = (0, 0)  # rows, columns drawn
        self._metrics_canvas: Any = None
        self.metrics_series: list[Any] = []
        u.tabs.addTab(self.metrics_tab, _("Delivery metrics"))

        for table in (u.deltaTable, u.actionsTable):
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
        u.actionsTable.verticalHeader().setVisible(False)
        headers = [_("Action"), _("Owner"), _("Pillar"), _("From workshop"), _("To workshop"),
                   _("Outcome")]
        u.actionsTable.setColumnCount(len(headers))
        u.actionsTable.setHorizontalHeaderLabels(headers)
        header = u.actionsTable.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 160), (2, 110), (3, 230), (4, 230), (5, 200)):
            u.actionsTable.setColumnWidth(col, width)

    # -- Screen ---------------------------------------------------------------------------
    def load(self) -> None:
        """Re-read the team list and redraw the chosen team (unchanged files are not re-read)."""
        self._fill_combo()
        self._refresh()

    def focus_first(self) -> None:
        self.ui.teamCombo.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_team(self, organisation: str, team: str) -> None:
        """Show this team (matched like the library does: trimmed, case-insensitive)."""
        self._wanted = team_key(organisation, team)
        self._wanted_names = (organisation, team)
        if self.ui.teamCombo.count() == 0:
            self._fill_combo()
        self._select_key(self._wanted)
        self._refresh()

    # -- team picker ----------------------------------------------------------------------
    def _fill_combo(self) -> None:
        combo = self.ui.teamCombo
        keep = self._wanted or self._key
        combo.blockSignals(True)
        combo.clear()
        teams = self.library.teams()
        for t in teams:
            combo.addItem(team_label(t["organisation"], t["team"], t["workshops"]),
                          (t["organisation"], t["team"]))
            combo.setItemData(combo.count() - 1,
                              _tip(f"{t['organisation']} — {t['team']}"),
                              Qt.ItemDataRole.ToolTipRole)
        combo.blockSignals(False)
        if keep is None and teams:
            latest = max(teams, key=lambda t: t["latest"])
            keep = team_key(latest["organisation"], latest["team"])
        if keep is not None:
            self._select_key(keep)

    def _select_key(self, key: tuple[str, str]) -> None:
        combo = self.ui.teamCombo
        for i in range(combo.count()):
            org, team = combo.itemData(i)
            if team_key(org, team) == key:
                combo.blockSignals(True)
                combo.setCurrentIndex(i)
                combo.blockSignals(False)
                self._key = key
                return
        self._key = key  # a team without workshops: show the empty state

    def _combo_changed(self, index: int) -> None:
        if index < 0:
            return
        org, team = self.ui.teamCombo.itemData(index)
        self._wanted = team_key(org, team)
        self._key = self._wanted
        self._refresh()

    # -- drawing ---------------------------------------------------------------------------
    def _names(self) -> tuple[str, str]:
        combo = self.ui.teamCombo
        if combo.currentIndex() >= 0:
            org, team = combo.currentData()
            if team_key(org, team) == self._key:
                return org, team
        return self._wanted_names

    def _refresh(self) -> None:
        if self._key is None:
            self.trend = TeamTrend("", "", ())
        else:
            org, team = self._names()
            previous = self.trend
            self.trend = team_trend(self.library.summaries(), self.cache, org, team)
            if previous is None or team_key(previous.organisation, previous.team) != self._key:
                self._overlay_ids = None
        self._show_summary()
        self._fill_deltas()
        self._fill_overlay_list()
        self._fill_actions()
        self._dirty = {"trend", "radar", "metrics"}
        self._draw_visible()

    def _show_summary(self) -> None:
        t = self.trend
        assert t is not None
        u = self.ui
        if not t.points:
            who = team_label(*self._names()) if self._key else _("No team")
            u.summaryLabel.setText(
                _('{who}: no workshops yet.').format(who=who) if self._key
                else _("No workshops in the library yet: nothing to show."))
        else:
            first, last = t.points[0], t.points[-1]
            n = len(t.points)
            text = ngettext("{team}: {n} workshop, {first} to {last}.",
                            "{team}: {n} workshops, {first} to {last}.", n).format(
                team=team_label(t.organisation, t.team), n=n,
                first=format_date(first.date, empty="—"), last=format_date(last.date, empty="—"))
            scored = [p for p in t.points if p.overall is not None]
            if len(scored) >= 2:
                a, b = scored[0], scored[-1]
                text += " " + _("Overall {first} → {last} ({change}).").format(
                    first=fmt(a.overall), last=fmt(b.overall),
                    change=fmt((b.overall or 0) - (a.overall or 0), signed=True))
            elif scored:
                text += " " + _("Overall {score}.").format(score=fmt(scored[0].overall))
            if t.unreadable:
                text += " " + ngettext("{n} workshop file could not be read.",
                                       "{n} workshop files could not be read.",
                                       t.unreadable).format(n=t.unreadable)
            u.summaryLabel.setText(text)
        u.privacyLabel.setVisible(t.withheld)

    def _fill_deltas(self) -> None:
        t = self.trend
        assert t is not None
        table: QTableWidget = self.ui.deltaTable
        table.clear()
        rows: list[Pillar | None] = [*PILLARS, None]
        table.setRowCount(len(rows))
        table.setColumnCount(len(t.points))
        table.setVerticalHeaderLabels([p.title if p else _("Overall") for p in rows])
        deltas = t.deltas()
        for c, pt in enumerate(t.points):
            day = format_date(pt.date, "short", empty="—")
            head = QTableWidgetItem(f"{day}\n{_one_line(pt.title, 28) or _('Untitled')}")
            head.setToolTip(_tip(pt.title))
            table.setHorizontalHeaderItem(c, head)
            for r, p in enumerate(rows):
                mean = pt.overall if p is None else pt.means[p]
                withheld = bool(pt.withheld) if p is None else p in pt.withheld
                item = QTableWidgetItem(delta_text(mean, deltas[c][p], withheld, c == 0))
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                item.setData(ID_ROLE, pt.id)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        width = table.fontMetrics().horizontalAdvance("2026-03-31 · 3.4  ▲ +0.3") + 24
        for c in range(len(t.points)):
            table.setColumnWidth(c, width)
        header.setMinimumHeight(table.fontMetrics().height() * 2 + 12)
        if t.points and (last := table.item(0, len(t.points) - 1)) is not None:
            table.scrollToItem(last)

    def _fill_overlay_list(self) -> None:
        t = self.trend
        assert t is not None
        lst = self.ui.overlayList
        ids = [p.id for p in t.points]
        if self._overlay_ids is None or not set(self._overlay_ids) <= set(ids):
            self._overlay_ids = ids[-DEFAULT_OVERLAY:]
        lst.blockSignals(True)
        lst.clear()
        for pt in reversed(t.points):  # newest first
            item = QListWidgetItem(_one_line(pt.label, 70))
            item.setToolTip(_tip(pt.label))
            item.setData(ID_ROLE, pt.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if pt.id in self._overlay_ids
                               else Qt.CheckState.Unchecked)
            lst.addItem(item)
        lst.blockSignals(False)
        if lst.count():
            lst.setCurrentRow(0)
        self._overlay_hint()

    def _overlay_hint(self, refused: bool = False) -> None:
        n = len(self._overlay_ids or [])
        if refused:
            text = _("At most {n} workshops fit on one radar: untick one first.").format(
                n=MAX_OVERLAY)
        elif not self.trend or not self.trend.points:
            text = ""
        elif len(self.trend.points) < 2:
            text = _("This team has one workshop so far; re-assess it to compare.")
        elif n < 2:
            text = _("Tick two to four workshops to compare them.")
        else:
            text = ngettext("{n} workshop on the radar.", "{n} workshops on the radar.",
                            n).format(n=n)
        self.ui.overlayHint.setText(text)

    def _overlay_changed(self, item: QListWidgetItem) -> None:
        wid = item.data(ID_ROLE)
        ids = list(self._overlay_ids or [])
        if item.checkState() == Qt.CheckState.Checked:
            if wid not in ids and len(ids) >= MAX_OVERLAY:
                lst = self.ui.overlayList
                lst.blockSignals(True)
                item.setCheckState(Qt.CheckState.Unchecked)
                lst.blockSignals(False)
                self._overlay_hint(refused=True)
                return
            if wid not in ids:
                ids.append(wid)
        else:
            ids = [i for i in ids if i != wid]
        self._overlay_ids = ids
        self._overlay_hint()
        self._dirty.add("radar")
        self._draw_visible()

    def set_overlay(self, workshop_ids: list[str]) -> None:
        """Tick these workshops (at most four) for the radar overlay."""
        if len(workshop_ids) > MAX_OVERLAY:
            raise ValueError(f"at most {MAX_OVERLAY} workshops on one radar")
        self._overlay_ids = list(workshop_ids)
        self._fill_overlay_list()
        self._dirty.add("radar")
        self._draw_visible()

    def overlay_points(self) -> list[WorkshopPoint]:
        """The ticked workshops, oldest first."""
        ids = set(self._overlay_ids or [])
        return [p for p in (self.trend.points if self.trend else ()) if p.id in ids]

    def _fill_actions(self) -> None:
        t = self.trend
        assert t is not None
        table: QTableWidget = self.ui.actionsTable
        carried = t.carried()
        table.setRowCount(len(carried))
        for r, c in enumerate(carried):
            cells = [
                (_one_line(c.action.text, 300), c.action.text),
                (_one_line(c.action.owner, 80) or "—", c.action.owner),
                (c.action.pillar.title if c.action.pillar else "—", ""),
                (_one_line(c.from_point.label, 80), c.from_point.label),
                (_one_line(c.to_point.label, 80), c.to_point.label),
                (c.outcome, ""),
            ]
            for col, (text, tip) in enumerate(cells):
                item = QTableWidgetItem(text)
                if len(tip) > 40:
                    item.setToolTip(_tip(tip))
                table.setItem(r, col, item)
        label = _("Actions agreed in one workshop and what a later workshop of the team "
                  "decided about them.")
        if t.points and not carried:
            label += " " + _("None yet: a re-assessment reviews the open actions of its baseline.")
        self.ui.actionsLabel.setText(label)

    def _draw_visible(self) -> None:
        u = self.ui
        current = u.tabs.currentWidget()
        if current is u.trendTab and "trend" in self._dirty:
            self.draw_trend()
        elif current is u.radarTab and "radar" in self._dirty:
            self.draw_radar()
        elif current is self.metrics_tab and "metrics" in self._dirty:
            self.draw_metrics()

    def draw_metrics(self) -> None:
        """Draw the small multiples of the team's delivery metrics (canvas made once)."""
        from ...charts.metrics import draw_metrics, grid_of, metric_series

        if self._metrics_canvas is None:
            self._metrics_canvas = make_canvas(self.metrics_host, "calms-team-metrics")
            # over a chart the wheel scrolls the pane (the canvas would keep the turn)
            self._metrics_canvas.installEventFilter(WheelScrolls(self.metrics_scroll))
        points = [] if self.trend is None else [
            (p.date or p.title, dict(p.metrics)) for p in self.trend.points]
        width = self.metrics_scroll.viewport().width()
        rows, cols = grid_of(max(1, len(metric_series(points))),
                             max(1, width // METRIC_PANEL_MIN_WIDTH))
        self.metrics_grid = (rows, cols)
        self.metrics_host.setMinimumHeight(rows * METRIC_PANEL_HEIGHT + METRIC_FOOTER_HEIGHT)
        self.metrics_series = draw_metrics(self._metrics_canvas.figure, points, columns=cols,
                                           text_size=METRIC_TEXT_PT)
        self._metrics_canvas.draw()
        self._dirty.discard("metrics")

    def _metrics_resized(self) -> None:
        """Redraw the small multiples when the width fits another number of columns."""
        from ...charts.metrics import COLUMNS

        if self._metrics_canvas is None or not self.metrics_grid[1]:
            return
        cols = max(1, min(COLUMNS, self.metrics_scroll.viewport().width()
                          // METRIC_PANEL_MIN_WIDTH))
        if cols != self.metrics_grid[1] and len(self.metrics_series) > min(cols,
                                                                           self.metrics_grid[1]):
            self.draw_metrics()

    def draw_trend(self) -> None:
        """Update and draw the trend chart (creating it the first time)."""
        if self._trend_canvas is None:
            from ...charts.trend import TrendChart

            self._trend_canvas = make_canvas(self.ui.trendHost, "calms-team-trend")
            self.trend_chart = TrendChart(self._trend_canvas.figure)
        if self.trend is not None:
            self.trend_chart.update(self.trend)
        self._trend_canvas.draw()
        self._dirty.discard("trend")

    def draw_radar(self) -> None:
        """Update and draw the radar overlay (creating it the first time)."""
        if self._radar_canvas is None:
            from ...charts.trend import RadarOverlay

            self._radar_canvas = make_canvas(self.ui.radarHost, "calms-team-radar")
            self.radar_chart = RadarOverlay(self._radar_canvas.figure)
        self.radar_chart.update(overlay_values(self.overlay_points()))
        self._radar_canvas.draw()
        self._dirty.discard("radar")
