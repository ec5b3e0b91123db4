"""The bucket logic: the catalogue and its bands, the room's median, its verdict,
the change since last time, and the operations and ballots that record them."""

from __future__ import annotations

import pytest

from calms_desktop.core import ballots
from calms_desktop.core.errors import OperationError
from calms_desktop.core.metric_ops import MetricBallot, MetricHandsBallot, SetMetric
from calms_desktop.core.metrics import (
    Basis,
    MetricRecord,
    agrees,
    catalogue,
    change,
    estimate,
    median_bucket,
    metric_rows,
    spread_text,
)
from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.core.operations import DeleteParticipant
from tests.core.factories import workshop


def test_the_catalogue_names_its_report_and_why():
    cat = catalogue()
    assert cat.report_year == 2024
    assert cat.source == "2024 Accelerate State of DevOps Report"
    assert "2025" in cat.why and "profiles" in cat.why
    assert [m.id for m in cat.metrics][:5] == [
        "lead_time", "deploy_frequency", "recovery_time", "change_fail_rate", "rework_rate"]
    lead = cat.metric("lead_time")
    assert lead.buckets[0].label == "More than six months"
    assert lead.buckets[-1].label == "Less than one hour"


@pytest.mark.parametrize(("metric", "bucket", "band"), [
    ("lead_time", 5, "Elite"), ("lead_time", 4, "Elite"), ("lead_time", 3, "High"),
    ("lead_time", 2, "Medium"), ("lead_time", 1, "Low"),
    ("lead_time", 0, "worse than Low (2024)"),
    ("recovery_time", 4, "High / Medium"),
    ("recovery_time", 3, "between Medium and Low (2024)"),
    ("recovery_time", 1, "worse than Low (2024)"),
    ("change_fail_rate", 2, "High"), ("change_fail_rate", 3, "Medium"),
    ("rework_rate", 4, ""), ("users_now", None, ""),
])
def test_bands_come_from_the_data_file(metric, bucket, band):
    assert catalogue().band(metric, bucket) == band


@pytest.mark.parametrize(("picks", "median"), [
    ([], None), ([3], 3), ([1, 2, 4], 2), ([1, 2, 3, 4], 2), ([5, 5, 0, 5], 5)])
def test_the_median_bucket_is_the_lower_middle_pick(picks, median):
    assert median_bucket(sorted(picks)) == median


@pytest.mark.parametrize(("picks", "verdict"), [
    ([3], None), ([3, 4, 4, 3], True), ([2, 3, 4, 3, 3], True), ([1, 4], False),
    ([1, 2, 3, 4, 5], False), ([0, 2, 2, 2, 2, 2, 2], True)])
def test_the_room_disagrees_by_the_statements_rule(picks, verdict):
    assert agrees(picks) is verdict


def test_picks_and_hands_make_one_estimate():
    rec = estimate("deploy_frequency").with_pick("p0", 1).with_pick("p1", 4)
    rec = rec.with_hands({2: 2, 3: 0})
    assert rec.all_picks() == [1, 2, 2, 4]
    assert rec.bucket == 2 and rec.sample == 4
    assert rec.with_pick("p1", None).all_picks() == [1, 2, 2]
    assert rec.with_pick("p0", 4).picks == (("p1", 4), ("p0", 4))


def test_change_since_last_time():
    cat = catalogue()
    before = MetricRecord("lead_time", Basis.ESTIMATED, bucket=2)
    assert change(cat, MetricRecord("lead_time", Basis.MEASURED, bucket=4), before) == \
        "2 buckets better"
    assert change(cat, MetricRecord("lead_time", Basis.MEASURED, bucket=1), before) == \
        "1 bucket worse"
    assert change(cat, before, before) == "same bucket"
    assert change(cat, before, None) == ""
    users = MetricRecord("users_now", Basis.MEASURED, value=1200)
    earlier = MetricRecord("users_now", Basis.ESTIMATED, value=1500)
    assert change(cat, users, earlier) == "\u2212300"  # a real minus, as every change has


def test_rows_show_answer_band_how_and_the_flag():
    now = {
        "lead_time": MetricRecord("lead_time", Basis.MEASURED, bucket=3, value=30.18,
                                  source="deployment log d.csv", period="2026-08-03 – 2026-09-11",
                                  sample=33),
        "recovery_time": estimate("recovery_time").with_pick("p0", 0).with_pick("p1", 5),
    }
    before = {"lead_time": MetricRecord("lead_time", Basis.ESTIMATED, bucket=2, source="room")}
    lead, rec = metric_rows(now, before)
    assert lead.answer == "Between one day and one week (median 30.2 hours)"
    assert lead.band == "High" and lead.change == "1 bucket better"
    # the stored period stays ISO; the shown one is in the active language
    assert lead.how == "measured (deployment log d.csv, 3 Aug 2026 – 11 Sept 2026, 33 deployments)"
    assert lead.before == "Between one week and one month" and not lead.flagged
    assert rec.flagged and rec.how == "estimated by the room (2 answers)"


# -- operations and ballots ---------------------------------------------------------------
def test_a_pick_becomes_an_undoable_set_metric():
    ws = workshop(3)
    op = ballots.to_operation(ws, MetricBallot("lead_time", "p0", 2))
    undo = op.apply(ws)
    assert ws.metrics["lead_time"].bucket == 2
    undo.apply(ws)
    assert "lead_time" not in ws.metrics


@pytest.mark.parametrize(("ballot", "message"), [
    (MetricBallot("speed", "p0", 1), "unknown metric 'speed'"),
    (MetricBallot("lead_time", "nobody", 1), "unknown participant 'nobody'"),
    (MetricBallot("lead_time", "p0", 6), "Change lead time has no bucket 6"),
    (MetricBallot("users_now", "p0", 1), "People using the product now is a number"),
    (MetricHandsBallot("lead_time", {9: 1}), "Change lead time has no bucket 9"),
    (MetricHandsBallot("lead_time", {1: -1}), "hands must be a whole number ≥ 0, got -1"),
])
def test_bad_metric_ballots_are_refused(ballot, message):
    with pytest.raises(OperationError, match=message.split(",")[0].replace("(", r"\(")):
        ballots.to_operation(workshop(2), ballot)


def test_a_pick_never_overwrites_a_measurement():
    ws = workshop(2)
    ws.metrics["lead_time"] = MetricRecord("lead_time", Basis.MEASURED, bucket=3,
                                           source="deployment log d.csv")
    with pytest.raises(OperationError, match="is measured"):
        ballots.to_operation(ws, MetricBallot("lead_time", "p0", 1))


def test_no_picks_once_measurement_is_done():
    ws = workshop(2)
    ws.pillar_states[Pillar.MEASUREMENT] = PillarState.DONE
    with pytest.raises(OperationError, match="finished"):
        ballots.to_operation(ws, MetricBallot("lead_time", "p0", 1))


def test_set_metric_checks_its_record():
    ws = workshop(2)
    with pytest.raises(OperationError, match="is a number"):
        SetMetric("users_now", MetricRecord("users_now", Basis.MEASURED, bucket=1)).apply(ws)
    with pytest.raises(OperationError, match="another metric"):
        SetMetric("lead_time", MetricRecord("users_now", Basis.MEASURED, value=3)).apply(ws)
    assert ws.metrics == {}


def test_removing_a_person_removes_their_picks_and_undo_brings_them_back():
    ws = workshop(3)
    for pid, b in (("p0", 1), ("p1", 1), ("p2", 4)):
        ballots.to_operation(ws, MetricBallot("lead_time", pid, b)).apply(ws)
    assert ws.metrics["lead_time"].bucket == 1
    undo = DeleteParticipant("p0").apply(ws)
    assert ws.metrics["lead_time"].all_picks() == [1, 4]
    undo.apply(ws)
    assert ws.metrics["lead_time"].all_picks() == [1, 1, 4]


def test_the_portfolio_sees_distributions_never_a_ranking():
    from calms_desktop.core.metrics import distributions

    teams = [
        {"lead_time": MetricRecord("lead_time", Basis.MEASURED, bucket=3)},
        {"lead_time": estimate("lead_time").with_pick("p0", 3),
         "users_now": MetricRecord("users_now", Basis.MEASURED, value=10)},
        {"lead_time": MetricRecord("lead_time", Basis.ESTIMATED, bucket=5)},
        {},
    ]
    (lead,) = distributions(teams)  # bucket metrics only; counts carry no team names
    assert lead.counts == (0, 0, 0, 2, 0, 1) and lead.teams == 3
    assert lead.text() == ("Change lead time (3 teams): 2 between one day and one week, "
                           "1 less than one hour")


def test_an_even_room_records_the_worse_of_the_two_middle_buckets():
    """The one rule for an even count (documented in the README and the editor): the lower,
    that is worse, of the two middle picks — a bucket someone picked, never a rounding."""
    rec = estimate("lead_time")
    for pid, bucket in (("a", 1), ("b", 4), ("c", 2), ("d", 3)):
        rec = rec.with_pick(pid, bucket)
    assert rec.bucket == 2  # picks 1 2 | 3 4 → 2
    rec = rec.with_pick("e", 5).with_hands({3: 1})  # 1 2 3 | 3 4 5
    assert rec.bucket == 3
    rec = rec.with_pick("a", 4)  # 2 3 3 | 4 4 5 → 3 (rounding 3.5 half-even would give 4)
    assert rec.all_picks() == [2, 3, 3, 4, 4, 5] and rec.bucket == 3


def test_how_far_apart_a_room_was_is_said_with_its_buckets():
    rec = estimate("recovery_time").with_pick("a", 0).with_pick("b", 5)
    assert spread_text(rec) == "picks from more than six months to less than one hour"
    assert spread_text(estimate("recovery_time")) == ""
