"""A workshop being run: the one place that applies, persists and announces changes.

:class:`WorkshopSession` applies an :class:`~calms_desktop.core.operations.Operation`,
saves the workshop through the crash-safe library *before* returning (so a
change the app has acknowledged survives a kill), and calls its listeners.
The GUI's command layer (``calms_desktop.gui.commands``) wraps each call in a
``QUndoCommand``; the CLI and tests use the session directly.

**Write-behind for bursts** (:meth:`WorkshopSession.apply_deferred`): a burst of
phone ballots is applied in memory and encoded on the caller's thread, and the
fsynced write happens on the session's writer thread, so the GUI thread never
waits on the disk while a room votes. The returned future resolves once the
change is durable — only then is a phone told its vote is in. Writes are
ordered (one lock), the newest snapshot wins (it holds every earlier one),
and a synchronous :meth:`~WorkshopSession.execute` in between makes every
pending change durable with it. If a deferred write fails, every change not
yet on disk is refused and :meth:`~WorkshopSession.revert_unsaved` takes it
back out of memory, so memory again holds exactly what the disk holds.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

from .ballots import Ballot, TallyBallot, to_operation
from .model import Workshop, now_iso
from .operations import Operation
from .storage import Library, summary_of

Listener = Callable[[Operation, Workshop], None]
_T = TypeVar("_T")


@dataclass
class _Pending:
    """A change applied in memory whose write is still to come."""

    gen: int
    inverse: Operation
    previous_updated: str
    durable: Future[None]


class _Writer:
    """The session's writer thread: writes the newest snapshot it was given."""

    def __init__(self, session: WorkshopSession) -> None:
        self._session = session
        self._cond = threading.Condition()
        self._item: tuple[int, bytes, dict[str, Any]] | None = None
        self._busy = False
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="workshop-writer", daemon=True)
        self._thread.start()

    def put(self, gen: int, data: bytes, summary: dict[str, Any]) -> None:
        with self._cond:
            self._item = (gen, data, summary)  # an older one waiting is contained in it
            self._cond.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._item is None and not self._busy, timeout)

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._item is not None or self._stop)
                if self._item is None:
                    return
                item, self._item, self._busy = self._item, None, True
            try:
                self._session._write_deferred(*item)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()


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
        self._lock = threading.RLock()  # orders every write of the workshop's file
        self._state = threading.Lock()  # guards the generations and the pending list
        self._gen = 0  # changes applied in memory …
        self._saved_gen = 0  # … of which the disk holds all up to this one
        self._pending: list[_Pending] = []
        self._failure: BaseException | None = None  # a deferred write failed: revert first
        self._writer: _Writer | None = None

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(operation, workshop)`` after every change."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def execute(self, op: Operation) -> Operation:
        """Apply ``op``, persist, notify; return the operation that undoes it.

        If persisting fails the change is rolled back and the error raised,
        so memory never holds a change the disk does not. Changes applied
        with :meth:`apply_deferred` and not yet written are written with it
        (and their futures resolved); call :meth:`revert_unsaved` first when
        :attr:`write_failed`.
        """
        with self._lock:
            library = self.library
            inverse, _ = self._apply_then(
                op, lambda: library.save(self.workshop) if library is not None else None)
            with self._state:
                self._gen += 1
                self._saved_gen = self._gen
                done, self._pending = self._pending, []
        for pending in done:
            _resolve(pending.durable, None)
        self._notify(op)
        return inverse

    def apply_deferred(self, op: Operation) -> tuple[Operation, Future[None]]:
        """Apply ``op`` now and write it on the writer thread.

        Returns:
            The inverse, and a future that resolves when the change is on disk
            (or fails with the write's error, after which the caller must call
            :meth:`revert_unsaved` on this thread).

        Raises:
            CalmsError, KeyError, ValueError: refused; nothing changed.
            OSError: an earlier deferred write failed and is not reverted yet.
        """
        ws = self.workshop
        with self._state:
            if self._failure is not None:
                raise OSError(f"an earlier write failed: {self._failure}")
        durable: Future[None] = Future()
        durable.set_running_or_notify_cancel()
        library = self.library
        if library is None:
            inverse, _ = self._apply_then(op, lambda: None)
            durable.set_result(None)
            self._notify(op)
            return inverse, durable
        previous_updated = ws.updated
        inverse, (data, summary) = self._apply_then(
            op, lambda: (library.encode_for_save(ws), summary_of(ws)))
        with self._state:
            self._gen += 1
            gen = self._gen
            self._pending.append(_Pending(gen, inverse, previous_updated, durable))
        if self._writer is None:
            self._writer = _Writer(self)
        self._writer.put(gen, data, summary)
        self._notify(op)
        return inverse, durable

    def _apply_then(self, op: Operation, then: Callable[[], _T]) -> tuple[Operation, _T]:
        """Apply ``op`` and stamp the workshop, then ``then()``; if that raises, undo both."""
        ws = self.workshop
        previous_updated = ws.updated
        inverse = op.apply(ws)
        ws.updated = now_iso()
        try:
            return inverse, then()
        except BaseException:
            inverse.apply(ws)
            ws.updated = previous_updated
            raise

    @property
    def write_failed(self) -> bool:
        """A deferred write failed: :meth:`revert_unsaved` before anything else."""
        with self._state:
            return self._failure is not None

    def revert_unsaved(self) -> list[Operation]:
        """Take every deferred change the disk does not hold back out of memory.

        Returns:
            The inverses applied, newest first (for the caller to announce).
        """
        ws = self.workshop
        with self._state:
            undone, self._pending = self._pending, []
            self._failure = None
            self._saved_gen = self._gen  # a snapshot still queued is now stale
        for pending in reversed(undone):
            pending.inverse.apply(ws)
            ws.updated = pending.previous_updated
            _fail(pending.durable, OSError("not saved"))
        return [p.inverse for p in reversed(undone)]

    def flush(self, timeout: float | None = 30) -> bool:
        """Wait until every deferred write is done (True) or ``timeout`` passed."""
        writer = self._writer
        return writer is None or writer.wait_idle(timeout)

    def close(self) -> None:
        """Finish pending writes and stop the writer thread."""
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.wait_idle(30)
            writer.stop()

    def _write_deferred(self, gen: int, data: bytes, summary: dict[str, Any]) -> None:
        """On the writer thread: write one snapshot, then settle the futures it covers."""
        assert self.library is not None
        with self._lock:
            with self._state:
                if gen <= self._saved_gen or self._failure is not None:
                    return  # already on disk with a later write, or reverted
            try:
                self.library.store(self.workshop.id, data, summary)
            except BaseException as exc:
                with self._state:
                    self._failure = exc
                    failed = list(self._pending)
                for pending in failed:
                    _fail(pending.durable, exc)
                return
            with self._state:
                self._saved_gen = max(self._saved_gen, gen)
                done = [p for p in self._pending if p.gen <= gen]
                self._pending = [p for p in self._pending if p.gen > gen]
        for pending in done:
            _resolve(pending.durable, None)

    def _notify(self, op: Operation) -> None:
        for listener in list(self._listeners):
            listener(op, self.workshop)

    def submit(self, ballot: Ballot | TallyBallot) -> Operation:
        """Record a ballot from any source; returns the undo operation."""
        return self.execute(to_operation(self.workshop, ballot))


def _resolve(future: Future[None], value: None) -> None:
    if not future.done():
        future.set_result(value)


def _fail(future: Future[None], exc: BaseException) -> None:
    if not future.done():
        future.set_exception(exc)
