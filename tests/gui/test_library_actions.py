"""Library edits go through one LibraryActions: failures are clear, screens match the disk."""

from __future__ import annotations

import errno

import pytest

from calms_desktop.core import fileformat, storage
from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.demo import DEMO_IDS
from calms_desktop.core.storage import Library
from calms_desktop.gui.library.browser import LibraryScreen
from calms_desktop.gui.library_actions import LibraryActions, explain
from calms_desktop.gui.screens.start_screen import StartScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def actions(qtbot, demo_library):
    library, _workshops = demo_library
    return LibraryActions(library)


@pytest.fixture
def screens(qtbot, actions):
    start = StartScreen(actions)
    start.confirm = lambda _title, _text: True
    browser = LibraryScreen(actions)
    browser.load()
    for w in (start, browser):
        qtbot.addWidget(w)
    return start, browser


def _fail_with(monkeypatch, name, code, text):
    def fail(*_a, **_k):
        raise OSError(code, text)
    monkeypatch.setattr(storage.os, name, fail)


def _titles_on_disk(library):
    with Library(library.folder, read_only=True) as reader:
        return sorted(r["title"] for r in reader.summaries())


def test_a_rename_on_a_full_disk_says_so_and_keeps_the_old_title(qtbot, actions, screens,
                                                                 monkeypatch):
    start, browser = screens
    library = actions.library
    before = _titles_on_disk(library)
    _fail_with(monkeypatch, "fsync", errno.ENOSPC, "No space left on device")
    with qtbot.waitSignal(actions.failed) as failed:
        assert not browser.rename(DEMO_IDS[1], "Never saved")
    assert "disk is full" in failed.args[0]
    monkeypatch.undo()
    assert "Could not rename the workshop: the disk is full" in browser.message
    assert _titles_on_disk(library) == before
    assert "Never saved" not in [r["title"] for r in browser.model.rows]
    assert library.summary(DEMO_IDS[1])["title"] != "Never saved"


def test_a_rename_reaches_the_start_screen(qtbot, actions, screens):
    start, browser = screens
    with qtbot.waitSignal(actions.changed):
        assert browser.rename(DEMO_IDS[1], "Renamed in the library")
    tree = start.ui.workshopList
    assert "Renamed in the library" in [tree.topLevelItem(i).text(0)
                                        for i in range(tree.topLevelItemCount())]


def test_trash_on_a_read_only_drive_says_so_and_lists_what_is_on_disk(qtbot, actions, screens,
                                                                     monkeypatch):
    start, browser = screens
    start.select(DEMO_IDS[0])
    _fail_with(monkeypatch, "rename", errno.EROFS, "Read-only file system")
    with qtbot.waitSignal(actions.failed):
        assert not start.delete_selected()
    monkeypatch.undo()
    assert "read-only" in start.message()
    assert DEMO_IDS[0] in actions.library
    assert (actions.library.path_of(DEMO_IDS[0])).exists()
    assert browser.model.row_of(DEMO_IDS[0]) is not None


def test_trash_and_restore_through_either_screen_update_both(qtbot, actions, screens):
    start, browser = screens
    start.select(DEMO_IDS[0])
    assert start.delete_selected()
    assert browser.model.row_of(DEMO_IDS[0]) is None  # the browser re-read the library
    browser.load_trash()
    assert DEMO_IDS[0] in browser.trash_ids()
    assert browser._restore(DEMO_IDS[0])
    assert start.select(DEMO_IDS[0])  # and the start screen lists it again


def test_a_restore_that_fails_says_why(qtbot, actions, screens, monkeypatch):
    start, _browser = screens
    start.select(DEMO_IDS[0])
    assert start.delete_selected()
    _fail_with(monkeypatch, "rename", errno.EIO, "Input/output error")
    assert not start.undo_delete()
    monkeypatch.undo()
    assert "input/output error" in start.message()
    assert DEMO_IDS[0] not in actions.library
    assert [r["id"] for r in actions.library.trash()] == [DEMO_IDS[0]]


def test_an_import_that_cannot_be_stored_names_the_users_file(qtbot, actions, screens,
                                                             tmp_path, monkeypatch):
    _start, browser = screens
    ws = fileformat.from_document(fileformat.to_document(actions.library.load(DEMO_IDS[0])))
    ws.id = "incoming"
    mine = tmp_path / "colleague.json"
    mine.write_text(fileformat.dumps(ws), encoding="utf-8")
    _fail_with(monkeypatch, "fsync", errno.ENOSPC, "No space left on device")
    with qtbot.waitSignal(actions.failed) as failed:
        report = browser.import_paths([mine])
    monkeypatch.undo()
    assert report is not None and report.failed is not None and report.changed == 0
    assert str(mine) in failed.args[0]
    assert "Nothing was imported" in browser.message and str(mine) in browser.message
    assert "incoming" not in actions.library


def test_explain_names_the_common_failures():
    assert "disk is full" in explain(OSError(errno.ENOSPC, "x"))
    assert "read-only" in explain(OSError(errno.EROFS, "x"))
    assert explain(OSError(errno.EBADF, "Bad file descriptor")) == "Bad file descriptor"
    from calms_desktop.core.i18n import Translator, activate

    with activate(Translator("de")):  # the system's words are English: German names the code
        assert explain(OSError(errno.EBADF, "Bad file descriptor")) == "Systemfehler EBADF"


# -- start-up failures reach a GUI user as a dialog ------------------------------------------


def _start(data_dir):
    from calms_desktop.gui.app import run_gui

    shown: list[str] = []
    code = run_gui(data_dir, show_error=shown.append)
    return code, shown


def test_a_library_on_a_missing_drive_is_a_dialog(qtbot, tmp_path):
    (tmp_path / "drive").write_text("not a folder")
    code, shown = _start(tmp_path / "drive" / "CALMS")
    assert code == 2 and len(shown) == 1 and "connected" in shown[0]


def test_a_lock_file_that_cannot_be_written_is_a_dialog(qtbot, data_dir):
    (data_dir / "library.lock").mkdir(parents=True)
    code, shown = _start(data_dir)
    assert code == 2 and "lock file" in shown[0]


def test_a_locked_library_is_a_dialog(qtbot, data_dir):
    with Library(data_dir):
        code, shown = _start(data_dir)
    assert code == 3 and "open in another CALMS Workshop" in shown[0]


def test_a_read_only_library_is_a_dialog(qtbot, tmp_path):
    from tests.core.tmpfs import remount, small_tmpfs

    with small_tmpfs(tmp_path / "mnt") as disk:
        Library(disk / "lib").close()
        remount(disk, "ro")
        try:
            code, shown = _start(disk / "lib")
        finally:
            remount(disk, "rw")
    assert code == 2 and "read-only" in shown[0]


def test_a_damaged_default_questionnaire_never_makes_ctrl_n_raise(qtbot, app_window, tmp_path,
                                                                 monkeypatch):
    from calms_desktop.gui import main_window as mw

    folder = tmp_path / "questionnaires"
    folder.mkdir()
    (folder / "calms-default.json").write_text('{"format": "calms-questionnaire", "id": ',
                                               encoding="utf-8")
    (folder / "quick-check.json").write_bytes(
        (qmod.QUESTIONNAIRE_DIR / "quick-check.json").read_bytes())
    monkeypatch.setattr(qmod, "QUESTIONNAIRE_DIR", folder)
    told: list[str] = []

    class Box:
        @staticmethod
        def warning(_parent, _title, text):
            told.append(text)

        critical = warning

    monkeypatch.setattr(mw, "_box", lambda: Box)
    app_window.new_workshop()
    assert told and "damaged" in told[0] and "calms-default.json" in told[0]
    assert app_window.controller is not None
    assert app_window.controller.workshop.questionnaire.id == "quick-check"
    app_window.close_workshop()
    (folder / "quick-check.json").write_text("[]", encoding="utf-8")
    told.clear()
    app_window.new_workshop()  # nothing readable at all: a message, no exception
    assert told and "no questionnaire" in told[0]


def test_the_trash_restores_the_copy_that_was_picked(qtbot, actions, screens):
    start, browser = screens
    library = actions.library
    first = library.load(DEMO_IDS[0])
    library.delete(DEMO_IDS[0])
    first.title = "Second life"
    library.save(first)
    library.delete(DEMO_IDS[0])  # two deleted workshops with one id: both kept
    dialog = start.show_trash()
    try:
        tree = dialog.tree
        titles = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
        assert sorted(titles) == sorted(["Second life", library.trash()[1]["title"]])
        older = next(i for i in range(len(titles)) if titles[i] != "Second life")
        dialog.tree.setCurrentItem(dialog.tree.topLevelItem(older))
        dialog.restore_selected()
        assert library.load(DEMO_IDS[0]).title == titles[older]
        assert [r["title"] for r in library.trash()] == ["Second life"]
    finally:
        dialog.close()
