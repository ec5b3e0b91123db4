"""Phone bursts reach the views merged, at most every PHONE_REDRAW_MS, and in order."""

from __future__ import annotations

from calms_desktop.core.ballots import Ballot
from calms_desktop.core.model import PillarState
from calms_desktop.gui.commands import PHONE_REDRAW_MS


def _voting(controller):
    controller.go_to("culture")
    controller.set_phones_open(True)
    ws = controller.workshop
    assert ws.pillar_states[next(iter(ws.pillar_states))] == PillarState.VOTING
    return [s.id for s in ws.questionnaire.section(next(iter(ws.pillar_states))).statements]


def _burst(controller, sid, *pids, score=3):
    outcomes, durable = controller.submit_many_deferred(
        [Ballot(sid, pid, score, source="phone") for pid in pids])
    assert all(o.accepted for o in outcomes)
    if durable is not None:
        durable.result(10)


def test_bursts_close_together_reach_the_views_as_one_change(qtbot, fresh_controller):
    c = fresh_controller
    sids = _voting(c)
    seen, scores = [], []
    c.votes_changed.connect(seen.append)
    c.scores_changed.connect(lambda: scores.append(1))
    _burst(c, sids[0], "p0")  # after a quiet spell: shown at once
    assert [(set(x.statement_ids), set(x.participant_ids)) for x in seen] == [
        ({sids[0]}, {"p0"})]
    assert scores == [1]
    _burst(c, sids[0], "p1")
    _burst(c, sids[1], "p2", "p3")
    assert len(seen) == 1  # within the interval: held back …
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=5 * PHONE_REDRAW_MS + 2000)
    last = seen[-1]  # … and then shown once, merged, the last one included
    assert set(last.statement_ids) == {sids[0], sids[1]}
    assert set(last.participant_ids) == {"p1", "p2", "p3"}
    assert last.from_phones
    assert scores == [1, 1]
    assert c.workshop.answer_count(sids[1]) == 2


def test_a_console_change_shows_the_held_phone_votes_first(qtbot, fresh_controller):
    c = fresh_controller
    sids = _voting(c)
    _burst(c, sids[0], "p0")
    seen = []
    c.votes_changed.connect(seen.append)
    _burst(c, sids[0], "p1")  # held back
    assert seen == []
    assert c.vote(sids[0], "p5", 4)  # the facilitator types a vote
    assert [set(x.participant_ids) for x in seen] == [{"p1"}, {"p5"}]
    assert [x.from_phones for x in seen] == [True, False]
    qtbot.wait(3 * PHONE_REDRAW_MS)
    assert len(seen) == 2  # nothing shown twice


def test_moving_on_shows_the_held_phone_votes_before_the_step(qtbot, fresh_controller):
    c = fresh_controller
    sids = _voting(c)
    _burst(c, sids[0], "p0")
    order = []
    c.votes_changed.connect(lambda ch: order.append(("votes", set(ch.participant_ids))))
    c.step_changed.connect(lambda step: order.append(("step", step)))
    _burst(c, sids[0], "p1")
    c.go_to("automation")
    assert order[:2] == [("votes", {"p1"}), ("step", "automation")]
