"""Bringing workshop files into the library: a colleague's files, a folder, a drop.

:func:`import_files` reads and validates every file first, skips a workshop
the library already holds byte for byte, and asks (``decide``) what to do
with any other clash of ids: replace, keep both, or skip. Malformed files
are reported (file, place, problem) and left where they are. The library
browser's import and drag and drop use it; the CLI's ``import`` refuses
clashes unless a flag says otherwise.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import fileformat
from .errors import NotFound, ValidationError
from .model import Workshop
from .storage import Conflict, Library


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
        cancelled: how many files were not handled because the import was cancelled.
    """

    imported: list[ImportedFile] = field(default_factory=list)
    replaced: list[ImportedFile] = field(default_factory=list)
    copied: list[ImportedFile] = field(default_factory=list)
    skipped: list[ImportedFile] = field(default_factory=list)
    identical: list[ImportedFile] = field(default_factory=list)
    problems: list[ValidationError] = field(default_factory=list)
    cancelled: int = 0

    @property
    def changed(self) -> int:
        """How many workshops the library gained or had replaced."""
        return len(self.imported) + len(self.replaced) + len(self.copied)

    def summary(self) -> str:
        """One sentence for people ("Imported 3 workshops; skipped 1 …")."""

        def n(count: int, word: str = "workshop") -> str:
            return f"{count} {word}{'' if count == 1 else 's'}"

        parts = []
        if self.imported:
            parts.append(f"imported {n(len(self.imported))}")
        if self.replaced:
            parts.append(f"replaced {n(len(self.replaced))}")
        if self.copied:
            parts.append(f"kept both copies of {n(len(self.copied))}")
        if self.skipped:
            parts.append(f"skipped {n(len(self.skipped))} already in the library")
        if self.identical:
            parts.append(f"{n(len(self.identical))} already in the library unchanged")
        if self.problems:
            parts.append(f"{n(len(self.problems), 'file')} could not be read")
        if self.cancelled:
            parts.append(f"cancelled before {n(self.cancelled, 'file')}")
        if not parts:
            return "Nothing to import."
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
                problems.append(ValidationError("$", "no .json workshop files in this folder",
                                                str(p)))
            for c in found:
                add(c)
        elif p.is_file():
            add(p)
        else:
            problems.append(ValidationError("$", "no such file or folder", str(p)))
    return files, problems


def holds_same(library: Library, ws: Workshop) -> bool:
    """Is this very workshop (byte for byte) already the library's file for its id?"""
    try:
        stored = library.path_of(ws.id).read_bytes()
        return stored == fileformat.dumps(ws, compact=True).encode("utf-8")
    except (OSError, NotFound):
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
    For any other id clash ``decide(clash)`` (a :class:`Clash`) says
    ``"replace"``, ``"keep-both"`` or ``"skip"``; ``None`` cancels the
    rest of the import (what was imported so far stays).

    Args:
        paths: files and folders (a folder's ``*.json`` files, not its subfolders).
        decide: asked once per clash, in file order.
        progress: called with (done, total) as files are read and imported;
            returning False cancels what is left.
    """
    library._require_writer()
    report = ImportReport()
    files, report.problems = collect_workshop_files(paths)
    total = len(files) * 2
    incoming: list[tuple[Path, Workshop]] = []
    for i, f in enumerate(files):
        if progress is not None and progress(i, total) is False:
            report.cancelled = len(files) - i
            return report
        try:
            incoming.append((f, fileformat.read_file(f)))
        except ValidationError as exc:
            report.problems.append(exc)
    # How many clashes are still to come (for "do the same for the other N").
    clashes = sum(1 for _f, ws in incoming
                  if ws.id in library and not holds_same(library, ws))
    for i, (f, ws) in enumerate(incoming):
        if progress is not None and progress(len(files) + i, total) is False:
            report.cancelled = len(incoming) - i
            return report
        entry = ImportedFile(str(f), ws.id, ws.display_name)
        if ws.id in library:
            if holds_same(library, ws):
                report.identical.append(entry)
                continue
            clashes = max(0, clashes - 1)
            existing = library.summary(ws.id) or {}
            choice = decide(Clash(str(f), ws, existing, clashes))
            if choice is None:
                report.cancelled = len(incoming) - i
                return report
            if choice == "skip":
                report.skipped.append(entry)
                continue
            if choice not in ("replace", "keep-both"):
                raise ValueError(f"unknown conflict choice {choice!r}")
            new = library.import_workshop(ws, choice)
            if choice == "replace":
                report.replaced.append(entry)
            else:
                report.copied.append(ImportedFile(entry.file, new or ws.id, entry.name))
            continue
        library.import_workshop(ws, "refuse")
        report.imported.append(entry)
    if progress is not None:
        progress(total, total)
    return report
