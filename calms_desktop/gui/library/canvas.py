"""A matplotlib canvas inside a placeholder widget of a form (matplotlib imported lazily)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


def make_canvas(host: QWidget) -> Any:
    """Put a new ``FigureCanvasQTAgg`` (with its own figure) into ``host`` and return it.

    The canvas takes no keyboard focus (the tables beside it carry the same
    numbers), so Tab moves between the controls only.
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
    return canvas
