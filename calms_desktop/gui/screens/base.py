"""The small interface every screen shares."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QMessageBox, QWidget

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

#: Below this width a screen's side-by-side columns stack (e.g. 1366 px
#: less the radar panel).
STACK_BELOW = 1000


class Screen(QWidget):
    """A screen of the main window.

    Screens get what they show in their constructor (usually the
    :class:`~calms_desktop.gui.commands.WorkshopController`), subscribe to its
    signals, and change the workshop only through it.

    Attributes:
        title: shown in the window title and the navigator.
    """

    title = ""
    #: True when the model changed while the screen was hidden: it reloads
    #: when shown rather than on every change.
    _dirty = False

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

    def take_forwarded_key(self, event: QKeyEvent) -> bool:
        """A key another window of the app (the projector) did not use, as if pressed here.

        The screen's own window-wide shortcuts (its actions, e.g. a pillar's
        Ctrl+R) react when the screen is shown and the action enabled; a
        hidden screen (another step) never does.

        Returns:
            True when the key was used.
        """
        if not self.isVisible():
            return False
        keys = QKeySequence(event.keyCombination())
        window_wide = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
        for action in self.findChildren(QAction):
            if (action.shortcutContext() not in window_wide or not action.isEnabled()
                    or not any(isinstance(o, QWidget) and o.isVisible()
                               for o in action.associatedObjects())):
                continue
            if any(s.matches(keys) == QKeySequence.SequenceMatch.ExactMatch
                   for s in action.shortcuts()):
                action.trigger()
                return True
        return False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._dirty:
            self.load()
        super().showEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_width(event.size().width() < STACK_BELOW)

    def fit_width(self, narrow: bool) -> None:
        """Lay out for a narrow (stacked) or wide window; screens with columns override it."""


def columns_direction(narrow: bool) -> QBoxLayout.Direction:
    """Side by side when there is room, one above the other when narrow."""
    return QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight


def ask(parent: QWidget, title: str, text: str) -> bool:
    """A Yes/Cancel question, Cancel the default (the safe answer to Enter)."""
    answer = QMessageBox.question(
        parent, title, text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_live(parent: QWidget, title: str, text: str, refresh: Callable[[], str],
             changed: Iterable[SignalInstance]) -> bool:
    """:func:`ask`, with a text that ``refresh`` rewrites whenever one of ``changed`` fires."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, parent)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)

    def update(*_args: object) -> None:
        box.setText(refresh())

    signals = list(changed)
    for signal in signals:
        signal.connect(update)
    try:
        box.exec()
    finally:
        for signal in signals:
            signal.disconnect(update)
    return box.clickedButton() is box.button(QMessageBox.StandardButton.Yes)
