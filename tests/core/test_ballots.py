"""Ballots: the one path every vote source takes."""

from __future__ import annotations

import pytest

from calms_desktop.core.ballots import Ballot, TallyBallot, parse_answer, to_operation
from calms_desktop.core.errors import OperationError
from calms_desktop.core.model import DONT_KNOW, Pillar, PillarState
from calms_desktop.core.operations import SetTally, SetVote

from .factories import workshop


@pytest.fixture
def ws():
    return workshop(3)


@pytest.mark.parametrize(
    ("text", "answer"),
    [("1", 1), ("5", 5), (" 3 ", 3), ("?", DONT_KNOW), ("0", DONT_KNOW),
     ("6", None), ("", None), ("x", None), ("-1", None), ("2.5", None), ("１", None)],
)
def test_parse_answer(text, answer):
    assert parse_answer(text) == answer


def test_a_ballot_becomes_a_vote(ws):
    op = to_operation(ws, Ballot("culture.s0", "p1", 4, source="phone"))
    assert isinstance(op, SetVote)
    assert (op.statement_id, op.participant_id) == ("culture.s0", "p1")
    assert op.vote.score == 4
    assert op.vote.source == "phone"
    assert op.vote.at  # stamped with the time it was recorded
    op.apply(ws)
    assert ws.vote("culture.s0", "p1").score == 4


def test_dont_know_is_an_answer(ws):
    to_operation(ws, Ballot("culture.s0", "p1", DONT_KNOW)).apply(ws)
    assert ws.vote("culture.s0", "p1").score == DONT_KNOW


def test_a_re_vote_replaces_the_earlier_one(ws):
    to_operation(ws, Ballot("culture.s0", "p1", 2)).apply(ws)
    to_operation(ws, Ballot("culture.s0", "p1", 5)).apply(ws)
    assert [v.score for v in ws.votes_for("culture.s0")] == [5]


def test_score_none_withdraws_the_vote(ws):
    to_operation(ws, Ballot("culture.s0", "p1", 2)).apply(ws)
    op = to_operation(ws, Ballot("culture.s0", "p1", None))
    assert op == SetVote("culture.s0", "p1", None)
    op.apply(ws)
    assert ws.vote("culture.s0", "p1") is None


@pytest.mark.parametrize("score", [6, -1, 99, 2.0, 2.5, "3", True, False])
def test_out_of_range_or_wrong_type_scores_are_refused(ws, score):
    with pytest.raises(OperationError, match="a score must be 1–5 or don't know"):
        to_operation(ws, Ballot("culture.s0", "p1", score))


def test_unknown_statement_is_refused(ws):
    with pytest.raises(OperationError, match="unknown statement 'culture.s9'"):
        to_operation(ws, Ballot("culture.s9", "p1", 3))


def test_unknown_participant_is_refused(ws):
    with pytest.raises(OperationError, match="unknown participant 'ghost'"):
        to_operation(ws, Ballot("culture.s0", "ghost", 3))


def test_a_finished_pillar_takes_no_votes(ws):
    ws.pillar_states[Pillar.CULTURE] = PillarState.DONE
    with pytest.raises(OperationError, match="Culture is finished"):
        to_operation(ws, Ballot("culture.s0", "p1", 3))
    with pytest.raises(OperationError, match="Culture is finished"):
        to_operation(ws, TallyBallot("culture.s0", {3: 1}))
    to_operation(ws, Ballot("lean.s0", "p1", 3))  # other pillars still vote


def test_a_tally_ballot_becomes_a_tally(ws):
    op = to_operation(ws, TallyBallot("lean.s1", {4: 3, 2: 1, DONT_KNOW: 2, 5: 0}))
    assert op == SetTally("lean.s1", ((DONT_KNOW, 2), (2, 1), (4, 3)))
    op.apply(ws)
    assert ws.tallies["lean.s1"] == {DONT_KNOW: 2, 2: 1, 4: 3}
    assert ws.answer_count("lean.s1") == 6


def test_an_empty_tally_clears(ws):
    ws.tallies["lean.s1"] = {3: 3}
    op = to_operation(ws, TallyBallot("lean.s1", {}))
    assert op == SetTally("lean.s1", None)
    op.apply(ws)
    assert "lean.s1" not in ws.tallies


@pytest.mark.parametrize(
    "hands",
    [{6: 1}, {-1: 1}, {"3": 1}, {3.0: 1}, {3: -2}, {3: 1.5}, {3: True}, {3: "2"}],
)
def test_bad_tallies_are_refused(ws, hands):
    with pytest.raises(OperationError):
        to_operation(ws, TallyBallot("lean.s1", hands))


def test_tally_for_unknown_statement(ws):
    with pytest.raises(OperationError, match="unknown statement"):
        to_operation(ws, TallyBallot("nope", {3: 1}))
