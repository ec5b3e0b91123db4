"""Library edits from any screen: rename, move to the trash, restore, import.

The start screen and the library browser both edit the library; they do it
through one :class:`LibraryActions` (made once by the main window), so every
failure — a full disk, a read-only drive, an I/O error, a refused title —
becomes one clear sentence, and every success tells every screen to re-read
the library. The :class:`~calms_desktop.core.storage.Library` raises before
it changes anything in memory, so a screen that re-reads after a failure
shows what is on disk.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ..core.errors import CalmsError
from ..core.i18n import N_, _
from ..core.model import Workshop
from ..core.storage import Conflict, Library
from ..core.validate import system_reason

if TYPE_CHECKING:  # merging imports is loaded when an import starts
    from ..core.merge import Clash, ImportReport

_HINTS = {
    errno.ENOSPC: N_("the disk is full — free some space and try again"),
    errno.EDQUOT: N_("the disk quota is used up — free some space and try again"),
    errno.EROFS: N_("the library's drive is read-only"),
    errno.EACCES: N_("permission denied — the library folder cannot be written"),
    errno.EPERM: N_("permission denied — the library folder cannot be written"),
    errno.EIO: N_("the drive reported an input/output error — check the drive"),
    errno.ENOENT: N_("a file or folder of the library is missing — is the drive connected?"),
}


def explain(exc: BaseException) -> str:
    """One sentence for people about why a library edit failed."""
    if isinstance(exc, OSError):
        hint = _HINTS.get(exc.errno or 0)
        if hint:
            return _(hint)
        return system_reason(exc)
    return str(exc)


class LibraryActions(QObject):
    """The one place the GUI edits the library.

    Each method returns whether it worked; on failure it emits ``failed``
    with a message (also kept in :attr:`last_error`) and the library is as
    it was. On success it emits ``changed``.

    Args:
        library: the library edited (opened as the writer).

    Signals:
        changed(): the library changed; screens re-read it.
        failed(str): an edit failed; the message says what and why.
    """

    changed = Signal()
    failed = Signal(str)

    def __init__(self, library: Library, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.last_error = ""

    def _fail(self, what: str, exc: BaseException) -> bool:
        self.last_error = f"{what}: {explain(exc)}"
        self.failed.emit(self.last_error)
        return False

    def _done(self) -> bool:
        self.last_error = ""
        self.changed.emit()
        return True

    def rename(self, workshop_id: str, title: str) -> bool:
        """Give a workshop a new title (validated as the set-up screen does)."""
        try:
            self.library.rename(workshop_id, title)
        except (CalmsError, OSError) as exc:
            return self._fail(_("Could not rename the workshop"), exc)
        return self._done()

    def trash(self, workshop_id: str) -> bool:
        """Move a workshop to the trash (an earlier deleted copy stays there too)."""
        try:
            self.library.delete(workshop_id)
        except (CalmsError, OSError) as exc:
            self.changed.emit()  # re-read: the move may have happened before the error
            return self._fail(_("Could not move the workshop to the trash"), exc)
        return self._done()

    def restore(self, workshop_id: str, file: str | None = None) -> bool:
        """Bring a workshop back from the trash (the copy deleted last by default)."""
        try:
            self.library.restore(workshop_id, file)
        except (CalmsError, OSError) as exc:
            self.changed.emit()
            return self._fail(_("Could not restore the workshop"), exc)
        return self._done()

    def import_paths(
        self,
        paths: Sequence[str | Path],
        decide: Callable[[Clash], Conflict | None],
        progress: Callable[[int, int], bool] | None = None,
    ) -> ImportReport | None:
        """Import files and folders in one step (:func:`~calms_desktop.core.merge.import_files`).

        Returns the report (None if the library could not be written at all).
        A report whose ``failed`` is set imported nothing; ``failed`` is then
        emitted with the user's file and the place in it.
        """
        from ..core.merge import import_files

        try:
            report = import_files(self.library, paths, decide, progress)
        except (CalmsError, OSError) as exc:
            self._fail(_("Could not import"), exc)
            return None
        if report.failed is not None:
            self._fail(_("Nothing was imported"), report.failed)
        elif report.changed:
            self._done()
        return report

    def load(self, workshop_id: str) -> Workshop | None:
        """Read a workshop (None, with ``failed`` emitted, if it cannot be read)."""
        try:
            return self.library.load(workshop_id)
        except (CalmsError, OSError) as exc:
            self._fail(_("Could not read the workshop"), exc)
            return None
