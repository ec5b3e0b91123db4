"""The step timer: countdown, pause/resume, warning phase, persistence."""

from calms_desktop.core.timer import StepTimer


def test_counts_down_only_while_running():
    t = StepTimer("culture", budget_ms=20 * 60_000)
    assert t.text(0) == "20:00" and not t.running
    t.start(1_000)
    assert t.remaining(61_000) == 19 * 60_000
    t.pause(61_000)
    assert t.remaining(500_000) == 19 * 60_000  # paused: time stands still
    t.start(500_000)
    assert t.text(500_000 + 30_000) == "18:30"


def test_warns_near_the_end_then_goes_over():
    t = StepTimer("lean", budget_ms=10 * 60_000)  # warn at 2 min (20 % of 10 min)
    t.start(0)
    assert t.phase(7 * 60_000) == "ok"
    assert t.phase(8 * 60_000) == "warn"
    assert t.phase(10 * 60_000 + 1) == "over"
    assert t.text(10 * 60_000 + 65_000) == "+01:05"


def test_short_timebox_warns_at_a_fifth():
    t = StepTimer("intro", budget_ms=5 * 60_000)  # a fifth = 1 min < 2 min
    t.start(0)
    assert t.phase(3 * 60_000 + 59_000) == "ok"
    assert t.phase(4 * 60_000) == "warn"


def test_without_a_budget_it_counts_up_and_never_warns():
    t = StepTimer("summary", budget_ms=0)
    t.start(0)
    assert t.text(75_000) == "01:15"
    assert t.phase(10**9) == "ok"


def test_round_trip_through_a_dict_keeps_elapsed_and_running():
    t = StepTimer("automation", budget_ms=600_000)
    t.start(0)
    saved = t.to_dict(90_000)
    assert saved == {"step": "automation", "budget_ms": 600_000, "elapsed_ms": 90_000,
                     "running": True}
    back = StepTimer.from_dict(saved, now=5_000_000)  # another process, another clock
    assert back.running and back.remaining(5_000_000) == 510_000
    back.pause(5_010_000)
    assert StepTimer.from_dict(back.to_dict(0), 0).running is False


def test_reset():
    t = StepTimer("culture", 60_000, elapsed_ms=30_000)
    t.start(0)
    t.reset()
    assert not t.running and t.remaining(99_999) == 60_000
