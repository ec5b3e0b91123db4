"""The privacy rule of anonymous workshops."""

from __future__ import annotations

from calms_desktop.core.model import DONT_KNOW, Pillar, VotingMode
from calms_desktop.core.privacy import (
    MIN_ANONYMOUS_ANSWERS,
    can_show,
    can_show_distribution,
    withheld_message,
)
from calms_desktop.core.scoring import Distribution, score_workshop

from .factories import put_votes, workshop


def statement_score(ws, sid):
    for p in score_workshop(ws).pillars.values():
        for s in p.statements:
            if s.statement.id == sid:
                return s
    raise KeyError(sid)


def test_the_minimum_is_three():
    assert MIN_ANONYMOUS_ANSWERS == 3


def test_anonymous_two_scored_answers_are_hidden():
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "culture.s0", [2, 4])
    assert can_show(ws, statement_score(ws, "culture.s0")) is False


def test_anonymous_one_scored_answer_is_hidden():
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "culture.s0", [4])
    assert can_show(ws, statement_score(ws, "culture.s0")) is False


def test_anonymous_three_scored_answers_are_shown():
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "culture.s0", [2, 4, 5])
    assert can_show(ws, statement_score(ws, "culture.s0")) is True


def test_dont_know_does_not_count_towards_the_minimum():
    # Two scores plus a "don't know": each scorer could still work out the other.
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "culture.s0", [2, 4, DONT_KNOW])
    assert can_show(ws, statement_score(ws, "culture.s0")) is False


def test_tallied_hands_count_like_votes():
    ws = workshop(1, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "lean.s0", [3])
    ws.tallies["lean.s0"] = {4: 1}
    assert can_show(ws, statement_score(ws, "lean.s0")) is False
    ws.tallies["lean.s0"] = {4: 2}
    assert can_show(ws, statement_score(ws, "lean.s0")) is True


def test_nothing_to_show_is_not_withheld():
    ws = workshop(3, mode=VotingMode.ANONYMOUS)
    assert can_show(ws, statement_score(ws, "culture.s0")) is True


def test_named_workshops_always_show():
    ws = workshop(3, mode=VotingMode.NAMED)
    put_votes(ws, "culture.s0", [4])
    put_votes(ws, "culture.s1", [1, 5])
    assert can_show(ws, statement_score(ws, "culture.s0")) is True
    assert can_show(ws, score_workshop(ws).pillars[Pillar.CULTURE]) is True
    assert can_show_distribution(ws, Distribution((0, 1, 0, 0, 0), 0)) is True


def test_a_pillar_is_shown_only_when_every_statement_passes():
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "culture.s0", [1, 2, 3, 4, 5])
    put_votes(ws, "culture.s1", [3, 3])  # would give two people away
    pillar = score_workshop(ws).pillars[Pillar.CULTURE]
    assert can_show(ws, pillar) is False
    put_votes(ws, "culture.s1", [3, 3, 4])
    assert can_show(ws, score_workshop(ws).pillars[Pillar.CULTURE]) is True


def test_a_pillar_with_an_unanswered_statement_is_shown():
    ws = workshop(5, mode=VotingMode.ANONYMOUS)
    put_votes(ws, "sharing.s0", [1, 2, 3])
    assert can_show(ws, score_workshop(ws).pillars[Pillar.SHARING]) is True


def test_withheld_message_counts_every_answer():
    assert withheld_message(Distribution((0, 1, 1, 0, 0), 0)) == (
        "2 answers — too few to show anonymously (at least 3 needed)"
    )
    assert withheld_message(Distribution((0, 0, 1, 0, 0), 0)).startswith("1 answer —")
    assert withheld_message(Distribution((0, 1, 1, 0, 0), 1)).startswith(
        "2 answers on the scale (and 1 don't know) —")


def test_the_withheld_message_counts_the_answers_the_rule_counts():
    """Breaking pass: "4 answers — too few (at least 3 needed)" for 2 on the scale and
    2 "don't know": the rule counts answers on the scale, so the message does too."""
    from calms_desktop.core.privacy import withheld_message
    from calms_desktop.core.scoring import Distribution

    two_and_two = withheld_message(Distribution((0, 1, 0, 1, 0), 2))
    assert two_and_two.startswith("2 answers on the scale (and 2 don't know)")
    assert withheld_message(Distribution((0, 1, 0, 1, 0))).startswith("2 answers —")
    assert withheld_message(Distribution((0, 0, 1, 0, 0), 1)).startswith("1 answer on the scale")
