"""Right-to-left text: reordered per line after wrapping (UAX #9 L1–L4), brackets mirrored."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import unicodedata

import pytest
from reportlab.platypus import PageBreak, SimpleDocTemplate

from calms_desktop.reports import bidi_paragraph, common, fonts, shaping
from calms_desktop.reports.bidi_paragraph import (
    BidiParagraph,
    base_level,
    drawing_order,
    extraction_text,
    levels_of,
)
from calms_desktop.reports.branding import Branding

needs_shaping = pytest.mark.skipif(not fonts.SHAPING, reason="uharfbuzz is not installed")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler-utils (pdftotext) is not installed")

NOTE = ("الفريق يناقش التحسينات المستمرة في خط النشر ويتفق على قياس زمن التسليم كل أسبوع "
        "ومراجعة النتائج في الاجتماع القادم مع الإدارة")
_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f]")


def _pdftotext(flowables: list, *, raw: bool = True) -> str:
    buf = io.BytesIO()
    SimpleDocTemplate(buf).build(flowables)
    out = subprocess.run(["pdftotext", *(["-raw"] if raw else []), "-", "-"],
                         input=buf.getvalue(), capture_output=True, check=True)
    return unicodedata.normalize("NFC", _MARKS.sub("", out.stdout.decode("utf-8")))


#: Names and phrases of mixed direction that came back wrong from ``pdftotext``.
MIXED = ["فاطمة الزهراء (QA lead)", "Nordlicht GmbH · فريق المدفوعات", "עמית כהן (Tech lead)",
         "דוד-Smith", "محمد علي", "عمر (Ops) و سارة", "Team Rot – צוות אדום", "أحمد 2024 فريق",
         "(نحتاج) CI", "שרה לוי, QA", "Anna (فاطمة) Berg", "李娜 (محمد)", "ليلى 👍 علي",
         "अनिल (QA) कुमार", "مُحَمَّدٌ (SRE)", "سارة!", "Ops: محمد (SRE)", "فريق [أ] نعم",
         "שלום 👨\u200d👩\u200d👧 עולם", "עמית כהן J. R."]
#: Latin text around them: a report page reads left to right (poppler decides per page).
LATIN = "The team agreed to measure lead time every week and to review it together. " * 12


def test_each_line_gets_the_text_a_reader_turns_back_into_the_typed_line():
    lrm = bidi_paragraph.LRM
    assert extraction_text("Nordlicht Logistics") == "Nordlicht Logistics"
    # a right-to-left stretch is written reversed; at the line's end a mark closes it
    assert extraction_text("محمد علي") == "يلع دمحم" + lrm
    # spaces and a bracket before Latin text: the mark keeps them out of the stretch
    assert extraction_text("فاطمة الزهراء (QA lead)") == "ءارهزلا ةمطاف" + lrm + " (QA lead)"
    # a hyphen counts as part of a number for a reader: it ends the stretch itself
    assert extraction_text("דוד-Smith") == "דוד"[::-1] + "-Smith"
    assert extraction_text("Team · فريق") == "Team · " + "فريق"[::-1] + lrm


@needs_shaping
@needs_poppler
@pytest.mark.parametrize("raw", [True, False], ids=["raw", "layout"])
def test_mixed_direction_names_extract_exactly_as_typed(raw):
    """In a paragraph and in a table cell, with ``pdftotext`` and ``pdftotext -raw``."""
    st = common.styles()
    story = [common.user(LATIN, st.body), *(common.user(n, st.body) for n in MIXED),
             PageBreak(), common.user(LATIN, st.body),
             *(common.table([[common.user(n, st.cell), common.user("x", st.cell)]], [220, 60])
               for n in MIXED)]
    lines = [ln.strip() for ln in _pdftotext(story, raw=raw).splitlines()]
    lines = [ln.removesuffix(" x") for ln in lines if ln and ln != "x" and "team agreed" not in ln
             and "lead time" not in ln and "review it" not in ln]
    assert lines == MIXED + MIXED


@needs_shaping
@needs_poppler
def test_a_right_to_left_paragraph_split_over_two_pages_extracts_in_order():
    st = common.styles()
    note = " ".join([NOTE] * 12)
    story = [common.user(LATIN, st.body) for _ in range(5)] + [common.user(note, st.body)]
    text = " ".join(_pdftotext(story).split())
    assert note in text


def test_words_of_a_line_go_in_drawing_order():
    assert drawing_order([(0, "abc def")]) == [(0, "abc def")]
    # "محمد علي" reads right to left: محمد is drawn on the right
    assert drawing_order([(0, "محمد علي")]) == [(0, "علي محمد")]
    assert drawing_order([(0, "עמית כהן")]) == [(0, "כהן עמית")]
    # a Latin organisation with an Arabic team: the Latin part first
    assert drawing_order([(0, "Nordlicht Logistics · فريق المدفوعات")]) == \
        [(0, "Nordlicht Logistics · المدفوعات فريق")]
    # numbers keep their own order
    assert drawing_order([(0, "عام 2024 جيد")]) == [(0, "جيد 2024 عام")]


def test_brackets_of_a_right_to_left_run_are_paired_and_mirrored():
    # N0 keeps both brackets of "(الدفع)" on the Arabic side; L4 mirrors them
    assert drawing_order([(0, "Team · فريق (الدفع)")]) == [(0, "Team · (الدفع) فريق")]
    assert drawing_order([(0, "فريق [أ] نعم")]) == [(0, "نعم [أ] فريق")]
    # brackets after a right-to-left word are right to left, after a Latin one not (N0)
    assert levels_of("فريق (الدفع)")[5] == levels_of("فريق (الدفع)")[-1] == 1
    assert levels_of("Ops (الدفع)")[4] == levels_of("Ops (الدفع)")[-1] == 0
    assert drawing_order([(0, "Ops: محمد (SRE)")]) == [(0, "Ops: محمد (SRE)")]


def test_emoji_sequences_and_fonts_survive_reordering():
    family = "👨\u200d👩\u200d👧"
    assert drawing_order([(0, f"فريق {family} نعم")]) == [(0, f"نعم {family} فريق")]
    # pieces in two fonts: each comes back with its own key, in drawing order
    assert drawing_order([(0, "Ops "), (1, "فريق الدفع")]) == [(0, "Ops "), (1, "الدفع فريق")]


@needs_shaping
def test_a_three_line_arabic_note_reads_top_to_bottom_in_order():
    st = common.styles()
    p = common.user(NOTE, st.body)
    assert isinstance(p, BidiParagraph)
    p.wrap(200, 1000)
    lines = [" ".join(shaping.typed_text(f.text) for f in ln.words).split()
             for ln in p.blPara.lines]
    assert len(lines) >= 3
    # each line drawn right to left: its words reversed are the next words of the note
    assert [w for line in lines for w in reversed(line)] == NOTE.split()
    assert lines[0][-1] == NOTE.split()[0]  # the first word is on the first line's right


@needs_shaping
@needs_poppler
def test_the_text_layer_gives_a_wrapped_note_and_mixed_names_in_typed_order():
    st = common.styles()
    names = ["Nordlicht Logistics GmbH · فريق المدفوعات", "עמית כהן J. R."]
    text = _pdftotext([common.user(NOTE, st.body), *(common.user(n, st.body) for n in names)])
    assert " ".join(text.split()).startswith(NOTE)
    assert names[0] in text
    assert names[1] in text


@needs_shaping
@needs_poppler
def test_an_arabic_header_is_shortened_in_typed_order_with_the_ellipsis_at_its_end():
    st = common.styles()
    team = "فريق " + " ".join(["المدفوعات", "السحابية", "والبنية", "التحتية"] * 6)
    markup = common.fit_line([team], st.header, common.HEADER_WIDTH)
    p = common.para(markup, st.header)
    p.wrap(common.HEADER_WIDTH, 100)
    assert len(p.blPara.lines) == 1
    drawn = "".join(shaping.typed_text(f.text) for f in p.blPara.lines[0].words)
    # the end of a right-to-left phrase is its left side
    assert drawn.lstrip(" \u200f").startswith("\u2026")
    words = [w for w in drawn.replace("\u2026", " ").split() if w != "\u200f"]
    kept = list(reversed(words))
    assert kept == team.split()[:len(kept)]  # a prefix of whole words, in typed order
    text = " ".join(_pdftotext([p]).split())
    assert text.startswith(" ".join(kept[:-1]))


def test_a_long_confidentiality_label_is_one_line_with_an_ellipsis(tmp_path):
    st = common.styles()
    from tests.reports.world import world_history  # the realistic workshop

    ws = world_history(1)[-1]
    label = "Strictly confidential — prepared for the leadership team of " + "x" * 40
    frame = common.frame_texts(ws, "CALMS report", Branding("A", "B", "", None, label))
    assert "\u2026" in frame.label
    p = common.para(frame.label, common.label_style())
    p.wrap(common.LABEL_WIDTH, 100)
    assert len(p.blPara.lines) == 1
    # printed as typed: the case too (it used to be upper-cased)
    assert "Strictly confidential — prepared for the leadership team of" in frame.label
    del st


@pytest.mark.parametrize("label", ["W" * 60, "機密" * 30, "Vertraulich — nur für die "
                                   "Geschäftsführung der Nordlicht Logistics & Supply GmbH"])
def test_a_label_of_the_longest_kind_the_field_takes_fits_on_one_line(label):
    """Sixty of the widest letters are wider than half the page: "…", never a second line."""
    ws = make_small_workshop()
    frame = common.frame_texts(ws, "CALMS report", Branding(confidentiality=label))
    p = common.para(frame.label, common.label_style())
    p.wrap(common.LABEL_WIDTH, 100)
    assert len(p.blPara.lines) == 1
    plain = re.sub("<[^>]+>", "", frame.label).replace("&amp;", "&")
    assert plain == label or (plain.endswith("…") and label.startswith(plain[:-1]))


def make_small_workshop():
    from tests.reports.world import world_workshop

    return world_workshop(3, people=3)


def test_a_right_to_left_paragraph_ends_at_its_left():
    assert base_level("محمد علي.") == 1
    assert base_level("עמית כהן J. R.") == 1  # its first strong letter is Hebrew
    assert base_level("J. R. עמית כהן") == 0
    # the full stop of an Arabic sentence is drawn at its left end
    assert drawing_order([(0, "نعم جيد.")], base_level("نعم جيد.")) == [(0, ".جيد نعم")]
    assert drawing_order([(0, "نعم جيد.")]) == [(0, "جيد نعم.")]


@needs_shaping
@needs_poppler
@pytest.mark.parametrize("name", ["דוד לוי-Smith", "יוסף-Smith", "Smith-לוי",
                                  "Müller-محمد", "محمد-Müller"])
def test_a_latin_part_of_a_mixed_name_is_never_reversed(name):
    """Breaking pass: HarfBuzz guessed one direction for "דוד לוי-Smith"'s last word
    from its first letter and printed "htimS" — on the page and in the text layer."""
    text = _pdftotext([common.user(name, common.styles().body)])
    assert text.strip() == name  # the text layer gives it back exactly, in typed order


@needs_shaping
def test_a_bracket_next_to_an_arabic_word_stays_outside_it():
    """"A said (نحن نحتاج) and B." printed the brackets between the Arabic words."""
    from calms_desktop.reports.shaping import _split_directions

    assert _split_directions([(None, "(نحتاج")]) == [(None, "("), (None, "نحتاج")]
    assert _split_directions([(None, "می\u200cخواهم")]) == [(None, "می\u200cخواهم")]  # ZWNJ
    assert _split_directions([(None, "👨\u200d👩")]) == [(None, "👨\u200d👩")]  # an emoji


@needs_shaping
@pytest.mark.parametrize(("text", "base"), [
    ("فريق المدفوعات والتسويات الرقمية (Payments-2) — منصة الدفع ق", 1),
    ("שרה לוי (QA)", 1), ("(QA) שרה", 0), ("Team Rot – צוות אדום", 0), ("2024", 0)])
def test_a_paragraph_takes_the_direction_of_its_first_strong_letter(text, base):
    """Breaking pass: a team starting in Arabic printed its two Arabic halves in the wrong
    order, and "שרה לוי (QA)" had "(QA)" on the right (UAX #9 P2–P3)."""
    assert base_level(text) == base


@needs_shaping
def test_a_right_to_left_paragraph_is_drawn_right_to_left_and_right_aligned():
    team = "فريق المدفوعات والتسويات الرقمية (Payments-2) — منصة الدفع ق"
    p = common.user(team, common.styles().body)
    p.wrap(400, 100)
    assert p.style.alignment == 2  # TA_RIGHT
    drawn = re.sub("<[^>]+>", "", p.text)
    # the second Arabic half is drawn at the left, the first at the right
    assert drawn.index("(Payments-2)") > drawn.index("—")
    assert drawn.index("الرقمية") > drawn.index("(Payments-2)") > drawn.index("الدفع")
    person = common.user("שרה לוי (QA)", common.styles().cell)
    person.wrap(200, 100)
    assert re.sub("<[^>]+>", "", person.text).startswith("(QA)")
    latin = common.user("Nordlicht GmbH · فريق المدفوعات", common.styles().body)
    latin.wrap(400, 100)
    assert latin.style.alignment == 0


def test_each_typed_line_of_a_note_keeps_its_own_direction():
    assert bidi_paragraph.line_levels(["Hello عربي", "نعم أهلا", "ok"], [True, False, False]) \
        == [0, 1, 1]


@needs_shaping
@needs_poppler
@pytest.mark.parametrize("mark", ["\u200f", "\u200e", "\u202c", "\t", "\u202e", "\u2067"])
def test_a_space_after_a_bidi_mark_is_kept(mark):
    """Breaking pass: "سارة\u200f Smith" printed "سارةSmith" (the font draws the mark as a
    blank space glyph, and ReportLab then left out the real space)."""
    name = f"سارة{mark} Smith" if mark != "\t" else "سارة\tSmith"
    p = common.user(name, common.styles().body)
    p.wrap(400, 100)
    assert " Smith" in re.sub("<[^>]+>", "", p.text) or "Smith " in re.sub("<[^>]+>", "", p.text)
    assert _pdftotext([common.user(name, common.styles().body)]).strip() == "سارة Smith"


def _word_boxes(pdf: bytes, page: int = 1) -> list[tuple[float, float, str]]:
    """(x, y, word) of each word on a page (y from the top), as poppler reads them."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"],
                         input=pdf, capture_output=True, check=True).stdout.decode("utf-8")
    return [(float(x), float(y), _MARKS.sub("", w)) for x, y, w in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@needs_shaping
@needs_poppler
def test_each_running_field_keeps_its_place_when_both_are_right_to_left():
    """Arabic title · Hebrew consultant: each field ordered alone (FSI … PDI), left to right."""
    from calms_desktop.reports.attendee import build_attendee_pdf
    from tests.reports.world import world_workshop

    ws = world_workshop(3)
    ws.title, ws.organisation, ws.team = "تقييم المدفوعات", "شركة النور", "צוות התשלומים"
    pdf = build_attendee_pdf(ws, branding=Branding(consultant="יוסי כהן"))
    words = _word_boxes(pdf)

    def x_of(text: str) -> float:
        # a reader gives a right-to-left field back reversed (and may keep it one "word");
        # only the running header (top) and footer (bottom) count
        return min(x for x, y, w in words if (y < 60 or y > 780)
                   and (text[::-1] in w or text in w))

    # the organisation (the first field) is left of the team, whatever their scripts
    assert x_of("شركة") < x_of("צוות")
    # in the footer the title (before the consultant) is left of the consultant's name
    assert x_of("المدفوعات") < x_of("כהן")
