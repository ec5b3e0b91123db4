"""Whatever lands in a library folder, the library opens and says what it set aside.

Each entry of the corpus is dropped by hand into ``workshops/`` next to a
valid workshop; the writer and a reader (``list``/``export``) must open the
rest, name the file and the place, and never raise or block.
"""

from __future__ import annotations

import json
import os

import pytest

from calms_desktop import cli
from calms_desktop.core.storage import Library

from .corpus import ALL, DOCUMENTS, INDEXES, VALID_ID, Case


def _drop(data_dir, case: Case):
    path = data_dir / "workshops" / "hostile.json"
    case.make(path)
    return path


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_the_writer_opens_the_rest_and_sets_the_entry_aside(good_library, case):
    path = _drop(good_library, case)
    with Library(good_library) as lib:
        assert [r["id"] for r in lib.summaries()] == [VALID_ID]
        assert lib.load(VALID_ID).title == "A good workshop"
        (problem,) = lib.problems
    assert str(path) in problem.message
    if case.where is not None:
        assert f": {case.where}" in problem.message
    assert case.problem in problem.message
    assert problem.moved_to and os.path.lexists(problem.moved_to)  # set aside, not deleted
    assert not os.path.lexists(path)
    with Library(good_library) as lib:  # and it stays aside: the next open is clean
        assert lib.problems == [] and len(lib) == 1


@pytest.mark.parametrize("case", ALL, ids=[c.name for c in ALL])
def test_list_and_export_report_it_and_carry_on(good_library, case, capsys, tmp_path):
    path = _drop(good_library, case)
    assert cli.main(["list", "--data-dir", str(good_library)]) == 0
    out, err = capsys.readouterr()
    assert VALID_ID in out
    assert "warning: set aside" in err and case.problem in err
    assert "\x1b" not in out + err  # nothing from a file reaches the terminal raw
    out_file = tmp_path / "out.json"
    assert cli.main(["export", VALID_ID, "--json", str(out_file),
                     "--data-dir", str(good_library)]) == 0
    assert json.loads(out_file.read_text(encoding="utf-8"))["workshop"]["id"] == VALID_ID
    assert os.path.lexists(path)  # readers move nothing


@pytest.mark.parametrize("case", DOCUMENTS, ids=[c.name for c in DOCUMENTS])
def test_a_document_in_the_trash_does_not_break_the_trash(good_library, case):
    case.make(good_library / "trash" / "hostile.json")
    with Library(good_library) as lib:
        assert lib.trash() == []
        lib.delete(VALID_ID)
        assert [r["id"] for r in lib.trash()] == [VALID_ID]


@pytest.mark.parametrize("case", [c for c in ALL if c.where is None],
                         ids=[c.name for c in ALL if c.where is None])
def test_an_entry_in_the_trash_does_not_block_it(good_library, case):
    case.make(good_library / "trash" / "hostile.json")
    with Library(good_library) as lib:
        assert lib.trash() == []


@pytest.mark.parametrize("name", INDEXES)
def test_a_hand_edited_index_of_the_wrong_shape_is_rebuilt(good_library, name, capsys):
    (good_library / "index.json").write_text(json.dumps(INDEXES[name]), encoding="utf-8")
    with Library(good_library, read_only=True) as reader:
        rows = reader.summaries()
        assert [r["id"] for r in rows] == [VALID_ID] and rows[0]["title"] == "A good workshop"
        assert reader.team_workshops("Org", "Team")[0]["id"] == VALID_ID
        assert reader.teams()[0]["workshops"] == 1
    assert cli.main(["list", "--data-dir", str(good_library)]) == 0
    assert VALID_ID in capsys.readouterr().out
    with Library(good_library) as lib:
        assert [r["id"] for r in lib.summaries()] == [VALID_ID] and lib.problems == []
    stored = json.loads((good_library / "index.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in stored["workshops"].values()] == [VALID_ID]


def test_a_hostile_staging_folder_is_thrown_away(good_library):
    staging = good_library / ".staging-evil"
    staging.mkdir()
    (staging / "0.json").write_text("{}", encoding="utf-8")
    plan = [{"staged": "0.json", "target": "../../escaped.json"}]
    (staging / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    with Library(good_library) as lib:
        assert len(lib) == 1 and lib.problems == []
    assert not staging.exists()
    assert not (good_library.parent / "escaped.json").exists()


def test_titles_with_terminal_escapes_are_shown_escaped(data_dir, capsys):
    from .corpus import valid_workshop

    evil = "\x1b]0;owned\x07\x1b[2J\x9b31mRed\u202eevil"
    with Library(data_dir) as lib:
        lib.save(valid_workshop(title=evil))
    assert cli.main(["list", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07\\x1b[2J\\x9b31mRed\\u202eevil" in out
    assert cli.main(["list", "--json", "--data-dir", str(data_dir)]) == 0
    text = capsys.readouterr().out
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert json.loads(text)[0]["title"] == evil  # still the same JSON


def test_a_fifo_questionnaire_is_refused_not_waited_for(tmp_path):
    from calms_desktop.core import questionnaire as qmod
    from calms_desktop.core.errors import ValidationError

    fifo = tmp_path / "q.json"
    os.mkfifo(fifo)
    with pytest.raises(ValidationError, match="not a regular file"):
        qmod.load_file(fifo)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 50 + "]" * 50, encoding="utf-8")
    with pytest.raises(ValidationError, match="nested deeper"):
        qmod.load_file(deep)
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(ValidationError, match="the limit is"):
        qmod.load_file(big)


@pytest.mark.parametrize("name", ["settings.ini", "session.json", "index.json"])
@pytest.mark.parametrize("case", [c for c in ALL if c.where is None],
                         ids=[c.name for c in ALL if c.where is None])
def test_an_odd_entry_in_place_of_our_own_files_is_set_aside(good_library, case, name):
    path = good_library / name
    if path.exists():
        path.unlink()
    case.make(path)
    with Library(good_library) as lib:
        assert [r["id"] for r in lib.summaries()] == [VALID_ID]
        assert any(str(path) in p.message for p in lib.problems)
    assert not os.path.lexists(path) or path.is_file()  # the index may be written anew


def test_the_app_starts_when_settings_and_resume_files_are_pipes(qtbot, good_library):
    from calms_desktop.gui.app import create_window, offer_resume

    os.mkfifo(good_library / "settings.ini")
    os.mkfifo(good_library / "session.json")
    window = create_window(good_library)
    qtbot.addWidget(window)
    try:
        assert "set aside" in window.start_screen.message()
        assert offer_resume(window, lambda _text: True) is False
    finally:
        window.library.close()
