"""A workshop being run: the one place that applies, persists and announces changes.

:class:`WorkshopSession` applies an :class:`~calms_desktop.core.operations.Operation`,
saves the workshop through the crash-safe library *before* returning (so a
change the app has acknowledged survives a kill), and calls its listeners.
The GUI's command layer (``calms_desktop.gui.commands``) wraps each call in a
``QUndoCommand``; the CLI and tests use the session directly.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .ballots import Ballot, TallyBallot, to_operation
from .model import Workshop, now_iso
from .operations import Operation
from .storage import Library

Listener = Callable[[Operation, Workshop], None]


class WorkshopSession:
    """Runs changes on one workshop.

    Args:
        workshop: the workshop (already in, or about to be saved to, ``library``).
        library: where every change is persisted; ``None`` keeps it in memory.
    """

    def __init__(self, workshop: Workshop, library: Library | None) -> None:
        self.workshop = workshop
        self.library = library
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(operation, workshop)`` after every change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def execute(self, op: Operation) -> Operation:
        """Apply ``op``, persist, notify; return the operation that undoes it.

        If persisting fails the change is rolled back and the error raised,
        so memory never holds a change the disk does not.
        """
        with self._lock:
            ws = self.workshop
            previous_updated = ws.updated
            inverse = op.apply(ws)
            ws.updated = now_iso()
            if self.library is not None:
                try:
                    self.library.save(ws)
                except BaseException:
                    inverse.apply(ws)
                    ws.updated = previous_updated
                    raise
        for listener in list(self._listeners):
            listener(op, ws)
        return inverse

    def submit(self, ballot: Ballot | TallyBallot) -> Operation:
        """Record a ballot from any source; returns the undo operation."""
        return self.execute(to_operation(self.workshop, ballot))
