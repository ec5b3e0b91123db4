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
* **One bad delivery-metric entry costs only that entry**: the workshop opens
  without it, the original file is copied to ``damaged/`` first (untouched),
  and :attr:`Library.repairs` says which entry was left out and why.
* **One writer**: a second writer gets :class:`LibraryLocked`; readers
  (``read_only=True``) need no lock, and a file the writer moves while a
  reader scans is simply not listed.
* **Anything may appear in the folder** (a synced folder, files copied by
  hand): symbolic links, pipes, devices, folders named ``*.json``, hostile
  documents and a hand-edited index are set aside or ignored, never trusted.
* **The index is derived**: each row carries the file's size, mtime and
  inode, and a row that disagrees with its file (or is malformed) is rebuilt
  from the file. A save is acknowledged once the *workshop file* is on disk;
  an index that cannot be written then is only stale, and is rebuilt.
* **Imports are all-or-nothing** (:meth:`Library.commit_imports`): every file
  is encoded and staged in ``.staging-*/`` first; a plan file written last is
  the commit point; a writer that opens the library rolls a committed plan
  forward and throws an uncommitted one away.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tinydb import TinyDB
from tinydb.storages import Storage

from . import validate as v
from .errors import LibraryLocked, LibraryUnavailable, NotFound, ValidationError
from .i18n import _, format_number, ngettext
from .model import Workshop, new_id, now_iso

if TYPE_CHECKING:  # parsing and writing files is imported when first needed
    from . import fileformat

INDEX_VERSION = 2  # 2: rows carry the file's inode too
#: The index of 100,000 workshops fits; anything larger is not ours.
INDEX_MAX_BYTES = 256 * 1024 * 1024
STAGING_PREFIX = ".staging-"
Conflict = Literal["refuse", "replace", "keep-both", "skip"]


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _sweep_leftovers(path: Path) -> None:
    """Remove temporary files a killed writer of ``path`` left next to it.

    A writer holds an ``flock`` on its temporary file until it is renamed;
    one that can be locked belongs to no live writer.
    """
    import fcntl

    prefix, folder = f".{path.name}.", path.parent
    try:
        names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return
    for name in names:
        leftover = folder / name
        try:
            fd = os.open(leftover, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if stat.S_ISREG(os.fstat(fd).st_mode):
                os.unlink(leftover)
        except OSError:
            pass
        finally:
            os.close(fd)


def atomic_write(path: Path, data: bytes, *, sweep: bool = True,
                 mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file.

    A new file gets the permissions the user's umask gives (an existing one
    keeps its own), or ``mode`` when given (e.g. 0o600 for secrets);
    temporary files that a killed writer of the same path left behind are
    removed first (``sweep``; the library cleans its own
    folders when it opens, and passes False to keep a vote cheap).
    """
    import fcntl
    import tempfile  # here, not at start-up (it imports shutil and random)

    if sweep:
        _sweep_leftovers(path)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)
        except OSError:
            mode = 0o666 & ~_umask()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            fcntl.flock(f.fileno(), fcntl.LOCK_EX)  # "a live writer owns this" (see sweep)
            os.fchmod(f.fileno(), mode)
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
            os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    try:
        _fsync_dir(path.parent)
    except OSError as exc:
        # The new file is already in place (every reader sees it): this is not
        # "nothing was written", and the caller must not report it as such.
        raise ReplacedButNotSynced(exc.errno, exc.strerror, str(path)) from exc


class ReplacedButNotSynced(OSError):
    """:func:`atomic_write` put the new file in place, but the folder's fsync failed.

    The data itself was fsynced and the rename is visible; only its
    durability across a power cut is in doubt. The library counts such a
    save as done (it is on disk for every reader), rather than rolling back
    memory while the disk keeps the change.
    """


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
            data = v.loads(v.read_limited(self.path, INDEX_MAX_BYTES), str(self.path),
                           max_bytes=INDEX_MAX_BYTES)
        except (OSError, ValidationError):
            return None
        if not isinstance(data, dict):
            return None
        # TinyDB's layout: table name -> document id (digits) -> document.
        for table in data.values():
            if not isinstance(table, dict) or not all(
                isinstance(k, str) and k.isascii() and k.isdigit() and isinstance(doc, dict)
                for k, doc in table.items()
            ):
                return None
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        atomic_write(self.path, json.dumps(data, ensure_ascii=False).encode("utf-8"),
                     sweep=False)

    def close(self) -> None:
        pass


class LibraryLock:
    """An exclusive ``flock`` held while a process writes to a library.

    The lock is taken on the library *folder* (which cannot be deleted while
    it holds files) as well as on ``library.lock`` (which names the holder):
    deleting ``library.lock`` while the app runs does not let a second
    writer in.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "library.lock"
        self._fds: list[int] = []

    def _refuse(self, fd: int | None) -> LibraryLocked:
        holder = ""
        with contextlib.suppress(OSError):
            if fd is None:
                fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
                try:
                    holder = os.pread(fd, 200, 0).decode("utf-8", "replace")
                finally:
                    os.close(fd)
            else:
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace")
        holder = "".join(c for c in holder if c.isprintable()).strip() or _("another process")
        return LibraryLocked(
            _("The library in {folder} is open in another CALMS Workshop ({holder}). "
              "Close it there first, or use another --data-dir.").format(
                folder=self.folder, holder=holder)
        )

    def acquire(self) -> None:
        """Take the lock.

        Raises:
            LibraryLocked: another process holds it.
            LibraryUnavailable: the lock file cannot be created or written.
        """
        import fcntl

        try:
            dir_fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as exc:
            raise _unavailable(self.folder, exc) from None
        try:
            fcntl.flock(dir_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(dir_fd)
            raise self._refuse(None) from None
        except OSError:  # a file system without flock on folders: the file lock decides
            pass
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0),
                         0o644)
        except OSError as exc:
            os.close(dir_fd)
            raise _unavailable(self.folder, exc, _("its lock file cannot be written")) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            error = self._refuse(fd)
            os.close(fd)
            os.close(dir_fd)
            raise error from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"pid {os.getpid()}".encode(), 0)
        except OSError as exc:
            os.close(fd)
            os.close(dir_fd)
            raise _unavailable(self.folder, exc, _("its lock file cannot be written")) from None
        self._fds = [dir_fd, fd]

    def release(self) -> None:
        for fd in self._fds:
            os.close(fd)  # closing drops the flock
        self._fds = []


def _unavailable(folder: Path, exc: OSError, what: str = "") -> LibraryUnavailable:
    """A clear message for a library folder the app cannot use."""
    reason = exc.strerror or str(exc)
    if exc.errno == errno.EROFS:
        hint = _("The drive is read-only: choose another folder with --data-dir.")
    elif exc.errno in (errno.EACCES, errno.EPERM):
        hint = _("You do not have permission to write there: "
                 "choose another folder with --data-dir.")
    elif exc.errno in (errno.ENOENT, errno.ENOTDIR):
        hint = _("Is the drive it is on connected? Or choose another folder with --data-dir.")
    elif exc.errno == errno.ENOSPC:
        hint = _("The disk is full: free some space, or choose another folder with --data-dir.")
    else:
        hint = _("Choose another folder with --data-dir.")
    what = what or _("it cannot be written")
    return LibraryUnavailable(
        _("The library in {folder} cannot be opened: {what} ({reason}). {hint}").format(
            folder=folder, what=what, reason=reason, hint=hint))


@dataclass(frozen=True)
class Problem:
    """A file the library could not read, and where it was put."""

    file: str
    message: str
    moved_to: str | None


@dataclass(frozen=True)
class Repair:
    """A workshop that opened without delivery-metric entries it could not read.

    Attributes:
        file: the workshop's file.
        dropped: each left-out entry's place and problem ("$.metrics[1].bucket: …").
        kept_at: the copy of the original file in ``damaged/`` (None: read-only library,
            or the copy could not be written — the facilitator is told so).
    """

    file: str
    dropped: tuple[str, ...]
    kept_at: str | None
    read_only: bool = False  # read by a read-only library: nothing is saved over the file

    def text(self) -> str:
        """What the facilitator is told when the workshop opens."""
        n = len(self.dropped)
        text = ngettext("This workshop opened, but {n} delivery-metric entry could not be read "
                        "and was left out — everything else is here:",
                        "This workshop opened, but {n} delivery-metric entries could not be "
                        "read and were left out — everything else is here:", n).format(n=n)
        text += "\n" + "\n".join(f"• {d}" for d in self.dropped[:5])
        if n > 5:
            text += "\n" + ngettext("(and {n} more)", "(and {n} more)", n - 5).format(n=n - 5)
        if self.kept_at:
            text += "\n\n" + _("The file as it was is kept, untouched, in {copy}.").format(
                copy=self.kept_at)
        elif self.read_only:
            text += "\n\n" + _("The file itself is unchanged.")
        else:
            text += "\n\n" + _("The file as it was could not be copied aside; the next change "
                                "saves the workshop without these entries.")
        return text


def summary_of(ws: Workshop) -> dict[str, Any]:
    """What the index keeps about a workshop (cheap fields only)."""
    from . import fileformat
    return {
        **fileformat.set_up_texts(ws),
        "baseline_id": ws.baseline_id,
        "voting_mode": ws.voting_mode.value,
        "questionnaire": ws.questionnaire.id,
        "participants": len(ws.participants),
        "pillar_states": {p.value: s.value for p, s in ws.pillar_states.items()},
        "created": ws.created,
    }


#: The fields of an index row and their types (a row of another shape is rebuilt).
_ROW_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,), "title": (str,), "organisation": (str,), "team": (str,), "date": (str,),
    "location": (str,), "facilitator": (str,), "baseline_id": (str, type(None)),
    "voting_mode": (str,), "questionnaire": (str,), "participants": (int,),
    "pillar_states": (dict,), "created": (str,), "mtime_ns": (int,), "size": (int,),
    "ino": (int,),
}


def _row_ok(row: Any) -> bool:
    if not isinstance(row, dict):
        return False
    for key, types in _ROW_TYPES.items():
        value = row.get(key, ...)
        if not isinstance(value, types) or isinstance(value, bool):
            return False
    return all(isinstance(k, str) and isinstance(x, str) for k, x in row["pillar_states"].items())


def _stamp(st: os.stat_result) -> dict[str, int]:
    """What says a file is the one an index row was made from."""
    return {"mtime_ns": st.st_mtime_ns, "size": st.st_size, "ino": st.st_ino}


@dataclass(frozen=True)
class StagedImport:
    """One workshop of an import, ready to commit.

    Attributes:
        source: the user's file it came from (named in every message).
        workshop: the workshop as it will be stored (its final id).
    """

    source: str
    workshop: Workshop


class Library:
    """All workshops in one data folder.

    Args:
        folder: the data folder (created if missing).
        read_only: open without the writer lock; nothing is written or moved.

    Raises:
        LibraryLocked: another process holds the writer lock.
        LibraryUnavailable: the folder cannot be created or written (a
            read-only or missing drive, no permission).
    """

    def __init__(self, folder: str | Path, *, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.read_only = read_only
        self.workshops_dir = self.folder / "workshops"
        self.trash_dir = self.folder / "trash"
        self.damaged_dir = self.folder / "damaged"
        self.problems: list[Problem] = []
        #: file -> what was left out of it on reading (see :class:`Repair`)
        self.repairs: dict[str, Repair] = {}
        self._index_stale = False
        self._writers: dict[str, fileformat.CompactWriter] = {}
        #: a workshop's file and the index are written by one thread at a time
        #: (the GUI thread, or a session's writer thread — see core/session.py)
        self._store_lock = threading.RLock()
        self._lock = LibraryLock(self.folder)
        if not read_only:
            try:
                for d in (self.folder, self.workshops_dir, self.trash_dir, self.damaged_dir):
                    d.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise _unavailable(self.folder, exc) from None
            self._lock.acquire()
            try:
                self._probe_writable()
            except BaseException:
                self._lock.release()
                raise
        self._db = TinyDB(self.folder / "index.json", storage=AtomicJSONStorage)
        self._index: dict[str, dict[str, Any]] = {}
        try:
            if not read_only:
                self._set_aside_odd_own_files()
                self._finish_staged_imports()
            self._scan()
        except BaseException:
            self._lock.release()
            raise

    def _probe_writable(self) -> None:
        """Fail at open, with a clear message, if workshop files cannot be written."""
        import tempfile

        for folder in (self.workshops_dir, self.trash_dir):
            try:
                fd, tmp = tempfile.mkstemp(dir=folder, prefix=".probe.", suffix=".tmp")
                os.close(fd)
                os.unlink(tmp)
            except OSError as exc:
                raise _unavailable(self.folder, exc, _("{folder}/ cannot be written").format(
                    folder=folder.name)) \
                    from None

    # -- opening -------------------------------------------------------------
    #: The data folder's own files (besides the lock), which the app opens by name.
    OWN_FILES = ("index.json", "session.json", "settings.ini")

    def _set_aside_odd_own_files(self) -> None:
        """Move a link, pipe, device or folder that sits where one of our files goes.

        The settings and the resume file are read by name at start-up; a pipe
        there would block the app (Qt's settings reader waits on it for ever).
        """
        for name in self.OWN_FILES:
            path = self.folder / name
            try:
                st = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(st.st_mode):
                self._set_aside(path, f"{path}: $: not a regular file (a link, pipe, device "
                                      "or folder), so the app does not open it")

    def _stored_rows(self) -> dict[str, dict[str, Any]]:
        """The index's rows that are well formed (the rest are rebuilt from files)."""
        data = self._db.storage.read() or {}
        meta = data.get("meta") or {}
        if not any(isinstance(m, dict) and m.get("version") == INDEX_VERSION
                   for m in meta.values()):
            return {}
        rows = (data.get("workshops") or {}).values()
        # Only the known fields of a well-formed row: nothing else of a hand-edited
        # index reaches the screens.
        return {row["id"]: {k: row[k] for k in _ROW_TYPES} for row in rows if _row_ok(row)}

    def _scan(self) -> None:
        """Bring the index up to date with the files on disk."""
        stored = self._stored_rows()
        changed = not stored
        seen: set[str] = set()
        if not self.read_only:
            # Temp files of atomic_write()s that a kill interrupted: the index's
            # (and other files') live here, the workshops' in workshops/ below.
            for folder in (self.folder, self.trash_dir):
                for leftover in folder.glob(".*.tmp"):
                    with contextlib.suppress(OSError):
                        leftover.unlink()
        entries: list[os.DirEntry[str]] = []
        with contextlib.suppress(OSError):
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
            path = Path(entry.path)
            try:
                st = os.lstat(path)
            except FileNotFoundError:
                continue  # moved by the writer while we looked (a reader's race)
            except OSError as exc:
                self._set_aside(path, f"cannot be read ({exc.strerror})")
                changed = True
                continue
            if not stat.S_ISREG(st.st_mode):
                kind = ("a symbolic link" if stat.S_ISLNK(st.st_mode) else
                        "a folder" if stat.S_ISDIR(st.st_mode) else
                        "not a regular file (a pipe, socket or device)")
                self._set_aside(path, f"{path}: $: {kind}, not a workshop file")
                changed = True
                continue
            wid = name[:-5]
            row = stored.get(wid)
            if row and all(row.get(k) == x for k, x in _stamp(st).items()) and row["id"] == wid:
                self._index[wid] = row
                seen.add(wid)
                continue
            ws = self._read_or_set_aside(path)
            if ws is None:
                changed = True
                continue
            if ws.id != wid:
                self._set_aside(path, f"{path}: the file name does not match its id {ws.id!r}")
                changed = True
                continue
            self._index[wid] = {**summary_of(ws), **_stamp(st)}
            seen.add(wid)
            changed = True
        if set(stored) - seen:
            changed = True
        if changed:
            self._write_index()

    def _parse(self, path: Path) -> Workshop:
        """Read a workshop file; an unreadable delivery-metric entry is left out (the
        original is kept, see :class:`Repair`) rather than setting the workshop aside."""
        from . import fileformat
        dropped: list[str] = []
        ws = fileformat.parse(v.read_limited(path), str(path), dropped)
        if dropped:
            self._keep_original(path, tuple(dropped))
        else:  # (saved since without the entries: nothing to tell any more)
            self.repairs.pop(str(path), None)
        return ws

    def _keep_original(self, path: Path, dropped: tuple[str, ...]) -> None:
        """Copy the file (as it is, with the entries left out) to ``damaged/`` once."""
        earlier = self.repairs.get(str(path))
        if earlier is not None and earlier.dropped == dropped and earlier.kept_at:
            return
        kept: str | None = None
        try:
            raw: bytes | None = path.read_bytes()
        except OSError:
            raw = None
        with contextlib.suppress(OSError):
            # the same file kept by an earlier run (opened again before it was saved)
            for earlier_copy in self.damaged_dir.glob(f"{path.stem}.*.original{path.suffix}"):
                if earlier_copy.read_bytes() == raw:
                    kept = str(earlier_copy)
                    break
        if kept is None and raw is not None and not self.read_only:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            target = self.damaged_dir / f"{path.stem}.{stamp}.original{path.suffix}"
            n = 1
            while os.path.lexists(target):
                target = self.damaged_dir / f"{path.stem}.{stamp}-{n}.original{path.suffix}"
                n += 1
            with contextlib.suppress(OSError):
                atomic_write(target, raw, sweep=False)
                kept = str(target)
        self.repairs[str(path)] = Repair(str(path), dropped, kept, self.read_only)

    def repair_of(self, workshop_id: str) -> Repair | None:
        """What was left out of this workshop's file when it was read (None: nothing)."""
        try:
            return self.repairs.get(str(self.path_of(workshop_id)))
        except NotFound:
            return None

    def _read_or_set_aside(self, path: Path) -> Workshop | None:
        try:
            return self._parse(path)
        except FileNotFoundError:
            return None  # moved while we looked: not ours to report
        except ValidationError as exc:
            self._set_aside(path, str(exc))
            return None
        except Exception as exc:  # noqa: BLE001 - one file never stops the library
            self._set_aside(path, f"{path}: $: cannot be read ({type(exc).__name__}: {exc})")
            return None

    def _set_aside(self, path: Path, message: str) -> None:
        moved: str | None = None
        if not self.read_only:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
            target = self.damaged_dir / f"{path.stem}.{stamp}{path.suffix}"
            n = 1
            while os.path.lexists(target):  # never overwrite an earlier damaged file
                target = self.damaged_dir / f"{path.stem}.{stamp}-{n}{path.suffix}"
                n += 1
            try:
                os.replace(path, target)  # a link or a pipe moves as itself, unread
                _fsync_dir(self.damaged_dir)
                moved = str(target)
            except FileNotFoundError:
                return
            except OSError as exc:
                message += f" (could not be moved to {self.damaged_dir}: {exc.strerror})"
        self.problems.append(Problem(str(path), message, moved))

    def _write_index(self) -> None:
        """Write the index; a failure only leaves it stale (it is derived data).

        Each row names the size, mtime and inode of the file it came from, so
        a stale row is noticed and rebuilt from its file at the next open.
        """
        if self.read_only:
            return
        # One atomic write of the whole index in TinyDB's layout (a table ->
        # doc id -> document), rather than three through the table API.
        try:
            with self._store_lock:
                rows = list(self._index.values())
                self._db.storage.write(
                    {
                        "meta": {"1": {"version": INDEX_VERSION}},
                        "workshops": {str(i): row for i, row in enumerate(rows, 1)},
                    }
                )
        except OSError:
            self._index_stale = True
            return
        self._index_stale = False
        for table in ("meta", "workshops"):
            self._db.table(table).clear_cache()

    # -- reading -------------------------------------------------------------
    def path_of(self, workshop_id: str) -> Path:
        if "/" in workshop_id or "\\" in workshop_id or workshop_id.startswith(".") \
                or "\x00" in workshop_id:
            raise NotFound(_("no workshop {id!r}").format(id=workshop_id))
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
            NotFound: no such workshop (also: moved away since the library was opened).
            ValidationError: the file is damaged (it is then set aside).
        """
        if workshop_id not in self._index:
            raise NotFound(_("no workshop with id {id!r} in {folder}").format(
                id=workshop_id, folder=self.folder))
        path = self.path_of(workshop_id)
        try:
            if os.path.islink(path):
                raise ValidationError("$", _("a symbolic link, not a workshop file"), str(path))
            return self._parse(path)
        except FileNotFoundError:
            raise NotFound(
                _("the workshop {id!r} is no longer in {folder} (moved or deleted meanwhile)")
                .format(id=workshop_id, folder=self.folder)
            ) from None
        except ValidationError as exc:
            if os.path.lexists(path):
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
            raise LibraryLocked(_("this library was opened read-only"))

    @staticmethod
    def encode(ws: Workshop, source: str = "",
               writer: fileformat.CompactWriter | None = None) -> bytes:
        """The bytes the library stores for a workshop, within the size limit.

        Args:
            writer: reuses the JSON of what did not change since the last save.

        Raises:
            ValidationError: too large, or a text no file can hold.
        """
        from . import fileformat
        try:
            text = writer.dumps(ws) if writer is not None else fileformat.dumps(ws, compact=True)
            data = text.encode("utf-8")
        except (UnicodeEncodeError, ValueError, TypeError) as exc:
            raise ValidationError("$", _("cannot be stored ({reason})").format(reason=exc),
                                  source) from None
        if len(data) > v.MAX_FILE_BYTES:
            raise ValidationError(
                "$",
                _("the workshop would be {size} bytes; the limit is {most} "
                  "(shorten notes or actions)").format(
                    size=format_number(len(data), 0), most=format_number(v.MAX_FILE_BYTES, 0)),
                source,
            )
        return data

    def save(self, ws: Workshop) -> None:
        """Persist a workshop durably (returns after fsync).

        Raises:
            OSError, ValidationError: nothing was written (the file on disk is
                the one before the call).
        """
        self.store(ws.id, self.encode_for_save(ws), summary_of(ws))

    def encode_for_save(self, ws: Workshop) -> bytes:
        """The bytes :meth:`save` would write for ``ws`` (its cached encoder is reused).

        Raises:
            ValidationError: too large, or a text no file can hold.
        """
        from . import fileformat
        self._require_writer()
        writer = self._writers.get(ws.id)
        if writer is None:
            writer = self._writers.setdefault(ws.id, fileformat.CompactWriter())
            if len(self._writers) > 8:  # the open workshop, and a few the screens touch
                self._writers.pop(next(iter(self._writers)))
        return self.encode(ws, writer=writer)

    def store(self, workshop_id: str, data: bytes, summary: dict[str, Any]) -> None:
        """Write a workshop's encoded bytes durably and index its ``summary``.

        Safe to call from a writer thread: it touches no :class:`Workshop`
        (``data`` and ``summary`` were taken from it on the thread that owns it).

        Raises:
            OSError: nothing was written (the file on disk is the one before).
        """
        self._require_writer()
        path = self.path_of(workshop_id)
        with self._store_lock:
            with contextlib.suppress(ReplacedButNotSynced):  # the new file is in place
                atomic_write(path, data, sweep=False)
            # From here the change is on disk: the index is derived and at worst stale.
            row = self._index.get(workshop_id)
            old = {k: row.get(k) for k in summary} if row else None
            try:
                st = path.stat()
                self._index[workshop_id] = {**summary, **_stamp(st)}
            except OSError:
                self._index[workshop_id] = {**summary, "mtime_ns": -1, "size": -1, "ino": -1}
            if old != summary or self._index_stale:
                self._write_index()

    def _trash_target(self, name: str) -> Path:
        """A name in the trash that no earlier deleted workshop has."""
        target = self.trash_dir / name
        stem, n = name[:-5], 2
        while os.path.lexists(target):
            target = self.trash_dir / f"{stem}~{n}.json"
            n += 1
        return target

    def delete(self, workshop_id: str) -> None:
        """Move a workshop to the trash (see :meth:`restore`).

        An earlier deleted workshop with the same id stays in the trash too.
        """
        self._require_writer()
        path = self.path_of(workshop_id)
        if workshop_id not in self._index or not path.exists():
            raise NotFound(_("no workshop with id {id!r}").format(id=workshop_id))
        os.rename(path, self._trash_target(path.name))
        # The move is done: memory follows the disk even if the fsyncs fail.
        del self._index[workshop_id]
        self._fsync_after_move(self.trash_dir, self.workshops_dir)
        self._write_index()

    def trash(self) -> list[dict[str, Any]]:
        """Summaries of the workshops in the trash, most recently deleted first.

        Each row has ``deleted`` (a timestamp) and ``file`` (its name in the trash).
        """
        from . import fileformat
        rows = []
        paths: list[Path] = []
        with contextlib.suppress(OSError):
            paths = [p for p in self.trash_dir.iterdir()
                     if p.suffix == ".json" and not p.name.startswith(".")]
        for p in paths:
            try:
                if os.path.islink(p):
                    continue
                ws = fileformat.parse(v.read_limited(p), str(p))
                deleted = p.stat().st_mtime
            except (ValidationError, OSError):
                continue
            rows.append({**summary_of(ws), "deleted": deleted, "file": p.name})
        return sorted(rows, key=lambda r: (r["deleted"], r["file"]), reverse=True)

    def restore(self, workshop_id: str, file: str | None = None) -> None:
        """Bring a workshop back from the trash.

        Args:
            workshop_id: the workshop's id.
            file: which copy (a ``file`` of :meth:`trash`) when several deleted
                workshops have this id; by default the one deleted last.
        """
        from . import fileformat
        self._require_writer()
        rows = [r for r in self.trash() if r["id"] == workshop_id
                and (file is None or r["file"] == file)]
        if not rows:
            raise NotFound(_("no workshop {id!r} in the trash").format(id=workshop_id))
        if workshop_id in self._index:
            raise ValidationError("$.workshop.id", _("a workshop with this id is in the library"))
        src = self.trash_dir / rows[0]["file"]
        ws = fileformat.read_file(src)
        dst = self.path_of(workshop_id)
        if os.path.lexists(dst):
            raise ValidationError("$.workshop.id", _("a file with this id is in the library"))
        os.rename(src, dst)
        try:
            self._index[ws.id] = {**summary_of(ws), **_stamp(dst.stat())}
        except OSError:
            self._index[ws.id] = {**summary_of(ws), "mtime_ns": -1, "size": -1, "ino": -1}
        self._fsync_after_move(self.workshops_dir, self.trash_dir)
        self._write_index()

    @staticmethod
    def _fsync_after_move(*folders: Path) -> None:
        """Make a rename durable; once it is done, a failing fsync cannot undo it."""
        for folder in folders:
            with contextlib.suppress(OSError):
                _fsync_dir(folder)

    def import_workshop(self, ws: Workshop, on_conflict: Conflict = "refuse") -> str | None:
        """Add a workshop read from a file; returns its id (None when skipped).

        ``on_conflict`` says what to do when the id exists: ``refuse`` raises
        ValidationError, ``replace`` overwrites, ``keep-both`` gives the
        import a new id, ``skip`` leaves the library as it is.
        """
        self._require_writer()
        chosen = self.resolve_conflict(ws, on_conflict)
        if chosen is None:
            return None
        self.commit_imports([StagedImport("", chosen)])
        return chosen.id

    def resolve_conflict(self, ws: Workshop, on_conflict: Conflict,
                         source: str = "") -> Workshop | None:
        """The workshop as it will be imported (a copy gets a new id), or None to skip.

        Raises:
            ValidationError: the id exists and ``on_conflict`` is ``refuse``.
        """
        if ws.id not in self._index:
            return ws
        if on_conflict == "skip":
            return None
        if on_conflict == "refuse":
            raise ValidationError(
                "$.workshop.id",
                _("a workshop with id {id} is already in the library "
                  "(choose replace, keep both or skip)").format(id=ws.id),
                source,
            )
        if on_conflict == "keep-both":
            ws.id = new_id()
            ws.created = now_iso()
        return ws

    # -- all-or-nothing imports ------------------------------------------------
    def commit_imports(self, items: Sequence[StagedImport]) -> None:
        """Store several workshops as one change: all of them, or (on failure) none.

        Everything is checked and encoded first, then written to a staging
        folder (fsynced), then a plan file is written — the commit point — and
        the files are moved into ``workshops/``. A kill before the plan leaves
        nothing (the staging folder is removed at the next open); a kill after
        it is completed at the next open.

        Raises:
            ValidationError: naming the user's file (``source``) and the
                problem; nothing was imported.
            OSError: the staging folder could not be made; nothing was imported.
        """
        import shutil
        import tempfile

        self._require_writer()
        name_max = 255
        with contextlib.suppress(OSError, ValueError):
            name_max = os.pathconf(self.workshops_dir, "PC_NAME_MAX")
        encoded: list[tuple[StagedImport, bytes, Path]] = []
        targets: set[str] = set()
        for item in items:
            ws = item.workshop
            try:
                target = self.path_of(ws.id)
            except NotFound:
                raise ValidationError("$.workshop.id", _("not a usable file name"),
                                      item.source) from None
            if len(target.name.encode("utf-8")) + 24 > name_max:
                raise ValidationError("$.workshop.id", _("too long for a file name on this drive"),
                                      item.source)
            if ws.id in targets:
                raise ValidationError("$.workshop.id",
                                      _("the id {id} is in two of the files").format(id=ws.id),
                                      item.source)
            targets.add(ws.id)
            encoded.append((item, self.encode(ws, item.source), target))
        if not encoded:
            return
        staging = Path(tempfile.mkdtemp(dir=self.folder, prefix=STAGING_PREFIX))
        try:
            plan = []
            for n, (item, data, target) in enumerate(encoded):
                staged = staging / f"{n}.json"
                try:
                    with open(staged, "xb") as f:
                        f.write(data)
                        f.flush()
                        os.fsync(f.fileno())
                except OSError as exc:
                    raise ValidationError(
                        "$", v.not_imported(exc), item.source,
                    ) from None
                plan.append({"staged": staged.name, "target": target.name})
            _fsync_dir(staging)
            try:
                atomic_write(staging / "plan.json", json.dumps(plan).encode("utf-8"),
                             sweep=False)
            except OSError as exc:
                raise ValidationError(
                    "$", v.not_imported(exc), encoded[0][0].source,
                ) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        # Committed: from here on the import completes (now, or at the next open).
        self._apply_plan(staging, plan)
        for item, _data, target in encoded:
            try:
                st = os.stat(target)
                self._index[item.workshop.id] = {**summary_of(item.workshop), **_stamp(st)}
            except OSError:
                self._index[item.workshop.id] = {**summary_of(item.workshop),
                                                 "mtime_ns": -1, "size": -1, "ino": -1}
        self._write_index()

    def _apply_plan(self, staging: Path, plan: list[dict[str, str]]) -> None:
        import shutil

        for step in plan:
            staged = staging / step["staged"]
            if staged.exists():
                os.replace(staged, self.workshops_dir / step["target"])
        _fsync_dir(self.workshops_dir)
        shutil.rmtree(staging, ignore_errors=True)

    def _finish_staged_imports(self) -> None:
        """Complete imports a kill interrupted after their commit point; drop the rest."""
        import shutil

        with contextlib.suppress(OSError):
            leftovers = [p for p in self.folder.iterdir() if p.name.startswith(STAGING_PREFIX)]
            for staging in leftovers:
                plan: Any = None
                with contextlib.suppress(OSError, ValidationError):
                    plan = v.loads(v.read_limited(staging / "plan.json"), str(staging))
                ok = isinstance(plan, list) and all(
                    isinstance(s, dict) and isinstance(s.get("staged"), str)
                    and isinstance(s.get("target"), str) and "/" not in s["staged"] + s["target"]
                    and s["target"].endswith(".json") and not s["target"].startswith(".")
                    for s in plan
                )
                if ok and not os.path.islink(staging):
                    try:
                        self._apply_plan(staging, plan)
                        continue
                    except OSError:
                        pass
                shutil.rmtree(staging, ignore_errors=True)

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
        if self._index_stale:
            self._write_index()
        self._db.close()
        self._lock.release()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
