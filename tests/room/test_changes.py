"""Typed changes: every operation maps to the changes a view subscribes to."""

from __future__ import annotations

from calms_desktop.core.model import ActionItem, Participant, Pillar, PillarState
from calms_desktop.core.operations import (
    Batch,
    DeleteAction,
    DeleteParticipant,
    PutAction,
    PutParticipant,
    SetActionReview,
    SetFields,
    SetNote,
    SetPillarState,
    SetTally,
    SetVote,
)
from calms_desktop.room import changes as ch


def test_each_operation_has_its_kind_of_change():
    action = ActionItem(id="a1", text="Do it")
    cases = [
        (SetVote("s1", "p1", None), ch.VotesChanged(frozenset({"s1"}), frozenset({"p1"}))),
        (SetTally("s1", None), ch.TallyChanged(frozenset({"s1"}))),
        (SetPillarState(Pillar.LEAN, PillarState.REVEALED),
         ch.PillarStateChanged(frozenset({Pillar.LEAN}))),
        (SetNote("intro", "x"), ch.NotesChanged(frozenset({"intro"}))),
        (PutAction(action), ch.ActionsChanged(frozenset({"a1"}))),
        (DeleteAction("a1"), ch.ActionsChanged(frozenset({"a1"}))),
        (SetActionReview("a1", None), ch.ActionsChanged(frozenset({"a1"}), reviews=True)),
        (PutParticipant(Participant(id="p1", name="Ana")),
         ch.ParticipantsChanged(frozenset({"p1"}))),
        (DeleteParticipant("p1"), ch.ParticipantsChanged(frozenset({"p1"}), removed=True)),
        (SetFields.of(team="x"), ch.FieldsChanged(frozenset({"team"}))),
    ]
    for op, change in cases:
        assert ch.changes_of(op) == (change,), op


def test_a_batch_merges_changes_per_kind():
    op = Batch((SetVote("s1", "p1", None), SetVote("s2", "p2", None),
                Batch((SetNote("lean", "n"),)), SetVote("s1", "p3", None)))
    assert ch.changes_of(op) == (
        ch.VotesChanged(frozenset({"s1", "s2"}), frozenset({"p1", "p2", "p3"})),
        ch.NotesChanged(frozenset({"lean"})),
    )


def test_scores_flag_follows_what_is_scored():
    assert ch.VotesChanged(frozenset(), frozenset()).scores
    assert not ch.NotesChanged(frozenset()).scores
    assert ch.FieldsChanged(frozenset({"targets"})).scores
    assert not ch.FieldsChanged(frozenset({"title"})).scores


def test_the_bus_delivers_by_kind_and_unsubscribes():
    bus = ch.ChangeBus()
    got: list[object] = []
    bus.subscribe(ch.NotesChanged, got.append)
    bus.publish([ch.TallyChanged(frozenset({"s"})), ch.NotesChanged(frozenset({"x"}))])
    assert got == [ch.NotesChanged(frozenset({"x"}))]
    bus.unsubscribe(ch.NotesChanged, got.append)
    bus.publish([ch.NotesChanged(frozenset({"y"}))])
    assert len(got) == 1
