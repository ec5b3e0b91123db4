"""``calms-desktop import`` merging a colleague's folder: refuse by default, then each choice.

No duplicates and no losses: after any choice every workshop of the library
and of the folder is still somewhere, and ids are never doubled.
"""

from __future__ import annotations

import pytest

from calms_desktop.cli import EXIT_USER_ERROR, main
from calms_desktop.core import fileformat
from calms_desktop.core.demo import build_demo
from calms_desktop.core.factory import reassessment_of
from calms_desktop.core.storage import Library


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "library.lock"
    }


def titles(data_dir):
    with Library(data_dir, read_only=True) as lib:
        return sorted((r["id"], r["title"]) for r in lib.summaries())


@pytest.fixture
def setup(tmp_path):
    """A library with the demo pair; a colleague's folder with one changed, one new workshop."""
    data = tmp_path / "lib"
    first, second = build_demo()
    with Library(data) as lib:
        lib.save(first)
        lib.save(second)
    folder = tmp_path / "colleague"
    folder.mkdir()
    changed = build_demo()[1]
    changed.title = "Re-assessment (Ana's notes)"
    changed.updated = "2099-01-01T00:00:00+00:00"
    new = reassessment_of(second)
    new.title = "Third assessment"
    (folder / "changed.json").write_text(fileformat.dumps(changed), encoding="utf-8")
    (folder / "new.json").write_text(fileformat.dumps(new), encoding="utf-8")
    return data, folder, first, second, new


def test_refuses_by_default_and_changes_nothing(setup, capsys):
    data, folder, _first, second, new = setup
    before = snapshot(data)
    code, out, err = run(capsys, "import", folder, "--data-dir", data)
    assert code == EXIT_USER_ERROR
    assert second.id in err and "--replace, --keep-both or --skip" in err
    assert new.id not in err  # only the clash is named
    assert "Nothing was imported" in err and out == ""
    assert snapshot(data) == before


def test_skip_keeps_the_librarys_copy_and_adds_the_new_one(setup, capsys):
    data, folder, first, second, new = setup
    code, out, err = run(capsys, "import", folder, "--skip", "--data-dir", data)
    assert code == 0, err
    assert f"({second.id}): already in the library" in out and out.startswith("Skipped")
    assert titles(data) == sorted([(first.id, first.title), (second.id, second.title),
                                   (new.id, "Third assessment")])


def test_replace_takes_the_files_copy_without_duplicates(setup, capsys):
    data, folder, first, second, new = setup
    code, _out, err = run(capsys, "import", folder, "--replace", "--data-dir", data)
    assert code == 0, err
    assert titles(data) == sorted([(first.id, first.title),
                                   (second.id, "Re-assessment (Ana's notes)"),
                                   (new.id, "Third assessment")])
    # The same folder again changes nothing and adds nothing.
    before = snapshot(data / "workshops")
    code, _out, err = run(capsys, "import", folder, "--replace", "--data-dir", data)
    assert code == 0, err
    assert snapshot(data / "workshops") == before


def test_keep_both_keeps_every_version(setup, capsys):
    data, folder, first, second, new = setup
    code, out, err = run(capsys, "import", folder, "--keep-both", "--data-dir", data)
    assert code == 0, err
    assert "as a copy" in out
    rows = titles(data)
    assert len(rows) == 4 and len({wid for wid, _ in rows}) == 4
    assert (second.id, second.title) in rows  # the library's copy is untouched
    assert sum(1 for _wid, t in rows if t == "Re-assessment (Ana's notes)") == 1
    with Library(data, read_only=True) as lib:
        copy_id = next(w for w, t in rows if t == "Re-assessment (Ana's notes)")
        copy = lib.load(copy_id)
    assert copy_id != second.id
    assert copy.votes.keys() == build_demo()[1].votes.keys()  # nothing of it was lost


def test_two_files_with_one_id_are_a_clash_too(tmp_path, capsys):
    first = build_demo()[0]
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.json").write_text(fileformat.dumps(first), encoding="utf-8")
    first.title = "Edited copy"
    (folder / "b.json").write_text(fileformat.dumps(first), encoding="utf-8")
    data = tmp_path / "lib"
    code, _out, err = run(capsys, "import", folder, "--data-dir", data)
    assert code == EXIT_USER_ERROR
    assert "more than one of the files" in err and "Nothing was imported" in err
    with Library(data, read_only=True) as lib:
        assert len(lib) == 0
    code, _out, err = run(capsys, "import", folder, "--keep-both", "--data-dir", data)
    assert code == 0, err
    assert sorted(t for _w, t in titles(data)) == ["CALMS baseline", "Edited copy"]


def test_a_malformed_file_in_the_folder_is_named_and_nothing_is_imported(setup, capsys):
    data, folder, *_ = setup
    (folder / "zz-broken.json").write_text('{"format": "calms-workshop", "format_version": 1,',
                                           encoding="utf-8")
    before = snapshot(data)
    code, _out, err = run(capsys, "import", folder, "--replace", "--data-dir", data)
    assert code == EXIT_USER_ERROR
    assert "zz-broken.json" in err and "line 1" in err and "not valid JSON" in err
    assert snapshot(data) == before
