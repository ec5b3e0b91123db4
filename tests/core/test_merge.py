"""Importing workshop files and folders: merge choices, identical files, problems."""

from __future__ import annotations

from pathlib import Path

from calms_desktop.core import fileformat
from calms_desktop.core.demo import build_demo
from calms_desktop.core.merge import collect_workshop_files, import_files

from .factories import all_pillars as _all
from .factories import scored_workshop as _workshop


def test_import_files_merge_choices(library, tmp_path):
    first, second = build_demo()
    library.save(first)
    library.save(second)
    before = {wid: library.path_of(wid).read_bytes() for wid in (first.id, second.id)}
    folder = tmp_path / "colleague"
    folder.mkdir()
    (folder / "1-same.json").write_text(fileformat.dumps(first), encoding="utf-8")
    changed = build_demo()[1]
    changed.title = "Changed by a colleague"
    changed.updated = "2099-01-01T00:00:00+00:00"
    (folder / "2-changed.json").write_text(fileformat.dumps(changed), encoding="utf-8")
    new = _workshop("new", "Other", "T", "2025-01-01", _all([3]))
    (folder / "3-new.json").write_text(fileformat.dumps(new), encoding="utf-8")
    (folder / "4-bad.json").write_text('{"format": "calms-workshop", "format_version": 1}',
                                       encoding="utf-8")
    (folder / "notes.txt").write_text("not a workshop", encoding="utf-8")

    asked = []

    def skip(clash):
        asked.append((clash.incoming.id, clash.remaining, clash.existing["title"]))
        return "skip"

    report = import_files(library, [folder], skip)
    assert asked == [(second.id, 0, second.title)]  # the identical file is not asked about
    assert [e.workshop_id for e in report.identical] == [first.id]
    assert [e.workshop_id for e in report.skipped] == [second.id]
    assert [e.workshop_id for e in report.imported] == ["new"]
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.source.endswith("4-bad.json") and problem.where == "$"
    assert "workshop" in problem.problem
    assert (folder / "4-bad.json").exists()
    assert {wid: library.path_of(wid).read_bytes() for wid in before} == before
    assert "imported 1 workshop" in report.summary().lower()

    # Again, replacing: the colleague's copy wins, nothing is duplicated.
    report = import_files(library, [folder], lambda clash: "replace")
    assert [e.workshop_id for e in report.replaced] == [second.id]
    assert len(report.identical) == 2  # first and "new" are already there unchanged
    assert library.load(second.id).title == "Changed by a colleague"
    assert len(library) == 3

    # Keep both: the library's copy stays, the file's comes in under a new id.
    library.save(second)
    report = import_files(library, [folder / "2-changed.json"], lambda clash: "keep-both")
    (copy,) = report.copied
    assert copy.workshop_id != second.id
    assert library.load(copy.workshop_id).title == "Changed by a colleague"
    assert library.load(second.id).title == second.title
    assert len(library) == 4


def test_import_files_cancel_imports_nothing(library, tmp_path):
    a = _workshop("a", "O", "T", "2025-01-01", {})
    b = _workshop("b", "O", "T", "2025-02-01", {})
    library.save(a)
    library.save(b)
    a.title, b.title = "A2", "B2"
    (tmp_path / "a.json").write_text(fileformat.dumps(a), encoding="utf-8")
    (tmp_path / "b.json").write_text(fileformat.dumps(b), encoding="utf-8")
    answers = iter(["replace", None])
    report = import_files(library, [tmp_path / "a.json", tmp_path / "b.json"],
                                  lambda clash: next(answers))
    assert report.replaced == [] and report.cancelled == 2
    assert report.summary() == "Import cancelled: nothing was imported."
    # All or nothing: the replacement decided before the cancel is not kept either.
    assert library.load("a").title == "Workshop a" and library.load("b").title == "Workshop b"


def test_collect_workshop_files(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "B.JSON").write_text("{}", encoding="utf-8")
    (tmp_path / "d" / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "d" / ".hidden.json").write_text("{}", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    files, problems = collect_workshop_files(
        [tmp_path / "d", tmp_path / "d" / "a.json", tmp_path / "empty", tmp_path / "nope.json"])
    assert [f.name for f in files] == ["a.json", "B.JSON"]
    assert [(Path(p.source).name, p.problem) for p in problems] == [
        ("empty", "no .json workshop files in this folder"),
        ("nope.json", "no such file or folder"),
    ]
