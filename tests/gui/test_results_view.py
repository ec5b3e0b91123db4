"""The reveal: statements ordered by disagreement, consensus flags, the privacy rule."""

from __future__ import annotations

import pytest

from calms_desktop.core import privacy
from calms_desktop.core.model import DONT_KNOW, Pillar, VotingMode
from calms_desktop.gui.widgets.results_view import ResultsView

PILLAR = Pillar.LEAN


@pytest.fixture
def view(qtbot):
    v = ResultsView()
    qtbot.addWidget(v)
    return v


def ids(c):
    return [s.id for s in c.workshop.questionnaire.section(PILLAR).statements]


def cast(c, statement_id, scores):
    for pid, score in zip([p.id for p in c.workshop.participants], scores, strict=False):
        assert c.vote(statement_id, pid, score)


@pytest.fixture
def voted(fresh_controller):
    c = fresh_controller
    s = ids(c)
    cast(c, s[0], [3, 3, 3, 3, 4, 4])       # agree
    cast(c, s[1], [1, 5, 1, 5, 2, 4])       # strong disagreement
    cast(c, s[2], [2, 3, 2, 3, DONT_KNOW])  # agree
    cast(c, s[3], [1, 4, 2, 2, 2, 2])       # 1 and 4 in one room: discuss
    c.reveal(PILLAR)
    return c


def test_ordered_by_disagreement_with_flags(view, voted):
    c = voted
    s = ids(c)
    view.show_results(c.workshop, c.score(), PILLAR, s[0])
    expected = [ss.statement.id for ss in c.score().by_disagreement(PILLAR)]
    assert view.order() == expected
    assert view.order()[:2] == [s[1], s[3]]
    assert "Discuss" in view.row(s[1]).flag_text()
    assert "⚠" in view.row(s[1]).flag_text()
    assert "Discuss" in view.row(s[3]).flag_text()
    assert "Agree" in view.row(s[0]).flag_text()
    assert "✓" in view.row(s[0]).flag_text()
    assert "No answers" in view.row(s[4]).flag_text()  # nobody voted
    assert view.row(s[4]).bars.isHidden()


def test_numbers_and_distribution(view, voted):
    c = voted
    s = ids(c)
    view.show_results(c.workshop, c.score(), PILLAR)
    row = view.row(s[2])
    assert row.bars.counts() == [0, 2, 2, 0, 0, 1]
    text = row.numbers.text()
    assert "Mean 2.5" in text
    assert "5 answers, 1 don't know" in text
    assert "2 statements to discuss" in view.summary.text()


def test_new_votes_reorder_the_rows(view, voted):
    c = voted
    s = ids(c)
    view.show_results(c.workshop, c.score(), PILLAR)
    rows_before = {sid: view.row(sid) for sid in s}
    cast(c, s[4], [1, 5, 1, 5, 1, 5])
    view.show_results(c.workshop, c.score(), PILLAR)
    assert view.order()[0] == s[4]
    assert all(view.row(sid) is rows_before[sid] for sid in s)  # reused, not rebuilt


def test_anonymous_with_two_answers_is_withheld(view, fresh_controller):
    c = fresh_controller
    c.set_fields(voting_mode=VotingMode.ANONYMOUS)
    s = ids(c)
    cast(c, s[0], [1, 5])
    cast(c, s[1], [2, 3, 4])
    c.reveal(PILLAR)
    view.show_results(c.workshop, c.score(), PILLAR)
    withheld = view.row(s[0])
    assert withheld.withheld
    assert withheld.bars.isHidden()
    dist = c.score().pillars[PILLAR].statements[0].stats.distribution
    assert withheld.numbers.text() == privacy.withheld_message(dist)
    assert "Mean" not in withheld.numbers.text()
    assert "Discuss" not in withheld.flag_text()
    shown = view.row(s[1])
    assert not shown.withheld
    assert "Mean 3.0" in shown.numbers.text()
    assert "withheld" in view.summary.text()


def test_one_answer_is_too_few_for_a_verdict(view, fresh_controller):
    c = fresh_controller
    s = ids(c)
    cast(c, s[0], [4])
    c.reveal(PILLAR)
    view.show_results(c.workshop, c.score(), PILLAR)
    assert "Too few answers" in view.row(s[0]).flag_text()
    assert "Mean 4.0" in view.row(s[0]).numbers.text()


def test_named_with_two_answers_is_shown(view, fresh_controller):
    c = fresh_controller
    s = ids(c)
    cast(c, s[0], [1, 5])
    c.reveal(PILLAR)
    view.show_results(c.workshop, c.score(), PILLAR)
    assert not view.row(s[0]).withheld
    assert "Discuss" in view.row(s[0]).flag_text()


def test_enter_on_a_row_activates_its_statement(qtbot, view, voted):
    from PySide6.QtCore import Qt

    c = voted
    view.show_results(c.workshop, c.score(), PILLAR)
    first = view.order()[0]
    with qtbot.waitSignal(view.statement_activated) as got:
        qtbot.keyClick(view.row(first), Qt.Key.Key_Return)
    assert got.args == [first]
