"""The intro: agenda, purpose, the review of the earlier workshop's actions, notes."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core.factory import reassessment_of
from calms_desktop.core.model import ActionStatus, ReviewDecision
from calms_desktop.gui.screens.intro_screen import IntroScreen

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def make_screen(qtbot):
    def make(controller, idle_ms=0):
        s = IntroScreen(controller, idle_ms=idle_ms)
        qtbot.addWidget(s)
        s.resize(1200, 760)
        s.show()
        qtbot.waitExposed(s)
        return s

    return make


@pytest.fixture
def review(make_controller, demo_library):
    """A new re-assessment of the demo baseline: six open actions, nothing decided."""
    _lib, (first, _second) = demo_library
    controller = make_controller(reassessment_of(first))
    return controller, first


def _agenda(screen):
    agenda = screen.ui.agendaList
    return [[agenda.topLevelItem(i).text(c) for c in range(4)]
            for i in range(agenda.topLevelItemCount())]


def _decisions(screen):
    table = screen.ui.reviewTable
    return [table.item(r, 4).text() for r in range(table.rowCount())]


def test_agenda_purpose_and_room(make_screen, demo_controller):
    screen = make_screen(demo_controller)
    rows = _agenda(screen)
    assert len(rows) == 7
    assert rows[0][0].startswith("Intro") and rows[0][2] == "10 min"
    assert rows[1] == ["Culture", "5", "20 min", "done"]
    assert rows[6][0].startswith("Summary") and rows[6][2] == "15 min"
    assert screen.ui.agendaTotal.text() == "Planned in total: 2 h 05 min"
    assert screen.ui.questionnaireTitle.text() == "CALMS assessment"
    assert "1 Ad hoc" in screen.ui.scaleLabel.text()
    assert screen.ui.roomLabel.text().startswith("10 participants · named voting")
    assert "Four of six actions" in screen.notes.text()


def test_agenda_follows_set_up_changes(make_screen, fresh_controller):
    screen = make_screen(fresh_controller)
    assert fresh_controller.set_fields(timebox_minutes={"intro": 5, "culture": 30})
    rows = _agenda(screen)
    assert rows[0][2] == "5 min"
    assert rows[1][2] == "30 min"
    assert rows[6][2] == "—"


def test_enter_on_the_agenda_moves_the_room(qtbot, make_screen, fresh_controller):
    screen = make_screen(fresh_controller)
    agenda = screen.ui.agendaList
    agenda.setFocus()
    agenda.setCurrentItem(agenda.topLevelItem(3))
    with qtbot.waitSignal(fresh_controller.step_changed) as blocker:
        qtbot.keyClick(agenda, Qt.Key.Key_Return)
    assert blocker.args == ["lean"]
    assert fresh_controller.step == "lean"


def test_without_baseline_there_is_nothing_to_review(make_screen, fresh_controller):
    screen = make_screen(fresh_controller)
    assert not screen.ui.reviewTable.isVisible()
    assert "not compared" in screen.ui.reviewInfo.text()


def test_review_lists_the_open_actions_of_the_baseline(make_screen, review):
    controller, first = review
    screen = make_screen(controller)
    table = screen.ui.reviewTable
    assert table.rowCount() == len([a for a in first.actions if a.is_open]) == 6
    assert table.item(0, 0).text() == first.actions[0].text
    assert table.item(0, 1).text() == first.actions[0].owner
    assert set(_decisions(screen)) == {"— undecided"}
    assert screen.ui.reviewSummary.text() == "0 done · 0 carried over · 6 undecided"


def test_carry_over_adds_the_action_and_decision_in_one_undo_step(make_screen, review):
    controller, first = review
    screen = make_screen(controller)
    old = first.actions[2]
    assert screen.decide(old.id, ReviewDecision.CARRIED)
    ws = controller.workshop
    copies = [a for a in ws.actions if a.carried_from == old.id]
    assert len(copies) == 1
    assert copies[0].text == old.text and copies[0].owner == old.owner
    assert copies[0].pillar == old.pillar and copies[0].status == ActionStatus.OPEN
    assert ws.action_reviews[old.id] == ReviewDecision.CARRIED
    assert _decisions(screen)[2] == "→ Carried over"
    assert controller.undo_stack.count() == 1
    assert "carry over" in controller.undo_stack.undoText()

    assert screen.decide(old.id, ReviewDecision.CARRIED)  # again: nothing new
    assert len([a for a in ws.actions if a.carried_from == old.id]) == 1
    assert controller.undo_stack.count() == 1

    controller.undo()
    assert ws.actions == []
    assert old.id not in ws.action_reviews
    assert _decisions(screen)[2] == "— undecided"


def test_done_after_carrying_takes_the_copy_back(make_screen, review):
    controller, first = review
    screen = make_screen(controller)
    old = first.actions[0]
    screen.decide(old.id, ReviewDecision.CARRIED)
    assert screen.decide(old.id, ReviewDecision.DONE)
    ws = controller.workshop
    assert ws.actions == []
    assert ws.action_reviews[old.id] == ReviewDecision.DONE
    assert screen.decide(old.id, None)
    assert old.id not in ws.action_reviews
    controller.undo()
    controller.undo()
    assert [a.carried_from for a in ws.actions] == [old.id]


def test_review_by_keyboard(qtbot, make_screen, review):
    controller, first = review
    screen = make_screen(controller)
    screen.activateWindow()
    screen.focus_first()
    table = screen.ui.reviewTable
    qtbot.waitUntil(table.hasFocus)
    assert table.currentRow() == 0
    qtbot.keyClick(table, Qt.Key.Key_D)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_C)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_D)
    qtbot.keyClick(table, Qt.Key.Key_U)
    reviews = controller.workshop.action_reviews
    assert reviews == {first.actions[0].id: ReviewDecision.DONE,
                       first.actions[1].id: ReviewDecision.CARRIED}
    assert screen.ui.reviewSummary.text() == "1 done · 1 carried over · 4 undecided"
    assert table.currentRow() == 2


def test_buttons_follow_the_selected_decision(qtbot, make_screen, review):
    controller, first = review
    screen = make_screen(controller)
    screen.ui.reviewTable.selectRow(4)
    assert screen.ui.doneButton.isEnabled()
    assert not screen.ui.undecidedButton.isEnabled()
    qtbot.mouseClick(screen.ui.carryButton, Qt.MouseButton.LeftButton)
    assert controller.workshop.action_reviews[first.actions[4].id] == ReviewDecision.CARRIED
    assert not screen.ui.carryButton.isEnabled()
    assert screen.ui.undecidedButton.isEnabled()


def test_demo_decisions_are_shown(make_screen, demo_controller):
    screen = make_screen(demo_controller)
    assert _decisions(screen).count("→ Carried over") == 2
    assert _decisions(screen).count("✓ Done") == 4


def test_notes_commit_on_focus_out_and_undo(qtbot, make_screen, fresh_controller):
    screen = make_screen(fresh_controller)
    notes = screen.notes
    notes.setFocus()
    text = "<b>Goals</b> & hopes 😀 — 目标 — أهداف"
    notes.setPlainText(text)
    assert fresh_controller.workshop.notes.get("intro", "") == ""
    assert screen.commit()
    assert fresh_controller.workshop.notes["intro"] == text
    fresh_controller.undo()
    assert notes.text() == ""


def test_notes_commit_after_idle_typing(qtbot, make_screen, fresh_controller):
    screen = make_screen(fresh_controller, idle_ms=30)
    qtbot.keyClicks(screen.notes, "Hello")
    qtbot.waitUntil(lambda: fresh_controller.workshop.notes.get("intro") == "Hello")
    assert fresh_controller.undo_stack.count() == 1


def test_columns_stack_in_a_narrow_window(qtbot, make_screen, review):
    controller, _first = review
    screen = make_screen(controller)
    screen.resize(1300, 760)
    qtbot.waitUntil(lambda: not screen.stacked)
    screen.resize(760, 700)
    qtbot.waitUntil(lambda: screen.stacked)
    table = screen.ui.reviewTable
    assert table.minimumHeight() >= table.verticalHeader().defaultSectionSize() * 6
