"""The library: every workshop on this machine, crash-safe and fast at any size.

Layout of a data folder::

    DATA/
      library.lock          held by the one process that writes (see LibraryLock)
      index.json            TinyDB index of summaries (derived; rebuilt if lost)
      workshops/<id>.json   one workshop per file, in the export format
      trash/<id>.json       deleted workshops, recoverable
      damaged/…             files that could not be read, set aside untouched

* **Crash-safe**: every file is written to a temporary file in the same
  folder, flushed and fsynced, moved over the old one with ``os.replace`` and
  the folder fsynced (:func:`atomic_write`). A reader sees the old file or
  the new one, never half of one, whatever moment the writer is killed.
* **Flat cost**: persisting a vote rewrites only that workshop's file; the
  index is written only when a summary field changes. Listing reads the index
  and ``stat``\\ s the folder; only files changed since the index was written
  are read again.
* **Damaged files** are moved to ``damaged/`` (never deleted or overwritten)
  and reported in :attr:`Library.problems`; the rest of the library opens.
* **One writer**: a second writer gets :class:`LibraryLocked`; readers
  (``read_only=True``) need no lock.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from tinydb import TinyDB
from tinydb.storages import Storage

from . import fileformat
from .errors import LibraryLocked, NotFound, ValidationError
from .model import Workshop, new_id, now_iso

INDEX_VERSION = 1
Conflict = Literal["refuse", "replace", "keep-both", "skip"]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file."""
    import tempfile  # here, not at start-up (it imports shutil and random)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


class AtomicJSONStorage(Storage):
    """TinyDB storage that writes through :func:`atomic_write`.

    TinyDB's own ``JSONStorage`` rewrites its file in place, which a kill can
    tear; this one cannot. An unreadable file reads as empty (the index is
    derived data and is rebuilt from the workshop files).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"))

    def close(self) -> None:
        pass


class LibraryLock:
    """An exclusive ``flock`` on ``library.lock``, held while a process writes."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "library.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        import fcntl

        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise LibraryLocked(
                f"The library in {self.path.parent} is open in another CALMS Workshop "
                f"({holder}). Close it there first, or use another --data-dir."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing drops the flock
            self._fd = None


@dataclass(frozen=True)
class Problem:
    """A file the library could not read, and where it was put."""

    file: str
    message: str
    moved_to: str | None


def summary_of(ws: Workshop) -> dict[str, Any]:
    """What the index keeps about a workshop (cheap fields only)."""
    return {
        "id": ws.id,
        "title": ws.title,
        "organisation": ws.organisation,
        "team": ws.team,
        "date": ws.date,
        "location": ws.location,
        "facilitator": ws.facilitator,
        "baseline_id": ws.baseline_id,
        "voting_mode": ws.voting_mode.value,
        "questionnaire": ws.questionnaire.id,
        "participants": len(ws.participants),
        "pillar_states": {p.value: s.value for p, s in ws.pillar_states.items()},
        "created": ws.created,
    }


class Library:
    """All workshops in one data folder.

    Args:
        folder: the data folder (created if missing).
        read_only: open without the writer lock; nothing is written or moved.

    Raises:
        LibraryLocked: another process holds the writer lock.
    """

    def __init__(self, folder: str | Path, *, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.read_only = read_only
        self.workshops_dir = self.folder / "workshops"
        self.trash_dir = self.folder / "trash"
        self.damaged_dir = self.folder / "damaged"
        self.problems: list[Problem] = []
        self._lock = LibraryLock(self.folder)
        if not read_only:
            for d in (self.folder, self.workshops_dir, self.trash_dir, self.damaged_dir):
                d.mkdir(parents=True, exist_ok=True)
            self._lock.acquire()
        self._db = TinyDB(self.folder / "index.json", storage=AtomicJSONStorage)
        self._index: dict[str, dict[str, Any]] = {}
        self._scan()

    # -- opening -------------------------------------------------------------
    def _scan(self) -> None:
        """Bring the index up to date with the files on disk."""
        table = self._db.table("workshops")
        meta = self._db.table("meta").all()
        stored = {}
        if meta and meta[0].get("version") == INDEX_VERSION:
            stored = {row["id"]: dict(row) for row in table.all() if "id" in row}
        changed = not meta
        seen: set[str] = set()
        if not self.read_only:
            # Temp files of atomic_write()s that a kill interrupted: the index's
            # (and other files') live here, the workshops' in workshops/ below.
            for leftover in self.folder.glob(".*.tmp"):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        if self.workshops_dir.is_dir():
            with os.scandir(self.workshops_dir) as it:
                entries = list(it)
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    if name.endswith(".tmp") and not self.read_only:
                        with contextlib.suppress(OSError):  # left by a killed writer
                            os.unlink(entry.path)
                    continue
                if not name.endswith(".json"):
                    continue
                wid = name[:-5]
                st = entry.stat()
                row = stored.get(wid)
                if row and row.get("mtime_ns") == st.st_mtime_ns and row.get("size") == st.st_size:
                    self._index[wid] = row
                    seen.add(wid)
                    continue
                ws = self._read_or_set_aside(Path(entry.path))
                if ws is None:
                    changed = True
                    continue
                if ws.id != wid:
                    self._set_aside(
                        Path(entry.path), f"the file name does not match its id {ws.id!r}"
                    )
                    changed = True
                    continue
                self._index[wid] = {
                    **summary_of(ws), "mtime_ns": st.st_mtime_ns, "size": st.st_size
                }
                seen.add(wid)
                changed = True
        if set(stored) - seen:
            changed = True
        if changed:
            self._write_index()

    def _read_or_set_aside(self, path: Path) -> Workshop | None:
        try:
            return fileformat.read_file(path)
        except ValidationError as exc:
            self._set_aside(path, str(exc))
            return None

    def _set_aside(self, path: Path, message: str) -> None:
        moved: str | None = None
        if not self.read_only:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            target = self.damaged_dir / f"{path.stem}.{stamp}{path.suffix}"
            n = 1
            while target.exists():  # never overwrite an earlier damaged file
                target = self.damaged_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
                n += 1
            os.replace(path, target)
            _fsync_dir(self.damaged_dir)
            moved = str(target)
        self.problems.append(Problem(str(path), message, moved))

    def _write_index(self) -> None:
        if self.read_only:
            return
        # One atomic write of the whole index in TinyDB's layout (a table ->
        # doc id -> document), rather than three through the table API.
        self._db.storage.write(
            {
                "meta": {"1": {"version": INDEX_VERSION}},
                "workshops": {str(i): row for i, row in enumerate(self._index.values(), 1)},
            }
        )
        for table in ("meta", "workshops"):
            self._db.table(table).clear_cache()

    # -- reading -------------------------------------------------------------
    def path_of(self, workshop_id: str) -> Path:
        if "/" in workshop_id or "\\" in workshop_id or workshop_id.startswith("."):
            raise NotFound(f"no workshop {workshop_id!r}")
        return self.workshops_dir / f"{workshop_id}.json"

    def summaries(self) -> list[dict[str, Any]]:
        """Summaries of every workshop, newest date first."""
        return sorted(
            self._index.values(),
            key=lambda r: (r.get("date") or "", r.get("created") or "", r.get("id") or ""),
            reverse=True,
        )

    def __contains__(self, workshop_id: object) -> bool:
        return workshop_id in self._index

    def __len__(self) -> int:
        return len(self._index)

    def load(self, workshop_id: str) -> Workshop:
        """Read one workshop.

        Raises:
            NotFound: no such workshop.
            ValidationError: the file is damaged (it is then set aside).
        """
        if workshop_id not in self._index:
            raise NotFound(f"no workshop with id {workshop_id!r} in {self.folder}")
        path = self.path_of(workshop_id)
        try:
            return fileformat.read_file(path)
        except ValidationError as exc:
            if path.exists():
                self._set_aside(path, str(exc))
                self._index.pop(workshop_id, None)
                self._write_index()
            raise

    def iter_workshops(self) -> Iterator[Workshop]:
        for wid in list(self._index):
            with contextlib.suppress(ValidationError, NotFound):
                yield self.load(wid)

    def team_workshops(self, organisation: str, team: str) -> list[dict[str, Any]]:
        """Summaries of the same team's workshops, oldest first."""
        key = (organisation.strip().casefold(), team.strip().casefold())
        rows = [
            r for r in self._index.values()
            if (r["organisation"].strip().casefold(), r["team"].strip().casefold()) == key
        ]
        return sorted(rows, key=lambda r: (r.get("date") or "", r.get("created") or ""))

    # -- writing -------------------------------------------------------------
    def _require_writer(self) -> None:
        if self.read_only:
            raise LibraryLocked("this library was opened read-only")

    def save(self, ws: Workshop) -> None:
        """Persist a workshop durably (returns after fsync)."""
        self._require_writer()
        path = self.path_of(ws.id)
        atomic_write(path, fileformat.dumps(ws, compact=True).encode("utf-8"))
        summary = summary_of(ws)
        row = self._index.get(ws.id)
        old = {k: row.get(k) for k in summary} if row else None
        st = path.stat()
        self._index[ws.id] = {**summary, "mtime_ns": st.st_mtime_ns, "size": st.st_size}
        if old != summary:
            self._write_index()

    def delete(self, workshop_id: str) -> None:
        """Move a workshop to the trash (see :meth:`restore`)."""
        self._require_writer()
        path = self.path_of(workshop_id)
        if workshop_id not in self._index or not path.exists():
            raise NotFound(f"no workshop with id {workshop_id!r}")
        os.replace(path, self.trash_dir / path.name)
        _fsync_dir(self.trash_dir)
        _fsync_dir(self.workshops_dir)
        del self._index[workshop_id]
        self._write_index()

    def trash(self) -> list[dict[str, Any]]:
        """Summaries of the workshops in the trash, most recently deleted first."""
        rows = []
        for p in self.trash_dir.glob("*.json") if self.trash_dir.is_dir() else []:
            try:
                ws = fileformat.read_file(p)
            except ValidationError:
                continue
            rows.append({**summary_of(ws), "deleted": p.stat().st_mtime})
        return sorted(rows, key=lambda r: r["deleted"], reverse=True)

    def restore(self, workshop_id: str) -> None:
        """Bring a workshop back from the trash."""
        self._require_writer()
        src = self.trash_dir / f"{workshop_id}.json"
        if not src.exists():
            raise NotFound(f"no workshop {workshop_id!r} in the trash")
        if workshop_id in self._index:
            raise ValidationError("$.workshop.id", "a workshop with this id is in the library")
        ws = fileformat.read_file(src)
        dst = self.path_of(workshop_id)
        os.replace(src, dst)
        _fsync_dir(self.workshops_dir)
        st = dst.stat()
        self._index[ws.id] = {**summary_of(ws), "mtime_ns": st.st_mtime_ns, "size": st.st_size}
        self._write_index()

    def import_workshop(self, ws: Workshop, on_conflict: Conflict = "refuse") -> str | None:
        """Add a workshop read from a file; returns its id (None when skipped).

        ``on_conflict`` says what to do when the id exists: ``refuse`` raises
        ValidationError, ``replace`` overwrites, ``keep-both`` gives the
        import a new id, ``skip`` leaves the library as it is.
        """
        self._require_writer()
        if ws.id in self._index:
            if on_conflict == "skip":
                return None
            if on_conflict == "refuse":
                raise ValidationError(
                    "$.workshop.id",
                    f"a workshop with id {ws.id} is already in the library "
                    "(choose replace, keep both or skip)",
                )
            if on_conflict == "keep-both":
                ws.id = new_id()
                ws.created = now_iso()
        self.save(ws)
        return ws.id

    # -- additions for the library screens (rename, team listing, batch import) --
    def summary(self, workshop_id: str) -> dict[str, Any] | None:
        """The index row of one workshop (with ``mtime_ns``/``size``), or None."""
        row = self._index.get(workshop_id)
        return dict(row) if row is not None else None

    def teams(self) -> list[dict[str, Any]]:
        """Every team in the library: organisation, team, number of workshops, latest date.

        Teams are told apart as :meth:`team_workshops` does (trimmed,
        case-insensitive); the names shown are those of the team's latest
        workshop. Sorted by organisation, then team (case-insensitive).
        """
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in self._index.values():
            key = (r["organisation"].strip().casefold(), r["team"].strip().casefold())
            groups.setdefault(key, []).append(r)
        out = []
        for key, rows in groups.items():
            latest = max(rows, key=lambda r: (r.get("date") or "", r.get("created") or ""))
            out.append({
                "organisation": latest["organisation"].strip(),
                "team": latest["team"].strip(),
                "workshops": len(rows),
                "latest": latest.get("date") or "",
                "key": key,
            })
        return sorted(out, key=lambda t: t["key"])

    def rename(self, workshop_id: str, title: str) -> Workshop:
        """Give a workshop a new title (validated like the set-up screen's).

        Raises:
            NotFound: no such workshop.
            OperationError: the title is not acceptable (too long, NUL …).
        """
        from .operations import SetFields

        self._require_writer()
        ws = self.load(workshop_id)
        SetFields.of(title=title).apply(ws)
        ws.updated = now_iso()
        self.save(ws)
        return ws

    def close(self) -> None:
        self._db.close()
        self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
