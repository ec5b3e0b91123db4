"""Write-behind for phone bursts: applied at once, written on the writer thread,
acknowledged only once on disk; a failed write takes the burst back out."""

from __future__ import annotations

import threading

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.ballots import Ballot, to_operation
from calms_desktop.core.operations import SetNote
from calms_desktop.core.session import WorkshopSession

from .factories import workshop


@pytest.fixture
def session(library):
    ws = workshop(3)
    library.save(ws)
    s = WorkshopSession(ws, library)
    yield s
    s.close()


def on_disk(library, wid):
    return fileformat.read_file(library.path_of(wid))


def slowed(library, gate: threading.Event, seconds: float = 10):
    """Make the library's writes wait for ``gate`` (at most ``seconds``)."""
    store = library.store

    def slow_store(*args):
        gate.wait(seconds)
        return store(*args)

    library.store = slow_store
    return store


def vote(session, sid, pid, score):
    return to_operation(session.workshop, Ballot(sid, pid, score))


def test_a_deferred_change_is_in_memory_at_once_and_on_disk_when_its_future_resolves(
        session, library):
    _undo, durable = session.apply_deferred(vote(session, "culture.s0", "p1", 4))
    assert session.workshop.vote("culture.s0", "p1").score == 4
    durable.result(timeout=10)
    assert on_disk(library, session.workshop.id).vote("culture.s0", "p1").score == 4


def test_many_bursts_end_with_the_disk_holding_exactly_memory(session, library):
    futures = [session.apply_deferred(vote(session, "culture.s0", f"p{i % 3}", 1 + i % 5))[1]
               for i in range(40)]
    for f in futures:
        f.result(timeout=10)
    assert fileformat.to_document(on_disk(library, session.workshop.id))["votes"] == (
        fileformat.to_document(session.workshop)["votes"])


def test_a_console_change_writes_the_pending_bursts_with_it(session, library):
    gate = threading.Event()
    store = slowed(library, gate)
    _u, durable = session.apply_deferred(vote(session, "lean.s0", "p0", 2))
    library.store = store  # the console's save is not slowed
    done = threading.Thread(target=lambda: session.execute(SetNote("lean", "n")))
    done.start()
    gate.set()
    done.join(10)
    durable.result(timeout=10)
    saved = on_disk(library, session.workshop.id)
    assert saved.vote("lean.s0", "p0").score == 2 and saved.notes["lean"] == "n"


def test_a_failed_write_refuses_the_burst_and_reverts_it_out_of_memory(session, library):
    before = fileformat.to_document(on_disk(library, session.workshop.id))

    def full(*_args):
        raise OSError(28, "No space left on device")

    store, library.store = library.store, full
    _u, durable = session.apply_deferred(vote(session, "culture.s1", "p2", 5))
    with pytest.raises(OSError, match="No space"):
        durable.result(timeout=10)
    assert session.write_failed
    with pytest.raises(OSError, match="earlier write failed"):  # no change on top of it
        session.apply_deferred(vote(session, "culture.s1", "p0", 1))
    undone = session.revert_unsaved()
    assert len(undone) == 1 and not session.write_failed
    assert session.workshop.vote("culture.s1", "p2") is None
    assert fileformat.to_document(session.workshop)["votes"] == before["votes"]
    library.store = store
    _u, durable = session.apply_deferred(vote(session, "culture.s1", "p0", 1))
    durable.result(timeout=10)
    assert on_disk(library, session.workshop.id).vote("culture.s1", "p0").score == 1


def test_a_snapshot_queued_behind_a_failed_write_is_never_written(session, library):
    """The second burst's snapshot holds the reverted first one: it must not land."""
    started, release = threading.Event(), threading.Event()
    store = library.store

    def failing(*_args):
        started.set()
        release.wait(10)
        raise OSError(5, "Input/output error")

    library.store = failing
    _u, first = session.apply_deferred(vote(session, "sharing.s0", "p0", 3))
    started.wait(10)
    _u, second = session.apply_deferred(vote(session, "sharing.s0", "p1", 4))
    library.store = store  # a write of the queued snapshot would now succeed
    release.set()
    for f in (first, second):
        with pytest.raises(OSError):
            f.result(timeout=10)
    session.revert_unsaved()
    assert session.flush(10)
    saved = on_disk(library, session.workshop.id)
    assert saved.vote("sharing.s0", "p0") is None and saved.vote("sharing.s0", "p1") is None
    assert session.workshop.vote("sharing.s0", "p1") is None


def test_closing_the_session_waits_for_the_last_write(session, library):
    slowed(library, threading.Event(), 0.3)
    session.apply_deferred(vote(session, "automation.s1", "p1", 2))
    session.close()
    assert on_disk(library, session.workshop.id).vote("automation.s1", "p1").score == 2
