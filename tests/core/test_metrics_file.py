"""The ``metrics`` section: format version 2, the migration from 1, round trips, refusals."""

from __future__ import annotations

import copy
import json

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.errors import ValidationError
from calms_desktop.core.metrics import Basis
from calms_desktop.core.storage import Library


@pytest.fixture
def demo_docs(demo_pair):
    return [fileformat.to_document(ws) for ws in demo_pair]


def test_version_2_writes_the_metrics_section(demo_docs):
    baseline, again = demo_docs
    assert fileformat.FORMAT_VERSION == 2
    assert [m["metric"] for m in again["metrics"]][:4] == [
        "lead_time", "deploy_frequency", "recovery_time", "change_fail_rate"]
    recovery = next(m for m in baseline["metrics"] if m["metric"] == "recovery_time")
    assert recovery["basis"] == "estimated" and recovery["source"] == "room"
    # picks 4,1,2,4,1,3,5,2,4 → sorted, the fifth of nine is 3
    assert len(recovery["picks"]) == 9 and recovery["bucket"] == "1-day-to-1-week"


def test_written_files_round_trip(demo_pair):
    for ws in demo_pair:
        doc = fileformat.to_document(ws)
        again = fileformat.from_document(json.loads(json.dumps(doc)))
        assert again.metrics == ws.metrics
        assert fileformat.to_document(again) == doc
        assert fileformat.CompactWriter().dumps(ws) == fileformat.dumps(ws, compact=True)


def _version_1(doc):
    old = copy.deepcopy(doc)
    old["format_version"] = 1
    del old["metrics"]
    return old


def test_a_version_1_document_opens_with_no_metrics(demo_docs):
    old = _version_1(demo_docs[1])
    frozen = copy.deepcopy(old)
    ws = fileformat.from_document(old)
    assert ws.metrics == {}
    assert old == frozen
    assert ws.title == "CALMS re-assessment" and len(ws.votes) == len(demo_docs[1]["votes"])
    assert fileformat.to_document(ws)["format_version"] == 2


def test_a_version_1_file_in_a_library_opens_and_is_saved_as_version_2(tmp_path, demo_docs):
    old = _version_1(demo_docs[0])
    first = Library(tmp_path / "lib")
    path = first.path_of(old["workshop"]["id"])
    first.close()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(old), encoding="utf-8")
    lib = Library(tmp_path / "lib")  # finds the version-1 file
    try:
        ws = lib.load(old["workshop"]["id"])
        assert ws.metrics == {} and ws.title == "CALMS baseline"
        lib.save(ws)
        assert json.loads(path.read_text(encoding="utf-8"))["format_version"] == 2
    finally:
        lib.close()


def _with(doc, **entry):
    d = copy.deepcopy(doc)
    d["metrics"] = [{"metric": "lead_time", "basis": "measured", **entry}]
    return d


@pytest.mark.parametrize(("entry", "where", "problem"), [
    ({"metric": "speed"}, "$.metrics[0].metric", "unknown metric 'speed'"),
    ({"basis": "guessed"}, "$.metrics[0].basis", None),
    ({"bucket": "fast"}, "$.metrics[0].bucket", "lead_time has no bucket 'fast'; expected one of "
     "more-than-6-months, 1-to-6-months, 1-week-to-1-month, 1-day-to-1-week, "
     "less-than-1-day, less-than-1-hour"),
    ({"bucket": 3}, "$.metrics[0].bucket", "expected a bucket id, got a number"),
    ({"value": "lots"}, "$.metrics[0].value", "expected a number, got 'lots'"),
    ({"picks": [{"participant": "ghost", "bucket": "less-than-1-day"}]},
     "$.metrics[0].picks[0].participant", "no participant 'ghost'"),
    ({"hands": {"less-than-1-day": -2}}, "$.metrics[0].hands.less-than-1-day", None),
])
def test_a_bad_metrics_section_is_refused_with_its_place(demo_docs, entry, where, problem):
    with pytest.raises(ValidationError) as info:
        fileformat.from_document(_with(demo_docs[1], **entry))
    assert info.value.where == where
    if problem is not None:
        assert info.value.problem == problem


def test_a_metric_recorded_twice_is_refused(demo_docs):
    d = copy.deepcopy(demo_docs[1])
    d["metrics"].append(copy.deepcopy(d["metrics"][0]))
    with pytest.raises(ValidationError, match="recorded twice"):
        fileformat.from_document(d)


def test_a_room_estimate_median_is_recomputed_on_load(demo_docs):
    d = copy.deepcopy(demo_docs[0])
    entry = next(m for m in d["metrics"] if m["metric"] == "lead_time")
    entry["bucket"] = "less-than-1-hour"  # the file claims another median
    ws = fileformat.from_document(d)
    rec = ws.metrics["lead_time"]
    assert rec.basis == Basis.ESTIMATED and rec.bucket == 2  # "one week to one month"


def test_a_bad_entry_is_left_out_and_named_when_asked(demo_docs):
    d = copy.deepcopy(demo_docs[1])
    d["metrics"][1]["bucket"] = "every-full-moon"  # deploy_frequency
    d["metrics"].append({"metric": "velocity", "basis": "measured"})
    dropped: list[str] = []
    ws = fileformat.from_document(d, dropped)
    assert "deploy_frequency" not in ws.metrics and "lead_time" in ws.metrics
    assert len(ws.metrics) == len(d["metrics"]) - 2
    assert dropped == [
        "$.metrics[1].bucket: deploy_frequency has no bucket 'every-full-moon'; expected one "
        "of less-than-every-6-months, monthly-to-6-monthly, weekly-to-monthly, daily-to-weekly, "
        "hourly-to-daily, on-demand",
        f"$.metrics[{len(d['metrics']) - 1}].metric: unknown metric 'velocity'"]
    assert ws.votes == fileformat.from_document(demo_docs[1]).votes  # nothing else lost


def test_a_library_opens_a_workshop_with_a_bad_metric_entry_and_keeps_the_original(
        tmp_path, demo_docs):
    """Breaking pass: one unknown metric value set the whole workshop aside as damaged."""
    d = copy.deepcopy(demo_docs[1])
    d["metrics"][0]["value"] = "a lot"
    lib = Library(tmp_path / "lib")
    path = lib.path_of(d["workshop"]["id"])
    raw = json.dumps(d).encode()
    path.write_bytes(raw)
    lib.close()
    lib = Library(tmp_path / "lib")  # finds it, indexes it, does not set it aside
    try:
        assert not lib.problems and d["workshop"]["id"] in lib
        ws = lib.load(d["workshop"]["id"])
        assert "lead_time" not in ws.metrics and len(ws.votes) == len(d["votes"])
        repair = lib.repair_of(ws.id)
        assert repair.dropped == ("$.metrics[0].value: expected a number, got 'a lot'",)
        kept = [p for p in lib.damaged_dir.iterdir()]
        assert [p.read_bytes() for p in kept] == [raw] and repair.kept_at == str(kept[0])
        assert "left out — everything else is here" in repair.text()
        assert str(kept[0]) in repair.text()
        lib.load(ws.id)  # read again: one copy, one repair
        assert len(list(lib.damaged_dir.iterdir())) == 1
        lib.close()
        lib = Library(tmp_path / "lib")  # the next run, before it was saved: the same copy
        assert lib.load(ws.id).metrics == ws.metrics
        assert lib.repair_of(ws.id).kept_at == str(kept[0])
        assert len(list(lib.damaged_dir.iterdir())) == 1
        lib.save(ws)  # saved without the bad entry; the original stays in damaged/
        assert lib.load(ws.id).metrics == ws.metrics and lib.repair_of(ws.id) is None
        assert len(list(lib.damaged_dir.iterdir())) == 1
    finally:
        lib.close()


# -- issue 14's second breaking pass: files the app accepted --------------------------------
@pytest.mark.parametrize(("entry", "where", "problem"), [
    ({"metric": "change_fail_rate", "bucket": "0-5", "value": 87.0}, "$.metrics[0].bucket",
     "'0-5' contradicts the figure 87.0 (its bucket is 'more-than-45')"),
    ({"metric": "users_now", "value": -5}, "$.metrics[0].value",
     "users_now is a count of people or failures: a whole number from 0, not -5"),
    ({"metric": "users_now", "value": 3.7}, "$.metrics[0].value",
     "users_now is a count of people or failures: a whole number from 0, not 3.7"),
    ({"bucket": "1-day-to-1-week", "value": -3.0}, "$.metrics[0].value",
     "a measured figure is never negative, not -3.0"),
    ({"bucket": "1-day-to-1-week", "hands": {"1-day-to-1-week": 3}}, "$.metrics[0].picks",
     "a measured metric has no picks or hands of the room (those make an estimate)"),
])
def test_a_contradictory_entry_is_refused(demo_docs, entry, where, problem):
    with pytest.raises(ValidationError) as info:
        fileformat.from_document(_with(demo_docs[1], **entry))
    assert (info.value.where, info.value.problem) == (where, problem)


def test_a_figure_on_its_bucket_edge_after_rounding_is_accepted(demo_docs):
    # 13.999 a week is "hourly to daily", written rounded as 14.0 (on demand's edge)
    ws = fileformat.from_document(_with(demo_docs[1], metric="deploy_frequency",
                                        bucket="hourly-to-daily", value=13.999))
    assert ws.metrics["deploy_frequency"].bucket == 4
    ws = fileformat.from_document(_with(demo_docs[1], metric="deploy_frequency",
                                        bucket="hourly-to-daily", value=14.0))
    assert ws.metrics["deploy_frequency"].bucket == 4


def test_one_ghost_pick_is_left_out_on_its_own(demo_docs):
    """Breaking pass: one pick naming nobody dropped the room's whole estimate."""
    d = copy.deepcopy(demo_docs[0])
    i, entry = next((i, m) for i, m in enumerate(d["metrics"]) if m["metric"] == "lead_time")
    entry["picks"].append({"participant": "ghost", "bucket": "less-than-1-hour"})
    dropped: list[str] = []
    ws = fileformat.from_document(d, dropped)
    assert dropped == [f"$.metrics[{i}].picks[9].participant: no participant 'ghost'"]
    rec = ws.metrics["lead_time"]
    assert len(rec.picks) == 9 and "ghost" not in dict(rec.picks)
    assert rec == fileformat.from_document(demo_docs[0]).metrics["lead_time"]
