"""The start screen: recent workshops, open, re-assess, delete to the trash and back."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.demo import DEMO_IDS
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.i18n import format_date
from calms_desktop.core.model import PILLARS
from calms_desktop.gui.library_actions import LibraryActions
from calms_desktop.gui.screens.start_screen import StartScreen, progress_of

# Showing a top-level widget on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def screen(qtbot, demo_library):
    library, _workshops = demo_library
    s = StartScreen(LibraryActions(library))
    s.confirm = lambda _title, _text: True
    qtbot.addWidget(s)
    s.resize(1100, 640)
    s.show()
    qtbot.waitExposed(s)
    return s


def _rows(screen):
    tree = screen.ui.workshopList
    return [[tree.topLevelItem(i).text(c) for c in range(5)]
            for i in range(tree.topLevelItemCount())]


def test_lists_recent_workshops_newest_first_with_progress(screen, demo_library):
    _lib, (first, second) = demo_library
    rows = _rows(screen)
    assert [r[0] for r in rows] == [second.title, first.title]
    assert rows[0][1] == "Nordlicht Logistics / Payments Platform"
    assert rows[0][2] == format_date(second.date, "short")
    assert rows[0][3] == str(len(second.participants))
    assert rows[0][4] == "complete"
    assert not screen.ui.emptyLabel.isVisible()


def test_progress_counts_revealed_pillars():
    states = {p.value: "not_started" for p in PILLARS}
    assert progress_of({"pillar_states": states}) == "not started"
    states["culture"] = "voting"
    assert progress_of({"pillar_states": states}) == "voting started"
    states.update(culture="done", automation="revealed", lean="done")
    assert progress_of({"pillar_states": states}) == "3/5 pillars revealed"
    assert progress_of({"pillar_states": {p.value: "done" for p in PILLARS}}) == "complete"


def test_empty_library_says_how_to_start(qtbot, library):
    s = StartScreen(LibraryActions(library))
    qtbot.addWidget(s)
    s.show()
    assert s.ui.emptyLabel.isVisible()
    assert not s.ui.workshopList.isVisible()
    assert not s.ui.openButton.isEnabled()
    s.focus_first()
    qtbot.waitUntil(lambda: s.ui.newButton.hasFocus())


def test_list_has_focus_at_start_and_enter_opens(qtbot, screen):
    screen.activateWindow()
    screen.focus_first()
    tree = screen.ui.workshopList
    qtbot.waitUntil(tree.hasFocus)
    assert screen.selected_id() == DEMO_IDS[1]
    qtbot.keyClick(tree, Qt.Key.Key_Down)
    with qtbot.waitSignal(screen.open_requested) as blocker:
        qtbot.keyClick(tree, Qt.Key.Key_Return)
    assert blocker.args == [DEMO_IDS[0]]


def test_double_click_opens(qtbot, screen):
    tree = screen.ui.workshopList
    item = tree.topLevelItem(1)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(screen.open_requested, timeout=1000) as blocker:
        qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [DEMO_IDS[0]]


def test_buttons_emit_their_requests(qtbot, screen):
    with qtbot.waitSignal(screen.new_requested):
        qtbot.mouseClick(screen.ui.newButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.demo_requested):
        qtbot.mouseClick(screen.ui.demoButton, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(screen.library_requested):
        qtbot.mouseClick(screen.ui.libraryButton, Qt.MouseButton.LeftButton)
    screen.select(DEMO_IDS[0])
    with qtbot.waitSignal(screen.reassess_requested) as blocker:
        qtbot.mouseClick(screen.ui.reassessButton, Qt.MouseButton.LeftButton)
    assert blocker.args == [DEMO_IDS[0]]
    with qtbot.waitSignal(screen.open_requested) as blocker:
        qtbot.mouseClick(screen.ui.openButton, Qt.MouseButton.LeftButton)
    assert blocker.args == [DEMO_IDS[0]]


def test_delete_key_moves_to_trash_after_asking_and_undo_restores(qtbot, screen, demo_library):
    library, _ = demo_library
    asked = []
    screen.confirm = lambda title, text: asked.append(text) or True
    screen.select(DEMO_IDS[1])
    qtbot.keyClick(screen.ui.workshopList, Qt.Key.Key_Delete)
    assert asked and "CALMS re-assessment" in asked[0]
    assert DEMO_IDS[1] not in library
    assert [r["id"] for r in library.trash()] == [DEMO_IDS[1]]
    assert [r[0] for r in _rows(screen)] == ["CALMS baseline"]
    assert "Moved" in screen.message() and "trash" in screen.message()
    assert screen.ui.undoDeleteButton.isVisible()
    assert screen.ui.trashButton.isEnabled()

    qtbot.mouseClick(screen.ui.undoDeleteButton, Qt.MouseButton.LeftButton)
    assert DEMO_IDS[1] in library
    assert library.trash() == []
    assert screen.selected_id() == DEMO_IDS[1]
    assert "Restored" in screen.message()


def test_delete_cancelled_keeps_the_workshop(screen, demo_library):
    library, _ = demo_library
    screen.confirm = lambda _t, _x: False
    assert not screen.delete_selected()
    assert len(library) == 2
    assert screen.message() == ""


def test_trash_dialog_restores_any_deleted_workshop(qtbot, screen, demo_library):
    library, _ = demo_library
    screen.select(DEMO_IDS[0])
    assert screen.delete_selected()
    screen.select(DEMO_IDS[1])
    assert screen.delete_selected()
    assert screen.ui.emptyLabel.isVisible()

    dialog = screen.show_trash()
    assert dialog.isVisible()
    assert set(dialog.ids()) == set(DEMO_IDS)
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(dialog.ids().index(DEMO_IDS[0])))
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert DEMO_IDS[0] in library
    assert dialog.ids() == [DEMO_IDS[1]]
    assert [r[0] for r in _rows(screen)] == ["CALMS baseline"]
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_user_text_is_shown_literally(qtbot, library):
    title = "<b>Rock & Roll</b> 😀 中文 العربية " + "x" * 400
    ws = new_workshop(qmod.builtin(), title=title, organisation="A&B <i>", team="Ops")
    library.save(ws)
    s = StartScreen(LibraryActions(library))
    qtbot.addWidget(s)
    assert _rows(s)[0][0] == title
    assert _rows(s)[0][1] == "A&B <i> / Ops"
