"""Show-of-hands entry: digits, Tab, Enter records; pending counts are never lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calms_desktop.core.model import DONT_KNOW, Pillar, PillarState
from calms_desktop.gui.widgets.tally_editor import TallyEditor

PILLAR = Pillar.AUTOMATION
# Showing a window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def editor(qtbot, fresh_controller):
    e = TallyEditor(fresh_controller, PILLAR)
    qtbot.addWidget(e)
    return e


def ids(controller):
    return [s.id for s in controller.workshop.questionnaire.section(PILLAR).statements]


def type_into(qtbot, spin, text):
    spin.selectAll()
    qtbot.keyClicks(spin, text)


def test_typing_and_enter_records_the_tally_and_moves_on(qtbot, editor, fresh_controller):
    c = fresh_controller
    s1, s2 = ids(c)[:2]
    assert editor.statement_id == s1
    type_into(qtbot, editor.spins[2], "3")
    type_into(qtbot, editor.spins[4], "2")
    type_into(qtbot, editor.spins[DONT_KNOW], "1")
    assert editor.dirty and "not recorded yet" in editor.total_label.text()
    assert s1 not in c.workshop.tallies
    with qtbot.waitSignal(editor.advance_requested) as advanced:
        qtbot.keyClick(editor.spins[DONT_KNOW], Qt.Key.Key_Return)
    assert c.workshop.tallies[s1] == {2: 3, 4: 2, DONT_KNOW: 1}
    assert advanced.args == [s2]
    assert not editor.dirty
    assert "6 hands" in editor.total_label.text()


def test_tab_moves_to_the_next_level(qtbot, editor, fresh_controller):
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    editor.focus_first()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    for digits in ("1", "2", "0", "3"):
        focused = QApplication.focusWidget()
        qtbot.keyClicks(focused, digits)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Enter)
    assert fresh_controller.workshop.tallies[ids(fresh_controller)[0]] == {1: 1, 2: 2, 4: 3}


def test_undo_shows_the_earlier_tally(qtbot, editor, fresh_controller):
    c = fresh_controller
    s1 = ids(c)[0]
    c.tally(s1, {3: 5})
    assert editor.spins[3].value() == 5
    type_into(qtbot, editor.spins[3], "4")
    editor.commit()
    assert c.workshop.tallies[s1] == {3: 4}
    c.undo()
    assert editor.spins[3].value() == 5
    c.undo()
    assert all(s.value() == 0 for s in editor.spins.values())
    assert s1 not in c.workshop.tallies


def test_moving_to_another_statement_keeps_typed_counts(qtbot, editor, fresh_controller):
    c = fresh_controller
    s1, s2 = ids(c)[:2]
    type_into(qtbot, editor.spins[5], "2")
    editor.set_statement(s2)
    assert c.workshop.tallies[s1] == {5: 2}
    assert editor.spins[5].value() == 0
    editor.set_statement(s1)
    assert editor.spins[5].value() == 2


def test_all_zero_clears_the_tally(qtbot, editor, fresh_controller):
    c = fresh_controller
    s1 = ids(c)[0]
    c.tally(s1, {1: 2})
    type_into(qtbot, editor.spins[1], "0")
    editor.commit()
    assert s1 not in c.workshop.tallies


def test_a_done_pillar_is_read_only(qtbot, editor, fresh_controller):
    fresh_controller.set_pillar_state(PILLAR, PillarState.DONE)
    assert all(s.isReadOnly() for s in editor.spins.values())
    assert not editor.record_button.isEnabled()


def test_more_hands_than_people_asks_and_records_only_when_confirmed(qtbot, editor,
                                                                      fresh_controller):
    c = fresh_controller
    s1 = ids(c)[0]
    asked: list[str] = []
    editor.confirm_hands = lambda message: asked.append(message) or False
    type_into(qtbot, editor.spins[3], "23")
    assert not editor.commit()
    assert s1 not in c.workshop.tallies  # 23 hands in a room of 6: refused
    assert "23 hands counted in a room of 6" in asked[0]
    editor.confirm_hands = lambda message: True
    assert editor.commit()
    assert c.workshop.tallies[s1] == {3: 23}


def test_a_digit_typed_into_a_count_replaces_it(qtbot, editor, fresh_controller):
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    fresh_controller.tally(ids(fresh_controller)[0], {2: 2})
    editor.spins[1].setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: editor.spins[1].hasFocus())
    spin = editor.spins[2]
    qtbot.keyClick(editor.spins[1], Qt.Key.Key_Tab)  # into the "2" hands of level 2
    qtbot.waitUntil(lambda: spin.hasFocus())
    qtbot.waitUntil(lambda: spin.lineEdit().selectedText() == "2")
    qtbot.keyClicks(spin, "3")
    assert spin.value() == 3  # never 23
