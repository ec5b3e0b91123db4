"""A matplotlib canvas inside a placeholder widget of a form (matplotlib imported lazily)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractScrollArea, QSizePolicy, QVBoxLayout, QWidget

from ...core.i18n import _


def make_canvas(host: QWidget, name: str = "calms-chart") -> Any:
    """Put a new ``FigureCanvasQTAgg`` (with its own figure) into ``host`` and return it.

    The canvas takes no keyboard focus (the tables beside it carry the same
    numbers), so Tab moves between the controls only. A right click offers
    "Save chart…" (PNG or SVG, suggested as ``name``); from the keyboard,
    File → Export → Chart on screen does the same.
    """
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
    from matplotlib.figure import Figure

    canvas = FigureCanvasQTAgg(Figure(dpi=100))
    canvas.setParent(host)
    canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    canvas.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    layout = host.layout() or QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(canvas)
    canvas.setProperty("chartName", name)
    save = QAction(_("Save chart as PNG or SVG…"), canvas)
    save.triggered.connect(lambda _checked=False: save_canvas(canvas))
    canvas.addAction(save)
    canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    return canvas


def save_canvas(canvas: Any, path: str | None = None) -> Any:
    """Save the chart a canvas shows (asking where unless ``path`` is given)."""
    from ..export_dialog import save_figure_dialog

    return save_figure_dialog(canvas, canvas.figure, suggested=canvas.property("chartName")
                              or "calms-chart", path=path)


def visible_canvas(page: QWidget) -> Any | None:
    """The chart canvas showing on ``page`` (the first one visible), if any."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    for canvas in page.findChildren(FigureCanvasQTAgg):
        if canvas.isVisible():
            return canvas
    return None


class WheelScrolls(QObject):
    """Hands a chart's mouse-wheel turns to the scroll area around it.

    A matplotlib canvas takes every wheel event (for its own scroll events), so over a
    chart the wheel scrolled nothing; charts here never zoom, so the pane scrolls.

    Args:
        area: the scroll area whose scroll bars the wheel moves.
    """

    def __init__(self, area: QAbstractScrollArea) -> None:
        super().__init__(area)
        self._area = area

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.Wheel:
            return False
        vertical = self._area.verticalScrollBar()
        QCoreApplication.sendEvent(vertical if vertical.maximum() > 0
                                   else self._area.horizontalScrollBar(), event)
        return True
