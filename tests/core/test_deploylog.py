"""A deployment log turned into DORA metrics: figures against hand-worked values,
and bad logs refused with the line named (nothing imported)."""

from __future__ import annotations

import pytest

from calms_desktop.core import deploylog as dl
from calms_desktop.core.demo import sample_log
from calms_desktop.core.metrics import Basis, MetricRecord, catalogue

# Hand-worked: five deployments over 3–9 Aug 2026 (7 days, inclusive).
#   lead times (deployed − committed): 2 h, 26 h, 50 h, 0.5 h, (none) → median of
#     [0.5, 2, 26, 50] = (2 + 26) / 2 = 14 h  → "less than one day"
#   frequency: 5 deployments / 7 days × 7 = 5 a week → "between once a day and once a week"
#   change fail rate: 2 failed of 5 = 40% → "31–45%"
#   recovery (restored − deployed) of the failed: 1.5 h and 30 h (the third failure,
#     none here); median (1.5 + 30) / 2 = 15.75 h → "less than one day"
LOG = b"""deployed_at,committed_at,failed,restored_at
2026-08-03T10:00,2026-08-03T08:00,no,
2026-08-04T12:00,2026-08-03T10:00,yes,2026-08-04T13:30
2026-08-06T09:00,2026-08-04T07:00,no,
2026-08-07T16:30,2026-08-07T16:00,yes,2026-08-08T22:30
2026-08-09T11:00,,no,
"""


def test_figures_match_the_hand_worked_ones():
    s = dl.summarise(dl.read_log(LOG, "log.csv"))
    assert (s.deployments, s.days, s.failed) == (5, 7, 2)
    assert s.lead_time_hours == pytest.approx(14.0)
    assert s.lead_time_sample == 4
    assert s.per_week == pytest.approx(5.0)
    assert s.fail_rate == pytest.approx(40.0)
    assert s.recovery_hours == pytest.approx(15.75)
    assert s.restored == 2
    assert s.period == "2026-08-03 – 2026-08-09"


def test_records_carry_buckets_source_period_and_sample():
    _, recs = dl.measure(LOG, "log.csv")
    cat = catalogue()
    label = {mid: cat.metric(mid).buckets[r.bucket].label for mid, r in recs.items()}
    assert label == {
        "lead_time": "Less than one day",
        "deploy_frequency": "Between once a day and once a week",
        "change_fail_rate": "31–45%",
        "recovery_time": "Less than one day",
    }
    lead = recs["lead_time"]
    assert (lead.basis, lead.source, lead.period, lead.sample, lead.value) == (
        "measured", "deployment log log.csv", "2026-08-03 – 2026-08-09", 4, 14.0)
    assert recs["recovery_time"].sample == 2


@pytest.mark.parametrize(("hours", "bucket"), [
    (0.5, 5), (0.99, 5), (1, 4), (23.9, 4), (24, 3), (24 * 7 - 1, 3), (24 * 7, 2),
    (24 * 30, 1), (24 * 182, 0)])
def test_duration_buckets(hours, bucket):
    assert dl.duration_bucket(hours) == bucket


@pytest.mark.parametrize(("per_week", "bucket"), [
    (30, 5), (14, 5), (13.9, 4), (7, 4), (6.9, 3), (1, 3), (0.99, 2), (12 / 52, 2),
    (0.2, 1), (2 / 52, 1), (0.01, 0)])
def test_frequency_buckets(per_week, bucket):
    assert dl.frequency_bucket(per_week) == bucket


@pytest.mark.parametrize(("percent", "bucket"), [
    (0, 4), (5, 4), (5.4, 4), (6, 3), (15, 3), (16, 2), (30, 2), (31, 1), (45, 1), (46, 0)])
def test_fail_rate_buckets(percent, bucket):
    assert dl.fail_rate_bucket(percent) == bucket


@pytest.mark.parametrize(("percent", "bucket", "printed"), [
    (30.5, 1, "31%"), (5.5, 3, "6%"), (15.5, 2, "16%"), (45.5, 0, "46%"), (29.5, 2, "30%")])
def test_a_fail_rate_falls_in_the_bucket_of_its_printed_figure(percent, bucket, printed):
    """Breaking pass: 30.5% went to 16–30% (half to even) but was printed "31%"."""
    from calms_desktop.core.metrics import shown

    rec = MetricRecord("change_fail_rate", Basis.MEASURED, bucket=dl.fail_rate_bucket(percent),
                       value=percent)
    assert rec.bucket == bucket
    label = catalogue().metric("change_fail_rate").buckets[bucket].label
    assert shown(catalogue(), rec) == f"{label} ({printed})"


def test_offsets_are_converted_to_utc():
    log = (b"deployed_at,committed_at,failed,restored_at\n"
           b"2026-08-03T10:00+02:00,2026-08-03T07:00Z,no,\n")
    (row,) = dl.read_log(log, "tz.csv")
    assert (row.deployed_at - row.committed_at).total_seconds() == 3600


def test_extra_columns_and_any_column_order_are_fine():
    log = b"service,failed,deployed_at\npay,no,2026-08-03T10:00\npay,yes,2026-08-04T10:00\n"
    s = dl.summarise(dl.read_log(log, "x.csv"))
    assert (s.deployments, s.failed, s.lead_time_hours) == (2, 1, None)


@pytest.mark.parametrize(("text", "problems"), [
    (b"deployed_at,failed\n2026-08-03T10:00,no\n2026-13-01T10:00,no\n",
     [(3, "deployed_at '2026-13-01T10:00' is not a date and time in an accepted form")]),
    (b"deployed_at\n2026-08-03T10:00\n03.08.2026 10:00\n",
     [(3, "deployed_at '03.08.2026 10:00' is not a date and time in an accepted form")]),
    (b"deployed_at\n20260803\n", [(2, "deployed_at '20260803' is not a date and time in an "
                                     "accepted form")]),
    (b"deployed_at\n2026-08-03T10\n", [(2, "deployed_at '2026-08-03T10' is not a date and "
                                          "time in an accepted form")]),
    (b"deployed_at;committed_at;failed\n2026-08-03T10:00;;no\n",
     [(1, "the columns are separated by ';' — save the log as CSV with commas (in a "
          "spreadsheet: CSV UTF-8, comma-delimited)")]),
    (b"deployed_at,failed\n2026-08-03T10:00,maybe\n",
     [(2, "failed must be yes or no, not 'maybe'")]),
    (b"deployed_at,committed_at\n2026-08-03T10:00,2026-08-04T10:00\n",
     [(2, "committed_at is after deployed_at")]),
    (b"deployed_at,failed,restored_at\n2026-08-03T10:00,no,2026-08-03T11:00\n",
     [(2, "restored_at is given but the deployment did not fail")]),
    (b"deployed_at,failed,restored_at\n2026-08-03T10:00,yes,2026-08-03T09:00\n",
     [(2, "restored_at is before deployed_at")]),
    (b"deployed_at\n2026-08-03T10:00Z\n2026-08-04T10:00\n",
     [(3, "mixes times with and without a UTC offset; give every time an offset, or none")]),
    (b"deployed_at,failed\n,no\n", [(2, "deployed_at is empty")]),
    (b"when,failed\n2026-08-03,no\n",
     [(1, "no deployed_at column; the header must name deployed_at, committed_at, failed, "
          "restored_at")]),
    (b"", [(0, "the file is empty")]),
    (b"deployed_at\n\n", [(0, "no deployments in the file")]),
    (b"deployed_at\n\xff\xfe\n", [(2, "not UTF-8 text")]),
])
def test_bad_logs_are_refused_naming_the_line(text, problems):
    with pytest.raises(dl.DeployLogError) as info:
        dl.measure(text, "bad.csv")
    assert info.value.problems == problems
    assert str(info.value).startswith("bad.csv: not imported —\nline ") or problems[0][0] == 0


def test_every_bad_row_is_named_up_to_a_limit():
    rows = b"".join(b"nonsense,no\n" for _ in range(15))
    with pytest.raises(dl.DeployLogError) as info:
        dl.read_log(b"deployed_at,failed\n" + rows, "many.csv")
    e = info.value
    assert [n for n, _ in e.problems] == list(range(2, 12)) and e.more == 5
    # the accepted forms once, under the lines, not on each of them
    assert str(e).endswith("… and 5 more bad rows\nAccepted date and time forms: "
                           + dl.ACCEPTED_FORMS)
    assert str(e).count(dl.ACCEPTED_FORMS) == 1


def test_a_huge_cell_is_quoted_cut_short():
    """Breaking pass: a 2,400-character deployed_at was quoted whole, on every line."""
    junk = "2026-08-03T10:00 " + "junk" * 600
    log = f"deployed_at,failed\n{junk},no\n2026-08-04,{'x' * 500}\n".encode()
    with pytest.raises(dl.DeployLogError) as info:
        dl.read_log(log, "long.csv")
    (n1, first), (n2, second) = info.value.problems
    assert first == f"deployed_at {junk[:60]!r}… is not a date and time in an accepted form"
    assert second == f"failed must be yes or no, not {'x' * 60!r}…"
    assert len(str(info.value)) < 400


def test_a_huge_log_is_refused_unread():
    with pytest.raises(dl.DeployLogError, match="larger than"):
        dl.read_log(b"x" * (dl.MAX_LOG_BYTES + 1), "huge.csv")


def test_the_bundled_sample_log_reads():
    s, recs = dl.measure(sample_log(), "sample-deployments.csv")
    assert s.deployments == 33 and s.failed == 4
    assert set(recs) == {"lead_time", "deploy_frequency", "change_fail_rate", "recovery_time"}


# -- breaking pass ---------------------------------------------------------------------
def test_a_log_without_a_failed_column_measures_no_change_fail_rate():
    raw = b"deployed_at,committed_at\n2026-11-01T10:00,2026-11-01T09:00\n" \
          b"2026-11-08T10:00,2026-11-08T08:00\n"
    _summary, records = dl.measure(raw, "nofailed.csv")
    assert "change_fail_rate" not in records and "recovery_time" not in records
    assert "lead_time" in records and "deploy_frequency" in records


def test_one_deployment_or_a_few_days_measure_no_frequency():
    one = b"deployed_at,failed\n2026-11-01T10:00,no\n"
    assert "deploy_frequency" not in dl.measure(one, "one.csv")[1]
    same_day = b"deployed_at,failed\n2026-11-01T10:00,no\n2026-11-01T15:00,no\n"
    assert "deploy_frequency" not in dl.measure(same_day, "day.csv")[1]


@pytest.mark.parametrize("when", ["0001-01-01T00:00+05:00", "9999-12-31T23:00-05:00",
                                  "1970-01-01T00:00", "2999-01-01T00:00"])
def test_an_impossible_date_is_refused_with_its_line(when):
    raw = f"deployed_at,failed\n2026-11-01T10:00,no\n{when},no\n".encode()
    with pytest.raises(dl.DeployLogError) as caught:
        dl.measure(raw, "odd.csv")
    assert [line for line, _ in caught.value.problems] == [3]


def test_a_second_log_replaces_the_first_and_clears_what_it_does_not_measure():
    """Breaking pass: a second log kept the first log's change fail rate beside its own
    lead time — two periods mixed, and nothing said."""
    _, first = dl.measure(LOG, "august.csv")
    current = {**first, "users_now": MetricRecord("users_now", Basis.MEASURED, value=10.0,
                                                  source="analytics")}
    no_failed = (b"deployed_at,committed_at\n2026-09-01T10:00,2026-09-01T08:00\n"
                 b"2026-09-09T10:00,2026-09-08T10:00\n")
    _, second = dl.measure(no_failed, "september.csv")
    plan = dl.plan_import(current, second)
    assert set(second) == {"lead_time", "deploy_frequency"}
    assert plan.replaced == ("lead_time", "deploy_frequency")
    assert plan.cleared == ("recovery_time", "change_fail_rate")
    assert plan.changes["change_fail_rate"] is None and plan.changes["recovery_time"] is None
    assert "users_now" not in plan.changes  # typed in, not from a log: stays
    assert plan.earlier == ("deployment log august.csv, 2026-08-03 – 2026-08-09",)
    assert plan.text() == (
        "This log replaces the earlier one (deployment log august.csv, 2026-08-03 – "
        "2026-08-09); the two are never mixed.\n"
        "Replaced with this log's figures: Change lead time, Deployment frequency.\n"
        "Cleared, because this log does not measure them: Failed deployment recovery time, "
        "Change fail rate.")


def test_a_first_log_replaces_nothing_and_says_nothing():
    _, recs = dl.measure(LOG, "log.csv")
    plan = dl.plan_import({}, recs)
    assert (plan.replaced, plan.cleared, plan.earlier, plan.text()) == ((), (), (), "")
    assert plan.changes == recs


def test_the_success_message_names_the_period_and_the_sample():
    summary, recs = dl.measure(LOG, "log.csv")
    assert dl.imported_text("log.csv", summary, len(recs)) == (
        "log.csv imported: 5 deployments, 2026-08-03 – 2026-08-09 — 4 metrics measured")


@pytest.mark.parametrize("when", ["2026-08-03", "2026-08-03T10:15", "2026-08-03 10:15",
                                  "2026-08-03T10:15:30", "2026-08-03T10:15:30.25",
                                  "2026-08-03T10:15Z", "2026-08-03T10:15+02:00"])
def test_the_accepted_time_forms_read(when):
    (row,) = dl.read_log(f"deployed_at\n{when}\n".encode(), "ok.csv")
    assert row.deployed_at.date().isoformat() == "2026-08-03"


def test_a_log_after_the_workshop_or_before_the_last_one_is_warned_about():
    """Breaking pass: a log of 2099, and one ending before the baseline, went in silently."""
    summary, _records = dl.measure(sample_log(), "s.csv")  # 2026-08-03 – 2026-09-11
    assert dl.period_warnings(summary, "2026-09-20", "2026-03-31") == []
    assert dl.period_warnings(summary, "", "") == []  # dates unknown: nothing to say
    assert dl.period_warnings(summary, "2026-09-01") == [
        "The log has deployments after this workshop's date (1 September 2026), the last on "
        "11 September 2026 — check that it is this team's log and the dates are right."]
    assert dl.period_warnings(summary, "2026-12-01", "2026-10-01") == [
        "The log ends on 11 September 2026, before the last workshop (1 October 2026): its "
        "figures "
        "describe the time before that one, not since."]
