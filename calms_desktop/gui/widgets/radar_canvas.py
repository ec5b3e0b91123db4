"""The live radar for the facilitator: this workshop vs baseline vs target.

:class:`RadarPanel` puts a :class:`~calms_desktop.charts.radar.RadarChart` on
a QtAgg canvas. matplotlib is imported here only, and only when the panel is
first shown with a workshop, so start-up never pays for it.

Every vote or reveal updates the chart's existing artists (never rebuilding
the figure), coalesced under bursts with a zero-interval single-shot timer.
The redraw blits: after each full draw the background (axes, grid, labels,
legend) is cached with ``copy_from_bbox``; an update restores it, draws only
the animated series and blits the axes' region — a few milliseconds instead
of a full draw. Resizes, theme changes and a changed legend redo the full draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSizePolicy,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import N_, _
from ...core.model import PILLARS

if TYPE_CHECKING:
    from collections.abc import Callable

    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    from ...charts.radar import RadarChart
    from ..blit import BlitCache
    from ..commands import WorkshopController

#: The figure margins the chart starts from at each size (fractions), before fitting.
MARGINS = {"left": 0.16, "right": 0.84, "top": 0.84, "bottom": 0.1}
#: How many extra draws a new size may take to fit the pillar names inside the figure.
FIT_TRIES = 3


def _font_scale(width: int, height: int) -> float:
    """Smaller type in a narrow dock so the pillar names fit."""
    side = min(width, height)
    if side < 360:
        return 0.7
    if side < 480:
        return 0.8
    return 1.0


class RadarPanel(QWidget):
    """The facilitator's live radar (put in a dock by the main window).

    It shows every vote so far (the facilitator sees live means); the room
    sees a pillar on the projector only after its reveal.

    Signals:
        chart_updated(): the canvas shows the latest numbers (after a blit or
            a full draw).

    Args:
        parent: the owning widget (the dock).
    """

    chart_updated = Signal()
    shortcut_group = N_("Radar panel")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("radarPanel")
        self._controller: WorkshopController | None = None
        self.canvas: FigureCanvasQTAgg | None = None
        self.chart: RadarChart | None = None
        self._theme = ""
        self._scale = 1.0
        self._blit: BlitCache | None = None
        self._fit_tries = FIT_TRIES
        #: How many times the chart has been redrawn (blits + full draws).
        self.frames = 0
        #: How many of those were blits.
        self.blits = 0

        self._shown_data: object = None  # what the chart was last given
        self._coalesce = QTimer(self)
        self._coalesce.setSingleShot(True)
        self._coalesce.setInterval(0)
        self._coalesce.timeout.connect(self.refresh)

        self.placeholder = QLabel(_("Open a workshop to see its live radar."), self)
        self.placeholder.setObjectName("radarPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setSizePolicy(QSizePolicy.Policy.Expanding,
                                       QSizePolicy.Policy.Expanding)
        self.caption = QLabel(_("Revealed pillars only, as the room sees them: safe to mirror."),
                              self)
        self.caption.setObjectName("radarCaption")
        self.caption.setWordWrap(True)
        self.caption.setEnabled(False)  # quiet, greyed text
        self.save_button = QToolButton(self)
        self.save_button.setObjectName("saveChartButton")
        self.save_action = QAction(_("&Save chart…"), self)
        self.save_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.save_action.setToolTip(_("Save the radar as PNG or SVG (Ctrl+Shift+S)"))
        self.save_action.triggered.connect(self.save_chart)
        self.save_button.setDefaultAction(self.save_action)
        self.addAction(self.save_action)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        # The chart's numbers as a table a screen reader can walk (a chart it
        # cannot read): hidden until asked for, so the dock keeps its size;
        # the canvas's accessible description says the same in one sentence.
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("radarValues")
        self.table.setAccessibleName(_("Radar values"))
        self.table.setAccessibleDescription(_("The radar's scores: one row per pillar, "
                                              "one column per series"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table, arrows walk it
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.table.hide()
        self.table_action = QAction(_("Values as a &table"), self)
        self.table_action.setCheckable(True)
        self.table_action.setShortcut(QKeySequence("Ctrl+Shift+V"))
        self.table_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.table_action.setToolTip(_("Show the radar's numbers as a table (Ctrl+Shift+V)"))
        self.table_action.toggled.connect(self.show_table)
        self.table_button = QToolButton(self)
        self.table_button.setObjectName("radarTableButton")
        self.table_button.setDefaultAction(self.table_action)
        self.addAction(self.table_action)

        # The caption has a line of its own above the buttons: beside them it was
        # squeezed into a column a word wide, and the row set the dock's (and so the
        # window's) minimum width — wider than a 1366-pixel screen in German.
        self.caption.setContentsMargins(6, 0, 6, 0)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(6, 0, 6, 4)
        bottom.addStretch(1)
        bottom.addWidget(self.table_button)
        bottom.addWidget(self.save_button)
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)
        self._box.setSpacing(2)
        self._box.addWidget(self.placeholder, 1)
        self._box.addWidget(self.table)
        self._box.addWidget(self.caption)
        self._box.addLayout(bottom)
        self._update_enabled()

    # -- wiring ------------------------------------------------------------------
    @property
    def controller(self) -> WorkshopController | None:
        return self._controller

    def set_controller(self, controller: WorkshopController | None) -> None:
        """Show this controller's workshop (None: no workshop open)."""
        old = self._controller
        if old is not None:
            for signal, slot in ((old.scores_changed, self.schedule),
                                 (old.destroyed, self._controller_gone)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
        self._controller = controller
        if controller is not None:
            controller.scores_changed.connect(self.schedule)
            controller.destroyed.connect(self._controller_gone)
        self._update_enabled()
        if controller is not None and self.isVisible():
            # Build the canvas after this event: showing the window is not held up.
            QTimer.singleShot(0, self._show_chart)
        elif controller is None and self.canvas is not None:
            self.canvas.hide()
            self.placeholder.show()

    def _controller_gone(self, *_args: object) -> None:
        self._controller = None
        self._update_enabled()
        if self.canvas is not None:
            self.canvas.hide()
            self.placeholder.show()

    def _update_enabled(self) -> None:
        has = self._controller is not None
        self.save_action.setEnabled(has)
        self.table_action.setEnabled(has)
        self.caption.setVisible(has)
        self.table.setVisible(has and self.table_action.isChecked())

    def show_table(self, shown: bool) -> None:
        """Show or hide the table of the radar's values (focus goes to it when shown)."""
        if self.table_action.isChecked() != shown:
            self.table_action.setChecked(shown)  # toggled() comes back here
            return
        self._update_table()
        self.table.setVisible(shown and self._controller is not None)
        if shown and self.table.isVisible():
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_table(self) -> None:
        """Put the controller's numbers in the table and the canvas's description."""
        if self._controller is None:
            return
        from ...charts.radar import value_table

        values = value_table(self._controller.radar_data())
        table = self.table
        if table.columnCount() != len(values.columns) or table.rowCount() != len(values.rows):
            table.setColumnCount(len(values.columns))
            table.setRowCount(len(values.rows))
        heads = [table.horizontalHeaderItem(c) for c in range(table.columnCount())]
        if [h.text() if h is not None else "" for h in heads] != list(values.columns):
            table.setHorizontalHeaderLabels(list(values.columns))  # a language change too
            table.setVerticalHeaderLabels([row[0] for row in values.rows])
        for r, row in enumerate(values.rows):
            for c, text in enumerate(row[1:]):
                item = table.item(r, c)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                    table.setItem(r, c, item)
                if item.text() != text:
                    item.setText(text)
        height = table.horizontalHeader().height() + 2 * table.frameWidth() + sum(
            table.rowHeight(r) for r in range(table.rowCount()))
        table.setMaximumHeight(height)
        table.setMinimumWidth(self._table_width(values.columns))
        if self.canvas is not None:
            self.canvas.setAccessibleDescription(values.describe())

    def _table_width(self, columns: Sequence[str]) -> int:
        """The width at which every column's header ("Dieser Workshop") is whole."""
        table = self.table
        header = table.horizontalHeader()
        metrics = header.fontMetrics()
        # the header's padding and frame, as the style draws them (a margin each side)
        margin = 2 * table.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        columns_width = sum(max(metrics.horizontalAdvance(text) + margin + 8,
                                table.sizeHintForColumn(c))
                            for c, text in enumerate(columns))
        vertical = table.verticalHeader()
        rows = max((vertical.fontMetrics().horizontalAdvance(p.title) for p in PILLARS),
                   default=0) + margin + 8
        return columns_width + rows + 2 * table.frameWidth()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._controller is not None:
            QTimer.singleShot(0, self._show_chart)

    def _show_chart(self) -> None:
        if self._controller is None or not self.isVisible():
            return
        self.ensure_canvas()
        assert self.canvas is not None
        self.placeholder.hide()
        self.canvas.show()
        self.refresh(full=True)

    # -- the canvas --------------------------------------------------------------------
    def ensure_canvas(self) -> FigureCanvasQTAgg:
        """Create the canvas and chart (imports matplotlib on first use)."""
        if self.canvas is not None:
            return self.canvas
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=(4, 4), dpi=100)
        self.canvas = FigureCanvasQTAgg(figure)
        self.canvas.setParent(self)
        self.canvas.setObjectName("radarCanvas")
        self.canvas.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.canvas.setAccessibleName(_("Radar chart of the five pillars"))
        self.canvas.setMinimumSize(220, 220)
        self.canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.canvas.addAction(self.save_action)
        self.canvas.mpl_connect("draw_event", self._on_draw)
        self.canvas.mpl_connect("resize_event", self._on_resize)
        self._box.insertWidget(0, self.canvas, 1)
        self._build_chart()
        return self.canvas

    def _wanted_theme(self) -> str:
        window = self.palette().color(QPalette.ColorRole.Window)
        return "dark" if window.lightness() < 128 else "light"

    def _build_chart(self) -> None:
        """(Re)build the chart's artists: first use, a theme change or a new size class."""
        from ...charts.radar import RadarChart

        assert self.canvas is not None
        figure = self.canvas.figure
        figure.clear()
        self._theme = self._wanted_theme()
        self._scale = _font_scale(self.canvas.width(), self.canvas.height())
        self.chart = RadarChart(figure, theme=self._theme, font_scale=self._scale)
        self.chart.ax.set_anchor("N")  # in a tall dock: chart under the legend, space below
        from ..blit import BlitCache

        chart = self.chart
        self._blit = BlitCache(self.canvas, lambda: chart.animated_artists, lambda: chart.ax.bbox)
        self._reset_margins()

    def _reset_margins(self) -> None:
        assert self.canvas is not None
        self.canvas.figure.subplots_adjust(**MARGINS)
        self._fit_tries = FIT_TRIES

    def _fit(self, renderer) -> bool:
        """Shrink the axes until the pillar names and legend fit; True if it changed."""
        assert self.canvas is not None and self.chart is not None
        figure = self.canvas.figure
        width, height = figure.bbox.width, figure.bbox.height
        labels = [t for t in self.chart.ax.get_xticklabels() if t.get_text()]
        if not labels or width <= 1 or height <= 1:
            return False
        boxes = [t.get_window_extent(renderer) for t in labels]
        over_x = max(0.0, *(-b.x0 for b in boxes), *(b.x1 - width for b in boxes))
        over_bottom = max(0.0, *(-b.y0 for b in boxes))
        top_box = max(boxes, key=lambda b: b.y1)
        legend = self.chart.figure.legends[-1] if self.chart.figure.legends else None
        ceiling = legend.get_window_extent(renderer).y0 if legend is not None else height
        over_top = max(0.0, top_box.y1 - ceiling)
        if max(over_x, over_bottom, over_top) < 1:
            return False
        sp = figure.subplotpars
        pad = 6
        left = sp.left + (over_x + pad) / width if over_x else sp.left
        right = sp.right - (over_x + pad) / width if over_x else sp.right
        top = sp.top - (over_top + pad) / height if over_top else sp.top
        bottom = sp.bottom + (over_bottom + pad) / height if over_bottom else sp.bottom
        if right - left < 0.2 or top - bottom < 0.2:
            return False
        figure.subplots_adjust(left=left, right=right, top=top, bottom=bottom)
        return True

    def _on_resize(self, _event) -> None:
        if self.canvas is None or self.chart is None:
            return
        if _font_scale(self.canvas.width(), self.canvas.height()) != self._scale:
            self._build_chart()
            self._set_data()
        else:
            self._reset_margins()
        assert self._blit is not None  # built with the chart
        self._blit.background = None  # the canvas does a full draw next

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange) and (
                self.chart is not None and self._wanted_theme() != self._theme):
            self._build_chart()
            self.refresh(full=True)

    def _on_draw(self, event) -> None:
        """After a full draw: cache the background, then draw the series on it."""
        canvas = self.canvas
        if canvas is None or self.chart is None or event.renderer is not canvas.get_renderer():
            return
        if self._fit_tries > 0:
            self._fit_tries -= 1
            if self._fit(event.renderer):
                # Once more with the names inside (draw_idle is ignored while drawing).
                QTimer.singleShot(0, canvas.draw_idle)
        assert self._blit is not None  # built with the chart
        self._blit.after_full_draw()
        self.frames += 1
        self.chart_updated.emit()

    # -- updating ------------------------------------------------------------------------
    def schedule(self) -> None:
        """Ask for a refresh; bursts of changes become one redraw."""
        if not self._coalesce.isActive():
            self._coalesce.start()

    def _set_data(self) -> bool:
        """Put the controller's numbers into the chart; True if the legend changed."""
        assert self.chart is not None and self._controller is not None
        legend_before = getattr(self.chart, "_legend_key", None)
        data = self._controller.radar_data()
        self._shown_data = data
        self.chart.update(data)
        return getattr(self.chart, "_legend_key", None) != legend_before

    def refresh(self, full: bool = False) -> None:
        """Show the controller's latest numbers (blitting when it can)."""
        self._coalesce.stop()
        self._update_table()
        if self._controller is None or self.canvas is None or self.chart is None:
            return
        if (not full and self.canvas.isVisible() and self._blit is not None
                and self._blit.background is not None
                and self._controller.radar_data() == self._shown_data):
            return  # e.g. votes on a pillar not revealed yet: the radar shows none of them
        legend_changed = self._set_data()
        canvas = self.canvas
        assert self._blit is not None  # built with the chart
        if not canvas.isVisible():
            self._blit.background = None  # a hidden dock draws nothing; showing it draws in full
            return
        if full or legend_changed or not self._blit.blit():
            canvas.draw_idle()
            return
        self.frames += 1
        self.blits += 1
        self.chart_updated.emit()

    # -- saving ------------------------------------------------------------------------
    def export_figure(self) -> Figure | None:
        """A stand-alone figure of what the panel shows (for saving; light theme)."""
        from ...charts.radar import radar_figure

        if self._controller is None:
            return None
        return radar_figure(self._controller.radar_data())

    def save_chart(self) -> None:
        """Ask where, then save the radar as PNG or SVG."""
        figure = self.export_figure()
        if figure is None:
            return
        save_figure_dialog: Callable[..., object] | None
        try:
            from ..export_dialog import save_figure_dialog
        except ImportError:
            save_figure_dialog = None
        if save_figure_dialog is not None:
            save_figure_dialog(self, figure)
            return
        path, _unused = QFileDialog.getSaveFileName(
            self, _("Save chart"), "calms-radar.png", _("PNG image (*.png);;SVG image (*.svg)"))
        if not path:
            return
        if not path.lower().endswith((".png", ".svg")):
            path += ".png"
        try:
            figure.savefig(path, dpi=150)
        except OSError as exc:
            QMessageBox.warning(self, _("Save chart"), _('Could not save the chart:\n{exc}').format(
                exc=exc))
