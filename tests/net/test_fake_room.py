"""The test room applies the room's rules and writes each burst once."""

from __future__ import annotations

from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.core.storage import Library
from calms_desktop.net.gateway import JoinRequest, JoinStatus, PhoneBallot, Step


def _bind(room, token, pid):
    outcome = room.join(JoinRequest(token, participant_id=pid)).result(5)
    assert outcome.status == JoinStatus.JOINED
    return token


def test_a_burst_is_one_durable_write(room, data_dir):
    _bind(room, "tok-a", "p-ana")
    _bind(room, "tok-b", "p-bo")
    room.open_pillar(Pillar.CULTURE)
    statements = [s.id for s in room.workshop.questionnaire.section(Pillar.CULTURE).statements]
    writes = room.writes
    ballots = [PhoneBallot(t, p, sid, 3) for t, p in (("tok-a", "p-ana"), ("tok-b", "p-bo"))
               for sid in statements]
    outcomes = room.submit(ballots).result(10)
    assert all(o.accepted for o in outcomes) and len(outcomes) == len(ballots)
    assert room.writes == writes + 1
    stored = Library(data_dir, read_only=True).load(room.workshop.id)
    assert len(stored.votes) == len(ballots)


def test_the_rooms_rules_refuse_with_codes(room):
    _bind(room, "tok-a", "p-ana")
    culture = room.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    lean = room.workshop.questionnaire.section(Pillar.LEAN).statements[0].id

    def code(ballot):
        return room.submit([ballot]).result(5)[0].code

    assert code(PhoneBallot("tok-a", "p-ana", culture, 3)) == "not_current"
    room.open_pillar(Pillar.CULTURE)
    assert code(PhoneBallot("tok-a", "p-ana", lean, 3)) == "not_current"
    assert code(PhoneBallot("tok-a", "p-ana", "nope", 3)) == "unknown_statement"
    assert code(PhoneBallot("tok-a", "p-bo", culture, 3)) == "unknown_participant"
    assert code(PhoneBallot("forged", "p-ana", culture, 3)) == "unknown_participant"
    assert code(PhoneBallot("tok-a", "p-ana", culture, 9)) == "invalid_score"
    room.set_phone_voting(False)
    assert code(PhoneBallot("tok-a", "p-ana", culture, 3)) == "voting_closed"
    room.set_phone_voting(True)
    assert code(PhoneBallot("tok-a", "p-ana", culture, 3)) == ""
    room.reveal(Pillar.CULTURE)
    assert code(PhoneBallot("tok-a", "p-ana", culture, 4)) == "revealed"
    room.finish(Pillar.CULTURE)
    assert room.workshop.pillar_states[Pillar.CULTURE] == PillarState.DONE
    assert code(PhoneBallot("tok-a", "p-ana", culture, 4)) == "revealed"
    assert room.workshop.vote(culture, "p-ana").score == 3


def test_a_refused_burst_writes_nothing(room):
    _bind(room, "tok-a", "p-ana")
    writes = room.writes
    culture = room.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    assert not room.submit([PhoneBallot("tok-a", "p-ana", culture, 3)]).result(5)[0].accepted
    assert room.writes == writes


def test_the_view_follows_the_room(room):
    _bind(room, "tok-a", "p-ana")
    view = room._call(room.view)
    assert view.step == Step.INTRO and not view.voting_open
    room.open_pillar(Pillar.CULTURE)
    view = room._call(room.view)
    assert view.step == Step.PILLAR and view.current == "culture" and view.voting_open
    assert view.devices == {"tok-a": "p-ana"} and view.expected == 3
    assert [p.taken for p in view.participants] == [True, False, False]
    room.go_to_summary()
    view = room._call(room.view)
    assert view.step == Step.SUMMARY and view.pdf_available
    assert room.attendee_pdf().result(30).startswith(b"%PDF")
