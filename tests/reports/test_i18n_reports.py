"""Reports in a language of their own: German PDFs, an English one from a German app."""

from __future__ import annotations

import re

from calms_desktop.cli import main
from calms_desktop.core.demo import install_demo
from calms_desktop.core.i18n import ENGLISH, Translator, activate
from calms_desktop.core.storage import Library
from calms_desktop.reports import ExportKind, build_export
from tests.reports.conftest import pdf_text

DE = Translator("de")


def test_the_attendee_summary_in_german(demo_pair):
    base, ws = demo_pair
    text = pdf_text(build_export(ExportKind.ATTENDEE_PDF, ws, base, translator=DE))
    for words in ("Werte nach Säule", "Vereinbarte Maßnahmen", "Nächste Schritte",
                  "Seite 1 von", "Kultur", "Automatisierung"):
        assert words in text, words
    assert "Scores by pillar" not in text and "Page 1 of" not in text
    assert "2026" in text and ("Dezember" in text or "November" in text)  # a German date


def test_the_facilitator_report_in_german(demo_pair):
    base, ws = demo_pair
    text = pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base, translator=DE))
    for words in ("Management-Zusammenfassung", "Methode und Fragebogen", "Wie der Raum "
                  "geantwortet hat", "Teilnehmende"):
        assert words in text, words
    assert "Executive summary" not in text


def test_an_english_report_from_a_german_app(demo_pair):
    base, ws = demo_pair
    with activate(DE):  # the consultant in Hamburg …
        data = build_export(ExportKind.ATTENDEE_PDF, ws, base, translator=ENGLISH)
    text = pdf_text(data)  # … reports to a client in English
    assert "Scores by pillar" in text and "Werte nach Säule" not in text


def test_german_numbers_in_the_report(demo_pair):
    base, ws = demo_pair
    text = pdf_text(build_export(ExportKind.ATTENDEE_PDF, ws, base, translator=DE))
    assert "/ 5" in text
    overall = text.split("/ 5")[0].split()[-1]
    assert "," in overall and "." not in overall, overall


def test_cli_export_lang(tmp_path, capsys):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        _base, ws = install_demo(lib)
    de, en = tmp_path / "de.pdf", tmp_path / "en.pdf"
    assert main(["export", ws.id, "--pdf", str(de), "--lang", "de", "--data-dir",
                 str(folder)]) == 0
    assert main(["export", ws.id, "--pdf", str(en), "--lang", "en", "--data-dir",
                 str(folder)]) == 0
    capsys.readouterr()
    assert "Werte nach Säule" in pdf_text(de.read_bytes())
    assert "Scores by pillar" in pdf_text(en.read_bytes())


def test_a_pdf_declares_the_language_it_is_written_in(demo_pair):
    """Breaking pass: every PDF said /Lang (en), so a screen reader read German in English."""
    from tests.reports.conftest import pdf_reader

    base, ws = demo_pair
    for translator, lang in ((DE, "de"), (ENGLISH, "en")):
        reader = pdf_reader(build_export(ExportKind.ATTENDEE_PDF, ws, base, translator=translator))
        assert reader.trailer["/Root"]["/Lang"] == lang


#: "2.9", "0.8" — a decimal number written the English way (dates like 19.12.2026 are not).
ENGLISH_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d(?![\d.])")
#: "41,250" — an English thousands separator.
ENGLISH_GROUPING = re.compile(r"(?<![\d,])\d{1,3},\d{3}(?![\d,])")


def test_no_number_in_a_german_report_is_written_the_english_way(demo_pair):
    base, ws = demo_pair
    for kind in (ExportKind.ATTENDEE_PDF, ExportKind.FACILITATOR_PDF):
        text = pdf_text(build_export(kind, ws, base, translator=DE))
        assert not ENGLISH_DECIMAL.findall(text), (kind, ENGLISH_DECIMAL.findall(text)[:5])
        assert not ENGLISH_GROUPING.findall(text), (kind, ENGLISH_GROUPING.findall(text)[:5])
    method = pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base, translator=DE))
    assert "höchstens 0,8" in " ".join(method.split()), "SPREAD_LIMIT in the method text"
    english = pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base, translator=ENGLISH))
    assert "at most 0.8" in " ".join(english.split())


def test_a_report_in_another_language_reads_the_shipped_questionnaire_in_it(demo_pair):
    from calms_desktop.core import questionnaire as qmod

    base, ws = demo_pair
    german = qmod.builtin(ws.questionnaire.id, "de")
    english = qmod.builtin(ws.questionnaire.id, "en")
    assert ws.questionnaire == english  # the demo was run in English
    de_first, en_first = german.statements[0], english.statements[0]
    text = " ".join(pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base,
                                          translator=DE)).split())
    assert " ".join(de_first.text.split())[:40] in text
    assert " ".join(en_first.text.split())[:40] not in text
    # … and a German workshop reported in English prints the English statements.
    ws.questionnaire = german
    text = " ".join(pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base,
                                          translator=ENGLISH)).split())
    assert " ".join(en_first.text.split())[:40] in text
    assert ws.questionnaire == german  # the workshop itself is not changed


def test_a_custom_questionnaire_keeps_its_own_texts(demo_pair):
    import dataclasses

    base, ws = demo_pair
    first = ws.questionnaire.sections[0]
    edited = dataclasses.replace(first, statements=(dataclasses.replace(
        first.statements[0], text="Our own wording, written for this client"),
        *first.statements[1:]))
    ws.questionnaire = dataclasses.replace(ws.questionnaire,
                                           sections=(edited, *ws.questionnaire.sections[1:]))
    text = " ".join(pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base,
                                          translator=DE)).split())
    assert "Our own wording, written for this client" in text


def test_cli_export_uses_the_saved_languages_unless_told(tmp_path, capsys):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        _base, ws = install_demo(lib)
    settings = folder / "settings.ini"

    def export(*extra: str) -> str:
        out = tmp_path / "r.pdf"
        assert main(["export", ws.id, "--pdf", str(out), "--data-dir", str(folder),
                     *extra]) == 0
        capsys.readouterr()
        return pdf_text(out.read_bytes())

    settings.write_text("[ui]\nlanguage=de\n", encoding="utf-8")  # View → Language: Deutsch
    assert "Werte nach Säule" in export()
    assert "Scores by pillar" in export("--lang", "en")
    settings.write_text("[ui]\nlanguage=de\n[report]\nlanguage=en\n", encoding="utf-8")
    assert "Scores by pillar" in export()  # the report language setting comes first
    settings.write_text("[ui]\nlanguage=xx\n", encoding="utf-8")  # not shipped: the system's
    assert "Scores by pillar" in export()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "settings.ini").write_text("[ui]\nlanguage=de\n", encoding="utf-8")
    assert main(["list", "--data-dir", str(empty)]) == 0  # the CLI's own messages too
    assert "Keine Workshops in" in capsys.readouterr().out
