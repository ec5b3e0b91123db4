"""The small interface every screen shares."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """A screen of the main window.

    Screens get what they show in their constructor (usually the
    :class:`~calms_desktop.gui.commands.WorkshopController`), subscribe to its
    signals, and change the workshop only through it.

    Attributes:
        title: shown in the window title and the navigator.
    """

    title = ""

    def load(self) -> None:
        """Redraw everything from the model."""

    def validate(self) -> list[str]:
        """Problems that keep the screen's pending edits from being committed."""
        return []

    def commit(self) -> bool:
        """Push pending edits (e.g. a half-typed note) to the model. False if refused."""
        return not self.validate()

    def focus_first(self) -> None:
        """Put keyboard focus where the facilitator starts on this screen."""
        self.focusNextChild()
