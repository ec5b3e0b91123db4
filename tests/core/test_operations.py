"""Operations: each change returns its exact inverse; bad changes are refused."""

from __future__ import annotations

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.demo import build_demo
from calms_desktop.core.errors import OperationError
from calms_desktop.core.model import (
    DONT_KNOW,
    ActionItem,
    ActionStatus,
    Participant,
    Pillar,
    PillarState,
    ReviewDecision,
    Vote,
    VotingMode,
)
from calms_desktop.core.operations import (
    Batch,
    DeleteAction,
    DeleteParticipant,
    Operation,
    PutAction,
    PutParticipant,
    SetActionReview,
    SetFields,
    SetNote,
    SetPillarState,
    SetTally,
    SetVote,
)
from calms_desktop.core.questionnaire import builtin

from .factories import fill, put_votes, workshop

doc = fileformat.to_document


@pytest.fixture
def ws(demo_pair):
    """The demo re-assessment plus a tally: every kind of data is present."""
    w = demo_pair[1]
    w.tallies["lean.retrospectives"] = {2: 3, 4: 1, DONT_KNOW: 1}
    w.tallies["sharing.peer-review"] = {5: 2}
    return w


def cases(w) -> list[tuple[str, Operation]]:
    s0 = w.questionnaire.statements[0].id
    s_last = w.questionnaire.statements[-1].id
    p0 = w.participants[0].id
    p3 = w.participants[3].id
    a0 = w.actions[0]
    reviewed = next(iter(w.action_reviews))
    assert (s0, p0) in w.votes
    return [
        ("re-vote", SetVote(s0, p0, Vote(s0, p0, 5 if w.votes[(s0, p0)].score != 5 else 1))),
        ("vote don't know", SetVote(s_last, p3, Vote(s_last, p3, DONT_KNOW))),
        ("clear a vote", SetVote(s0, p0, None)),
        ("clear a missing vote", SetVote(s0, "nobody", None)),
        ("new tally", SetTally.of(s0, {3: 4, 4: 1})),
        ("replace a tally", SetTally.of("lean.retrospectives", {1: 1})),
        ("clear a tally", SetTally.of("lean.retrospectives", None)),
        ("reveal", SetPillarState(Pillar.LEAN, PillarState.REVEALED)),
        ("new note", SetNote("summary", "A new summary ✓")),
        ("replace a note", SetNote("culture", "Rewritten")),
        ("clear a note", SetNote("culture", "")),
        ("new action", PutAction(ActionItem("new-a", "Do the thing", "Zoë", "2026-05-01"))),
        ("new action at the top", PutAction(ActionItem("new-b", "First!"), index=0)),
        ("edit an action", PutAction(ActionItem(a0.id, "Edited", status=ActionStatus.DONE))),
        ("delete an action", DeleteAction(a0.id)),
        ("add a participant", PutParticipant(Participant("new-p", "Ngũgĩ wa Thiong'o", "Dev"))),
        ("rename a participant", PutParticipant(Participant(p3, "Renamed", "Lead"))),
        ("remove a participant", DeleteParticipant(p3)),
        ("set-up fields", SetFields.of(title="New title", team="Team B", date="2026-04-01",
                                       location="Online", facilitator="Me")),
        ("targets", SetFields.of(targets={Pillar.CULTURE: 5})),
        ("voting mode", SetFields.of(voting_mode=VotingMode.ANONYMOUS)),
        ("baseline", SetFields.of(baseline_id=None)),
        ("timebox", SetFields.of(timebox_minutes={"intro": 5})),
        ("review: change", SetActionReview(reviewed, ReviewDecision.DONE
                                           if w.action_reviews[reviewed] != ReviewDecision.DONE
                                           else ReviewDecision.CARRIED)),
        ("review: clear", SetActionReview(reviewed, None)),
        ("batch", Batch((SetVote(s0, p0, None), SetNote("intro", "x"),
                         DeleteParticipant(p3)), "several")),
    ]


CASE_NAMES = [name for name, _ in cases(build_demo()[1])]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_inverse_restores_the_workshop_exactly(ws, name):
    op = dict(cases(ws))[name]
    before = doc(ws)
    before_bytes = fileformat.dumps(ws)
    inverse = op.apply(ws)
    after = doc(ws)
    if name != "clear a missing vote":
        assert after != before, "the operation changed nothing"
    redo = inverse.apply(ws)
    assert doc(ws) == before
    assert fileformat.dumps(ws) == before_bytes
    redo.apply(ws)  # and redo gives the changed workshop again
    assert doc(ws) == after


def test_every_operation_type_is_covered(ws):
    import calms_desktop.core.operations as ops

    kinds = {
        obj for obj in vars(ops).values()
        if isinstance(obj, type) and issubclass(obj, Operation) and obj is not Operation
    }
    assert kinds == {type(op) for _, op in cases(ws)}


def test_describe_is_short_text(ws):
    for _, op in cases(ws):
        text = op.describe(ws)
        assert isinstance(text, str) and 0 < len(text) < 80


# -- votes ---------------------------------------------------------------------------------


def test_re_vote_replaces_the_earlier_vote():
    w = workshop(2)
    SetVote("culture.s0", "p0", Vote("culture.s0", "p0", 2)).apply(w)
    SetVote("culture.s0", "p0", Vote("culture.s0", "p0", 4)).apply(w)
    assert len(w.votes) == 1
    assert w.vote("culture.s0", "p0").score == 4


def test_vote_refuses_an_unknown_statement():
    w = workshop(2)
    with pytest.raises(OperationError, match="unknown statement 'nope'"):
        SetVote("nope", "p0", Vote("nope", "p0", 3)).apply(w)
    assert not w.votes


def test_vote_refuses_an_unknown_participant():
    w = workshop(2)
    with pytest.raises(OperationError, match="'ghost'"):
        SetVote("culture.s0", "ghost", Vote("culture.s0", "ghost", 3)).apply(w)
    assert not w.votes


@pytest.mark.parametrize("score", [6, -1, 7, True, False, 2.5, 2.0, "3"])
def test_vote_refuses_a_score_out_of_range(score):
    w = workshop(2)
    with pytest.raises(OperationError, match="1–5 or don't know"):
        SetVote("culture.s0", "p0", Vote("culture.s0", "p0", score)).apply(w)
    assert not w.votes


@pytest.mark.parametrize("hands", [{6: 1}, {3: -1}, {3: True}, {3: 1.5}, {3: 10_001}])
def test_tally_refuses_bad_counts(hands):
    w = workshop(0)
    with pytest.raises(OperationError):
        SetTally.of("culture.s0", hands).apply(w)
    assert not w.tallies


def test_empty_tally_clears():
    w = workshop(0)
    w.tallies["culture.s0"] = {3: 2}
    SetTally.of("culture.s0", {3: 0}).apply(w)
    assert "culture.s0" not in w.tallies


# -- participants ---------------------------------------------------------------------------


def test_deleting_a_participant_removes_their_votes_and_undo_restores_them():
    w = fill(workshop(3), lambda si, pi: 1 + (si + pi) % 5)
    n_statements = len(w.questionnaire.statements)
    before = doc(w)
    undo = DeleteParticipant("p1").apply(w)
    assert [p.id for p in w.participants] == ["p0", "p2"]
    assert len(w.votes) == 2 * n_statements
    assert all(pid != "p1" for _, pid in w.votes)
    undo.apply(w)
    assert [p.id for p in w.participants] == ["p0", "p1", "p2"]
    assert len(w.votes) == 3 * n_statements
    assert doc(w) == before


def test_participant_needs_a_name():
    w = workshop(1)
    with pytest.raises(OperationError, match="needs a name"):
        PutParticipant(Participant("x", "   ")).apply(w)


def test_delete_unknown_participant_or_action():
    w = workshop(1)
    with pytest.raises(OperationError):
        DeleteParticipant("ghost").apply(w)
    with pytest.raises(OperationError):
        DeleteAction("ghost").apply(w)


# -- set-up fields ----------------------------------------------------------------------------


def test_questionnaire_cannot_change_once_votes_exist():
    w = workshop(2)
    SetFields.of(questionnaire=builtin("quick-check")).apply(w)  # no votes yet: fine
    assert w.questionnaire.id == "quick-check"
    sid = w.questionnaire.statements[0].id
    put_votes(w, sid, [3])
    with pytest.raises(OperationError, match="cannot change once votes"):
        SetFields.of(questionnaire=builtin("calms-default")).apply(w)
    assert w.questionnaire.id == "quick-check"


def test_fields_outside_the_set_up_cannot_change():
    w = workshop(1)
    with pytest.raises(OperationError, match="'id' cannot be changed"):
        SetFields.of(id="other").apply(w)


@pytest.mark.parametrize("level", [0, 6])
def test_target_levels_are_1_to_5(level):
    w = workshop(1)
    with pytest.raises(OperationError, match="target level"):
        SetFields.of(targets={Pillar.LEAN: level}).apply(w)
    assert w.targets == {}


def test_affects_scores():
    assert SetVote("a", "b", None).affects_scores
    assert not SetNote("intro", "x").affects_scores
    assert SetFields.of(targets={}).affects_scores
    assert not SetFields.of(title="x").affects_scores
    assert Batch((SetNote("intro", "x"), SetTally("a", None))).affects_scores
    assert not Batch((SetNote("intro", "x"),)).affects_scores


# -- what is accepted can be saved and read back -----------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        SetFields.of(date="31/03/2026"),
        SetFields.of(title="x" * 501),
        SetFields.of(voting_mode="secret"),
        SetFields.of(timebox_minutes={"lunch": 30}),
        SetFields.of(timebox_minutes={"intro": -5}),
        SetFields.of(targets={Pillar.LEAN: True}),
        SetFields.of(targets={"tooling": 3}),
        SetNote("lunch", "sandwiches"),
        PutAction(ActionItem("a1", "   ")),
        PutAction(ActionItem("a1", "Do it", due="next week")),
        PutAction(ActionItem("", "Do it")),
        PutParticipant(Participant("p9", "x" * 501)),
        PutParticipant(Participant("", "Nobody")),
    ],
    ids=lambda op: repr(op)[:60],
)
def test_operations_refuse_what_the_file_format_would_refuse(op):
    # Otherwise the app would save a workshop it cannot open again: at the next
    # start the library would set the whole workshop aside as damaged.
    w = workshop(2)
    before = doc(w)
    with pytest.raises(OperationError):
        op.apply(w)
    assert doc(w) == before


def test_batch_rolls_back_when_one_operation_fails():
    w = fill(workshop(2))
    before = doc(w)
    bad = Batch((SetNote("intro", "x"), DeleteParticipant("p0"), DeleteAction("ghost")))
    with pytest.raises(OperationError):
        bad.apply(w)
    assert doc(w) == before


@pytest.mark.parametrize("name", CASE_NAMES)
def test_accepted_changes_survive_the_file_format(ws, name):
    dict(cases(ws))[name].apply(ws)
    again = fileformat.from_document(doc(ws))
    assert doc(again) == doc(ws)


def test_set_fields_changes_all_or_nothing():
    w = workshop(1)
    with pytest.raises(OperationError, match="date: expected a date like 2026-03-31"):
        SetFields.of(title="Changed", date="31/03/2026").apply(w)
    assert w.title == "Test workshop"


def test_set_fields_normalises_values():
    w = workshop(1)
    undo = SetFields.of(targets={"lean": 4}, voting_mode="anonymous", baseline_id="").apply(w)
    assert w.targets == {Pillar.LEAN: 4}
    assert isinstance(next(iter(w.targets)), Pillar)
    assert w.voting_mode is VotingMode.ANONYMOUS
    assert w.baseline_id is None
    undo.apply(w)
    assert w.targets == {} and w.voting_mode is VotingMode.NAMED
