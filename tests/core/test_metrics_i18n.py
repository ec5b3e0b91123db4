"""The delivery-metrics catalogue and its words in the active language."""

from __future__ import annotations

import pytest

from calms_desktop.core import deploylog
from calms_desktop.core.i18n import ENGLISH, Translator, activate
from calms_desktop.core.metrics import (
    DATA_CONTEXT,
    Basis,
    MetricRecord,
    catalogue,
    catalogue_data,
    distributions,
    how_known,
    metric_rows,
    shown_texts,
)
from calms_desktop.reports.metrics_csv import metrics_csv
from tests.core.factories import workshop
from tools import i18n as tool

GERMAN = Translator("de")


def test_the_catalogue_reads_in_the_active_language_with_the_same_ids():
    english = catalogue()
    with activate(GERMAN):
        german = catalogue()
    assert [m.id for m in german.metrics] == [m.id for m in english.metrics]
    assert [len(m.buckets) for m in german.metrics] == [len(m.buckets) for m in english.metrics]
    lead = german.metric("lead_time")
    assert lead.name == "Durchlaufzeit von Änderungen"
    assert lead.buckets[3].label == "Zwischen einem Tag und einer Woche"
    assert lead.buckets[3].short == "1 Tag–1 Woche"
    assert german.level_name("low") == "Niedrig"
    assert german.source == english.source  # the report's title is a name
    assert english.metric("lead_time").buckets[3].short == "one day–one week"


def test_every_shown_text_of_the_data_file_is_in_the_template_with_its_context():
    template = tool.build_catalogue()
    texts = shown_texts(catalogue_data())
    assert "Change lead time" in texts and "Elite" in texts and "one day–one week" in texts
    assert "lead_time" not in texts and "less-than-1-day" not in texts  # ids stay
    missing = [t for t in texts if template.get(t, DATA_CONTEXT) is None]
    assert not missing


def test_a_german_row_says_how_it_is_known_with_german_plurals_and_numbers():
    rec = MetricRecord("lead_time", Basis.MEASURED, bucket=3, value=30.25,
                       source="Grafana", sample=1)
    with activate(GERMAN):
        row = metric_rows({"lead_time": rec},
                          {"lead_time": MetricRecord("lead_time", Basis.MEASURED, bucket=1)})[0]
        room = how_known(MetricRecord("lead_time", Basis.ESTIMATED, source="room",
                                      picks=(("a", 1), ("b", 2))))
    assert row.answer == "Zwischen einem Tag und einer Woche (Median 30,3 Stunden)"  # 30.25 half up
    assert row.how == "gemessen (Grafana, 1 Deployment)"
    assert row.change == "2 Bereiche besser"  # a bucket is a "Bereich", a level a "Stufe"
    assert row.band == "Hoch"
    assert room == "vom Raum geschätzt (2 Antworten)"
    assert how_known(rec) == "measured (Grafana, 1 deployment)"


def test_a_count_uses_the_languages_group_mark():
    rec = MetricRecord("users_now", Basis.MEASURED, value=41250)
    with activate(GERMAN):
        assert metric_rows({"users_now": rec})[0].answer == "41.250"
    assert metric_rows({"users_now": rec})[0].answer == "41,250"


def test_the_portfolio_distribution_counts_teams_in_german():
    team = {"lead_time": MetricRecord("lead_time", Basis.MEASURED, bucket=3)}
    with activate(GERMAN):
        text = distributions([team])[0].text()
    assert text == "Durchlaufzeit von Änderungen (1 Team): 1 zwischen einem Tag und einer Woche"


def test_a_bad_deployment_log_is_explained_in_german():
    with activate(GERMAN), pytest.raises(deploylog.DeployLogError) as caught:
        deploylog.measure(b"deployed_at,failed\n2026-08-03T10:00,maybe\n", "log.csv")
    assert str(caught.value) == ("log.csv: nicht importiert –\n"
                                 "Zeile 2: failed muss yes oder no sein, nicht 'maybe'")


def test_the_metrics_csv_words_follow_the_language_its_keys_do_not():
    """The CSVs follow the report language (README "The CSVs' language"); the keys stay."""
    ws = workshop()
    ws.metrics["lead_time"] = MetricRecord("lead_time", Basis.MEASURED, bucket=3)
    with activate(GERMAN):
        german = metrics_csv(ws).decode("utf-8-sig")
    english = metrics_csv(ws).decode("utf-8-sig")
    assert "Durchlaufzeit" in german and "Change lead time" not in german
    assert "Change lead time" in english and "Between one day and one week" in english
    assert german.splitlines()[0] == english.splitlines()[0]  # the column names
    assert ",lead_time," in german and ",measured," in german and ",3," in german


def test_every_shown_text_of_the_data_file_has_a_german_translation():
    # Only a word that reads the same in German ("Elite") may come back unchanged.
    same = [t for t in shown_texts(catalogue_data()) if GERMAN.pgettext(DATA_CONTEXT, t) == t]
    assert set(same) <= {"Elite"}, same
    assert ENGLISH.pgettext(DATA_CONTEXT, "Elite") == "Elite"
