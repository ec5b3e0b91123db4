"""Reusable widgets (vote grid, tally, radar canvas, timer, …)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget


class _WheelGuard(QObject):
    """Lets the wheel change a field only once the field has the keyboard focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and (
                not watched.hasFocus()):
            event.ignore()  # the page under it scrolls instead
            return True
        return False


def no_wheel_unless_focused(widget: QWidget) -> None:
    """A scroll over a combo or spin box never changes it unless it was chosen first.

    Scrolling the set-up page or the tally past a field once changed a target,
    a timebox or a count without a word.
    """
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    widget.installEventFilter(_WheelGuard(widget))
