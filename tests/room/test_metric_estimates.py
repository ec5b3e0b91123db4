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


# -- issue 14's breaking pass -------------------------------------------------------------
def _estimated(ws, metric: str, buckets: list[int]):
    from calms_desktop.core.metrics import estimate

    rec = estimate(metric)
    for person, bucket in zip(ws.participants, buckets, strict=False):
        rec = rec.with_pick(person.id, bucket)
    ws.metrics[metric] = rec
    return rec


def test_a_pick_on_top_of_the_hands_is_asked_about_when_the_room_is_full(room):
    """More estimates than people must be asked about, as hands above the room are."""
    assert room.submit(MetricHandsBallot("lead_time", {2: 3})).accepted
    assert room.submit(MetricBallot("lead_time", "p0", 3)).accepted  # 4 of 4
    out = room.submit(MetricBallot("lead_time", "p1", 3))
    assert (out.accepted, out.code) == (False, Refusal.TOO_MANY_HANDS.value)
    assert out.reason == "5 estimates (picks and hands) in a room of 4 — check the count"
    assert room.submit(MetricBallot("lead_time", "p0", 1)).accepted  # a changed pick: 4 of 4
    assert room.submit(MetricBallot("lead_time", "p1", 3), confirmed=True).accepted
    assert len(room.workshop.metrics["lead_time"].all_picks()) == 5


def test_the_metric_slide_shows_the_question_and_buckets_and_results_only_after_the_reveal():
    ws = workshop(people=4)
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.VOTING
    _estimated(ws, "deploy_frequency", [0, 5, 5])
    score = presentation.privacy.shown_score(ws)
    slide = presentation.build_slide(ws, score, "measurement", "", "deploy_frequency")
    assert slide.metric_id == "deploy_frequency"
    assert slide.statement_text.startswith("How often does the team deploy")
    assert slide.statement_caption == "Deployment frequency · delivery metric 2 of 5"
    assert [lv.name for lv in slide.levels][-1] == "On demand (several deployments a day)"
    assert [lv.descriptor for lv in slide.levels][:2] == ["worse than Low (2024)",
                                                          "Low"]
    assert [lv.count for lv in slide.levels] == [None] * 6  # nothing before the reveal
    assert slide.result is None
    assert slide.progress.headline == "3 of 4 have voted"
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    slide = presentation.build_slide(ws, score, "measurement", "", "deploy_frequency")
    assert [lv.count for lv in slide.levels] == [1, 0, 0, 0, 0, 2]
    assert (slide.result.mean, slide.result.verdict) == ("6", presentation.DISCUSS)
    assert slide.result.level_name == "On demand (several deployments a day) · Elite"
    # elsewhere, or for a metric the room does not estimate, the statement's slide
    assert not presentation.build_slide(ws, score, "lean", "", "deploy_frequency").metric_id
    assert not presentation.build_slide(ws, score, "measurement", "", "users_now").metric_id


def test_an_anonymous_rooms_metric_result_follows_the_three_answers_rule():
    from calms_desktop.core.model import VotingMode

    ws = workshop(people=4, mode=VotingMode.ANONYMOUS)
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    _estimated(ws, "lead_time", [0, 5])
    slide = presentation.metric_slide(ws, "lead_time")
    assert slide.result is None and slide.withheld.startswith("2 answers — too few")
    assert [lv.count for lv in slide.levels] == [None] * 6
    assert presentation.privacy.disputed_metrics(ws) == []


def test_a_split_estimate_counts_to_discuss_after_the_reveal():
    ws = workshop(people=4)
    _estimated(ws, "recovery_time", [0, 5, 1, 5])
    _estimated(ws, "lead_time", [3, 3, 4, 3])
    score = presentation.privacy.shown_score(ws)
    ps = score.pillars[Pillar.MEASUREMENT]
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.VOTING
    assert presentation.privacy.discuss_count(ws, ps) == 0  # hidden before the reveal
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    assert [r.metric for r in presentation.privacy.disputed_metrics(ws)] == ["recovery_time"]
    assert presentation.privacy.discuss_count(ws, ps) == ps.discuss_count + 1
    slide = presentation.pillar_slide(ws, score, Pillar.MEASUREMENT)
    rows = [r for r in slide.ranking if r.statement_id.startswith(presentation.METRIC_ROW)]
    assert [(r.statement_id, r.verdict, r.mark) for r in rows] == [
        ("metric:recovery_time", presentation.DISCUSS, "⚑")]
    assert rows[0].text == ("Failed deployment recovery time: picks from more than six months "
                            "to less than one hour")
    # the room moves to a statement after the reveal, never to a metric row
    assert not presentation.first_to_discuss(ws, score, Pillar.MEASUREMENT).startswith("metric:")


def test_the_room_forgets_the_metric_on_show_when_it_leaves_measurement(room):
    seen = []
    room.changes.subscribe(live.MetricOnShowChanged, seen.append)
    room.set_metric_on_show("lead_time")  # not in Measurement: ignored
    assert room.metric_on_show == ""
    room.go_to("measurement")
    room.set_metric_on_show("lead_time")
    assert room.metric_on_show == "lead_time"
    room.go_to("sharing")
    assert room.metric_on_show == ""
    assert seen == [live.MetricOnShowChanged("lead_time"), live.MetricOnShowChanged("")]


# -- issue 14's second breaking pass: the privacy rule everywhere -------------------------
def _anonymous_revealed(picks: dict[str, list[int]]):
    from calms_desktop.core.model import VotingMode

    ws = workshop(people=4, mode=VotingMode.ANONYMOUS)
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    for metric, buckets in picks.items():
        _estimated(ws, metric, buckets)
    return ws


def test_the_summary_slide_withholds_an_anonymous_estimate_from_too_few_picks():
    """/tmp/b14/anon.json: one anonymous pick of lead time was on the Summary slide."""
    ws = _anonymous_revealed({"lead_time": [0], "deploy_frequency": [2, 2, 3]})
    lines = presentation.metric_lines(ws, None)
    assert lines[0] == ("Lead time · 1 answer — too few to show anonymously "
                        "(at least 3 needed)")
    assert "More than six months" not in " ".join(lines)
    assert lines[1] == "Deploy frequency · once a week–once a month · Medium"  # three: shown


def test_a_baseline_estimate_its_room_never_saw_is_no_last_time():
    from calms_desktop.core.model import VotingMode

    before = workshop(people=4, mode=VotingMode.ANONYMOUS, wid="before")
    before.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    _estimated(before, "lead_time", [5])  # one anonymous pick: never shown
    ws = _anonymous_revealed({"lead_time": [2, 2, 2]})
    assert presentation.metric_lines(ws, before) == ("Lead time · one week–one month · Medium",)


def test_an_estimate_with_every_pick_withdrawn_has_no_line():
    ws = workshop(people=4)
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    rec = ws.metrics["lead_time"] = _estimated(ws, "lead_time", [2]).with_pick("p0", None)
    assert rec.all_picks() == [] and rec.bucket is None
    assert presentation.metric_lines(ws, None) == ()
    assert presentation.privacy.shown_metrics(ws) == {}


def test_a_phone_pick_on_top_of_a_full_show_of_hands_is_refused(room):
    """Breaking pass: 9 hands and 3 phone picks made 12 answers in a room of 9."""
    room.execute(SetPillarState(Pillar.MEASUREMENT, PillarState.VOTING))
    room.set_phones_open(True)
    assert room.submit(MetricHandsBallot("lead_time", {2: 4})).accepted  # the whole room
    out = room.submit(MetricBallot("lead_time", "p1", 2, source="phone"))
    assert (out.accepted, out.code) == (False, Refusal.TOO_MANY_HANDS.value)
    assert out.reason == ("The room's estimate is counted already (4 hands in a room of 4) "
                          "— ask the facilitator to add your pick")
    assert room.workshop.metrics["lead_time"].all_picks() == [2, 2, 2, 2]
    # a phone cannot be asked: "confirmed" does not let it through either
    assert not room.submit(MetricBallot("lead_time", "p1", 2, source="phone"),
                           confirmed=True).accepted
    assert room.submit(MetricHandsBallot("lead_time", {2: 3})).accepted  # room for one
    assert room.submit(MetricBallot("lead_time", "p1", 2, source="phone")).accepted
