"""View → Projector screen: which screen the room's window opens on.

Lists "Automatic" (the first screen that is not the laptop's, else the
laptop's) and every connected screen, rebuilt each time the menu opens so a
projector plugged in mid-workshop shows up. The choice is kept in the
declared setting ``projector_screen``; a visible projector moves at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QActionGroup, QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from ...core.i18n import _
from ..settings import Settings

AUTOMATIC = -1


def screen_label(index: int) -> str:
    """'2: HDMI-1 (1920×1080)' for a screen, or 'Automatic' for -1."""
    if index == AUTOMATIC:
        return _("Automatic (the second screen when there is one)")
    screen = QGuiApplication.screens()[index]
    size = screen.size()
    primary = (" — " + _("this laptop")) if screen is QGuiApplication.primaryScreen() else ""
    return f"{index + 1}: {screen.name() or _('screen')} ({size.width()}×{size.height()}){primary}"


class ProjectorScreenMenu(QMenu):
    """A menu to choose the projector's screen (and whether it opens full screen).

    Args:
        settings: where the choice is kept.
        moved: called after a change, to move a visible projector.
        parent: the owning widget.
    """

    def __init__(self, settings: Settings, moved: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(_("Projector s&creen"), parent)
        self.settings = settings
        self._moved = moved
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """List the screens connected now, the chosen one checked."""
        self.clear()
        group = QActionGroup(self)
        chosen = self.settings.projector_screen
        if not 0 <= chosen < len(QGuiApplication.screens()):
            chosen = AUTOMATIC
        for index in (AUTOMATIC, *range(len(QGuiApplication.screens()))):
            action = QAction(screen_label(index), self)
            action.setCheckable(True)
            action.setChecked(index == chosen)
            action.triggered.connect(lambda _c=False, i=index: self.choose(i))
            group.addAction(action)
            self.addAction(action)
        self.addSeparator()
        full = QAction(_("Open full screen on a second screen"), self)
        full.setCheckable(True)
        full.setChecked(self.settings.projector_fullscreen)
        full.toggled.connect(self._set_fullscreen)
        self.addAction(full)

    def choose(self, index: int) -> None:
        """Keep ``index`` (-1: automatic) and move a visible projector there."""
        self.settings.projector_screen = index
        self.settings.sync()
        self._moved()

    def _set_fullscreen(self, on: bool) -> None:
        self.settings.projector_fullscreen = on
        self.settings.sync()
        self._moved()
