"""Emoji sequences print as one glyph of Noto Emoji and extract as typed (issue 12)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pypdf.generic import ContentStream
from reportlab.lib.abag import ABag
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.platypus import SimpleDocTemplate

from calms_desktop.core.model import Pillar
from calms_desktop.reports import build_facilitator_pdf, common, fonts

from .conftest import make_workshop, pdf_reader
from .test_every_script import pdftotext

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👨‍👩‍👧‍👦
THUMBS_MEDIUM = "\U0001f44d\U0001f3fd"  # 👍🏽
FLAG_DE = "\U0001f1e9\U0001f1ea"  # 🇩🇪
KEYCAP_ONE = "1\ufe0f\u20e3"  # 1️⃣
RAINBOW_FLAG = "\U0001f3f3\ufe0f\u200d\U0001f308"  # 🏳️‍🌈
ENGLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
SEQUENCES = (FAMILY, THUMBS_MEDIUM, FLAG_DE, KEYCAP_ONE, RAINBOW_FLAG)
NAME = "Kim " + " ".join(SEQUENCES)
NOTE = "Team mood: " + " ".join(SEQUENCES) + " and 🚀."

needs_shaping = pytest.mark.skipif(not fonts.SHAPING, reason="uharfbuzz is not installed")


@pytest.mark.parametrize("sequence", [*SEQUENCES, ENGLAND, "❤\ufe0f",
                                      "\U0001f469\U0001f3fd\u200d\U0001f4bb"])
def test_a_sequence_is_one_piece_of_the_emoji_font(sequence):
    text = f"a {sequence} b"
    assert fonts.emoji_sequence_end(text, 2) == 2 + len(sequence)
    segs = fonts.segments(text)
    assert fonts.Segment(fonts.EMOJI, sequence) in segs
    assert "".join(s.text for s in segs) == text


@pytest.mark.parametrize("text", ["🚀", "1", "12", "\U0001f1e9 x", "a\u200db", "#x",
                                  "\U0001f44d\u200d", "ab"])
def test_no_sequence_where_there_is_none(text):
    assert fonts.emoji_sequence_end(text, 0) == 1


PARTS = [*"a1#* \u200d\ufe0f\u20e3", "\U0001f1e9", "\U0001f1ea", "\U0001f44d", "\U0001f3fd",
         "\U0001f468", "\U0001f3f4", "\U000e0067", "\U000e007f", "\U0001f308"]


@given(st.lists(st.sampled_from(PARTS), max_size=24).map("".join))
def test_sequences_never_overlap_and_no_character_is_lost(text):
    found = sorted(fonts._sequences(text).items())
    for (_, end), (start, _) in zip(found, found[1:], strict=False):
        assert end <= start
    missing: list[str] = []
    joined = "".join(s.text for s in fonts.segments(text, fonts.SANS, missing))
    for ch in set(missing):
        text = text.replace(ch, "")
    assert joined.replace(fonts.REPLACEMENT, "") == text


def test_a_lone_emoji_uses_noto_emoji_and_symbola_keeps_the_rest():
    assert fonts.font_for("🚀") == fonts.EMOJI
    lacking = next(chr(c) for c in range(0x1F780, 0x1F7D9)
                   if not fonts.has_glyph(fonts.EMOJI, chr(c))
                   and fonts.has_glyph(fonts.SYMBOLS, chr(c)))  # a geometric shape
    assert fonts.font_for(lacking) == fonts.SYMBOLS


def test_digits_and_hash_stay_in_the_text_font():
    assert {s.font for s in fonts.segments("#1 in 2026")} == {fonts.SANS}


def _glyphs(font_name: str, sequence: str) -> list[int]:
    """The glyph ids the report's shaping draws for ``sequence``."""
    word = [pdfmetrics.stringWidth(sequence, font_name, 10),
            (ABag(fontName=font_name, fontSize=10), sequence)]
    shaped = ttfonts.shapeFragWord(word)
    assert shaped is not word
    face = pdfmetrics.getFont(font_name).face
    return [face.charToGlyph[ord(ch)] for _, s in shaped[1:] for ch in s]


@needs_shaping
@pytest.mark.parametrize("sequence", [*SEQUENCES, ENGLAND])
def test_harfbuzz_makes_each_sequence_one_glyph(sequence):
    fonts.ensure_font(fonts.EMOJI)
    assert len(_glyphs(fonts.EMOJI, sequence)) == 1


def _spans(data: bytes) -> list[tuple[str, str, bytes]]:
    """(ActualText, font's BaseFont, glyph codes drawn) of every marked span of every page."""
    reader = pdf_reader(data)
    out: list[tuple[str, str, bytes]] = []
    for page in reader.pages:
        resources = page["/Resources"]["/Font"]
        font = ""
        actual: str | None = None
        drawn = b""
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                font = str(resources[operands[0]].get_object()["/BaseFont"])
            elif op == b"BDC" and "/ActualText" in operands[1]:
                actual, drawn = str(operands[1]["/ActualText"]), b""
            elif op in (b"Tj", b"TJ") and actual is not None:
                parts = operands[0] if op == b"TJ" else [operands[0]]
                for p in parts:
                    if isinstance(p, str | bytes):
                        drawn += getattr(p, "original_bytes", p)
            elif op == b"EMC" and actual is not None:
                out.append((actual, font, drawn))
                actual = None
    return out


@pytest.fixture(scope="module")
def report() -> bytes:
    ws = make_workshop(people=[(NAME, "Developer"), ("Zoë Müller", "Product owner"),
                               ("Lea", "SRE")], wid="ws-emoji-0001")
    ws.notes[Pillar.CULTURE.value] = NOTE
    return build_facilitator_pdf(ws)


@needs_shaping
def test_each_sequence_is_drawn_as_one_emoji_glyph_in_the_report(report):
    spans = _spans(report)
    for sequence in SEQUENCES:
        drawn = [(font, codes) for actual, font, codes in spans if actual == sequence]
        # the name is printed in the participants table and the votes appendix, the note once
        assert len(drawn) >= 3, sequence
        for font, codes in drawn:
            assert "NotoEmoji" in font, (sequence, font)
            assert len(codes) == 1, (sequence, codes)  # one glyph code


@pytest.mark.skipif(not fonts.SHAPING, reason="uharfbuzz is not installed")
def test_pdftotext_gives_the_sequences_back(report):
    text = pdftotext(report)
    assert NAME in text
    assert NOTE in " ".join(text.split())


def test_a_paragraph_with_a_sequence_is_shaped():
    assert fonts.needs_shaping(common.u(NAME))
    assert not fonts.needs_shaping(common.u("Ana 🚀 Silva"))


def test_bold_text_keeps_the_emoji_font():
    st = common.styles()
    doc = SimpleDocTemplate(io.BytesIO())
    doc.build([common.para(f"<b>{common.u(NAME, bold=True)}</b>", st.body)])
    assert any(a == FAMILY and "NotoEmoji" in f for a, f, _ in _spans(doc.filename.getvalue()))
