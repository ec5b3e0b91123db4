"""The per-person vote grid: keyboard entry, cursor movement, what it reveals."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core.model import DONT_KNOW, Pillar, PillarState, VotingMode
from calms_desktop.gui.widgets.vote_grid import TEXT_ROLES, VOTED, VoteGrid

PILLAR = Pillar.CULTURE


@pytest.fixture
def grid(qtbot, fresh_controller):
    g = VoteGrid(fresh_controller, PILLAR)
    qtbot.addWidget(g)
    return g


def statements(controller):
    return [s.id for s in controller.workshop.questionnaire.section(PILLAR).statements]


def people(controller):
    return [p.id for p in controller.workshop.participants]


def cell_texts(grid, role=Qt.ItemDataRole.DisplayRole):
    m = grid.model()
    return [m.index(r, c).data(role) for r in range(m.rowCount()) for c in range(m.columnCount())]


def test_typing_records_votes_and_moves_down(qtbot, grid, fresh_controller):
    c = fresh_controller
    s1 = statements(c)[0]
    p = people(c)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 0)
    qtbot.keyClicks(grid, "34?0")
    ws = c.workshop
    assert [ws.vote(s1, pid).score for pid in p[:4]] == [3, 4, DONT_KNOW, DONT_KNOW]
    assert ws.vote(s1, p[4]) is None
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (4, 0)


def test_cursor_wraps_to_the_next_statement(qtbot, grid, fresh_controller):
    c = fresh_controller
    s1, s2 = statements(c)[:2]
    with qtbot.waitSignal(grid.statement_selected) as moved:
        qtbot.keyClicks(grid, "123451")  # six participants
    assert moved.args == [s2]
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (0, 1)
    assert len(c.workshop.voters_for(s1)) == 6
    qtbot.keyClicks(grid, "5")
    assert c.workshop.vote(s2, people(c)[0]).score == 5


def test_the_last_cell_keeps_the_cursor(qtbot, grid, fresh_controller):
    m = grid.model()
    grid.setCurrentIndex(m.index(m.rowCount() - 1, m.columnCount() - 1))
    qtbot.keyClicks(grid, "2")
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (
        m.rowCount() - 1, m.columnCount() - 1)


def test_other_keys_do_not_vote(qtbot, grid, fresh_controller):
    qtbot.keyClicks(grid, "6x9")
    assert fresh_controller.workshop.votes == {}


def test_delete_and_backspace_clear_and_undo_restores(qtbot, grid, fresh_controller):
    c = fresh_controller
    s1 = statements(c)[0]
    p0, p1 = people(c)[:2]
    qtbot.keyClicks(grid, "45")
    grid.setCurrentIndex(grid.model().index(0, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    assert c.workshop.vote(s1, p0) is None
    assert grid.currentIndex().row() == 0  # clearing does not move on
    assert grid.model().index(0, 0).data() == ""
    grid.setCurrentIndex(grid.model().index(1, 0))
    qtbot.keyClick(grid, Qt.Key.Key_Backspace)
    assert c.workshop.vote(s1, p1) is None

    c.undo()
    assert c.workshop.vote(s1, p1).score == 5
    assert grid.model().index(1, 0).data() == VOTED
    c.undo()
    assert c.workshop.vote(s1, p0).score == 4
    assert grid.model().index(0, 0).data() == VOTED
    c.undo()  # undo the vote itself
    assert c.workshop.vote(s1, p1) is None
    assert grid.model().index(1, 0).data() == ""


def test_arrows_move_without_voting(qtbot, grid, fresh_controller):
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 1)
    assert fresh_controller.workshop.votes == {}


def test_before_the_reveal_no_value_is_shown(qtbot, grid, fresh_controller):
    qtbot.keyClicks(grid, "12345?" "543")
    assert set(cell_texts(grid)) == {VOTED, ""}
    assert cell_texts(grid).count(VOTED) == 9
    for role in TEXT_ROLES:
        for text in cell_texts(grid, role):
            assert text is None or not any(f"voted {n}" in text for n in "12345?")
    header = grid.model().headerData(0, Qt.Orientation.Horizontal)
    assert "6/6" in header
    tip = grid.model().headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "3 of 6 voted" in tip


def test_after_the_reveal_values_show(qtbot, grid, fresh_controller):
    qtbot.keyClicks(grid, "12345?")
    fresh_controller.reveal(PILLAR)
    assert [grid.model().index(r, 0).data() for r in range(6)] == ["1", "2", "3", "4", "5", "?"]
    fresh_controller.undo()  # hide the results again
    assert [grid.model().index(r, 0).data() for r in range(6)] == [VOTED] * 6


def test_an_anonymous_workshop_never_shows_values(qtbot, make_controller, fresh_controller):
    fresh_controller.set_fields(voting_mode=VotingMode.ANONYMOUS)
    grid = VoteGrid(fresh_controller, PILLAR)
    qtbot.addWidget(grid)
    qtbot.keyClicks(grid, "12345")
    fresh_controller.reveal(PILLAR)
    assert set(cell_texts(grid)) == {VOTED, ""}


def test_a_done_pillar_refuses_votes(qtbot, grid, fresh_controller):
    c = fresh_controller
    c.set_pillar_state(PILLAR, PillarState.DONE)
    with qtbot.waitSignal(c.error):
        qtbot.keyClicks(grid, "3")
    assert c.workshop.votes == {}
    assert grid.currentIndex().row() == 0


def test_a_new_participant_adds_a_row(qtbot, grid, fresh_controller):
    from calms_desktop.core.model import Participant

    fresh_controller.put_participant(Participant("new", "Gülşen <b>&amp;</b>"))
    m = grid.model()
    assert m.rowCount() == 7
    assert m.headerData(6, Qt.Orientation.Vertical) == "Gülşen <b>&amp;</b>"


def test_typing_for_a_phoneless_person_fills_their_next_empty_cells(qtbot, grid,
                                                                   fresh_controller):
    """Dev has no phone, the others answered by phone: 31234 fills Dev's C1..C5."""
    c = fresh_controller
    sids = statements(c)[:5]
    p = people(c)
    dev = p[3]
    for sid in sids:
        for pid in p:
            if pid != dev:
                c.vote(sid, pid, 5)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton,
                     pos=grid.visualRect(grid.model().index(3, 0)).center())
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (3, 0)
    refusals = []
    grid.refused.connect(lambda text: refusals.append(text) if text else None)
    qtbot.keyClicks(grid, "31234")
    ws = c.workshop
    assert [ws.vote(sid, dev).score for sid in sids] == [3, 1, 2, 3, 4]
    assert all(ws.vote(sid, pid).score == 5 for sid in sids for pid in p if pid != dev)
    assert refusals == []


def test_a_digit_on_an_answered_cell_is_refused_in_place_and_said(qtbot, grid,
                                                                  fresh_controller):
    c = fresh_controller
    s1 = statements(c)[0]
    p = people(c)
    c.vote(s1, p[1], 2)
    grid.setCurrentIndex(grid.model().index(1, 0))
    errors = []
    c.error.connect(errors.append)
    with qtbot.waitSignal(grid.refused) as said:
        qtbot.keyClick(grid, "4")
    assert "Bo" in said.args[0] and "C1" in said.args[0]
    assert errors == [said.args[0]]
    assert c.workshop.vote(s1, p[1]).score == 2
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, 0)  # stays put
    with qtbot.waitSignal(grid.refused) as cleared:  # the next answer taken clears it
        qtbot.keyClick(grid, Qt.Key.Key_Down)
        qtbot.keyClick(grid, "4")
    assert cleared.args == [""]
    assert c.workshop.vote(s1, p[2]).score == 4


def test_after_the_reveal_the_cursor_visits_every_cell(qtbot, grid, fresh_controller):
    c = fresh_controller
    s1 = statements(c)[0]
    p = people(c)
    c.vote(s1, p[1], 2)
    c.reveal(PILLAR)
    grid.setCurrentIndex(grid.model().index(0, 0))
    grid.advance()
    assert grid.currentIndex().row() == 1  # values show: an answer can be typed over
