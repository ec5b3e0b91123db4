"""The room's estimate of a delivery metric: the one ballot path for every source,
a typed change, and what the projector may show (only after Measurement's reveal)."""

from __future__ import annotations

import pytest

from calms_desktop.core.demo import build_demo
from calms_desktop.core.metric_ops import MetricBallot, MetricHandsBallot
from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.core.operations import SetPillarState
from calms_desktop.core.resume import ResumeStore
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library
from calms_desktop.room import changes as ch
from calms_desktop.room import live, presentation
from calms_desktop.room.ballots import Refusal
from tests.core.factories import workshop


@pytest.fixture
def room(tmp_path):
    lib = Library(tmp_path / "lib")
    ws = workshop(people=4)
    lib.save(ws)
    r = live.Room(WorkshopSession(ws, lib), ResumeStore(tmp_path / "lib"), lambda: 0)
    yield r
    lib.close()


def test_console_picks_are_saved_and_announced(room):
    seen = []
    room.changes.subscribe(ch.MetricsChanged, seen.append)
    out = room.submit(MetricBallot("lead_time", "p0", 3))
    assert out.accepted and out.undo is not None
    assert room.session.library.load(room.workshop.id).metrics["lead_time"].bucket == 3
    assert seen == [ch.MetricsChanged(frozenset({"lead_time"}))]


def test_phones_pick_only_while_measurement_is_voting_with_phones_open(room):
    phone = MetricBallot("lead_time", "p1", 2, source="phone")
    out = room.submit(phone)
    assert (out.accepted, out.code) == (False, Refusal.NOT_OPEN.value)
    room.execute(SetPillarState(Pillar.MEASUREMENT, PillarState.VOTING))
    room.set_phones_open(True)
    assert room.submit(phone).accepted
    assert room.workshop.metrics["lead_time"].picks == (("p1", 2),)


def test_a_show_of_hands_never_counts_more_people_than_the_room(room):
    room.submit(MetricBallot("lead_time", "p0", 3))
    out = room.submit(MetricHandsBallot("lead_time", {2: 4}))
    assert (out.accepted, out.code) == (False, Refusal.TOO_MANY_HANDS.value)
    assert "4 hands counted in a room of 4" in out.reason
    assert room.submit(MetricHandsBallot("lead_time", {2: 3})).accepted
    assert room.submit(MetricHandsBallot("lead_time", {2: 9}), confirmed=True).accepted


def test_a_burst_of_picks_is_one_write(room, monkeypatch):
    saves = []
    real = room.session.library.save
    monkeypatch.setattr(room.session.library, "save", lambda ws: (saves.append(1), real(ws)))
    outs = room.submit_many([MetricBallot("recovery_time", f"p{i}", b)
                             for i, b in enumerate((0, 5, 1, 4))])
    assert all(o.accepted for o in outs) and len(saves) == 1
    assert room.workshop.metrics["recovery_time"].room_agrees is False


def test_the_projector_shows_metrics_only_after_the_reveal():
    baseline, ws = build_demo()
    assert presentation.metric_lines(ws, baseline)  # the demo is done
    lines = presentation.metric_lines(ws, baseline)
    assert lines[0] == "Lead time · one day–one week · High · 1 bucket better"
    assert any("the room disagrees" in x for x in presentation.metric_lines(baseline, None))
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.VOTING
    assert presentation.metric_lines(ws, baseline) == ()


def test_an_anonymous_pick_after_the_reveal_is_refused_from_the_console(tmp_path):
    """Breaking pass: a statement vote was refused there, a metric pick was not — the ✓
    and the median moving together showed what that person chose."""
    from calms_desktop.core.model import VotingMode

    lib = Library(tmp_path / "lib")
    ws = workshop(people=4, mode=VotingMode.ANONYMOUS)
    lib.save(ws)
    r = live.Room(WorkshopSession(ws, lib), None, lambda: 0)
    r.execute(SetPillarState(Pillar.MEASUREMENT, PillarState.REVEALED))
    out = r.submit(MetricBallot("lead_time", "p0", 3))
    assert not out.accepted and out.code == Refusal.REVEALED
    assert "lead_time" not in r.workshop.metrics
    lib.close()
