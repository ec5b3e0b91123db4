"""Bringing workshop files into the library: a colleague's files, a folder, a drop.

:func:`import_files` reads and validates every file first, skips a workshop
the library already holds byte for byte, and asks (``decide``) what to do
with any other clash of ids: replace, keep both, or skip. Malformed files
are reported (file, place, problem) and left where they are. Then the
decided workshops are committed in one step
(:meth:`~calms_desktop.core.storage.Library.commit_imports`): all of them,
or — when one cannot be stored (too large, a full disk) — none, with the
user's file named. The library browser's import and drag and drop use it;
the CLI's ``import`` refuses clashes unless a flag says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fileformat
from . import validate as v
from .errors import NotFound, ValidationError
from .i18n import _, ngettext
from .model import Workshop
from .storage import Conflict, Library, StagedImport, summary_of


@dataclass(frozen=True)
class ImportedFile:
    """One file of an import: where it came from, the workshop id it has now, its name."""

    file: str
    workshop_id: str
    name: str


@dataclass(frozen=True)
class Clash:
    """An imported workshop whose id is already in the library.

    Attributes:
        file: the file it was read from.
        incoming: the workshop in the file.
        existing: the library's summary row of the workshop with that id.
        remaining: how many more clashes this import will ask about after this one.
    """

    file: str
    incoming: Workshop
    existing: dict[str, Any]
    remaining: int


@dataclass
class ImportReport:
    """What :func:`import_files` did, file by file.

    Attributes:
        imported: new to the library.
        replaced: overwrote the workshop with the same id.
        copied: kept both; ``workshop_id`` is the copy's new id.
        skipped: left out because the id exists (the user's choice).
        identical: left out because the very same workshop is already there.
        problems: files that could not be read (each names file, place, problem).
        cancelled: how many files were not handled because the import was cancelled
            (a cancelled import imports nothing).
        failed: why nothing was imported although the files were readable (the
            user's file, the place, the problem), or None.
    """

    imported: list[ImportedFile] = field(default_factory=list)
    replaced: list[ImportedFile] = field(default_factory=list)
    copied: list[ImportedFile] = field(default_factory=list)
    skipped: list[ImportedFile] = field(default_factory=list)
    identical: list[ImportedFile] = field(default_factory=list)
    problems: list[ValidationError] = field(default_factory=list)
    cancelled: int = 0
    failed: ValidationError | None = None

    @property
    def changed(self) -> int:
        """How many workshops the library gained or had replaced."""
        return len(self.imported) + len(self.replaced) + len(self.copied)

    def summary(self) -> str:
        """One sentence for people ("Imported 3 workshops; skipped 1 …")."""

        def n(count: int) -> str:
            return ngettext("{n} workshop", "{n} workshops", count).format(n=count)

        if self.failed is not None:
            return _("Nothing was imported: {problem}").format(problem=self.failed)
        if self.cancelled and not self.changed:
            return _("Import cancelled: nothing was imported.")

        parts = []
        if self.imported:
            parts.append(_("imported {workshops}").format(workshops=n(len(self.imported))))
        if self.replaced:
            parts.append(_("replaced {workshops}").format(workshops=n(len(self.replaced))))
        if self.copied:
            parts.append(_("kept both copies of {workshops}").format(
                workshops=n(len(self.copied))))
        if self.skipped:
            parts.append(_("skipped {workshops} already in the library").format(
                workshops=n(len(self.skipped))))
        if self.identical:
            parts.append(_("{workshops} already in the library unchanged").format(
                workshops=n(len(self.identical))))
        if self.problems:
            parts.append(ngettext("{n} file could not be read", "{n} files could not be read",
                                  len(self.problems)).format(n=len(self.problems)))
        if not parts:
            return _("Nothing to import.")
        text = "; ".join(parts)
        return text[0].upper() + text[1:] + "."


def collect_workshop_files(
    paths: Sequence[str | Path],
) -> tuple[list[Path], list[ValidationError]]:
    """Expand files and folders into workshop files (a folder's ``*.json``, sorted).

    Returns the files and the problems (a missing path, a folder without
    workshop files), each as a :class:`ValidationError` naming the path.
    A file named twice is listed once.
    """
    files: list[Path] = []
    problems: list[ValidationError] = []
    seen: set[Path] = set()

    def add(p: Path) -> None:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            files.append(p)

    for raw in paths:
        p = Path(raw).expanduser()
        if p.is_dir():
            found = sorted(
                (c for c in p.iterdir()
                 if c.suffix.lower() == ".json" and c.is_file() and not c.name.startswith(".")),
                key=lambda c: c.name.casefold(),
            )
            if not found:
                problems.append(ValidationError("", _("no .json workshop files in this folder"),
                                                str(p)))
            for c in found:
                add(c)
        elif p.is_file():
            add(p)
        else:
            problems.append(ValidationError("", _("no such file or folder"), str(p)))
    return files, problems


def holds_same(library: Library, ws: Workshop) -> bool:
    """Is this very workshop (byte for byte) already the library's file for its id?"""
    from . import validate as v

    try:
        stored = v.read_limited(library.path_of(ws.id))  # never blocks on a pipe
        return stored == fileformat.dumps(ws, compact=True).encode("utf-8")
    except (OSError, NotFound, ValidationError):
        return False

def import_files(
    library: Library,
    paths: Sequence[str | Path],
    decide: Callable[[Clash], Conflict | None],
    progress: Callable[[int, int], bool] | None = None,
) -> ImportReport:
    """Import workshop files and folders of them in one step.

    Every file is read and validated first; malformed ones are reported
    (file, place, problem) and left where they are. A file whose workshop
    is already in the library byte for byte is skipped without asking.
    For any other id clash — with the library, or with an earlier file of
    the same import — ``decide(clash)`` (a :class:`Clash`) says
    ``"replace"``, ``"keep-both"`` or ``"skip"``; ``None`` cancels the
    import (nothing is imported). Then everything decided is committed at
    once: all of it, or nothing (``report.failed`` says why).

    Args:
        paths: files and folders (a folder's ``*.json`` files, not its subfolders).
        decide: asked once per clash, in file order.
        progress: called with (done, total) as files are read; returning
            False cancels the import (nothing is imported).
    """
    library._require_writer()
    report = ImportReport()
    files, report.problems = collect_workshop_files(paths)
    total = len(files) + 1
    incoming: list[tuple[Path, Workshop]] = []
    for i, f in enumerate(files):
        if progress is not None and progress(i, total) is False:
            report.cancelled = len(files)
            return report
        try:
            incoming.append((f, fileformat.read_file(f)))
        except ValidationError as exc:
            report.problems.append(exc)
    # How many clashes are still to come (for "do the same for the other N").
    batch_ids: set[str] = set()
    clashes = 0
    for _f, ws in incoming:
        if (ws.id in library and not holds_same(library, ws)) or ws.id in batch_ids:
            clashes += 1
        batch_ids.add(ws.id)
    planned: dict[str, tuple[StagedImport, list[ImportedFile], ImportedFile]] = {}
    for _i, (f, ws) in enumerate(incoming):
        entry = ImportedFile(str(f), ws.id, ws.display_name)
        earlier = planned.get(ws.id)
        if ws.id in library and earlier is None and holds_same(library, ws):
            report.identical.append(entry)
            continue
        if ws.id in library or earlier is not None:
            clashes = max(0, clashes - 1)
            existing = (summary_of(earlier[0].workshop) if earlier is not None
                        else library.summary(ws.id) or {})
            choice = decide(Clash(str(f), ws, existing, clashes))
            if choice is None:
                report.cancelled = len(incoming)
                return ImportReport(problems=report.problems, cancelled=len(incoming))
            if choice == "skip":
                report.skipped.append(entry)
                continue
            if choice not in ("replace", "keep-both"):
                raise ValueError(f"unknown conflict choice {choice!r}")
            if choice == "replace":
                if earlier is not None:  # the later file wins over the earlier one
                    planned.pop(ws.id)
                    earlier[1].remove(earlier[2])
                    report.skipped.append(earlier[2])
                target = report.replaced if ws.id in library else report.imported
                planned[ws.id] = (StagedImport(str(f), ws), target, entry)
                target.append(entry)
                continue
            ws.id, ws.created = new_copy_id(library, planned)
            copy = ImportedFile(entry.file, ws.id, entry.name)
            planned[ws.id] = (StagedImport(str(f), ws), report.copied, copy)
            report.copied.append(copy)
            continue
        planned[ws.id] = (StagedImport(str(f), ws), report.imported, entry)
        report.imported.append(entry)
    if progress is not None and progress(len(files), total) is False:  # about to store
        return ImportReport(problems=report.problems, cancelled=len(incoming))
    try:
        library.commit_imports([item for item, _list, _entry in planned.values()])
    except ValidationError as exc:
        return ImportReport(problems=report.problems, failed=exc)
    except OSError as exc:
        return ImportReport(problems=report.problems, failed=ValidationError(
            "$", v.not_imported(exc), str(exc.filename or library.folder)))
    if progress is not None:
        progress(total, total)
    return report


def new_copy_id(library: Library, planned: dict[str, Any]) -> tuple[str, str]:
    """A fresh id (and creation time) for "keep both", free in the library and the batch."""
    from .model import new_id, now_iso

    while True:
        wid = new_id()
        if wid not in library and wid not in planned:
            return wid, now_iso()
