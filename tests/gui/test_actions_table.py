"""Action items edited in place: add, edit, delete, undo; pillar and summary modes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit

from calms_desktop.core.model import ActionItem, ActionStatus, Pillar
from calms_desktop.gui.widgets.actions_table import (
    DUE,
    NEW_ACTION_TEXT,
    OWNER,
    PILLAR,
    STATUS,
    TEXT,
    ActionsTable,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def table(qtbot, fresh_controller):
    t = ActionsTable(fresh_controller, Pillar.CULTURE)
    qtbot.addWidget(t)
    return t


def shown(qtbot, widget):
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)


def test_ctrl_enter_adds_and_edits_the_text(qtbot, table, fresh_controller):
    c = fresh_controller
    shown(qtbot, table)
    table.view.setFocus()
    qtbot.keyClick(table.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(c.workshop.actions) == 1
    added = c.workshop.actions[0]
    assert (added.text, added.pillar) == (NEW_ACTION_TEXT, Pillar.CULTURE)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Blameless <b>post-mortems</b> & ")
    editor.insert("復盤 🙂")  # as pasted: QTest types ASCII only
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.view.state() != table.view.State.EditingState)  # queued commit
    assert c.workshop.actions[0].text == "Blameless <b>post-mortems</b> & 復盤 🙂"
    assert table.model.index(0, TEXT).data() == "Blameless <b>post-mortems</b> & 復盤 🙂"
    c.undo()
    assert c.workshop.actions[0].text == NEW_ACTION_TEXT
    assert table.model.index(0, TEXT).data() == NEW_ACTION_TEXT
    c.undo()
    assert c.workshop.actions == []
    assert table.model.rowCount() == 0


def test_edit_each_column(qtbot, table, fresh_controller):
    c = fresh_controller
    table.add_action()
    m = table.model
    assert m.setData(m.index(0, OWNER), "  Ana ")
    assert m.setData(m.index(0, DUE), "2030-01-31")
    assert m.setData(m.index(0, STATUS), ActionStatus.IN_PROGRESS.value)
    a = c.workshop.actions[0]
    assert (a.owner, a.due, a.status) == ("Ana", "2030-01-31", ActionStatus.IN_PROGRESS)
    assert m.index(0, STATUS).data() == "In progress"
    assert m.setData(m.index(0, DUE), "")
    assert c.workshop.actions[0].due == ""


def test_bad_values_are_refused(qtbot, table, fresh_controller):
    c = fresh_controller
    table.add_action()
    m = table.model
    with qtbot.waitSignal(c.error):
        assert not m.setData(m.index(0, DUE), "31/12/2030")
    with qtbot.waitSignal(c.error):
        assert not m.setData(m.index(0, TEXT), "   ")
    assert c.workshop.actions[0].text == NEW_ACTION_TEXT
    assert c.workshop.actions[0].due == ""


def test_status_by_keyboard_in_a_combo(qtbot, table, fresh_controller):
    c = fresh_controller
    shown(qtbot, table)
    table.add_action()
    editor = QApplication.focusWidget()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # keep the text
    table.view.setCurrentIndex(table.model.index(0, STATUS))
    qtbot.keyClick(table.view, Qt.Key.Key_F2)
    combo = QApplication.focusWidget()
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(ActionStatus.DONE.value))
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.view.state() != table.view.State.EditingState)  # queued commit
    assert c.workshop.actions[0].status == ActionStatus.DONE


def test_delete_key_removes_the_selected_action_and_undo_restores(qtbot, table, fresh_controller):
    c = fresh_controller
    first = ActionItem("a1", "First", pillar=Pillar.CULTURE)
    second = ActionItem("a2", "Second", pillar=Pillar.CULTURE)
    c.put_action(first)
    c.put_action(second)
    assert table.model.rowCount() == 2
    table.select_action("a1")
    qtbot.keyClick(table.view, Qt.Key.Key_Delete)
    assert [a.id for a in c.workshop.actions] == ["a2"]
    assert table.model.rowCount() == 1
    c.undo()
    assert [a.id for a in c.workshop.actions] == ["a1", "a2"]
    assert table.model.action_at(0).id == "a1"


def test_delete_button_needs_a_selection(qtbot, table, fresh_controller):
    c = fresh_controller
    assert not table.delete_button.isEnabled()
    c.put_action(ActionItem("a1", "First", pillar=Pillar.CULTURE))
    table.select_action("a1")
    assert table.delete_button.isEnabled()
    table.delete_button.click()
    assert c.workshop.actions == []


def test_only_this_pillars_actions(qtbot, table, fresh_controller):
    c = fresh_controller
    c.put_action(ActionItem("x", "Automate it", pillar=Pillar.AUTOMATION))
    c.put_action(ActionItem("y", "Talk more", pillar=Pillar.CULTURE))
    assert table.model.rowCount() == 1
    assert table.view.isColumnHidden(PILLAR)
    # Moving an action to another pillar takes it off this table.
    c.put_action(ActionItem("y", "Talk more", pillar=Pillar.SHARING))
    assert table.model.rowCount() == 0


def test_summary_mode_lists_all_with_a_pillar_column(qtbot, fresh_controller):
    c = fresh_controller
    c.put_action(ActionItem("x", "Automate it", pillar=Pillar.AUTOMATION))
    c.put_action(ActionItem("z", "No pillar"))
    t = ActionsTable(c, None)
    qtbot.addWidget(t)
    assert t.model.rowCount() == 2
    assert not t.view.isColumnHidden(PILLAR)
    assert t.model.index(0, PILLAR).data() == "Automation"
    assert t.model.index(1, PILLAR).data() == "—"
    assert t.model.setData(t.model.index(1, PILLAR), Pillar.LEAN.value)
    assert c.workshop.action("z").pillar == Pillar.LEAN
    new_id = t.add_action()
    assert c.workshop.action(new_id).pillar is None


def test_in_german_the_due_date_reads_german_and_is_typed_as_iso(qtbot, qapp, table,
                                                               fresh_controller):
    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    c = fresh_controller
    c.put_action(ActionItem(id="a1", text="Retro", pillar=Pillar.CULTURE, due="2026-09-30"))
    m = table.model
    with ui_language(qapp, Translator("de")):
        assert m.index(0, DUE).data() == "30.09.2026"
        assert m.index(0, DUE).data(Qt.ItemDataRole.EditRole) == "2026-09-30"  # the editor's
        shown(qtbot, table)
        table.view.setCurrentIndex(m.index(0, DUE))
        table.view.edit(m.index(0, DUE))
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        assert editor.text() == "2026-09-30"
        assert editor.placeholderText() == "JJJJ-MM-TT"
        assert "30. September 2026" in editor.toolTip()
        editor.selectAll()
        qtbot.keyClicks(editor, "2026-10-15")
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: c.workshop.actions[0].due == "2026-10-15")
        assert m.index(0, DUE).data() == "15.10.2026"
