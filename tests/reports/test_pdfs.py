"""Both PDFs: what pypdf reads back, page counts, metadata, bookmarks, fonts, privacy."""

from __future__ import annotations

import re

import pytest
from reportlab.pdfbase.ttfonts import TTFont

from calms_desktop.core.model import PILLARS
from calms_desktop.core.scoring import fmt, level_name
from calms_desktop.reports import (
    ExportKind,
    build_attendee_pdf,
    build_export,
    build_facilitator_pdf,
    export_filename,
)
from calms_desktop.reports.blocks import prepare
from calms_desktop.reports.common import safe_filename_part, suggest_filename
from tests.reports.conftest import (
    ARABIC,
    CHINESE,
    EMOJI,
    GREEK,
    MARKUP,
    PEOPLE,
    long_note,
    make_workshop,
    pdf_reader,
    pdf_text,
    printed,
    spaced,
    squash,
)


@pytest.fixture
def missing_glyphs(monkeypatch):
    """Every character ReportLab was asked to print with a font that lacks it."""
    seen: list[tuple[str, str]] = []
    original = TTFont.splitString

    def spy(self, text, doc, encoding="utf-8"):
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        cmap = self.face.charToGlyph
        seen.extend((self.fontName, ch) for ch in text if ord(ch) not in cmap
                    and ch not in "\u00a0")
        return original(self, text, doc, encoding)

    monkeypatch.setattr(TTFont, "splitString", spy)
    return seen


def _fonts_used(data: bytes) -> set[str]:
    names = set()
    for page in pdf_reader(data).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


# -- the attendee summary -----------------------------------------------------------

def test_attendee_summary_of_the_demo(demo_pair):
    base, ws = demo_pair
    data = build_attendee_pdf(ws, base)
    assert data.startswith(b"%PDF")
    assert 1 <= len(pdf_reader(data).pages) <= 2
    text = pdf_text(data)
    score = prepare(ws, base).score
    for p in PILLARS:
        ps = score.pillars[p]
        assert fmt(ps.mean) in text
        delta = "±0.0" if round(ps.delta, 1) == 0 else fmt(ps.delta, signed=True)
        assert delta in text
    assert f"{fmt(score.overall)} / 5" in spaced(text)
    assert level_name(ws, score.overall) in text
    for action in ws.actions:
        assert spaced(action.text) in spaced(text)
        assert spaced(action.owner) in spaced(text)
    assert "Next assessment" in text
    assert "Page 1 of" in text


def test_attendee_summary_is_one_or_two_pages_for_a_big_room():
    from benchmarks.bench_reports import big_workshop

    base = big_workshop(0)
    data = build_attendee_pdf(big_workshop(1, base), base)
    assert 1 <= len(pdf_reader(data).pages) <= 2


def test_attendee_summary_prints_every_name_exactly(multi, missing_glyphs):
    data = build_attendee_pdf(multi)
    text = pdf_text(data)
    for action in multi.actions:
        assert printed(action.text, text)
        assert printed(action.owner, text)
    assert spaced("Next: <b>fix</b> the deploy gate & measure 🚀.") in spaced(text)
    assert multi.title in text
    assert missing_glyphs == []


# -- the facilitator report -----------------------------------------------------------

def test_facilitator_report_of_the_demo(demo_pair):
    base, ws = demo_pair
    data = build_facilitator_pdf(ws, base)
    reader = pdf_reader(data)
    text = pdf_text(data)
    assert len(reader.pages) >= 10
    for person in ws.participants:
        assert person.name in text
        assert person.role in text
    for step, note in ws.notes.items():
        assert squash(note) in squash(text), step
    for action in base.actions:
        assert spaced(action.text) in spaced(text)
    score = prepare(ws, base).score
    for p in PILLARS:
        for ss in score.pillars[p].statements:
            assert squash(ss.statement.text) in squash(text)
    assert "Appendix A. Every vote" in text
    assert "How answers become scores" in text
    assert "When the room agrees" in text


def test_facilitator_report_has_bookmarks_and_a_contents_page(demo_pair):
    base, ws = demo_pair
    reader = pdf_reader(build_facilitator_pdf(ws, base))
    titles = [item.title for item in reader.outline]
    assert titles[:4] == ["1 Executive summary", "2 Summary", "3 Method and questionnaire",
                          "4 Culture"]
    assert "9 Delivery metrics" in titles  # the demo carries metrics (after the pillars)
    assert "13 Participants" in titles
    assert titles[-2:] == ["Appendix A. Every vote", "Appendix B. The questionnaire"]
    # each bookmark points at the page its section starts on
    for item in reader.outline:
        page = reader.pages[reader.get_destination_page_number(item)]
        assert squash(item.title) in squash(page.extract_text()), item.title
    # and the contents page lists the sections with the same page numbers
    contents = spaced(reader.pages[1].extract_text())
    for item in reader.outline:
        page = reader.get_destination_page_number(item) + 1
        assert re.search(re.escape(item.title) + r"[ .]+" + f"{page}(?!\\d)", contents), item.title


def test_every_string_is_printed_exactly(multi, missing_glyphs):
    data = build_facilitator_pdf(multi)
    text = pdf_text(data)
    for name, role in PEOPLE:
        assert printed(name, text), name
        assert printed(role, text), role
    for sample in (CHINESE, GREEK, EMOJI):
        assert squash(sample) in squash(text), sample
    assert printed(ARABIC, text)
    assert squash(MARKUP) in squash(text)
    assert squash(long_note()) in squash(text)
    assert len(long_note()) == 2000
    assert squash(multi.title) in squash(text)
    assert missing_glyphs == []


def test_only_embedded_truetype_fonts_are_used(multi):
    for data in (build_attendee_pdf(multi), build_facilitator_pdf(multi)):
        fonts_used = _fonts_used(data)
        assert fonts_used, "no fonts?"
        assert all("+" in f for f in fonts_used), fonts_used  # subset-embedded TTFs only
        assert not any("Helvetica" in f or "Times" in f for f in fonts_used)


def test_user_text_makes_no_links_and_fetches_nothing(multi, monkeypatch):
    import urllib.request

    def refuse(*args, **kwargs):
        raise AssertionError("a report tried to fetch a URL")

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    data = build_facilitator_pdf(multi)
    for page in pdf_reader(data).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            assert action is None or "/URI" not in action, "a user string became a link"
    assert b"/URI" not in data


def test_metadata(demo_pair):
    base, ws = demo_pair
    for data, kind in ((build_attendee_pdf(ws, base), "summary"),
                       (build_facilitator_pdf(ws, base), "report")):
        meta = pdf_reader(data).metadata
        assert meta.title == f"CALMS {kind} — {ws.title}"
        assert meta.author == ws.facilitator
        assert ws.organisation in meta.subject and ws.team in meta.subject
        assert "CALMS Workshop" in meta.creator


def test_metadata_with_hostile_and_non_latin_text(multi):
    multi.facilitator = "李娜 <b>"
    meta = pdf_reader(build_attendee_pdf(multi)).metadata
    assert meta.author == "李娜 <b>"
    assert meta.title == f"CALMS summary — {multi.title}"


# -- anonymous workshops --------------------------------------------------------------

def test_anonymous_report_has_no_names_and_no_votes_appendix(anonymous, missing_glyphs):
    data = build_facilitator_pdf(anonymous)
    text = pdf_text(data)
    owners = {a.owner for a in anonymous.actions}
    for name, _ in PEOPLE:
        if name not in owners:  # action owners are agreed in the open, not votes
            assert squash(name) not in squash(text), name
    assert "Every vote" not in text
    titles = [item.title for item in pdf_reader(data).outline]
    assert not any("vote" in t.lower() for t in titles)
    start = [m.start() for m in re.finditer(r"11\s+Participants", text)][-1]  # not the contents
    participants = text[start:text.index("Appendix A. The questionnaire", start)]
    assert "10 people took part" in spaced(participants)
    assert "anonymous" in participants
    for _, role in PEOPLE:
        assert squash(role) not in squash(participants)
    assert missing_glyphs == []


def test_anonymous_report_withholds_results_with_too_few_answers(anonymous):
    text = spaced(pdf_text(build_facilitator_pdf(anonymous)))
    # one answer on the scale and one "don't know": the rule counts the first only
    assert ("1 answer on the scale (and 1 don't know) — too few to show anonymously "
            "(at least 3 needed)") in text
    # the pillar with the withheld statement shows no score, and neither does the overall
    assert "withheld" in text
    data = prepare(anonymous, None)
    assert not data.can_show_pillar(PILLARS[0])
    assert not data.can_show_overall


def test_anonymous_baseline_results_are_withheld_too():
    base = make_workshop(anonymous=True, wid="ws-anon-base")
    ws = make_workshop(wid="ws-named-after", baseline=base)
    data = prepare(ws, base)
    culture = data.score.pillars[PILLARS[0]]
    assert culture.baseline_mean is None  # one of its statements had two answers
    assert culture.statements[1].baseline_mean is None
    assert culture.statements[0].baseline_mean is not None
    assert data.score.baseline_overall is None
    assert data.has_baseline
    build_facilitator_pdf(ws, base)  # and it builds


# -- odd workshops --------------------------------------------------------------------

def test_an_empty_workshop_builds(demo_pair):
    _, ws = demo_pair
    ws.votes.clear()
    ws.tallies.clear()
    ws.actions.clear()
    ws.notes.clear()
    ws.targets.clear()
    ws.baseline_id = None
    for data in (build_attendee_pdf(ws), build_facilitator_pdf(ws)):
        assert data.startswith(b"%PDF")
        assert "No actions were agreed" in pdf_text(data)


def test_a_very_long_note_flows_over_pages(multi):
    multi.notes["lean"] = long_note(12000)
    data = build_facilitator_pdf(multi)
    assert len(pdf_reader(data).pages) > len(pdf_reader(build_facilitator_pdf(
        make_workshop())).pages)


def test_quick_check_questionnaire(demo_pair):
    from calms_desktop.core import questionnaire as qmod

    ws = make_workshop(people=PEOPLE[:4])
    ws.questionnaire = qmod.builtin("quick-check")
    ws.votes = {k: v for k, v in ws.votes.items() if ws.questionnaire.has_statement(k[0])}
    ws.tallies.clear()
    assert build_facilitator_pdf(ws).startswith(b"%PDF")


# -- file names -----------------------------------------------------------------------

def test_suggested_file_names(demo_pair):
    _, ws = demo_pair
    ws.date = "2026-11-19"
    assert export_filename(ExportKind.ATTENDEE_PDF, ws) == (
        "2026-11-19 Nordlicht Logistics - Payments Platform - CALMS summary.pdf")
    assert export_filename(ExportKind.FACILITATOR_PDF, ws).endswith(" - CALMS report.pdf")
    assert export_filename(ExportKind.VOTES_CSV, ws).endswith(" - CALMS votes.csv")


@pytest.mark.parametrize(("org", "team", "expected"), [
    ('A/B: "C" <D>|E?*', "F\\G", "A B C D E - F G"),
    ("  ..dots..  ", "", "dots"),
    ("", "", "Multi-script workshop & friends"),
    ("CON", "", "CON"),
])
def test_file_names_are_safe_everywhere(multi, org, team, expected):
    multi.organisation, multi.team, multi.date = org, team, ""
    name = suggest_filename(multi, "CALMS summary", ".pdf")
    assert name == f"{expected} - CALMS summary.pdf" or name == f"_{expected} - CALMS summary.pdf"
    assert not set('/\\:*?"<>|') & set(name)


def test_file_names_are_not_too_long(multi):
    multi.organisation = "Ö" * 400
    name = suggest_filename(multi, "CALMS report", ".pdf")
    assert len(name) <= 150 and name.endswith(" - CALMS report.pdf")
    assert safe_filename_part("a\x00b\nc") == "a b c"


def test_build_export_dispatches(demo_pair):
    base, ws = demo_pair
    assert build_export(ExportKind.ATTENDEE_PDF, ws, base).startswith(b"%PDF")
    assert build_export(ExportKind.VOTES_CSV, ws).startswith(b"\xef\xbb\xbfworkshop_id")
    assert build_export(ExportKind.SUMMARY_CSV, ws, base).startswith(b"\xef\xbb\xbfworkshop_id")


def test_next_assessment_is_about_three_months_later_on_a_weekday(demo_pair):
    from datetime import date

    from calms_desktop.reports.common import next_assessment

    _, ws = demo_pair
    for day in ("2026-11-19", "2026-11-21", "2026-11-22"):  # a Thursday, a Saturday, a Sunday
        ws.date = day
        nxt = next_assessment(ws)
        assert nxt is not None and nxt.weekday() < 5
        assert 89 <= (nxt - date.fromisoformat(day)).days <= 93
    ws.date = "not a date"
    assert next_assessment(ws) is None


def test_a_due_date_stays_on_one_line_in_the_action_tables():
    """"30 Sept 2026" (CLDR's English abbreviation) broke inside the year: "202" / "6"."""
    import dataclasses

    from calms_desktop.reports import ExportKind, build_export

    from .conftest import pdf_text
    from .world import world_history

    base, ws = world_history(2)[-2:]
    ws.actions = [dataclasses.replace(a, due="2026-09-30") for a in ws.actions]
    base.actions = [dataclasses.replace(a, due="2026-09-30") for a in base.actions]
    text = pdf_text(build_export(ExportKind.FACILITATOR_PDF, ws, base))
    cells = [ln for ln in text.replace("\u00a0", " ").splitlines()
             if "Sept" in ln and "September" not in ln]
    assert len(cells) >= 10 and all("30 Sept 2026" in ln for ln in cells)



def test_the_cycle_collector_is_held_off_during_a_build_and_restored_after(multi, monkeypatch):
    import gc

    from calms_desktop.reports import build_attendee_pdf, common

    seen: list[bool] = []
    original = common.build

    def spy(doc, story):
        seen.append(gc.isenabled())
        return original(doc, story)

    monkeypatch.setattr(common, "build", spy)
    assert gc.isenabled()
    build_attendee_pdf(multi)
    assert seen == [False] and gc.isenabled()
    gc.disable()  # a caller that keeps it off keeps it off
    try:
        build_attendee_pdf(multi)
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("count", [9, 20, 150])
def test_the_number_column_holds_its_largest_number_on_one_line(count):
    """Breaking pass: with ten or more actions the "#" column wrapped "10" as "1" / "0"."""
    from calms_desktop.core.model import ActionItem
    from calms_desktop.reports import blocks, common

    ws = make_workshop()
    ws.actions = [ActionItem(id=f"a{i}", text="Review the pipeline") for i in range(count)]
    data = prepare(ws, None)
    table = blocks.actions_table(data, ws.actions)
    table.wrap(common.CONTENT_WIDTH, 10_000)
    last = table._cellvalues[-1][0]
    last = last[0] if isinstance(last, list | tuple) else last
    assert last.blPara.lines and len(last.blPara.lines) == 1
    assert re.sub("<[^>]+>", "", last.text) == str(count)
