"""The session: apply, persist before returning, notify; roll back if saving fails."""

from __future__ import annotations

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.ballots import Ballot, TallyBallot
from calms_desktop.core.errors import OperationError
from calms_desktop.core.operations import SetNote, SetVote
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library

from .factories import workshop


@pytest.fixture
def session(library):
    ws = workshop(3)
    library.save(ws)
    return WorkshopSession(ws, library)


def on_disk(library, wid):
    return fileformat.read_file(library.path_of(wid))


def test_submit_persists_before_returning(session, library):
    session.submit(Ballot("culture.s0", "p1", 4))
    saved = on_disk(library, session.workshop.id)
    assert saved.vote("culture.s0", "p1").score == 4


def test_a_tally_takes_the_same_path(session, library):
    session.submit(TallyBallot("lean.s1", {2: 3, 0: 1}))
    assert on_disk(library, session.workshop.id).tallies["lean.s1"] == {0: 1, 2: 3}


def test_undo_through_the_session(session, library):
    before = fileformat.to_document(session.workshop)
    undo = session.submit(Ballot("culture.s0", "p1", 4))
    session.execute(undo)
    assert on_disk(library, session.workshop.id).vote("culture.s0", "p1") is None
    after = fileformat.to_document(session.workshop)
    del before["workshop"]["updated"], after["workshop"]["updated"]
    assert after == before


def test_listeners_hear_every_change(session):
    heard = []

    def listener(op, ws):
        heard.append((op, ws.vote("culture.s0", "p1")))

    session.subscribe(listener)
    session.submit(Ballot("culture.s0", "p1", 2))
    assert len(heard) == 1
    assert isinstance(heard[0][0], SetVote)
    assert heard[0][1].score == 2  # the change is visible to the listener
    session.unsubscribe(listener)
    session.unsubscribe(listener)  # twice is harmless
    session.submit(Ballot("culture.s0", "p1", 3))
    assert len(heard) == 1


def test_updated_is_stamped(session, monkeypatch):
    monkeypatch.setattr("calms_desktop.core.session.now_iso", lambda: "2030-01-01T00:00:00+00:00")
    session.execute(SetNote("intro", "hello"))
    assert session.workshop.updated == "2030-01-01T00:00:00+00:00"


def test_a_refused_ballot_changes_nothing(session, library):
    heard = []
    session.subscribe(lambda op, ws: heard.append(op))
    before = fileformat.dumps(session.workshop)
    with pytest.raises(OperationError):
        session.submit(Ballot("culture.s0", "p1", 9))
    assert fileformat.dumps(session.workshop) == before
    assert fileformat.dumps(on_disk(library, session.workshop.id)) == before
    assert heard == []


def test_memory_rolls_back_when_saving_fails(session, library, monkeypatch):
    session.submit(Ballot("culture.s0", "p0", 1))
    before = fileformat.dumps(session.workshop)
    heard = []
    session.subscribe(lambda op, ws: heard.append(op))

    def broken_save(ws):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library, "save", broken_save)
    with pytest.raises(OSError, match="No space left"):
        session.submit(Ballot("culture.s0", "p0", 5))
    with pytest.raises(OSError):
        session.submit(Ballot("culture.s0", "p2", 3))
    assert fileformat.dumps(session.workshop) == before  # incl. the "updated" stamp
    assert heard == []
    monkeypatch.undo()
    session.submit(Ballot("culture.s0", "p2", 3))  # works again once the disk does
    assert on_disk(library, session.workshop.id).vote("culture.s0", "p2").score == 3


def test_without_a_library_changes_stay_in_memory():
    session = WorkshopSession(workshop(2), None)
    session.submit(Ballot("sharing.s1", "p0", 5))
    assert session.workshop.vote("sharing.s1", "p0").score == 5


def test_a_vote_survives_reopening(data_dir):
    with Library(data_dir) as lib:
        ws = workshop(2)
        lib.save(ws)
        WorkshopSession(ws, lib).submit(Ballot("automation.s1", "p1", 0))
    with Library(data_dir, read_only=True) as lib:
        assert lib.load(ws.id).vote("automation.s1", "p1").score == 0
