"""Dates shown to people: one helper, the active language, ISO kept in files."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.demo import build_demo
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.i18n import (
    ENGLISH,
    Translator,
    activate,
    as_date,
    format_date,
    format_datetime,
    format_period,
    iso_date_hint,
    language_setting_problem,
    shipped_language,
)
from calms_desktop.core.progress import point_of
from calms_desktop.core.settings_ini import SETTINGS_FILE, saved_language

DE = Translator("de")


@pytest.mark.parametrize(("language", "form", "expected"), [
    ("en", "long", "26 August 2026"),
    ("de", "long", "26. August 2026"),
    ("en", "short", "26 Aug 2026"),
    ("de", "short", "26.08.2026"),
    ("en", "day_month", "26 Aug"),
    ("de", "day_month", "26. Aug."),
])
def test_the_two_forms_and_the_chart_tick(language, form, expected):
    with activate(Translator(language)):
        assert format_date("2026-08-26", form) == expected
        assert format_date(date(2026, 8, 26), form) == expected


def test_text_that_is_not_a_date_is_shown_as_it_is():
    with activate(DE):
        assert format_date("next spring") == "next spring"
        assert format_date("2026-02-30") == "2026-02-30"  # not a day: never "fixed"
        assert format_date("") == ""
        assert format_date(None, empty="—") == "—"
        # the day of a stored timestamp
        assert format_date("2026-08-26T09:00:00+00:00", "short") == "26.08.2026"
    assert as_date("2026-08-26T09:00") == date(2026, 8, 26)
    assert as_date("26.08.2026") is None


def test_moments_and_periods():
    with activate(DE):
        assert format_datetime(datetime(2026, 8, 26, 14, 5)) == "26.08.2026 14:05"
        assert format_datetime("not a time", empty="—") == "not a time"
        assert format_datetime("", empty="—") == "—"
        assert format_period("2026-08-01 – 2026-08-31") == "01.08.2026 – 31.08.2026"
        assert format_period("last quarter") == "last quarter"
    assert format_period("2026-08-01 – 2026-08-31") == "1 Aug 2026 – 31 Aug 2026"


def test_a_date_field_pattern_and_hint_in_the_ui_language():
    assert DE.numeric_date_pattern == "dd.MM.yyyy"
    assert ENGLISH.numeric_date_pattern == "dd/MM/yyyy"
    with activate(DE):
        assert iso_date_hint() == ("Das Datum als JJJJ-MM-TT eingeben: 2026-09-30 ist der "
                                   "30. September 2026")


def test_labels_that_glue_a_date_into_text_use_the_language():
    ws = new_workshop(qmod.builtin(), title="Baseline", organisation="Acme", team="Core",
                      date="2026-08-26")
    with activate(DE):
        assert ws.display_name == "Baseline — Acme / Core — 26. August 2026"
        assert point_of(ws).label == "26.08.2026 · Baseline"
        assert new_workshop(qmod.builtin(), title="", date="2026-08-26").display_name == (
            "Workshop ohne Titel — 26. August 2026")
    assert ws.display_name == "Baseline — Acme / Core — 26 August 2026"
    assert ws.date == "2026-08-26"  # the stored value stays ISO


def test_the_demo_keeps_iso_in_its_data():
    with activate(DE):
        for ws in build_demo():
            assert len(ws.date) == 10 and ws.date[4] == "-"


@pytest.mark.parametrize(("value", "expected"), [
    ("en_US", "en"), ("de_DE", "de"), ("de-DE", "de"), ("DE", "de"), (" de ", "de"),
    ("fr", None), ("xx", None), ("", None), (None, None)])
def test_a_saved_language_names_a_shipped_one(value, expected):
    assert shipped_language(value) == expected


def test_the_cli_reads_a_hand_edited_language_and_says_what_it_ignores(tmp_path, caplog):
    ini = tmp_path / SETTINGS_FILE
    ini.write_text("[report]\nlanguage=de_DE\n[ui]\nlanguage=fr\n", encoding="utf-8")
    assert saved_language(ini, "report") == "de"
    assert saved_language(ini, "ui") is None
    assert any("ui/language=fr" in r.getMessage() for r in caplog.records)
    assert language_setting_problem("ui/language", "de-DE") is None
