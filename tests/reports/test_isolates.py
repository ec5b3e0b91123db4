"""User text inside the report's own sentences and cells: directional isolates (UAX #9).

Breaking pass of issue 12: an RTL statement quoted in the executive summary
printed its "!" beside its first word, "Largest gap" cells turned right to
left around a pillar name, a contents line with an Arabic pillar lost its
columns, the questionnaire paragraph turned right to left, and the attendee
cover dropped a long company.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET

import pytest
from reportlab.lib.enums import TA_LEFT
from reportlab.pdfbase.pdfmetrics import stringWidth

from calms_desktop.core.model import Pillar
from calms_desktop.reports import (
    build_attendee_pdf,
    build_facilitator_pdf,
    common,
    fonts,
    insights,
    isolates,
    shaping,
)
from calms_desktop.reports.attendee import key_figures
from calms_desktop.reports.bidi_paragraph import (
    BidiParagraph,
    _python_levels,
    base_level,
    drawing_order,
    levels_of,
)
from calms_desktop.reports.blocks import prepare
from calms_desktop.reports.branding import Branding, usable
from calms_desktop.reports.isolates import LRI, PDI, RLI, isolate

from .test_bidi_paragraph import _MARKS, needs_poppler, needs_shaping
from .world import world_workshop

HEBREW = "אנחנו פורסים לייצור 3 פעמים ביום, גם ביום שישי!"
ARABIC = "فريقنا يضم 5 أشخاص أو أكثر يبنون ويختبرون (CI/CD) المنتج."
CULTURE = "الثقافة"
LEAN = "רזה (Lean)"
TITLE = "استبيان CALMS مخصص"


# -- the marks ------------------------------------------------------------------------

def test_user_text_is_isolated_by_its_own_first_strong_letter():
    assert isolate(CULTURE) == RLI + CULTURE + PDI
    assert isolate("Nordlicht فريق") == LRI + "Nordlicht فريق" + PDI
    assert isolate("42") == LRI + "42" + PDI  # no letter: left to right, as FSI would
    # each typed line on its own; the person's own bidi controls go
    assert isolate("سارة\u202e\nOps\u2069") == RLI + "سارة" + PDI + "\n" + LRI + "Ops" + PDI
    assert isolate("") == ""


def test_letters_inside_an_isolate_do_not_set_the_paragraph_direction():
    sentence = isolate(LEAN) + " improved most (+1.3)."
    assert base_level(sentence) == 0  # by "improved", not by the Hebrew name
    # no letter of the report's own: the report's direction (left to right)
    assert base_level(isolate(CULTURE) + " (3.0)") == 0
    # a user's text alone still takes its own direction
    assert base_level(CULTURE + " (3.0)") == 1
    assert isolates.first_strong(RLI + "abc" + PDI) is None


def test_an_isolate_cut_by_a_line_end_is_reopened_on_the_next_line():
    lines = ["Since " + RLI + "אחד שניים", "שלושה" + PDI + " and " + LRI + "x", "y" + PDI]
    assert isolates.reopened(lines, [False, False, False]) == ["", RLI, LRI]
    # a typed line break ends every isolate
    assert isolates.reopened(lines, [True, False, False]) == ["", "", LRI]


@pytest.mark.parametrize("text", [
    "Across 3, " + isolate(LEAN) + " rose and " + isolate("المشاركة!") + " fell.",
    "C4 “" + isolate(HEBREW) + "” (answers from 1 to 5).",
    isolate(TITLE) + ": " + isolate("A full CALMS assessment"),
    "عربي " + isolate("Team A (QA)") + " نعم",
    "x " + RLI + "אב " + LRI + "cd (ef)" + PDI + " גד" + PDI + " y",  # nested
])
def test_the_pure_python_levels_resolve_isolates_as_the_rust_ones_do(text):
    """Should python-bidi's Rust output ever change shape, the fallback must agree (in a
    left-to-right paragraph, the report's: the fallback pairs no brackets, which right to
    left moves a full stop after "(… 5)." one level)."""
    assert _python_levels(text, 0) == levels_of(text, 0)


def test_a_quoted_statement_keeps_its_own_order_and_its_own_punctuation():
    """The "!" of a Hebrew statement belongs at its left end (its end), not by its first word."""
    line = "most on C4 “" + isolate(HEBREW) + "” (answers from 1 to 5)."
    assert drawing_order([(0, line)]) == [
        (0, "most on C4 “!שישי ביום גם ,ביום פעמים 3 לייצור פורסים אנחנו” (answers from 1 to 5).")]
    # a mixed Arabic + Latin statement: right to left throughout, its full stop at the left
    line = "C1 “" + isolate(ARABIC) + "” (answers"
    assert drawing_order([(0, line)]) == [
        (0, "C1 “.المنتج (CI/CD) ويختبرون يبنون أكثر أو أشخاص 5 يضم فريقنا” (answers")]
    # without the isolate the sentence took the statement apart (the breaking pass)
    assert drawing_order([(0, "C4 “" + HEBREW + "” (answers")])[0][1] != \
        "C4 “!שישי ביום גם ,ביום פעמים 3 לייצור פורסים אנחנו” (answers"


def test_isolate_marks_take_no_room_and_are_never_drawn():
    common.styles()
    for mark in isolates.MARKS:
        assert stringWidth(mark, fonts.SANS, 10) == 0
        assert stringWidth(mark, fonts.SANS_BOLD, 10) == 0
    assert drawing_order([(0, "a " + isolate("b") + " c")]) == [(0, "a b c")]
    # a paragraph with nothing to reorder draws no marks either
    p = common.para("Team " + common.iso("Nordlicht", common.styles().body), common.styles().body)
    assert not any(m in p.text for m in isolates.MARKS)


def _drawn_lines(p: BidiParagraph) -> list[str]:
    """Each drawn line's text, left to right (letters of a word in typed order)."""
    bl = p.blPara
    if bl.kind == 0:
        return [" ".join(shaping.typed_text(w) for w in ws) for _, ws in bl.lines]
    return ["".join(shaping.typed_text(f.text) for f in ln.words) for ln in bl.lines]


@needs_shaping
def test_a_statement_that_wraps_keeps_its_direction_on_every_line():
    """The rest of an isolate after a line end is still right to left, still one unit."""
    words = ARABIC.split()
    st = common.styles()
    p = common.sentence("The room disagreed most on C1 “" + isolate(ARABIC) + "” (answers from "
                        "1 to 5).", st.body)
    assert isinstance(p, BidiParagraph)
    p.wrap(260, 1000)
    lines = _drawn_lines(p)
    assert len(lines) >= 2 and p.style.alignment == TA_LEFT
    assert lines[0].startswith("The room disagreed")
    # the line's part of the statement is drawn right to left: its first word at the right
    first = lines[0].split("“", 1)[1].split()
    assert list(reversed(first)) == words[:len(first)]
    rest = " ".join(lines[1:]).split("”", 1)[0].split()
    assert list(reversed(rest)) == [w.replace(".", "") for w in words[len(first):]] or \
        rest[0].startswith(".")
    assert " ".join(lines).endswith("(answers from 1 to 5).")
    assert not any(m in "".join(lines) for m in isolates.MARKS)


# -- the reports ----------------------------------------------------------------------

def _rtl_workshop():
    """A workshop whose questionnaire is right to left in places, with a baseline."""
    base, ws = world_workshop(1, people=8), world_workshop(2, people=8)
    ws.baseline_id = base.id
    for w in (base, ws):
        q = w.questionnaire
        sections = []
        for sec in q.sections:
            name = {Pillar.CULTURE: CULTURE, Pillar.LEAN: LEAN}.get(sec.pillar, sec.name)
            statements = tuple(dataclasses.replace(s, text=HEBREW if k == 0 else ARABIC)
                               if k < 2 else s for k, s in enumerate(sec.statements))
            sections.append(dataclasses.replace(sec, name=name, statements=statements))
        w.questionnaire = dataclasses.replace(
            q, title=TITLE, description="A full CALMS assessment for a team.",
            sections=tuple(sections))
    for k, key in enumerate(list(ws.votes)):  # every statement split: all "to discuss"
        ws.votes[key] = dataclasses.replace(ws.votes[key], score=1 if k % 2 else 5)
    return ws, base


@pytest.fixture(scope="module")
def rtl():
    ws, base = _rtl_workshop()
    return ws, base, prepare(ws, base)


def _pdftotext(data: bytes, *args: str) -> str:
    out = subprocess.run(["pdftotext", *args, "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode("utf-8")
    return out


def _plain(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", _MARKS.sub("", text)).split())


@needs_shaping
def test_the_executive_summary_quotes_a_statement_in_its_own_order(rtl):
    ws, base, data = rtl
    parts = dict(insights.executive_summary(ws, base, data.score, data.codes))
    disagreed = parts["Where the room disagreed"]
    assert isolate(HEBREW) in disagreed or isolate(ARABIC) in disagreed
    p = common.sentence(disagreed, common.styles().body)
    p.wrap(common.CONTENT_WIDTH, 1000)
    assert p.style.alignment == TA_LEFT  # an English paragraph
    drawn = " ".join(_drawn_lines(p))
    assert drawn.startswith("The room disagreed on")
    assert ("“!שישי ביום" in drawn) or ("“.المنتج" in drawn)


@needs_shaping
@needs_poppler
def test_the_facilitator_text_layer_gives_the_sentences_back_as_typed(rtl):
    ws, base, data = rtl
    text = _plain(_pdftotext(build_facilitator_pdf(ws, base, data)))
    assert f"“{HEBREW}”" in text or f"“{ARABIC}”" in text
    assert f"{TITLE}: A full CALMS assessment for a team." in text


@needs_shaping
def test_key_facts_are_sentences_of_the_report_with_the_pillar_isolated(rtl):
    """"Largest gap" printed "(below 4 1.0) الثقافة", right-aligned."""
    ws, base, data = rtl
    table = [f for f in key_figures(data) if hasattr(f, "_cellvalues")][-1]
    values = [row[1] for row in table._cellvalues]
    checked = 0
    for p in values:
        p.wrap(200, 100)
        drawn = " ".join(_drawn_lines(p)) if isinstance(p, BidiParagraph) else \
            re.sub("<[^>]+>", "", p.text)
        assert p.style.alignment == TA_LEFT, drawn
        if CULTURE in drawn or "רזה" in drawn:
            checked += 1
            # the name first (drawn right to left: "(Lean) רזה"), then the report's own words
            assert re.match(rf"^({CULTURE}|\(Lean\) רזה) \(", drawn), drawn
    assert checked


def _words(data: bytes, page: int) -> list[tuple[float, float, float, str]]:
    """(xMin, xMax, yMin, text) of each word pdftotext -bbox finds on ``page``."""
    xml = _pdftotext(data, "-bbox", "-f", str(page), "-l", str(page))
    root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", xml).replace(
        ' xmlns="http://www.w3.org/1999/xhtml"', ""))
    return [(float(w.get("xMin")), float(w.get("xMax")), float(w.get("yMin")), w.text or "")
            for w in root.iter("word")]


@needs_shaping
@needs_poppler
def test_a_contents_line_with_an_arabic_pillar_keeps_its_columns(rtl):
    """"…… Culture ثقافة 4 . 6": number, name, dots and page as in every other line."""
    ws, base, data = rtl
    pdf = build_facilitator_pdf(ws, base, data)
    words = _words(pdf, 2)
    first = next(w for w in words if w[3] == "1")  # "1 Executive summary"
    # (-bbox gives each line's /ActualText, its right-to-left stretches reversed)
    culture = next(w for w in words if CULTURE[::-1] in _MARKS.sub("", w[3]))
    assert _MARKS.sub("", culture[3]).startswith("4 ")  # the number first, then the name
    assert culture[0] == pytest.approx(first[0], abs=0.5)  # both at the left margin
    contents = next(w for w in words if w[3] == "Contents")
    guide = next(w for w in words if w[3] == "How")  # "How to read this report"
    pages = [w for w in words if re.fullmatch(r"\d+", w[3]) and w[0] > 400
             and contents[2] < w[2] < guide[2]]
    culture_page = min(pages, key=lambda w: abs(w[2] - culture[2]))
    assert abs(culture_page[2] - culture[2]) < 3
    assert {round(w[1]) for w in pages} == {round(culture_page[1])}  # one column of pages
    dots = [w for w in words if w[3] == "." and abs(w[2] - culture_page[2]) < 1]
    assert dots and min(d[0] for d in dots) > culture[1]  # the dots after the name


@needs_shaping
def test_the_questionnaire_paragraph_is_english_with_the_title_in_front(rtl):
    ws, base, data = rtl
    from calms_desktop.reports.facilitator import _method, _Sections

    paragraphs = [f for f in _method(data, _Sections()) if isinstance(f, BidiParagraph)
                  and "A full CALMS" in f.text]
    assert paragraphs
    p = paragraphs[0]
    p.wrap(common.CONTENT_WIDTH, 1000)
    assert p.style.alignment == TA_LEFT
    drawn = " ".join(_drawn_lines(p))
    # the title (right to left inside: "مخصص CALMS استبيان") comes first, at the left
    assert drawn.startswith("مخصص CALMS استبيان: A full CALMS assessment")


CONSULTANT = "Dr. Maximiliane Alexandra von Hohenzollern-Sigmaringen-Württemberg der Dritte"
COMPANY = ("الاستشارات الرشيقة والتحول الرقمي للمؤسسات الكبرى في الشرق الأوسط وشمال أفريقيا "
           "ذ.م.م")
URL = "https://example.com/a/very/long/contact/path/that/goes/on/and/on?x=1"


@needs_shaping
@needs_poppler
def test_the_attendee_cover_keeps_a_long_consultant_company_and_address(rtl):
    ws, base, data = rtl
    pdf = build_attendee_pdf(ws, base, branding=Branding(CONSULTANT, COMPANY, URL))
    raw = _MARKS.sub("", _pdftotext(pdf, "-f", "1", "-l", "1"))
    head = raw.split("OVERALL")[0]
    text = " ".join(head.split())
    assert f"Prepared by {CONSULTANT}" in text
    assert COMPANY in text  # the breaking pass lost it whole
    # the address wraps after a slash, never inside a word
    lines = [ln.strip() for ln in head.splitlines() if "example.com" in ln or "and/on" in ln
             or "x=1" in ln]
    assert "".join(lines) == URL
    assert all(ln.endswith("/") for ln in lines[:-1])


def _svg(tmp_path, text: str):
    path = tmp_path / "logo.svg"
    path.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
                    f'<rect width="300" height="100" fill="#0a5"/><text x="10" y="60" '
                    f'font-size="40">{text}</text></svg>', encoding="utf-8")
    return path


def test_an_svg_logo_s_text_is_drawn_with_the_bundled_fonts(tmp_path):
    """svglib drew "שלום Logo" in Helvetica: black boxes."""
    from calms_desktop.reports.common import _strings, logo_flowable

    path = _svg(tmp_path, "שלום Logo")
    drawing = logo_flowable(path, 40, 150)
    strings = list(_strings(drawing))
    assert [s.fontName for s in strings] == [fonts.SANS]
    assert strings[0].text == "םולש Logo"  # drawn left to right, the Hebrew word reversed
    branding, warning = usable(Branding(logo=path))
    assert branding.logo == path and warning is None
    pdf = build_attendee_pdf(world_workshop(3, people=3), branding=branding)
    assert b"Helvetica" not in pdf


def test_an_svg_logo_with_arabic_text_is_used_with_a_warning(tmp_path):
    path = _svg(tmp_path, "شعار Logo")
    branding, warning = usable(Branding(logo=path))
    assert branding.logo == path  # still printed
    assert warning is not None and "شعار Logo" in warning and "outlines" in warning


@needs_shaping
def test_the_cover_s_prepared_by_joins_consultant_and_company_left_to_right(rtl):
    """"ליאת שרון (Liat Sharon), Agile יועצים Ltd." turned the whole cell right to left."""
    ws, base, data = rtl
    from calms_desktop.reports.facilitator import _cover

    data = dataclasses.replace(data, branding=Branding("ליאת שרון (Liat Sharon)",
                                                       "Agile יועצים Ltd. 2026"))
    cells = [row for f in _cover(data) if hasattr(f, "_cellvalues") for row in f._cellvalues
             if len(row) == 2 and getattr(row[0], "text", "") == "Prepared by"]
    assert len(cells) == 1
    p = cells[0][1]
    p.wrap(400, 100)
    assert p.style.alignment == TA_LEFT
    # the consultant drawn right to left ("שרון" left of "ליאת"), the company after it
    assert " ".join(_drawn_lines(p)) == "(Liat Sharon) שרון ליאת, Agile יועצים Ltd. 2026"


@needs_poppler
def test_a_long_web_address_on_the_facilitator_cover_wraps_after_a_slash(rtl):
    ws, base, data = rtl
    url = URL.replace("?x=1", "/and/further/along/the/road/to/a/very/distant/page?x=1")
    pdf = build_facilitator_pdf(ws, base, dataclasses.replace(data, branding=Branding(
        "Mara", "", url)))
    head = _MARKS.sub("", _pdftotext(pdf, "-f", "1", "-l", "1"))
    lines = [ln.strip().removeprefix("Contact").strip() for ln in head.splitlines()
             if any(part in ln for part in ("example.com", "/road/", "page?x=1"))]
    assert len(lines) >= 2 and "".join(lines) == url
    assert all(ln.endswith("/") for ln in lines[:-1])
