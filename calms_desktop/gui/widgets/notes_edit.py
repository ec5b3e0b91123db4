"""Notes of a step, typed during the discussion and never lost.

:class:`NotesEdit` is a plain-text editor bound to one step's notes. It
commits through ``controller.set_note`` after a short pause in typing, when
it loses focus, and when the screen commits; consecutive commits merge into
one undo step (see the command layer). Changes from elsewhere (undo, redo)
show at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFocusEvent, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from ...core.i18n import _
from ...room.changes import NotesChanged

if TYPE_CHECKING:
    from ..commands import WorkshopController

#: Commit after this long without typing (ms).
IDLE_COMMIT_MS = 800


class NotesEdit(QPlainTextEdit):
    """A step's notes, committed after ``idle_ms`` of no typing and on focus-out.

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        step: the step whose notes these are (``intro``, a pillar id, ``summary``).
        parent: the owning widget.
        idle_ms: commit after this many ms without typing; 0 turns the idle
            commit off (tests), leaving focus-out and :meth:`commit`.
    """

    def __init__(self, controller: WorkshopController, step: str, parent: QWidget | None = None,
                 idle_ms: int = IDLE_COMMIT_MS) -> None:
        super().__init__(parent)
        self.controller = controller
        self.step = step
        self._loading = False
        self._dirty = False
        self.setObjectName(f"notes_{step}")
        self.setTabChangesFocus(True)  # Tab leaves the notes: keyboard users move on
        self.setPlaceholderText(_("Notes from the discussion…"))
        self.setAccessibleName(_("Notes"))
        self.setAccessibleDescription(_("Notes from the discussion, saved as you type; "
                                        "Tab moves on"))
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self.commit)
        self.idle_ms = idle_ms
        self.textChanged.connect(self._edited)
        controller.notes_changed.connect(self._model_changed)
        self.load()

    @property
    def idle_ms(self) -> int:
        return self._idle_ms

    @idle_ms.setter
    def idle_ms(self, ms: int) -> None:
        self._idle_ms = max(0, int(ms))
        self._idle.setInterval(self._idle_ms)
        if not self._idle_ms:
            self._idle.stop()

    @property
    def dirty(self) -> bool:
        """Has the text been edited since the last commit?"""
        return self._dirty

    def text(self) -> str:
        """The text as typed (non-breaking spaces and the like kept)."""
        # toPlainText() would turn non-breaking spaces into spaces.
        return self.document().toRawText().replace("\u2029", "\n")

    def load(self) -> None:
        """Show the model's notes, dropping nothing that is not yet committed."""
        if self._dirty:
            return
        self._set_text(self.controller.workshop.notes.get(self.step, ""))

    def _set_text(self, text: str) -> None:
        if text == self.text():
            return
        self._loading = True
        try:
            self.setPlainText(text)
            self.moveCursor(QTextCursor.MoveOperation.End)  # ready to add to the notes
        finally:
            self._loading = False

    def commit(self) -> bool:
        """Push the typed text to the model. False if the model refused it."""
        self._idle.stop()
        if not self._dirty:
            return True
        ok = self.controller.set_note(self.step, self.text())
        if ok:
            self._dirty = False
        return ok

    def _edited(self) -> None:
        if self._loading:
            return
        self._dirty = True
        if self._idle_ms:
            self._idle.start()

    def _model_changed(self, change: NotesChanged) -> None:
        if self.step in change.steps:
            text = self.controller.workshop.notes.get(self.step, "")
            if text != self.text():
                # An undo/redo (or another view) changed the notes: it wins.
                self._idle.stop()
                self._dirty = False
                self._set_text(text)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        self.commit()
        super().focusOutEvent(event)
