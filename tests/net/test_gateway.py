"""The gateway's data: what a view may carry, and the JSON each part becomes."""

from __future__ import annotations

import pytest

from calms_desktop.net.gateway import (
    BallotOutcome,
    ParticipantChoice,
    ParticipantPrivate,
    PillarPhase,
    PillarView,
    RoomView,
    StatementResult,
    StatementView,
    Step,
)

STATEMENT = StatementView("c1", "C1", "We share goals.", ("a", "b", "c", "d", "e"))
RESULT = StatementResult("c1", mean="3.0", level_name="Practised", verdict="agree",
                         counts=(0, 0, 3, 0, 0), answers=3)


@pytest.mark.parametrize("phase", [PillarPhase.NOT_STARTED, PillarPhase.VOTING])
def test_a_view_cannot_carry_results_before_the_reveal(phase):
    with pytest.raises(ValueError, match="before the reveal"):
        PillarView("culture", "Culture", "", phase, (STATEMENT,), (RESULT,))
    with pytest.raises(ValueError):
        PillarView("culture", "Culture", "", phase, (STATEMENT,), result="Pillar 3.0")


def _view(**kw):
    revealed = PillarView("culture", "Culture", "Why", PillarPhase.REVEALED, (STATEMENT,),
                          (RESULT,), "Pillar 3.0 · Practised")
    voting = PillarView("lean", "Lean", "", PillarPhase.VOTING, (STATEMENT,))
    fields = dict(
        title="W", anonymous=False, step=Step.PILLAR, current="lean",
        pillars=(revealed, voting), voting_open=True, voted=1, expected=3,
        participants=(ParticipantChoice("p1", "Ana", True), ParticipantChoice("p2", "Bo")),
        private={"p1": ParticipantPrivate({"c1": 4})},
        devices={"secret-token": "p1"}, pending=frozenset({"other-token"}),
    )
    fields.update(kw)
    return RoomView(**fields)


def test_the_public_part_has_no_bindings_answers_or_early_results():
    public = _view().public_json()
    text = repr(public)
    assert "secret-token" not in text and "other-token" not in text and "p1" not in text
    culture, lean = public["pillars"]
    assert culture["results"][0]["counts"] == [0, 0, 3, 0, 0]
    assert culture["result"] == "Pillar 3.0 · Practised"
    assert "results" not in lean and "result" not in lean
    assert lean["statements"][0]["levels"] == ["a", "b", "c", "d", "e"]
    assert public["personal_page"] is True


def test_private_and_names_go_only_where_they_belong():
    view = _view()
    assert view.private_json("p1") == {"answers": {"c1": 4}, "name": "Ana"}
    assert view.private_json("p2")["answers"] == {}
    assert view.participants_json()[0] == {"id": "p1", "name": "Ana", "taken": True}
    anonymous = _view(anonymous=True)
    assert anonymous.participants_json() == []
    assert "name" not in anonymous.private_json("p1")  # no name is ever shown there
    assert anonymous.public_json()["personal_page"] is False
    assert view.progress_json() == {"voted": 1, "expected": 3}


def test_a_refusal_carries_its_standard_reason():
    outcome = BallotOutcome.refused("revealed")
    assert not outcome.accepted and outcome.code == "revealed" and "closed" in outcome.reason
    assert BallotOutcome.refused("x", "why").reason == "why"
