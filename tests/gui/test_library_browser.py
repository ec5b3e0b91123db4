"""The library browser: search, dates, sorting, actions, trash, export, import, drag and drop."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent

from calms_desktop.core import fileformat
from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import PILLARS, Participant, PillarState
from calms_desktop.core.progress import fold
from calms_desktop.gui.library import browser as browser_mod
from calms_desktop.gui.library.browser import LibraryScreen, suggested_file_name
from calms_desktop.gui.library.table import (
    DATE,
    ORGANISATION,
    PARTICIPANTS,
    STATUS,
    TEAM,
    TITLE,
    status_of,
)
from calms_desktop.gui.library_actions import LibraryActions

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def make(title, org, team, day, people=3, states=None):
    ws = new_workshop(qmod.builtin(), title=title, organisation=org, team=team, date=day,
                      participants=[Participant(f"p{i}", f"P{i}") for i in range(people)])
    if states:
        ws.pillar_states = {p: states for p in PILLARS}
    return ws


@pytest.fixture
def workshops(library):
    items = [
        make("Kick-off", "Zoë Müller GmbH", "Payments", "2024-03-01", 5, PillarState.DONE),
        make("Re-assessment", "zoe muller gmbh", "Payments", "2025-01-15", 8),
        make("Baseline", "Acme", "Søren's Squad", "2023-07-30", 12),
        make("<b>Bold</b> & co", "Acme", "Platform", "2025-06-01", 1),
        make("Undated", "Beta", "Ops", "", 2),
    ]
    for ws in items:
        library.save(ws)
    return {ws.title: ws for ws in items}


@pytest.fixture
def screen(qtbot, library, workshops):
    s = LibraryScreen(LibraryActions(library))
    s.is_open = lambda _wid: False
    s.ask_conflict = lambda clash, can_replace: pytest.fail("unexpected clash")
    qtbot.addWidget(s)
    s.resize(1200, 700)
    s.load()
    s.show()
    qtbot.waitExposed(s)
    return s


def titles(screen):
    proxy = screen.proxy
    return [proxy.index(r, TITLE).data() for r in range(proxy.rowCount())]


def test_lists_every_workshop_newest_first(screen, workshops):
    assert titles(screen) == ["<b>Bold</b> & co", "Re-assessment", "Kick-off", "Baseline",
                              "Undated"]
    assert screen.ui.countLabel.text() == "5 workshops"
    row = [screen.proxy.index(2, c).data() for c in range(6)]
    assert row == ["Kick-off", "Zoë Müller GmbH", "Payments", "1 Mar 2024", "5", "Complete"]
    assert screen.proxy.index(4, DATE).data() == "—"
    assert not screen.ui.emptyLabel.isVisible()


def test_status_text():
    assert status_of({})[0] == "Not started"
    states = {p.value: "done" for p in PILLARS}
    assert status_of(states)[0] == "Complete"
    states["lean"] = "voting"
    assert status_of(states)[0] == "In progress · 4/5 pillars done"


@pytest.mark.parametrize(("query", "expected"), [
    ("zoe", {"Kick-off", "Re-assessment"}),
    ("ZOË MÜLLER", {"Kick-off", "Re-assessment"}),
    ("soren", {"Baseline"}),
    ("acme platform", {"<b>Bold</b> & co"}),
    ("  payments   kick ", {"Kick-off"}),
    ("<b>", {"<b>Bold</b> & co"}),
    ("nothing-like-this", set()),
])
def test_search_ignores_case_and_accents(screen, query, expected):
    screen.ui.searchEdit.setText(query)
    assert set(titles(screen)) == expected
    if expected:
        assert screen.ui.countLabel.text() == f"{len(expected)} of 5 workshops shown"
    else:
        assert screen.ui.emptyLabel.isVisible()
        assert "No workshop matches" in screen.ui.emptyLabel.text()


def test_date_filter(screen):
    screen.set_date_range(date(2024, 1, 1), None)
    assert set(titles(screen)) == {"<b>Bold</b> & co", "Re-assessment", "Kick-off"}
    screen.set_date_range(date(2024, 1, 1), date(2025, 1, 15))
    assert set(titles(screen)) == {"Re-assessment", "Kick-off"}
    screen.set_date_range(None, date(2023, 12, 31))
    assert titles(screen) == ["Baseline"]
    screen.ui.toCheck.setChecked(False)
    assert len(titles(screen)) == 5  # undated workshops come back with no limits


def test_date_filter_through_the_controls(screen):
    screen.ui.fromDate.setDate(screen.ui.fromDate.date().fromString("2025-01-01", "yyyy-MM-dd"))
    screen.ui.fromCheck.setChecked(True)
    assert screen.ui.fromDate.isEnabled()
    assert set(titles(screen)) == {"<b>Bold</b> & co", "Re-assessment"}


@pytest.mark.parametrize(("column", "expected"), [
    (TITLE, ["<b>Bold</b> & co", "Baseline", "Kick-off", "Re-assessment", "Undated"]),
    (ORGANISATION, ["Acme", "Acme", "Beta", "Zoë Müller GmbH", "zoe muller gmbh"]),
    (TEAM, ["Ops", "Payments", "Payments", "Platform", "Søren's Squad"]),
    (DATE, ["—", "30 Jul 2023", "1 Mar 2024", "15 Jan 2025", "1 Jun 2025"]),
    (PARTICIPANTS, ["1", "2", "5", "8", "12"]),
    (STATUS, ["Not started", "Not started", "Not started", "Not started", "Complete"]),
])
def test_sorting_by_any_column(screen, column, expected):
    screen.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    proxy = screen.proxy
    got = [proxy.index(r, column).data() for r in range(proxy.rowCount())]
    if column == ORGANISATION:  # equal after folding: the order between them is free
        assert [fold(x) for x in got] == [fold(x) for x in expected]
    else:
        assert got == expected
    screen.table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    got_desc = [proxy.index(r, column).data() for r in range(proxy.rowCount())]
    assert [fold(x) for x in got_desc] == [fold(x)
                                                        for x in reversed(got)]


def test_user_text_is_shown_as_it_is(screen):
    index = screen.proxy.index(0, TITLE)
    assert index.data() == "<b>Bold</b> & co"
    assert index.data(Qt.ItemDataRole.ToolTipRole) is None  # short: no tooltip needed


def test_enter_and_double_click_open(qtbot, screen, workshops):
    ws = workshops["Baseline"]
    assert screen.select(ws.id)
    screen.table.setFocus()
    with qtbot.waitSignal(screen.open_requested) as blocker:
        qtbot.keyClick(screen.table, Qt.Key.Key_Return)
    assert blocker.args == [ws.id]
    rect = screen.table.visualRect(screen.table.currentIndex())
    viewport = screen.table.viewport()
    with qtbot.waitSignal(screen.open_requested) as blocker:
        qtbot.mouseClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(viewport, Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [ws.id]


def test_search_then_down_arrow_reaches_the_list(qtbot, screen, workshops):
    screen.focus_first()
    qtbot.keyClicks(screen.ui.searchEdit, "søren")
    qtbot.keyClick(screen.ui.searchEdit, Qt.Key.Key_Down)
    assert screen.table.hasFocus()
    assert screen.selected_id() == workshops["Baseline"].id
    qtbot.keyClick(screen.ui.searchEdit, Qt.Key.Key_Escape)  # Esc clears the search
    assert screen.ui.searchEdit.text() == ""


def test_reassess_and_progress_signals(qtbot, screen, workshops):
    ws = workshops["Kick-off"]
    screen.select(ws.id)
    with qtbot.waitSignal(screen.reassess_requested) as blocker:
        screen.ui.reassessButton.click()
    assert blocker.args == [ws.id]
    with qtbot.waitSignal(screen.progress_requested) as blocker:
        screen.ui.progressButton.click()
    assert blocker.args == ["Zoë Müller GmbH", "Payments"]


def test_buttons_need_a_selection(qtbot, library):
    s = LibraryScreen(LibraryActions(library))
    qtbot.addWidget(s)
    s.load()
    assert not s.ui.openButton.isEnabled() and not s.ui.deleteButton.isEnabled()
    assert s.ui.importButton.isEnabled()
    assert "No workshops yet" in s.ui.emptyLabel.text()


def test_rename_in_place_with_f2(qtbot, screen, library, workshops):
    ws = workshops["Baseline"]
    screen.select(ws.id)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_F2)
    editor = screen.table.focusWidget()
    assert editor is not screen.table and editor.text() == "Baseline"
    editor.selectAll()
    qtbot.keyClicks(editor, "Erste Messung <i>&</i> ")
    editor.insert("🙂")  # QTest cannot type characters outside the BMP
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop
    qtbot.waitUntil(lambda: library.load(ws.id).title == "Erste Messung <i>&</i> 🙂")
    assert "Erste Messung <i>&</i> 🙂" in titles(screen)


def test_rename_refuses_empty_titles_and_the_open_workshop(screen, library, workshops):
    ws = workshops["Baseline"]
    assert not screen.rename(ws.id, "   ")
    assert "needs a title" in screen.message
    screen.is_open = lambda wid: wid == ws.id
    assert not screen.rename(ws.id, "New title")
    assert "open in the console" in screen.message
    assert library.load(ws.id).title == "Baseline"
    screen.is_open = lambda _wid: False
    assert screen.rename(ws.id, "New title")
    assert library.load(ws.id).title == "New title"


def test_open_workshop_is_found_through_the_main_window(qtbot, library, workshops):
    class Host:
        class controller:  # noqa: N801 - stands in for the main window's controller
            workshop = workshops["Baseline"]

    s = LibraryScreen(LibraryActions(library))
    qtbot.addWidget(s)
    s._host = Host()
    assert s.is_open(workshops["Baseline"].id)
    assert not s.is_open(workshops["Kick-off"].id)


def test_delete_to_trash_undo_and_restore(qtbot, screen, library, workshops):
    ws = workshops["Kick-off"]
    screen.select(ws.id)
    screen.table.setFocus()
    qtbot.keyClick(screen.table, Qt.Key.Key_Delete)
    assert ws.id not in library and ws.id not in screen.visible_ids()
    assert (library.trash_dir / f"{ws.id}.json").exists()
    assert "Moved “Kick-off” to the trash" in screen.message
    assert screen.selected_id() is not None  # the next workshop is selected
    screen.ui.undoButton.click()
    assert ws.id in library and screen.selected_id() == ws.id

    screen.select(ws.id)
    screen.ui.deleteButton.click()
    screen.ui.tabs.setCurrentWidget(screen.ui.trashTab)
    assert screen.trash_ids() == [ws.id]
    assert screen.ui.restoreButton.isEnabled()
    screen.trash_table.setFocus()
    qtbot.keyClick(screen.trash_table, Qt.Key.Key_Return)
    assert ws.id in library and screen.trash_ids() == []
    assert "Restored" in screen.message
    assert library.load(ws.id).title == "Kick-off"  # nothing lost


def test_the_open_workshop_cannot_be_deleted(screen, library, workshops):
    ws = workshops["Kick-off"]
    screen.is_open = lambda wid: wid == ws.id
    screen.select(ws.id)
    screen.delete_selected()
    assert ws.id in library and "close it first" in screen.message


def test_restore_refuses_when_the_id_came_back(screen, library, workshops):
    ws = workshops["Kick-off"]
    screen.select(ws.id)
    screen.delete_selected()
    library.save(ws)  # imported again meanwhile
    screen.load()
    screen.ui.tabs.setCurrentWidget(screen.ui.trashTab)
    screen.restore_selected()
    assert "Could not restore" in screen.message
    assert (library.trash_dir / f"{ws.id}.json").exists()


def test_export(screen, workshops, tmp_path, monkeypatch):
    ws = workshops["<b>Bold</b> & co"]
    target = tmp_path / "out"
    seen = {}

    def fake_save(_parent, _caption, start, _filter):
        seen["start"] = start
        return str(target), ""

    monkeypatch.setattr(browser_mod.QFileDialog, "getSaveFileName", fake_save)
    screen.select(ws.id)
    screen.ui.exportButton.click()
    assert seen["start"].endswith("Acme Platform 2025-06-01 -b-Bold-b- & co.json")
    written = tmp_path / "out.json"
    assert fileformat.to_document(fileformat.read_file(written)) == fileformat.to_document(ws)
    assert "Exported" in screen.message


def test_export_failure_is_reported(screen, workshops, tmp_path):
    assert not screen.export_workshop(workshops["Baseline"].id, tmp_path / "no" / "dir" / "x.json")
    assert "Could not export" in screen.message


def test_suggested_file_name_is_safe():
    row = {"organisation": "A/B", "team": "C:D", "date": "2025-01-01", "title": "x\n" * 200}
    name = suggested_file_name(row)
    assert "/" not in name and ":" not in name and "\n" not in name
    assert name.endswith(".json") and len(name) <= 125
    assert suggested_file_name({}) == "workshop.json"


# -- import and merge ------------------------------------------------------------------------
def _write(path, ws):
    path.write_text(fileformat.dumps(ws), encoding="utf-8")
    return path


@pytest.fixture
def colleague(tmp_path, workshops):
    """A colleague's folder: a new workshop, two changed copies, one malformed file."""
    folder = tmp_path / "colleague"
    folder.mkdir()
    new = make("From Ana", "Gamma", "Data", "2025-02-02")
    _write(folder / "1-new.json", new)
    for i, name in enumerate(("Baseline", "Kick-off"), 2):
        changed = fileformat.from_document(fileformat.to_document(workshops[name]))
        changed.title = f"{name} (Ana)"
        _write(folder / f"{i}-changed.json", changed)
    (folder / "9-bad.json").write_text('{"format": "calms-workshop", "format_version": 1, '
                                       '"workshop": {}}', encoding="utf-8")
    return folder, new


@pytest.mark.parametrize("choice", ["replace", "keep-both", "skip"])
def test_folder_import_merge_choices(screen, library, workshops, colleague, choice):
    folder, new = colleague
    asked = []

    def ask(clash, can_replace):
        asked.append((clash.incoming.title, clash.remaining, can_replace))
        return choice, True  # ... and do the same for the rest

    screen.ask_conflict = ask
    report = screen.import_paths([folder])
    assert asked == [("Baseline (Ana)", 1, True)]  # asked once, applied to both
    assert new.id in library
    titles_now = sorted(r["title"] for r in library.summaries())
    if choice == "replace":
        assert len(report.replaced) == 2 and len(library) == 6
        assert "Baseline (Ana)" in titles_now and "Baseline" not in titles_now
    elif choice == "keep-both":
        assert len(report.copied) == 2 and len(library) == 8
        assert {"Baseline", "Baseline (Ana)", "Kick-off", "Kick-off (Ana)"} <= set(titles_now)
    else:
        assert len(report.skipped) == 2 and len(library) == 6
        assert "Baseline (Ana)" not in titles_now
    assert len({r["id"] for r in library.summaries()}) == len(library)  # no doubled ids
    problems = screen.problems_shown()
    assert len(problems) == 1
    assert "9-bad.json — $: missing required field" in problems[0]
    assert (folder / "9-bad.json").exists()
    assert "could not be read" in screen.message
    assert screen.selected_id() == new.id  # the first new workshop is selected


def test_each_clash_asked_without_apply_to_all(screen, library, colleague):
    folder, _new = colleague
    answers = iter([("skip", False), ("replace", False)])
    seen = []
    screen.ask_conflict = lambda clash, ok: seen.append(clash.incoming.title) or next(answers)
    screen.import_paths([folder])
    assert seen == ["Baseline (Ana)", "Kick-off (Ana)"]
    titles_now = {r["title"] for r in library.summaries()}
    assert "Baseline" in titles_now and "Kick-off (Ana)" in titles_now


def test_cancel_stops_the_import(screen, library, colleague, workshops):
    folder, new = colleague
    screen.ask_conflict = lambda clash, ok: (None, False)
    report = screen.import_paths([folder])
    assert new.id not in library  # all or nothing: a cancelled import imports nothing
    assert report.cancelled == 3 and "nothing was imported" in screen.message
    assert library.load(workshops["Baseline"].id).title == "Baseline"


def test_the_open_workshop_is_never_replaced(screen, library, workshops, tmp_path):
    ws = workshops["Baseline"]
    changed = fileformat.from_document(fileformat.to_document(ws))
    changed.title = "Changed"
    f = _write(tmp_path / "x.json", changed)
    screen.is_open = lambda wid: wid == ws.id
    offered = []
    screen.ask_conflict = lambda clash, can_replace: offered.append(can_replace) or ("replace",
                                                                                     False)
    report = screen.import_paths([f])
    assert offered == [False]
    assert library.load(ws.id).title == "Baseline"
    assert len(report.copied) == 1


def test_importing_the_same_file_twice_adds_nothing(screen, library, tmp_path):
    ws = make("Once", "O", "T", "2025-01-01")
    f = _write(tmp_path / "once.json", ws)
    screen.import_paths([f])
    screen.import_paths([f])  # identical: not even asked (ask_conflict would fail the test)
    assert sum(1 for r in library.summaries() if r["title"] == "Once") == 1
    assert "already in the library unchanged" in screen.message


def test_import_dialog_buttons(screen, library, tmp_path, monkeypatch):
    ws = make("Picked", "O", "T", "2025-01-01")
    f = _write(tmp_path / "picked.json", ws)
    monkeypatch.setattr(browser_mod.QFileDialog, "getOpenFileNames",
                        lambda *a: ([str(f)], ""))
    screen.ui.importButton.click()
    assert ws.id in library
    folder = tmp_path / "more"
    folder.mkdir()
    other = make("In folder", "O", "T", "2025-01-02")
    _write(folder / "a.json", other)
    monkeypatch.setattr(browser_mod.QFileDialog, "getExistingDirectory", lambda *a: str(folder))
    screen.ui.importFolderButton.click()
    assert other.id in library


def _drop_events(paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    enter = QDragEnterEvent(QPoint(10, 10), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    drop = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    return mime, enter, drop


def test_drag_and_drop_files_and_folders(qtbot, screen, library, tmp_path):
    a = make("Dropped file", "O", "T", "2025-01-01")
    fa = _write(tmp_path / "a.json", a)
    folder = tmp_path / "dropped"
    folder.mkdir()
    b = make("Dropped folder", "O", "T", "2025-01-02")
    _write(folder / "b.json", b)
    _mime, enter, drop = _drop_events([fa, folder])
    screen.dragEnterEvent(enter)
    assert enter.isAccepted()
    screen.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: a.id in library and b.id in library)
    assert {a.id, b.id} <= set(screen.visible_ids())


def test_drag_of_other_files_is_refused(screen, tmp_path):
    txt = tmp_path / "notes.txt"
    txt.write_text("hello", encoding="utf-8")
    _mime, enter, drop = _drop_events([txt])
    screen.dragEnterEvent(enter)
    assert not enter.isAccepted()
    screen.dropEvent(drop)
    assert not drop.isAccepted()


def test_damaged_files_found_on_opening_are_reported(qtbot, data_dir, library, workshops):
    library.path_of(workshops["Baseline"].id).write_text("{oops", encoding="utf-8")
    from calms_desktop.core.storage import Library

    library.close()
    reopened = Library(data_dir)
    try:
        s = LibraryScreen(LibraryActions(reopened))
        qtbot.addWidget(s)
        s.load()
        assert "damaged" in s.message
        assert any("not valid JSON" in p for p in s.problems_shown())
        assert len(s.visible_ids()) == 4
    finally:
        reopened.close()


def test_in_german_the_dates_read_german_and_still_sort_by_date(qtbot, qapp, library,
                                                                 workshops):
    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    with ui_language(qapp, Translator("de")):
        s = LibraryScreen(LibraryActions(library))
        qtbot.addWidget(s)
        s.load()
        s.table.sortByColumn(DATE, Qt.SortOrder.AscendingOrder)
        got = [s.proxy.index(r, DATE).data() for r in range(s.proxy.rowCount())]
        # by day, not by the text (which would put 01.03.2024 before 30.07.2023)
        assert got == ["—", "30.07.2023", "01.03.2024", "15.01.2025", "01.06.2025"]
        s.ui.fromCheck.setChecked(True)
        assert s.ui.fromDate.displayFormat() == "dd.MM.yyyy"
        assert s.ui.fromDate.text() == "30.07.2023"  # the earliest workshop's day
