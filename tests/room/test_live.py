"""The live room, without Qt: ballot outcomes per source, one write per burst,
entry modes per pillar, where the room is and resume."""

from __future__ import annotations

import pytest

from calms_desktop.core.ballots import Ballot, TallyBallot
from calms_desktop.core.model import DONT_KNOW, Pillar, PillarState, VotingMode
from calms_desktop.core.operations import SetPillarState
from calms_desktop.core.resume import ResumeStore
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library
from calms_desktop.room import changes as ch
from calms_desktop.room import live
from calms_desktop.room.ballots import Refusal, Source
from tests.core.factories import first_statement, workshop


class Clock:
    def __init__(self) -> None:
        self.t = 0

    def __call__(self) -> int:
        return self.t


@pytest.fixture
def room(tmp_path):
    lib = Library(tmp_path / "lib")
    ws = workshop(people=4)
    lib.save(ws)
    r = live.Room(WorkshopSession(ws, lib), ResumeStore(tmp_path / "lib"), Clock())
    yield r
    lib.close()


def _count_saves(room, monkeypatch) -> list[int]:
    saves: list[int] = []
    real = room.session.library.save

    def counting(ws):
        saves.append(1)
        return real(ws)

    monkeypatch.setattr(room.session.library, "save", counting)
    return saves


def test_a_console_ballot_is_accepted_with_its_undo(room):
    sid = first_statement(room.workshop)
    pid = room.workshop.participants[0].id
    out = room.submit(Ballot(sid, pid, 4))
    assert out.accepted and out.reason == "" and out.undo is not None
    assert room.workshop.vote(sid, pid).score == 4
    room.execute(out.undo)
    assert room.workshop.vote(sid, pid) is None


def test_an_invalid_ballot_is_refused_with_a_reason_and_changes_nothing(room):
    sid = first_statement(room.workshop)
    out = room.submit(Ballot(sid, "nobody", 4))
    assert not out.accepted and out.code == Refusal.INVALID and "nobody" in out.reason
    out = room.submit(Ballot("no.such", room.workshop.participants[0].id, 4))
    assert not out.accepted and out.code == Refusal.INVALID
    assert room.workshop.votes == {}


def test_phones_vote_only_while_the_pillar_is_voting_and_phones_are_open(room):
    sid = first_statement(room.workshop)
    pid = room.workshop.participants[0].id
    phone = Ballot(sid, pid, 3, source=Source.PHONE)
    room.go_to(Pillar.CULTURE.value)  # opens voting on Culture
    assert room.submit(phone).code == Refusal.NOT_OPEN  # phone voting closed
    room.set_phones_open(True)
    assert room.submit(phone).accepted
    room.execute(SetPillarState(Pillar.CULTURE, PillarState.REVEALED))
    out = room.submit(Ballot(sid, pid, 5, source=Source.PHONE))
    assert out.code == Refusal.REVEALED and room.workshop.vote(sid, pid).score == 3
    # the facilitator may still correct it from the console after the reveal
    assert room.submit(Ballot(sid, pid, 5)).accepted


def test_a_done_pillar_refuses_every_source(room):
    sid = first_statement(room.workshop)
    room.execute(SetPillarState(Pillar.CULTURE, PillarState.DONE))
    out = room.submit(Ballot(sid, room.workshop.participants[0].id, 2))
    assert not out.accepted and out.code == Refusal.FINISHED


def test_hands_above_the_room_are_refused_unless_confirmed(room):
    sid = first_statement(room.workshop)
    out = room.submit(TallyBallot(sid, {3: 22, 4: 1}))
    assert out.code == Refusal.TOO_MANY_HANDS and "23 hands counted in a room of 4" in out.reason
    assert sid not in room.workshop.tallies
    assert room.submit(TallyBallot(sid, {3: 2, 4: 2})).accepted
    assert room.submit(TallyBallot(sid, {3: 22, 4: 1}), confirmed=True).accepted


def test_hands_and_grid_votes_together_may_not_exceed_the_room(room):
    sid = first_statement(room.workshop)
    for p in room.workshop.participants[:3]:
        room.submit(Ballot(sid, p.id, 3))
    assert room.submit(TallyBallot(sid, {2: 2})).code == Refusal.TOO_MANY_HANDS
    assert room.submit(TallyBallot(sid, {2: 1})).accepted


def test_a_burst_is_saved_once_and_each_ballot_gets_its_outcome(room, monkeypatch):
    saves = _count_saves(room, monkeypatch)
    room.go_to(Pillar.CULTURE.value)
    saves.clear()
    room.set_phones_open(True)
    ws = room.workshop
    sid = first_statement(ws)
    people = [p.id for p in ws.participants]
    burst = [Ballot(sid, people[0], 1, source="phone"),
             Ballot(sid, people[1], DONT_KNOW, source="phone"),
             Ballot(sid, "stranger", 4, source="phone"),
             Ballot(sid, people[0], 2, source="phone")]  # a change of mind in the burst
    outs = room.submit_many(burst)
    assert [o.accepted for o in outs] == [True, True, False, True]
    assert saves == [1]
    assert ws.vote(sid, people[0]).score == 2 and ws.vote(sid, people[1]).score == DONT_KNOW
    again = room.session.library.load(ws.id)
    assert again.vote(sid, people[0]).score == 2


def test_a_burst_that_cannot_be_saved_is_refused_whole_and_leaves_nothing(room, monkeypatch):
    room.go_to(Pillar.CULTURE.value)
    room.set_phones_open(True)
    ws = room.workshop
    sid = first_statement(ws)

    def full(_ws):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(room.session.library, "save", full)
    outs = room.submit_many([Ballot(sid, p.id, 3, source="phone") for p in ws.participants])
    assert {o.code for o in outs} == {Refusal.NOT_SAVED}
    assert "No space left" in outs[0].reason
    assert ws.votes == {}


def test_typed_changes_reach_only_their_subscribers(room):
    seen: list[object] = []
    room.changes.subscribe(ch.VotesChanged, seen.append)
    notes: list[object] = []
    room.changes.subscribe(ch.NotesChanged, notes.append)
    sid = first_statement(room.workshop)
    pid = room.workshop.participants[0].id
    room.submit(Ballot(sid, pid, 4))
    assert seen == [ch.VotesChanged(frozenset({sid}), frozenset({pid}))]
    assert notes == []


def test_entry_mode_belongs_to_a_pillar_and_never_carries_over(room):
    assert room.entry_mode(Pillar.CULTURE) == live.GRID
    room.set_entry_mode(Pillar.CULTURE, live.TALLY)
    assert room.entry_mode(Pillar.CULTURE) == live.TALLY
    assert room.entry_mode(Pillar.AUTOMATION) == live.GRID
    # a pillar counted by tally only comes back as a tally
    sid = room.workshop.questionnaire.section(Pillar.LEAN).statements[0].id
    room.submit(TallyBallot(sid, {3: 2}))
    assert room.entry_mode(Pillar.LEAN) == live.TALLY


def test_resume_brings_back_step_statement_entry_modes_and_projector(room, tmp_path):
    room.go_to(Pillar.AUTOMATION.value)
    sid = room.workshop.questionnaire.section(Pillar.AUTOMATION).statements[1].id
    room.set_statement(sid)
    room.set_entry_mode(Pillar.AUTOMATION, live.TALLY)
    room.set_projector({"open": True, "screen": "HDMI-1", "full_screen": True})
    state = ResumeStore(tmp_path / "lib").load()
    assert state is not None
    other = live.Room(room.session, None, Clock())
    other.restore(state)
    assert (other.step, other.statement_id) == (Pillar.AUTOMATION.value, sid)
    assert other.entry_mode(Pillar.AUTOMATION) == live.TALLY
    assert other.projector == {"open": True, "screen": "HDMI-1", "full_screen": True}


def test_a_step_change_that_cannot_be_remembered_does_not_happen(room, monkeypatch):
    def broken(_state):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(room._resume, "save", broken)
    seen: list[object] = []
    room.changes.subscribe(live.StepChanged, seen.append)
    with pytest.raises(live.RoomError, match="Read-only"):
        room.go_to(Pillar.CULTURE.value)
    assert room.step == "intro" and seen == []
    assert room.workshop.pillar_states[Pillar.CULTURE] == PillarState.NOT_STARTED


def test_a_baseline_shows_only_what_its_room_saw(tmp_path):
    from calms_desktop.core.model import Vote

    lib = Library(tmp_path / "lib")
    base = workshop(people=4, wid="base", mode=VotingMode.ANONYMOUS)
    culture, lean, auto = (base.questionnaire.section(p).statements
                           for p in (Pillar.CULTURE, Pillar.LEAN, Pillar.AUTOMATION))
    for st in (*culture, *lean, *auto):
        for p in base.participants:
            base.votes[(st.id, p.id)] = Vote(st.id, p.id, 3)
    del base.votes[(auto[0].id, "p0")], base.votes[(auto[0].id, "p1")]  # 2 answers: withheld
    base.pillar_states[Pillar.CULTURE] = PillarState.DONE
    base.pillar_states[Pillar.AUTOMATION] = PillarState.DONE
    # Lean was voted on but never revealed
    lib.save(base)
    ws = workshop(people=4, wid="now")
    ws.baseline_id = "base"
    lib.save(ws)
    room = live.Room(WorkshopSession(ws, lib))
    score = room.score()
    assert score.pillars[Pillar.CULTURE].baseline_mean == 3
    assert score.pillars[Pillar.LEAN].baseline_mean is None  # never revealed
    assert score.pillars[Pillar.AUTOMATION].baseline_mean is None  # withheld
    assert score.baseline_overall is None
    lib.close()


def test_anonymous_votes_after_the_reveal_are_refused_from_the_console(tmp_path):
    lib = Library(tmp_path / "lib")
    ws = workshop(people=4, mode=VotingMode.ANONYMOUS)
    lib.save(ws)
    room = live.Room(WorkshopSession(ws, lib))
    sid = first_statement(ws)
    room.execute(SetPillarState(Pillar.CULTURE, PillarState.REVEALED))
    out = room.submit(Ballot(sid, "p0", 4))
    assert out.code == Refusal.REVEALED and "anonymous" in out.reason
    lib.close()


def test_a_pillar_that_cannot_open_for_voting_keeps_the_room_where_it_was(room, monkeypatch):
    def full(_ws):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(room.session.library, "save", full)
    with pytest.raises(live.RoomError, match="No space"):
        room.go_to(Pillar.CULTURE.value)
    assert room.step == "intro"
    assert room.workshop.pillar_states[Pillar.CULTURE] == PillarState.NOT_STARTED


def test_resume_remembers_open_phone_voting_and_forgets_it_when_closed(room, tmp_path):
    store = ResumeStore(tmp_path / "lib")
    room.set_phones_open(True, {"host": "192.168.1.20", "port": 8765, "pin": "123456"})
    state = store.load()
    assert state is not None
    assert state.phones == {"open": True, "host": "192.168.1.20", "port": 8765,
                            "pin": "123456"}
    other = live.Room(room.session, None, Clock())
    other.restore(state)
    assert other.phones_resumed == {"host": "192.168.1.20", "port": 8765, "pin": "123456"}
    assert not other.phones_open  # nothing listens until the console reopens it
    room.set_phones_open(True, {"host": "192.168.1.20", "port": 8765, "pin": "654321"})
    assert store.load().phones["pin"] == "654321"  # a new PIN is remembered too
    room.set_phones_open(False)
    assert store.load().phones == {}
    other.restore(store.load())
    assert other.phones_resumed == {}


@pytest.mark.parametrize("phones", [
    {"open": True, "host": "", "port": 8765, "pin": "123456"},
    {"open": True, "host": "10.0.0.1", "port": "8765", "pin": "123456"},
    {"open": True, "host": "10.0.0.1", "port": 70000, "pin": "123456"},
    {"open": True, "host": "10.0.0.1", "port": True, "pin": "123456"},
    {"open": True, "host": "10.0.0.1", "port": 8765, "pin": "12a456"},
    {"open": "yes", "host": "10.0.0.1", "port": 8765, "pin": "123456"},
])
def test_an_odd_phones_entry_in_the_resume_file_reopens_nothing(room, phones):
    state = room.resume_state()
    from dataclasses import replace
    room.restore(replace(state, phones=phones))
    assert room.phones_resumed == {}
