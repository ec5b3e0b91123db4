"""Delivery metrics in the reports: both PDFs (text pypdf extracts) and the metrics CSV."""

from __future__ import annotations

import csv
import io

import pytest

from calms_desktop.core.i18n import format_period
from calms_desktop.core.progress import point_of
from calms_desktop.reports import ExportKind, build_export
from calms_desktop.reports.attendee import build_attendee_pdf
from calms_desktop.reports.facilitator import build_facilitator_pdf
from calms_desktop.reports.metrics_csv import METRIC_COLUMNS
from tests.reports.conftest import pdf_reader, pdf_text, spaced


def test_the_facilitator_report_has_a_delivery_metrics_section(demo_pair):
    base, ws = demo_pair
    data = build_facilitator_pdf(ws, base, history=[point_of(base), point_of(ws)])
    text = spaced(pdf_text(data))
    assert "9 Delivery metrics" in [i.title for i in pdf_reader(data).outline]
    for words in ("Change lead time", "Between one day and one week (median 30.2 hours)",
                  "deployment log sample-deployments.csv",
                  format_period(ws.metrics["lead_time"].period),
                  "1 bucket better", "+6,250", "2024 Accelerate State of DevOps Report",
                  "not a ranking of teams", "Across the team's assessments"):
        assert spaced(words) in text, words


def test_the_baseline_report_flags_the_rooms_disagreement(demo_pair):
    base, _ = demo_pair
    text = spaced(pdf_text(build_facilitator_pdf(base, None)))
    assert spaced("the room disagrees") in text
    assert spaced("The room disagreed about Failed deployment recovery time") in text


def test_the_attendee_summary_shows_metrics_and_their_change(demo_pair):
    base, ws = demo_pair
    data = build_attendee_pdf(ws, base)
    assert len(pdf_reader(data).pages) <= 2
    text = spaced(pdf_text(data))
    for words in ("Delivery metrics", "Between once a day and once a week", "High / Medium",
                  "1 bucket better", "● measured"):
        assert spaced(words) in text, words


def test_the_metrics_csv(demo_pair):
    base, ws = demo_pair
    raw = build_export(ExportKind.METRICS_CSV, ws, base)
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == list(METRIC_COLUMNS)
    lead = rows[0]
    assert (lead["metric_id"], lead["basis"], lead["bucket"], lead["bucket_index"],
            lead["value"], lead["dora_level"], lead["dora_report"], lead["sample"],
            lead["baseline_bucket"], lead["change"]) == (
        "lead_time", "measured", "Between one day and one week", "3", "30.18", "High",
        "2024", "33", "Between one week and one month", "1")
    users = next(r for r in rows if r["metric_id"] == "users_now")
    assert (users["value"], users["baseline_value"], users["change"]) == ("41250", "35000", "6250")
    estimated = {r["metric_id"]: r for r in csv.DictReader(io.StringIO(
        build_export(ExportKind.METRICS_CSV, base).decode("utf-8-sig")))}
    assert estimated["recovery_time"]["answers"] == "9"
    assert estimated["recovery_time"]["room_agrees"] == "0"


def test_a_split_estimate_is_where_the_room_disagreed_in_the_executive_summary(demo_pair):
    """Breaking pass: a room that split on a metric estimate was flagged in the metrics
    table only — not in the executive summary nor in Measurement's "to discuss" count."""
    from calms_desktop.core import privacy
    from calms_desktop.core.model import Pillar
    from calms_desktop.reports import insights
    from calms_desktop.reports.blocks import agreement_text, prepare

    base, _ = demo_pair
    data = prepare(base, None)
    said = dict(insights.executive_summary(data.ws, None, data.score, data.codes))
    assert ("On the delivery metrics, the room disagreed about its estimate of Failed "
            "deployment recovery time (picks from between one month and six months to less than "
            "one hour): "
            "measure it before anyone acts on the estimate.") in said["Where the room disagreed"]
    measurement = data.score.pillars[Pillar.MEASUREMENT]
    assert "1 metric estimate to discuss" in agreement_text(data, measurement)
    assert "metric estimate" not in agreement_text(data, data.score.pillars[Pillar.CULTURE])
    assert privacy.discuss_count(base, measurement) == measurement.discuss_count + 1
    text = spaced(pdf_text(build_facilitator_pdf(base, None)))
    assert spaced("On the delivery metrics, the room disagreed about its estimate") in text
    assert spaced("1 metric estimate to discuss") in text


# -- issue 14's second breaking pass: the privacy rule in the reports ----------------------
def _anonymous(state, picks):
    from calms_desktop.core.metrics import estimate
    from calms_desktop.core.model import Pillar, VotingMode
    from tests.core.factories import workshop

    ws = workshop(people=4, mode=VotingMode.ANONYMOUS, wid="anon-14")
    ws.pillar_states[Pillar.MEASUREMENT] = state
    for metric, buckets in picks.items():
        rec = estimate(metric)
        for person, bucket in zip(ws.participants, buckets, strict=False):
            rec = rec.with_pick(person.id, bucket)
        ws.metrics[metric] = rec
    return ws


def test_the_attendee_pdf_withholds_estimates_as_it_withholds_statements():
    from calms_desktop.core.model import PillarState

    ws = _anonymous(PillarState.REVEALED, {"lead_time": [0], "recovery_time": [1, 1, 2]})
    text = spaced(pdf_text(build_attendee_pdf(ws, None)))
    assert spaced("1 answer — too few to show anonymously") in text
    assert spaced("More than six months") not in text  # the one pick
    ws = _anonymous(PillarState.VOTING, {"recovery_time": [1, 1, 2]})
    text = spaced(pdf_text(build_attendee_pdf(ws, None)))
    assert spaced("3 answers — shown after the reveal") in text


def test_the_metrics_csv_marks_a_withheld_estimate_and_drops_an_empty_one():
    from calms_desktop.core.model import PillarState

    ws = _anonymous(PillarState.REVEALED, {"lead_time": [0], "recovery_time": [1, 1, 2],
                                           "deploy_frequency": [3]})
    ws.metrics["deploy_frequency"] = ws.metrics["deploy_frequency"].with_pick("p0", None)
    rows = {r["metric_id"]: r for r in csv.DictReader(io.StringIO(
        build_export(ExportKind.METRICS_CSV, ws).decode("utf-8-sig")))}
    assert set(rows) == {"lead_time", "recovery_time"}
    lead = rows["lead_time"]
    assert (lead["bucket"], lead["bucket_index"], lead["dora_level"], lead["answers"],
            lead["room_agrees"]) == ("withheld", "", "", "1", "")
    assert rows["recovery_time"]["bucket_index"] == "1"


def test_the_german_metrics_table_keeps_its_words_whole(demo_pair):
    """Breaking pass: "DORA-S|tufe", "Wiederherstell|ungszeit"; a bucket and a level were
    both "Stufe"; "deployment log" stayed English."""
    from calms_desktop.core.i18n import Translator

    base, ws = demo_pair
    data = build_export(ExportKind.FACILITATOR_PDF, ws, base, translator=Translator("de"),
                        history=[point_of(base), point_of(ws)])
    reader = pdf_reader(data)
    page = next(p.extract_text() for p in reader.pages
                if "Woher bekannt" in p.extract_text())
    words = set(page.split())
    for whole in ("DORA-Stufe", "Wiederherstellungszeit", "Deployment-Häufigkeit",
                  "Veränderung", "Änderungsfehlerrate", "(Deployment-Log",
                  "sample-deployments.csv,"):
        assert whole in words, whole
    assert "1 Bereich besser" in " ".join(page.split())
    assert "Stufe besser" not in page and "deployment log" not in page


def test_column_widths_make_room_for_the_longest_word():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from calms_desktop.reports import common as c
    from calms_desktop.reports import fonts

    font = (fonts.SANS_BOLD, 8.5)
    long = "Wiederherstellungszeit"
    widths = c.word_widths([10.0, 80.0, 10.0], [[(long, *font)], [("a b c", *font)],
                                                [("x", *font)]])
    assert sum(widths) == pytest.approx(c.CONTENT_WIDTH)
    assert widths[0] >= stringWidth(long, *font) + 8
    assert widths[1] > widths[2]  # the rest keep their proportions as far as they can


def test_an_estimate_with_every_pick_withdrawn_is_no_row_in_the_pdfs():
    from calms_desktop.core.model import PillarState

    ws = _anonymous(PillarState.REVEALED, {"lead_time": [2, 2, 3]})
    ws.metrics["deploy_frequency"] = _anonymous(
        PillarState.REVEALED, {"deploy_frequency": [1]}).metrics["deploy_frequency"].with_pick(
        "p0", None)
    for data in (build_facilitator_pdf(ws, None), build_attendee_pdf(ws, None)):
        text = spaced(pdf_text(data))
        assert spaced("Change lead time") in text
        assert spaced("0 answers") not in text and spaced("Deployment frequency") not in text
