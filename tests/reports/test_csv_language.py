"""The CSV exports in the report language: words translated, keys and numbers fixed."""

from __future__ import annotations

import csv
import io

import pytest

from calms_desktop.cli import main
from calms_desktop.core.demo import install_demo
from calms_desktop.core.i18n import ENGLISH, Translator, activate
from calms_desktop.core.model import PILLARS
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.storage import Library
from calms_desktop.reports import ExportKind, build_export

DE = Translator("de")
CSV_KINDS = (ExportKind.VOTES_CSV, ExportKind.SUMMARY_CSV, ExportKind.METRICS_CSV)
#: The columns that are keys, codes, dates and numbers: alike in every language.
FIXED = {
    ExportKind.VOTES_CSV: ("workshop_id", "date", "pillar", "statement_id", "statement_code",
                           "participant_id", "source", "score", "dont_know", "weight",
                           "weighted_score", "scored", "pillar_part", "overall_part"),
    ExportKind.SUMMARY_CSV: ("workshop_id", "date", "row", "pillar", "score", "mean_exact",
                             "median", "spread", "answers", "dont_know", "baseline_score",
                             "delta", "target", "gap"),
    ExportKind.METRICS_CSV: ("workshop_id", "metric_id", "basis", "bucket_index", "value",
                             "dora_report", "period", "sample", "change"),
}


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def export(kind: ExportKind, pair, translator: Translator) -> bytes:
    base, ws = pair
    return build_export(kind, ws, None if kind == ExportKind.VOTES_CSV else base,
                        translator=translator)


@pytest.mark.parametrize("kind", CSV_KINDS)
def test_keys_columns_and_numbers_are_the_same_in_every_language(demo_pair, kind):
    english, german = rows(export(kind, demo_pair, ENGLISH)), rows(export(kind, demo_pair, DE))
    assert list(english[0]) == list(german[0])  # the column names
    assert len(english) == len(german)
    for en, de in zip(english, german, strict=True):
        assert [en[c] for c in FIXED[kind]] == [de[c] for c in FIXED[kind]]
    numbers = [r[c] for r in german for c in FIXED[kind]
               if c in ("pillar_part", "mean_exact", "value")]
    assert any("." in n for n in numbers) and not any("," in n for n in numbers)


def test_the_german_summary_names_pillars_and_levels_in_german(demo_pair):
    german = {r["pillar"]: r for r in rows(export(ExportKind.SUMMARY_CSV, demo_pair, DE))}
    names = {s.pillar.value: s.name for s in builtin("calms-default", "de").sections}
    for p in PILLARS:
        assert german[p.value]["pillar_name"] == names[p.value]
    assert german["culture"]["pillar_name"] == "Kultur"
    assert german["overall"]["pillar_name"] == "Gesamt"
    levels = {lv.name for lv in builtin("calms-default", "de").levels}
    assert {r["level"] for r in german.values()} <= levels


def test_the_german_votes_read_the_german_statements(demo_pair):
    german = rows(export(ExportKind.VOTES_CSV, demo_pair, DE))
    statements = {s.id: s.text for sec in builtin("calms-default", "de").sections
                  for s in sec.statements}
    assert all(r["statement"] == statements[r["statement_id"]] for r in german)
    assert {r["answer"] for r in german if r["dont_know"] == "1"} == {"weiß nicht"}
    english = rows(export(ExportKind.VOTES_CSV, demo_pair, ENGLISH))
    assert {r["answer"] for r in english if r["dont_know"] == "1"} == {"don't know"}


def test_the_german_metrics_name_metrics_buckets_and_levels_in_german(demo_pair):
    german = {r["metric_id"]: r for r in rows(export(ExportKind.METRICS_CSV, demo_pair, DE))}
    lead = german["lead_time"]
    assert lead["metric"] == "Durchlaufzeit von Änderungen"
    assert lead["bucket"].startswith("Zwischen") and lead["baseline_bucket"].startswith("Zwischen")
    assert lead["dora_level"] == "Hoch"
    assert lead["source"].startswith("Deployment-Log ")


def test_the_report_language_wins_over_the_app_language(demo_pair):
    with activate(DE):  # a German console exporting for an English client
        english = rows(export(ExportKind.SUMMARY_CSV, demo_pair, ENGLISH))
    assert english[0]["pillar_name"] == "Culture"


def test_an_anonymous_withheld_statement_is_worded_in_the_report_language(anonymous):
    sid = anonymous.questionnaire.statements[1].id
    german = rows(build_export(ExportKind.VOTES_CSV, anonymous, translator=DE))
    held = [r for r in german if r["statement_id"] == sid]
    assert [(r["answer"], r["note"]) for r in held] == [("zurückgehalten", "2 Antworten")]
    summary = rows(build_export(ExportKind.SUMMARY_CSV, anonymous, translator=DE))
    assert summary[0]["note"].startswith("zurückgehalten: ")
    assert summary[-1]["note"] == "zurückgehalten"


def test_cli_csv_exports_follow_lang(tmp_path, capsys):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        _base, ws = install_demo(lib)
    out = {k: tmp_path / f"{k}.csv" for k in ("votes", "summary", "metrics")}
    assert main(["export", ws.id, "--csv", str(out["votes"]), "--summary-csv",
                 str(out["summary"]), "--metrics-csv", str(out["metrics"]), "--lang", "de",
                 "--data-dir", str(folder)]) == 0
    summary = rows(out["summary"].read_bytes())
    assert summary[0]["pillar_name"] == "Kultur" and summary[0]["pillar"] == "culture"
    assert "weiß nicht" in {r["answer"] for r in rows(out["votes"].read_bytes())}
    assert "Hoch" in {r["dora_level"] for r in rows(out["metrics"].read_bytes())}
