"""Every hostile document is refused by an import, naming the user's file and the place.

Through the CLI (nothing is imported when one file is bad) and the core
import the GUI uses (the bad file is listed, the library keeps its own).
"""

from __future__ import annotations

import pytest

from calms_desktop import cli
from calms_desktop.core import fileformat
from calms_desktop.core.merge import import_files
from calms_desktop.core.storage import Library

from .corpus import ALL, DOCUMENTS, VALID_ID, Case, valid_workshop


def _folder(tmp_path, case: Case):
    folder = tmp_path / "incoming"
    folder.mkdir()
    (folder / "a-good.json").write_text(fileformat.dumps(valid_workshop("incoming-good")),
                                        encoding="utf-8")
    bad = folder / "b-hostile.json"
    case.make(bad)
    return folder, bad


@pytest.mark.parametrize("case", DOCUMENTS, ids=[c.name for c in DOCUMENTS])
def test_cli_import_refuses_the_folder_and_names_the_file(good_library, tmp_path, case, capsys):
    folder, bad = _folder(tmp_path, case)
    code = cli.main(["import", str(folder), "--data-dir", str(good_library)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USER_ERROR
    assert f"error: {bad}: {case.where}" in err and case.problem in err
    assert "Nothing was imported" in err
    with Library(good_library, read_only=True) as lib:
        assert [r["id"] for r in lib.summaries()] == [VALID_ID]


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_the_gui_import_lists_the_file_and_imports_the_rest(good_library, tmp_path, case):
    folder, bad = _folder(tmp_path, case)
    with Library(good_library) as lib:
        report = import_files(lib, [folder], lambda clash: "skip")
        assert report.failed is None
        if case.imported:
            assert [e.workshop_id for e in report.imported] == ["incoming-good", "b-hostile"]
            assert lib.load("b-hostile").title == "A good workshop"
            assert not (lib.path_of("b-hostile")).is_symlink()  # stored as a copy
            return
        assert [e.workshop_id for e in report.imported] == ["incoming-good"]
        if case.importable_as_file:
            (problem,) = report.problems
            assert problem.source == str(bad)
            assert problem.where.startswith(case.where) and case.problem in str(problem)
        else:
            assert report.problems == []  # not a regular file: not even picked up
        assert sorted(r["id"] for r in lib.summaries()) == ["incoming-good", VALID_ID]


REFUSED = [c for c in ALL if not c.importable_as_file and not c.imported]


@pytest.mark.parametrize("case", REFUSED, ids=[c.name for c in REFUSED])
def test_an_entry_named_directly_is_refused(good_library, tmp_path, case, capsys):
    bad = tmp_path / "x.json"
    case.make(bad)
    code = cli.main(["import", str(bad), "--data-dir", str(good_library)])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USER_ERROR and str(bad) in err
    assert "Nothing was imported" in err
