"""The translation mechanism: catalogues complete and current, plurals, dates, numbers."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.i18n import (
    ENGLISH,
    LANGUAGES,
    Translator,
    _,
    activate,
    active,
    language_name,
    ngettext,
    normalise_language,
    system_language,
)
from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.core.operations import SetPillarState
from calms_desktop.core.scoring import fmt
from tools import i18n as tool

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalogue(lang: str):
    return tool.read(tool.LOCALE_DIR / lang / "LC_MESSAGES" / "calms.po")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_catalogue_has_no_untranslated_or_fuzzy_entry(lang):
    problems = tool.problems(_catalogue(lang))
    assert not problems, f"{lang}: " + "; ".join(problems[:20])


def test_the_template_is_up_to_date_with_the_sources():
    assert tool.POT.read_bytes() == tool.pot_text(tool.build_catalogue()), (
        "calms.pot is stale: run `make i18n`")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_msgid_of_the_sources_is_in_the_catalogue(lang):
    catalogue = _catalogue(lang)
    template = tool.build_catalogue()
    missing = [m.id for m in template if m.id and catalogue.get(m.id, m.context) is None]
    assert not missing, f"run `make i18n`: {missing[:10]}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_the_compiled_catalogue_is_the_po_file(lang):
    po = tool.LOCALE_DIR / lang / "LC_MESSAGES" / "calms.po"
    out = io.BytesIO()
    write_mo(out, _catalogue(lang), use_fuzzy=False)
    assert po.with_suffix(".mo").read_bytes() == out.getvalue(), "run `make i18n`"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_keep_placeholders_and_accelerators(lang):
    for m in _catalogue(lang):
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = [set(PLACEHOLDER.findall(i)) for i in ids]
        for s in strings:
            assert set(PLACEHOLDER.findall(s)) in wanted, (m.id, s)
            if re.search(r"&[^\s&;]", ids[0]) and not re.search(r"&\w+;", ids[0]):
                assert re.search(r"&[^\s&]", s), f"lost its keyboard accelerator: {s!r}"


def test_german_plural_forms_come_from_the_catalogue():
    de = Translator("de")
    assert de.ngettext("{n} answer", "{n} answers", 1).format(n=1) == "1 Antwort"
    assert de.ngettext("{n} answer", "{n} answers", 3).format(n=3) == "3 Antworten"
    assert de.ngettext("{n} answer", "{n} answers", 0).format(n=0) == "0 Antworten"
    with activate(de):
        assert ngettext("{n} participant", "{n} participants", 2).format(n=2) == (
            "2 Teilnehmende")


def test_dates_and_numbers_follow_the_language_not_the_machine():
    day = date(2026, 3, 12)
    assert ENGLISH.format_date(day) == "12 March 2026"
    assert Translator("de").format_date(day) == "12. März 2026"
    assert Translator("de").format_short_date(day) == "12.03.2026"
    assert ENGLISH.format_short_date(day) == "12 Mar 2026"
    assert Translator("de").format_decimal(2.5) == "2,5"
    assert Translator("de").format_integer(12345) == "12.345"
    assert ENGLISH.format_integer(12345) == "12,345"
    with activate(Translator("de")):
        assert fmt(3.44) == "3,4" and fmt(0.6, signed=True) == "+0,6"
    assert fmt(3.44) == "3.4"


def test_the_core_speaks_the_active_language():
    op = SetPillarState(Pillar.CULTURE, PillarState.REVEALED)
    assert op.describe(None) == "reveal Culture"  # type: ignore[arg-type]
    with activate(Translator("de")):
        assert op.describe(None) == "Kultur aufdecken"  # type: ignore[arg-type]
        assert _("Summary") == "Zusammenfassung"
        assert active().language == "de"
    assert active() is ENGLISH


def test_the_system_locale_picks_the_language():
    assert system_language({"LANG": "de_DE.UTF-8"}) == "de"
    assert system_language({"LANGUAGE": "de_AT:en", "LANG": "en_GB.UTF-8"}) == "de"
    assert system_language({"LC_ALL": "fr_FR.UTF-8"}) == "en"  # not shipped: English
    assert system_language({"LANG": "C.UTF-8"}) == "en"
    assert system_language({}) == "en"


def test_the_language_list_and_the_locale_variables_follow_gettext():
    # LANGUAGE lists languages by priority: the first that ships wins.
    assert system_language({"LANGUAGE": "fr:de", "LANG": "fr_FR.UTF-8"}) == "de"
    assert system_language({"LANGUAGE": "fr:en:de", "LANG": "de_DE.UTF-8"}) == "en"
    assert system_language({"LANGUAGE": "fr:it", "LANG": "de_DE.UTF-8"}) == "de"
    # LC_ALL before LC_MESSAGES before LANG.
    assert system_language({"LC_ALL": "de_DE.UTF-8", "LC_MESSAGES": "en_GB.UTF-8",
                            "LANG": "en_GB.UTF-8"}) == "de"
    assert system_language({"LC_MESSAGES": "de_DE.UTF-8", "LANG": "en_GB.UTF-8"}) == "de"
    assert system_language({"LC_ALL": "en_GB.UTF-8", "LANG": "de_DE.UTF-8"}) == "en"
    # Under the C locale (or none) gettext ignores LANGUAGE; C.UTF-8 is not C.
    assert system_language({"LANGUAGE": "de", "LC_ALL": "C"}) == "en"
    assert system_language({"LANGUAGE": "de"}) == "en"
    assert system_language({"LANGUAGE": "de", "LANG": "C.UTF-8"}) == "de"
    assert normalise_language("de-CH") == "de"
    assert language_name("de") == "Deutsch" and language_name("en") == "English"


def test_the_shipped_languages_names_are_babels():
    """The start-up table of endonyms says what Babel would (and covers every language)."""
    from babel import Locale

    from calms_desktop.core.i18n import ENDONYMS

    assert set(ENDONYMS) == set(LANGUAGES)
    for code, name in ENDONYMS.items():
        babel_name = Locale.parse(code).get_display_name(code)
        assert name == babel_name[:1].upper() + babel_name[1:]


@pytest.mark.parametrize("qid", ["calms-default", "quick-check"])
def test_the_german_questionnaires_match_the_english_ones(qid):
    en = qmod.builtin(qid, "en")
    de = qmod.builtin(qid, "de")
    assert [s.id for s in de.statements] == [s.id for s in en.statements]
    assert [lv.level for lv in de.levels] == [lv.level for lv in en.levels]
    assert de.title != en.title
    for s_en, s_de in zip(en.statements, de.statements, strict=True):
        assert s_de.text and s_de.text != s_en.text
    raw = json.loads((qmod.QUESTIONNAIRE_DIR / "de" / f"{qid}.json").read_text("utf-8"))
    english = json.loads((qmod.QUESTIONNAIRE_DIR / f"{qid}.json").read_text("utf-8"))
    for p_de, p_en in zip(raw["pillars"], english["pillars"], strict=True):
        assert p_de["explanation"] != p_en["explanation"]
        for s_de, s_en in zip(p_de["statements"], p_en["statements"], strict=True):
            assert sorted(s_de["levels"]) == sorted(s_en["levels"])
            assert all(s_de["levels"][k] != s_en["levels"][k] for k in s_en["levels"])


def test_a_new_workshop_gets_the_questionnaire_in_the_active_language():
    with activate(Translator("de")):
        assert qmod.builtin().title == "CALMS-Bewertung"
    assert qmod.builtin().title == "CALMS assessment"


def test_the_command_line_speaks_the_system_language(monkeypatch, capsys, tmp_path):
    from calms_desktop.cli import main

    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert main(["list", "--data-dir", str(tmp_path / "lib")]) == 0
    out = capsys.readouterr().out
    assert "Keine Workshops in" in out
    assert active() is ENGLISH  # the CLI's language does not outlive the command


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ("2.9", "41,250", "41,250.5", "+0.7", "\u22120.3", "+0.0", "2.5")),
    ("de", ("2,9", "41.250", "41.250,5", "+0,7", "\u22120,3", "+0,0", "2,5")),
])
def test_one_number_helper_writes_every_number_in_the_language(lang, expected):
    from calms_desktop.core.i18n import format_number

    with activate(Translator(lang)):
        shown = (format_number(2.94), format_number(41250, 0), format_number(41250.49, 1),
                 format_number(0.66, signed=True), format_number(-0.3, signed=True),
                 format_number(-0.04, signed=True), format_number(2.45))
    assert shown == expected  # 2.45 rounds half up, as scores do; never "−0.0"
    ungrouped = Translator(lang).format_number(1234.5, 1, grouped=False)
    assert ungrouped == ("1234.5" if lang == "en" else "1234,5")


def test_german_quotation_marks_come_with_the_message():
    # reports/facilitator.py and the start screen quote titles inside the translated text
    german = Translator("de")
    assert german.gettext("“{title}”").format(title="Q3") == "„Q3“"
    assert german.gettext("“{title}” ({organisation}, {team})").format(
        title="Q3", organisation="Acme", team="Core") == "„Q3“ (Acme, Core)"
