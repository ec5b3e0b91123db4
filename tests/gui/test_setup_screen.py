"""Set-up: every field commits through the controller on finishing, is undoable,
and the form follows the model."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.model import Pillar, VotingMode
from calms_desktop.gui.screens.setup_screen import SetupScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def make_screen(qtbot, library):
    def make(controller):
        s = SetupScreen(controller, library)
        qtbot.addWidget(s)
        s.resize(1200, 800)
        s.show()
        qtbot.waitExposed(s)
        return s

    return make


@pytest.fixture
def screen(make_screen, fresh_controller):
    return make_screen(fresh_controller)


def _finish(qtbot, edit, text):
    """Type into a line edit (replacing its text) and press Enter."""
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)


def _names(controller):
    return [p.name for p in controller.workshop.participants]


# -- details ------------------------------------------------------------------------
def test_form_shows_the_workshop(screen, fresh_controller):
    ws = fresh_controller.workshop
    ui = screen.ui
    assert ui.titleEdit.text() == "Test workshop"
    assert ui.organisationEdit.text() == "Acme"
    assert ui.teamEdit.text() == "Core"
    assert ui.dateEdit.text() == ws.date
    assert ui.namedRadio.isChecked()
    assert ui.participantsTable.rowCount() == 6
    assert ui.participantsTable.item(2, 0).text() == "Chen Wei"
    assert ui.timeboxCulture.value() == 20
    assert ui.targetCulture.currentData() == 0
    assert "6 participants" in ui.participantCount.text()


def test_text_field_commits_on_enter_not_per_keystroke_and_undoes(qtbot, screen,
                                                                  fresh_controller):
    edit = screen.ui.organisationEdit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, "Nordlicht")
    assert fresh_controller.workshop.organisation == "Acme"  # nothing yet
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert fresh_controller.workshop.organisation == "Nordlicht"
    assert fresh_controller.undo_stack.count() == 1

    fresh_controller.undo()
    assert fresh_controller.workshop.organisation == "Acme"
    assert edit.text() == "Acme"
    fresh_controller.redo()
    assert edit.text() == "Nordlicht"


def test_commit_pushes_pending_edits(qtbot, screen, fresh_controller):
    screen.ui.locationEdit.setText("Room 1 — <b>&</b> 会议室")
    screen.ui.locationEdit.setModified(True)
    assert screen.commit()
    assert fresh_controller.workshop.location == "Room 1 — <b>&</b> 会议室"


def test_title_is_required_and_shown_inline(qtbot, screen, fresh_controller):
    edit = screen.ui.titleEdit
    edit.clear()
    edit.setModified(True)
    edit.editingFinished.emit()
    assert fresh_controller.workshop.title == "Test workshop"
    assert screen.ui.titleError.isVisible()
    assert screen.validate() == ["A workshop needs a title."]
    assert not screen.commit()
    _finish(qtbot, edit, "Autumn check")
    assert fresh_controller.workshop.title == "Autumn check"
    assert not screen.ui.titleError.isVisible()
    assert screen.validate() == []


def test_date_commits_on_editing_finished(screen, fresh_controller):
    screen.ui.dateEdit.setText("2031-02-03")
    screen.ui.dateEdit.editingFinished.emit()
    assert fresh_controller.workshop.date == "2031-02-03"
    fresh_controller.undo()
    assert screen.ui.dateEdit.text() == fresh_controller.workshop.date


def test_voting_mode(qtbot, screen, fresh_controller):
    screen.ui.anonymousRadio.click()
    assert fresh_controller.workshop.voting_mode == VotingMode.ANONYMOUS
    fresh_controller.undo()
    assert screen.ui.namedRadio.isChecked()
    assert fresh_controller.workshop.voting_mode == VotingMode.NAMED


# -- questionnaire --------------------------------------------------------------------
def test_questionnaire_choice_and_undo(screen, fresh_controller):
    combo = screen.ui.questionnaireCombo
    assert combo.currentData() == qmod.DEFAULT_ID
    combo.setCurrentIndex(combo.findData(qmod.QUICK_CHECK_ID))
    combo.activated.emit(combo.currentIndex())
    assert fresh_controller.workshop.questionnaire.id == qmod.QUICK_CHECK_ID
    fresh_controller.undo()
    assert fresh_controller.workshop.questionnaire.id == qmod.DEFAULT_ID
    assert combo.currentData() == qmod.DEFAULT_ID


def test_questionnaire_locked_once_votes_exist(screen, fresh_controller):
    ws = fresh_controller.workshop
    statement = ws.questionnaire.statements[0]
    assert fresh_controller.vote(statement.id, ws.participants[0].id, 3)
    assert not screen.ui.questionnaireCombo.isEnabled()
    assert not screen.ui.browseButton.isEnabled()
    assert "Locked" in screen.questionnaire_error()
    # the core refuses it too, and the screen says so
    assert not screen.set_questionnaire(qmod.builtin(qmod.QUICK_CHECK_ID))
    assert "cannot change once votes are recorded" in screen.questionnaire_error()
    assert ws.questionnaire.id == qmod.DEFAULT_ID
    fresh_controller.undo()  # the vote
    assert screen.ui.questionnaireCombo.isEnabled()


def test_questionnaire_from_a_file(screen, fresh_controller, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "calms-questionnaire", "id": "x"}', encoding="utf-8")
    screen.open_file = lambda *_a: (str(bad), "")
    screen.browse_questionnaire()
    error = screen.questionnaire_error()
    assert "bad.json" in error and "$" in error
    assert fresh_controller.workshop.questionnaire.id == qmod.DEFAULT_ID

    doc = qmod.to_dict(qmod.builtin(qmod.QUICK_CHECK_ID))
    doc.update(id="team-own", title="Our own check")
    good = tmp_path / "own.json"
    good.write_text(json.dumps(doc), encoding="utf-8")
    assert screen.load_questionnaire_file(good)
    assert fresh_controller.workshop.questionnaire.id == "team-own"
    assert screen.questionnaire_error() == ""
    assert "Our own check" in screen.ui.questionnaireCombo.currentText()
    assert screen.ui.targetCulture.count() == 6


def test_not_json_is_reported(screen, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    assert not screen.load_questionnaire_file(path)
    assert "notes.txt" in screen.questionnaire_error()
    assert "JSON" in screen.questionnaire_error()


# -- participants -------------------------------------------------------------------------
def test_add_typed_name_with_enter(qtbot, screen, fresh_controller):
    edit = screen.ui.newNameEdit
    qtbot.keyClicks(edit, "  Gustav   Ek ")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert _names(fresh_controller)[-1] == "Gustav Ek"
    assert edit.text() == ""
    assert screen.ui.participantsTable.rowCount() == 7
    qtbot.keyClicks(edit, "ana")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert len(_names(fresh_controller)) == 7
    assert "already" in screen.message()


def test_rename_and_role_in_place(screen, fresh_controller):
    table = screen.ui.participantsTable
    table.item(0, 0).setText("Ana Lopes")
    assert fresh_controller.workshop.participants[0].name == "Ana Lopes"
    table.item(0, 1).setText("Product owner")
    assert fresh_controller.workshop.participants[0].role == "Product owner"
    assert fresh_controller.undo_stack.count() == 2
    fresh_controller.undo()
    assert table.item(0, 1).text() == ""
    fresh_controller.undo()
    assert table.item(0, 0).text() == "Ana"


def test_empty_name_is_refused_and_kept(screen, fresh_controller):
    table = screen.ui.participantsTable
    table.item(1, 0).setText("   ")
    assert fresh_controller.workshop.participants[1].name == "Bo"
    assert table.item(1, 0).text() == "Bo"
    assert "needs a name" in screen.message()


def test_remove_with_delete_key_and_undo_brings_votes_back(qtbot, screen, fresh_controller):
    ws = fresh_controller.workshop
    sid = ws.questionnaire.statements[0].id
    assert fresh_controller.vote(sid, "p1", 4)
    table = screen.ui.participantsTable
    table.selectRow(1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "Bo" not in _names(fresh_controller)
    assert ws.vote(sid, "p1") is None
    assert "Removed Bo and 1 answer" in screen.message()
    fresh_controller.undo()
    assert _names(fresh_controller)[1] == "Bo"
    assert ws.vote(sid, "p1").score == 4
    assert table.item(1, 2).text() == "1"


def test_remove_several_is_one_undo_step(screen, fresh_controller):
    table = screen.ui.participantsTable
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    assert screen.remove_selected()
    assert _names(fresh_controller) == ["Bo", "Dana", "Émile", "Fatima"]
    fresh_controller.undo()
    assert _names(fresh_controller) == ["Ana", "Bo", "Chen Wei", "Dana", "Émile", "Fatima"]


def test_paste_names_is_one_undo_step(screen, fresh_controller):
    before = _names(fresh_controller)
    parsed = screen.add_names("Gustav\n  Hana\tQA \nBo\n李娜\n<b>Zed</b> & co\n")
    assert [n for n, _r in parsed.names] == ["Gustav", "Hana", "李娜", "<b>Zed</b> & co"]
    assert _names(fresh_controller) == before + ["Gustav", "Hana", "李娜", "<b>Zed</b> & co"]
    assert fresh_controller.workshop.participants[7].role == "QA"
    assert "1 already there" in screen.message()
    assert screen.ui.participantsTable.item(9, 0).text() == "<b>Zed</b> & co"
    fresh_controller.undo()
    assert _names(fresh_controller) == before


def test_paste_names_dialog(qtbot, screen, fresh_controller):
    qtbot.mouseClick(screen.ui.pasteButton, Qt.MouseButton.LeftButton)
    dialog = screen.paste_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.ok_button
    assert not ok.isEnabled()
    dialog.set_text("Kai\nLea\nAna\n")
    assert ok.isEnabled()
    assert "2 new names" in dialog.preview.text()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert _names(fresh_controller)[-2:] == ["Kai", "Lea"]
    assert not dialog.isVisible()


def test_paste_names_dialog_cancel_adds_nothing(qtbot, screen, fresh_controller):
    dialog = screen.show_paste_dialog()
    dialog.set_text("Kai\n")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert len(_names(fresh_controller)) == 6


def test_paste_names_dialog_ctrl_enter_adds(qtbot, screen, fresh_controller):
    dialog = screen.show_paste_dialog()
    dialog.set_text("Kai\nLea")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not dialog.isVisible()
    assert _names(fresh_controller)[-2:] == ["Kai", "Lea"]


# -- targets, timeboxes, baseline -------------------------------------------------------------
def test_targets(screen, fresh_controller):
    combo = screen.ui.targetMeasurement
    combo.setCurrentIndex(combo.findData(4))
    assert fresh_controller.workshop.targets == {Pillar.MEASUREMENT: 4}
    assert combo.currentText() == "4 — Embedded"
    combo.setCurrentIndex(0)
    assert fresh_controller.workshop.targets == {}
    fresh_controller.undo()
    assert combo.currentData() == 4


def test_timebox_commits_on_editing_finished(screen, fresh_controller):
    spin = screen.ui.timeboxLean
    spin.setValue(35)
    assert fresh_controller.workshop.timebox_minutes["lean"] == 20
    spin.editingFinished.emit()
    assert fresh_controller.workshop.timebox_minutes["lean"] == 35
    assert "2 h 20 min" in screen.ui.totalLabel.text()
    fresh_controller.undo()
    assert spin.value() == 20


def test_baseline_suggests_the_latest_earlier_workshop_of_the_team(
        qtbot, make_screen, fresh_controller, demo_library):
    _lib, (first, second) = demo_library
    screen = make_screen(fresh_controller)
    assert screen.suggested_baseline() is None
    assert not screen.ui.useSuggestionButton.isVisible()
    assert screen.ui.baselineCombo.currentData() == ""
    assert fresh_controller.set_fields(organisation=first.organisation, team=second.team)
    assert screen.suggested_baseline()["id"] == second.id
    assert screen.ui.useSuggestionButton.isVisible()
    combo = screen.ui.baselineCombo
    assert "(suggested)" in combo.itemText(combo.findData(second.id))

    qtbot.mouseClick(screen.ui.useSuggestionButton, Qt.MouseButton.LeftButton)
    assert fresh_controller.workshop.baseline_id == second.id
    assert combo.currentData() == second.id
    assert not screen.ui.useSuggestionButton.isVisible()

    combo.setCurrentIndex(combo.findData(first.id))
    assert fresh_controller.workshop.baseline_id == first.id
    combo.setCurrentIndex(0)
    assert fresh_controller.workshop.baseline_id is None
    fresh_controller.undo()
    assert combo.currentData() == first.id


def test_pending_edit_survives_unrelated_changes(qtbot, screen, fresh_controller):
    edit = screen.ui.facilitatorEdit
    edit.setFocus()
    qtbot.keyClicks(edit, "Mara")
    assert fresh_controller.set_fields(team="Platform")  # e.g. another view
    assert edit.text() == "Mara"
    assert screen.ui.teamEdit.text() == "Platform"


def test_columns_stack_in_a_narrow_window(qtbot, screen):
    screen.resize(1300, 800)
    qtbot.waitUntil(lambda: not screen.stacked)
    screen.resize(760, 700)
    qtbot.waitUntil(lambda: screen.stacked)
