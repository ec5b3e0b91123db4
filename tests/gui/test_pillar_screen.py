"""The pillar screen: keyboard voting, tally, reveal, results, done, notes, actions, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from calms_desktop.core.model import ActionItem, Pillar, PillarState
from calms_desktop.gui.screens.base import Screen
from calms_desktop.gui.screens.pillar_screen import RESULTS_TAB, VOTES_TAB, PillarScreen
from calms_desktop.gui.settings import Settings
from calms_desktop.gui.widgets.vote_grid import VOTED

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

PILLAR = Pillar.CULTURE
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def settings(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    return Settings.for_data_dir(data_dir)


@pytest.fixture
def window(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    w.resize(1366, 768)
    return w


def show(qtbot, window, screen):
    window.setCentralWidget(screen)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    if isinstance(screen, PillarScreen):
        screen.load()
        screen.focus_first()
    return screen


@pytest.fixture
def screen(qtbot, window, fresh_controller, settings):
    fresh_controller.go_to(PILLAR.value)
    s = PillarScreen(fresh_controller, PILLAR, settings, window)
    s.notes.idle_ms = 0
    s.confirm = lambda title, text: True  # revealing with answers missing: yes
    return show(qtbot, window, s)


def ids(c):
    return [s.id for s in c.workshop.questionnaire.section(PILLAR).statements]


def all_cell_texts(grid):
    m = grid.model()
    return [m.index(r, col).data() for r in range(m.rowCount()) for col in range(m.columnCount())]


def test_it_is_a_screen_with_the_pillar(screen, fresh_controller):
    assert isinstance(screen, Screen)
    sec = fresh_controller.workshop.questionnaire.section(PILLAR)
    assert screen.ui.titleLabel.text() == sec.name
    assert screen.ui.explanationLabel.text() == sec.explanation
    assert screen.ui.statementList.count() == len(sec.statements)
    assert fresh_controller.statement_id == sec.statements[0].id
    assert screen.ui.statementList.currentRow() == 0
    assert screen._level_labels[2][1].text() == sec.statements[0].descriptor(3)
    assert screen.ui.entryTabs.currentIndex() == VOTES_TAB
    assert not screen.ui.entryTabs.isTabEnabled(RESULTS_TAB)


def test_keyboard_voting_reveal_and_done(qtbot, screen, fresh_controller):
    c = fresh_controller
    s = ids(c)
    assert QApplication.focusWidget() is screen.grid
    qtbot.keyClicks(screen.grid, "123451")  # S1 for six people
    assert c.statement_id == s[1]  # the cursor wrapped to S2; the room follows
    assert screen.ui.statementList.currentRow() == 1
    assert "Levels for C2" == screen.ui.levelsHeading.text()
    qtbot.keyClicks(screen.grid, "333333")
    assert "6 of 6 voted" in screen.ui.statementList.item(0).text()
    assert set(all_cell_texts(screen.grid)) == {"", VOTED}

    qtbot.keyClick(screen.grid, Qt.Key.Key_D, CTRL)  # not yet: reveal first
    assert c.workshop.pillar_states[PILLAR] == PillarState.VOTING

    qtbot.keyClick(screen.grid, Qt.Key.Key_R, CTRL)
    assert c.workshop.pillar_states[PILLAR] == PillarState.REVEALED
    assert screen.ui.entryTabs.currentIndex() == RESULTS_TAB
    assert screen.results.order()[0] == s[0]  # 1–5 in one room: discuss first
    assert "Discuss" in screen.results.row(s[0]).flag_text()
    assert "Agree" in screen.results.row(s[1]).flag_text()
    assert "Discuss" in screen.ui.statementList.item(0).text()
    assert screen.grid.model().index(0, 0).data() == "1"

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, CTRL)
    assert c.workshop.pillar_states[PILLAR] == PillarState.DONE
    assert "Reopen" in screen.ui.doneButton.text().replace("&", "")
    assert "done" in screen.ui.voteStatusLabel.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_D, CTRL)  # reopen
    assert c.workshop.pillar_states[PILLAR] == PillarState.REVEALED


def test_undo_of_a_vote_and_of_the_reveal_show_at_once(qtbot, screen, fresh_controller):
    c = fresh_controller
    s1 = ids(c)[0]
    qtbot.keyClicks(screen.grid, "45")
    assert "2 of 6 voted" in screen.ui.statementList.item(0).text()
    c.undo()
    assert "1 of 6 voted" in screen.ui.statementList.item(0).text()
    assert screen.grid.model().index(1, 0).data() == ""
    assert "1 of 6 voted" in screen.ui.voteStatusLabel.text()

    screen.reveal()
    assert screen.results.row(s1).isVisibleTo(screen.results)
    c.undo()
    assert c.workshop.pillar_states[PILLAR] == PillarState.VOTING
    assert screen.ui.entryTabs.currentIndex() == VOTES_TAB
    assert not screen.ui.entryTabs.isTabEnabled(RESULTS_TAB)
    assert screen.ui.revealButton.isEnabled()


def test_results_update_live_after_the_reveal(qtbot, screen, fresh_controller):
    c = fresh_controller
    s = ids(c)
    qtbot.keyClicks(screen.grid, "333333")
    screen.reveal()
    assert screen.results.order()[0] != s[2]
    for p, score in zip(c.workshop.participants, [1, 5, 1, 5, 1, 5], strict=True):
        c.vote(s[2], p.id, score)
    assert screen.results.order()[0] == s[2]


def test_tally_mode_by_shortcut(qtbot, screen, fresh_controller, settings):
    c = fresh_controller
    s = ids(c)
    qtbot.keyClick(screen.grid, Qt.Key.Key_M, CTRL)
    assert c.entry_mode(PILLAR) == "tally"
    assert screen.ui.voteStack.currentWidget() is screen.ui.tallyPage
    assert screen.ui.tallyModeButton.isChecked()
    focused = QApplication.focusWidget()
    assert focused is screen.tally.spins[1]
    for digits in ("2", "3", "1"):
        qtbot.keyClicks(QApplication.focusWidget(), digits)
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert c.workshop.tallies[s[0]] == {1: 2, 2: 3, 3: 1}
    assert c.statement_id == s[1]  # Enter moved on to the next statement
    assert "6 hands" in screen.ui.statementList.item(0).text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_M, CTRL)
    assert c.entry_mode(PILLAR) == "grid"
    assert screen.ui.voteStack.currentWidget() is screen.ui.gridPage


def test_typed_tally_is_recorded_on_reveal(qtbot, screen, fresh_controller):
    c = fresh_controller
    screen.set_mode("tally")
    spin = screen.tally.spins[4]
    spin.selectAll()
    qtbot.keyClicks(spin, "5")
    qtbot.keyClick(spin, Qt.Key.Key_R, CTRL)
    assert c.workshop.tallies[ids(c)[0]] == {4: 5}
    assert c.workshop.pillar_states[PILLAR] == PillarState.REVEALED


def test_selecting_a_statement_moves_the_room(qtbot, screen, fresh_controller):
    c = fresh_controller
    screen.ui.statementList.setCurrentRow(3)
    assert c.statement_id == ids(c)[3]
    assert screen.grid.currentIndex().column() == 3
    assert screen.tally.statement_id == ids(c)[3]
    c.set_statement(ids(c)[1])  # e.g. the projector or a resume
    assert screen.ui.statementList.currentRow() == 1


def test_notes_and_actions(qtbot, screen, fresh_controller):
    c = fresh_controller
    text = ("Blameless reviews <i>now</i> & then — 无责复盘 · مراجعة 🙂\n" * 200)[:10_000]
    screen.notes.setPlainText(text)
    assert screen.commit()
    assert c.workshop.notes[PILLAR.value] == text
    c.put_action(ActionItem("a1", "Rotate the facilitator", pillar=PILLAR))
    c.put_action(ActionItem("a2", "Not this pillar", pillar=Pillar.LEAN))
    assert screen.actions.model.rowCount() == 1
    screen.actions.select_action("a1")
    qtbot.keyClick(screen.actions.view, Qt.Key.Key_Delete)
    assert [a.id for a in c.workshop.actions] == ["a2"]
    c.undo()
    assert screen.actions.model.rowCount() == 1


def test_shortcuts_act_only_on_the_shown_pillar(qtbot, window, fresh_controller, settings):
    c = fresh_controller
    stack = QStackedWidget()
    culture = PillarScreen(c, Pillar.CULTURE, settings, stack)
    lean = PillarScreen(c, Pillar.LEAN, settings, stack)
    stack.addWidget(culture)
    stack.addWidget(lean)
    stack.setCurrentWidget(lean)
    culture.confirm = lean.confirm = lambda title, text: True
    c.go_to(Pillar.LEAN.value)
    show(qtbot, window, stack)
    lean.focus_first()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_R, CTRL)
    assert c.workshop.pillar_states[Pillar.LEAN] == PillarState.REVEALED
    assert c.workshop.pillar_states[Pillar.CULTURE] == PillarState.NOT_STARTED
    # A hidden screen catches up when shown.
    c.reveal(Pillar.CULTURE)
    stack.setCurrentWidget(culture)
    assert culture.ui.entryTabs.isTabEnabled(RESULTS_TAB)
    assert culture.ui.stateLabel.text().endswith("Results revealed")


def test_a_new_participant_shows_up(qtbot, screen, fresh_controller):
    from calms_desktop.core.model import Participant

    fresh_controller.put_participant(Participant("late", "Late <b>Comer</b>"))
    assert screen.grid.model().rowCount() == 7
    assert "0 of 7 voted" in screen.ui.voteStatusLabel.text()


def test_a_done_demo_pillar_opens_on_its_results(qtbot, window, demo_controller, settings):
    c = demo_controller  # every pillar is done
    s = show(qtbot, window, PillarScreen(c, Pillar.MEASUREMENT, settings, window))
    assert s.ui.entryTabs.currentIndex() == RESULTS_TAB
    assert s.ui.doneButton.text().replace("&", "") == "Reopen pillar"
    assert s.results.order() == [ss.statement.id for ss in c.score().by_disagreement(
        Pillar.MEASUREMENT)]
    assert s.notes.text() == c.workshop.notes[Pillar.MEASUREMENT.value]


def test_leaving_the_screen_commits_a_half_typed_action(qtbot, screen, fresh_controller):
    c = fresh_controller
    action_id = screen.actions.add_action()
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "Pair on incident reviews")
    assert c.workshop.action(action_id).text != "Pair on incident reviews"
    assert screen.commit()  # the main window calls this before showing another step
    assert c.workshop.action(action_id).text == "Pair on incident reviews"


def test_anonymous_workshop_with_two_answers(qtbot, screen, fresh_controller):
    from calms_desktop.core.model import VotingMode

    c = fresh_controller
    c.set_fields(voting_mode=VotingMode.ANONYMOUS)
    s1 = ids(c)[0]
    qtbot.keyClicks(screen.grid, "15")
    screen.reveal()
    assert set(all_cell_texts(screen.grid)) == {"", VOTED}  # never the values
    assert screen.results.row(s1).withheld
    assert "withheld" in screen.ui.statementList.item(0).text()
    assert "mean" not in screen.ui.statementList.item(0).text()
    screen.ui.statementList.setCurrentRow(0)
    assert all("the room" not in text.text() for _name, text in screen._level_labels)


def test_reveal_and_done_with_answers_missing_say_what_and_ask(qtbot, screen, fresh_controller):
    c = fresh_controller
    s = ids(c)
    for p in c.workshop.participants[:4]:
        c.vote(s[0], p.id, 3)
    asked: list[tuple[str, str]] = []
    screen.confirm = lambda title, text: asked.append((title, text)) or False
    assert not screen.reveal()
    assert c.workshop.pillar_states[PILLAR] == PillarState.VOTING
    title, text = asked[0]
    assert "Reveal Culture" in title
    assert "C1: 4 of 6" in text and "C2, C3, C4, C5" in text
    screen.confirm = lambda title, text: True
    assert screen.reveal()
    screen.confirm = lambda title, text: asked.append((title, text)) or False
    assert not screen.toggle_done()
    assert c.workshop.pillar_states[PILLAR] == PillarState.REVEALED
    assert "locked" in asked[-1][1]


def test_a_complete_pillar_reveals_without_a_question(qtbot, screen, fresh_controller):
    c = fresh_controller
    screen.confirm = lambda title, text: pytest.fail("nothing is missing")
    for sid in ids(c):
        for p in c.workshop.participants:
            c.vote(sid, p.id, 4)
    assert screen.reveal()


def test_entry_mode_does_not_carry_over_to_another_pillar(qtbot, window, fresh_controller,
                                                         settings):
    c = fresh_controller
    culture = PillarScreen(c, PILLAR, settings, window)
    lean = PillarScreen(c, Pillar.LEAN, settings, window)
    qtbot.addWidget(lean)
    culture.set_mode("tally")
    assert culture.mode == "tally" and lean.mode == "grid"
    assert lean.ui.voteStack.currentWidget() is lean.ui.gridPage


def test_a_refused_grid_digit_is_said_under_the_grid(qtbot, screen, fresh_controller):
    c = fresh_controller
    s1 = ids(c)[0]
    c.vote(s1, c.workshop.participants[0].id, 3)
    screen.grid.setCurrentIndex(screen.grid.model().index(0, 0))
    qtbot.keyClick(screen.grid, "5")
    assert screen.grid_refusal.isVisible()
    assert "Ana" in screen.grid_refusal.text()
    qtbot.keyClick(screen.grid, Qt.Key.Key_Down)
    qtbot.keyClick(screen.grid, "5")
    assert not screen.grid_refusal.isVisible()


def test_an_english_workshop_lists_german_statements_in_a_german_console(
        qtbot, window, fresh_controller, settings, qapp):
    from calms_desktop.core import questionnaire as qmod
    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    german = qmod.builtin(fresh_controller.workshop.questionnaire.id, "de")
    with ui_language(qapp, Translator("de")):
        fresh_controller.go_to(PILLAR.value)
        s = PillarScreen(fresh_controller, PILLAR, settings, window)
        s.confirm = lambda title, text: True
        show(qtbot, window, s)
        expected = german.section(PILLAR).statements[0].text
        assert s.section.statements[0].text == expected
        assert s.ui.statementList.item(0).toolTip() == expected
        assert expected in s.ui.statementList.item(0).text()
