"""The projector's radar: :class:`~calms_desktop.charts.radar.RadarChart` on a Qt canvas.

Importing this module imports matplotlib, so the projector imports it only
when it is created. The chart's artists are updated in place when the data
changes; the figure is rebuilt only when the theme changes or the canvas
grows or shrinks enough that the text should scale with it.
"""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...charts.radar import RadarChart, RadarData
from ..blit import BlitCache

#: The canvas is wider than tall: the pillar names sit left and right of the
#: circle and the legend's three entries need a line's width above it.
_ASPECT = 1.4
#: Canvas size (px) at which the chart's text has its natural size: the
#: legend needs about this width, the circle and its labels this height.
_REFERENCE_WIDTH = 450.0
_REFERENCE_HEIGHT = 370.0


class RadarView(QWidget):
    """A radar that follows the projector's theme and size.

    Attributes:
        chart: the :class:`RadarChart` (tests read ``chart.series("current")``).
    """

    def __init__(self, theme: str, parent: QWidget | None = None,
                 align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
        super().__init__(parent)
        self._align = align
        self.figure = Figure(dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.canvas.setParent(self)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(120, 120)
        self._theme = theme
        self._scale = 1.0
        self._min_text_pt = 0.0
        self._data: RadarData | None = None
        self._dirty = False
        self.blits = 0
        self._make_chart()
        self.canvas.mpl_connect("draw_event", self._on_draw)

    def _make_chart(self) -> None:
        self.chart = RadarChart(self.figure, theme=self._theme, font_scale=self._scale,
                                min_text=self._min_text_pt)
        # The circle takes the height; the wide canvas leaves room for the
        # pillar names beside it and the legend above it.
        self.figure.subplots_adjust(left=0.04, right=0.96, top=0.75, bottom=0.07)
        # A new vote moves the series only: blit them over the cached background.
        self._blit = BlitCache(self.canvas, lambda: self.chart.animated_artists,
                               lambda: self.chart.ax.bbox)

    def set_min_text_px(self, px: float) -> None:
        """No text in the chart smaller than ``px`` pixels (the slide's body text)."""
        pt = max(0.0, px) * 72.0 / self.figure.dpi
        if abs(pt - self._min_text_pt) > 0.3:
            self._min_text_pt = pt
            self._rebuild()

    @property
    def min_text_px(self) -> float:
        return self._min_text_pt * self.figure.dpi / 72.0

    @property
    def data(self) -> RadarData | None:
        return self._data

    def set_data(self, data: RadarData) -> None:
        """Show ``data`` (nothing is redrawn when it did not change)."""
        if data == self._data:
            return
        legend = getattr(self.chart, "_legend_key", None)
        self._data = data
        self.chart.update(data)
        if (self.isVisible() and getattr(self.chart, "_legend_key", None) == legend
                and self._blit.blit()):
            self.blits += 1
            return
        self._redraw()

    def set_theme(self, theme: str) -> None:
        if theme != self._theme:
            self._theme = theme
            self._rebuild()

    def _rebuild(self) -> None:
        self.figure.clear()
        self._make_chart()
        if self._data is not None:
            self.chart.update(self._data)
        self._redraw()

    def _on_draw(self, event) -> None:  # noqa: ANN001
        if event.renderer is self.canvas.get_renderer():
            self._blit.after_full_draw()

    def _redraw(self) -> None:
        if self.isVisible():
            self.figure.subplots_adjust()  # the layout as set; then legend and names must fit
            self.chart.fit_legend()
            self.chart.fit_labels()
            self.canvas.draw_idle()
            self._dirty = False
        else:
            self._dirty = True

    def showEvent(self, event) -> None:  # noqa: N802, ANN001
        super().showEvent(event)
        if self._dirty:
            self._redraw()

    def resizeEvent(self, event) -> None:  # noqa: N802, ANN001
        """Keep the canvas in proportion (labels and legend fit) and its text in scale."""
        super().resizeEvent(event)
        self._blit.background = None  # another size: the next draw is a full one
        w = min(self.width(), round(self.height() * _ASPECT))
        h = round(w / _ASPECT)
        x = (self.width() - w) // 2
        if self._align & Qt.AlignmentFlag.AlignTop:
            y = 0
        elif self._align & Qt.AlignmentFlag.AlignBottom:
            y = self.height() - h
        else:
            y = (self.height() - h) // 2
        self.canvas.setGeometry(x, y, w, h)
        self.figure.subplots_adjust(left=0.04, right=0.96, top=0.75, bottom=0.07)
        scale = max(0.6, min(2.6, w / _REFERENCE_WIDTH, h / _REFERENCE_HEIGHT))
        if abs(scale - self._scale) / self._scale > 0.08:
            self._scale = scale
            self._rebuild()
        else:
            self._redraw()  # the same text on another canvas: the names must still fit
