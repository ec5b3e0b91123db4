"""The step timer widget, driven by a fake clock."""

from __future__ import annotations

import pytest

from calms_desktop.gui.widgets.timer_widget import TimerWidget


@pytest.fixture
def timer(qtbot):
    w = TimerWidget()
    qtbot.addWidget(w)
    return w


def test_without_a_workshop(timer):
    assert timer.time_label.text() == "--:--"
    assert timer.phase == "none"
    assert not timer.play_button.isEnabled()
    assert not timer.ticking


def test_counts_down_warns_and_goes_over(timer, fresh_controller, clock):
    c = fresh_controller  # intro has a 10-minute timebox
    timer.set_controller(c)
    assert timer.time_label.text() == "10:00"
    assert timer.phase_label.text() == "not started"
    assert not timer.ticking

    timer.play_button.click()
    assert c.timer.running and timer.ticking
    assert "Pause" in timer.play_button.toolTip()

    clock.advance(7 * 60_000)
    timer.refresh()
    assert (timer.time_label.text(), timer.phase) == ("03:00", "ok")
    assert timer.phase_label.text() == ""

    clock.advance(90_000)
    timer.refresh()
    assert (timer.time_label.text(), timer.phase) == ("01:30", "warn")
    assert timer.phase_label.text() == "2 min left"
    assert "color" in timer.time_label.styleSheet()

    clock.advance(60_000)
    timer.refresh()
    assert timer.phase_label.text() == "under 1 min left"

    clock.advance(65_000)
    timer.refresh()
    assert (timer.time_label.text(), timer.phase) == ("+00:35", "over")
    assert timer.phase_label.text() == "over time"


def test_pause_stops_ticking_and_reset(timer, fresh_controller, clock):
    c = fresh_controller
    timer.set_controller(c)
    c.toggle_timer()
    assert timer.ticking
    clock.advance(61_000)
    c.toggle_timer()
    assert not timer.ticking
    assert (timer.time_label.text(), timer.phase_label.text()) == ("08:59", "paused")
    clock.advance(120_000)  # paused: no time passes
    timer.refresh()
    assert timer.time_label.text() == "08:59"
    timer.reset_button.click()
    assert (timer.time_label.text(), timer.phase_label.text()) == ("10:00", "not started")


def test_follows_the_step(timer, fresh_controller, clock):
    c = fresh_controller
    timer.set_controller(c)
    c.toggle_timer()
    clock.advance(30_000)
    c.go_to("culture")  # 20-minute timebox, not started; the intro timer pauses
    assert timer.time_label.text() == "20:00"
    assert not timer.ticking
    c.go_to("intro")
    assert timer.time_label.text() == "09:30"


def test_no_timebox_counts_up(timer, fresh_controller, clock):
    c = fresh_controller
    c.set_fields(timebox_minutes={"intro": 0})
    c.reset_timer()
    timer.set_controller(c)
    c.toggle_timer()
    clock.advance(75_000)
    timer.refresh()
    assert (timer.time_label.text(), timer.phase_label.text()) == ("01:15", "elapsed")


def test_controller_removed(timer, fresh_controller):
    timer.set_controller(fresh_controller)
    fresh_controller.toggle_timer()
    timer.set_controller(None)
    assert timer.time_label.text() == "--:--"
    assert not timer.ticking
