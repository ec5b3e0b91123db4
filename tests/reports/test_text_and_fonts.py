"""User text → paragraph markup: escaped, fonts per character, no missing glyphs."""

from __future__ import annotations

import io
import re
import unicodedata

import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from calms_desktop.reports import common, fonts, text
from tests.reports.conftest import ARABIC, CHINESE, EMOJI, GREEK, MARKUP, pdf_text, squash

TAG = re.compile(r"<[^>]*>")


def _tags(markup: str) -> set[str]:
    return {t.split()[0].strip("</>") for t in TAG.findall(markup)}


@pytest.mark.parametrize("hostile", [
    "R&D <team>",
    "Ops <b>lead",
    '<a href="http://x">click</a>',
    '<img src="http://example.invalid/x.png"/>',
    '<font name="Helvetica" color="red">x</font>',
    "<para>&amp;&lt;&#60;</para>",
    '<link href="file:///etc/passwd">x</link>',
    "<![CDATA[x]]> <!-- c --> <?xml?>",
])
def test_user_text_cannot_make_markup(hostile):
    markup = text.markup(hostile)
    # the only tags are our own font switches
    assert _tags(markup) <= {"font"}
    assert "<a" not in markup and "<img" not in markup and "<link" not in markup
    # and the paragraph shows exactly the text
    para = Paragraph(markup, common.styles().body)
    shown = "".join(frag.text for frag in para.frags)
    assert shown == hostile


def test_markup_parses_for_every_hostile_string_in_a_pdf():
    st = common.styles()
    doc = SimpleDocTemplate(io.BytesIO())
    items = ["Ops <b>lead", "R&D <team>", MARKUP, '<img src="http://x/y.png"/>']
    doc.build([common.user(s, st.body) for s in items])
    out = pdf_text(doc.filename.getvalue())
    for s in items:
        assert squash(s) in squash(out)


def test_line_breaks_become_br_and_controls_vanish():
    assert text.markup("a\nb") == "a<br/>b"
    assert text.markup("a\r\nb\rc") == "a<br/>b<br/>c"
    assert text.markup("x\x00\x07y\u2028z") == "xyz"
    assert text.markup("tab\there") == "tab here"


def test_text_is_nfc_normalised():
    decomposed = "Zoe\u0308"
    assert text.clean(decomposed) == "Zoë"


@pytest.mark.parametrize("sample", ["Zoë Müller", CHINESE, GREEK, EMOJI, "Олена", "日本語 カタカナ",
                                    "한국어", "→ ✓ ★ € ½", ARABIC, "שלום", "㐀㑇"])
def test_every_character_gets_a_font_that_has_it(sample):
    missing: list[str] = []
    segs = fonts.segments(sample, fonts.SANS, missing)
    assert missing == []
    assert "".join(s.text for s in segs) == sample
    for seg in segs:
        for ch in seg.text:
            assert fonts.has_glyph(seg.font, ch), (seg.font, ch, hex(ord(ch)))


def test_chinese_uses_the_cjk_font_and_emoji_the_emoji_font():
    segs = fonts.segments("Zoë 李娜 🚀")
    by_text = {s.text.strip(): s.font for s in segs}
    assert by_text["李娜"] == fonts.CJK
    assert by_text["🚀"] == fonts.EMOJI
    assert segs[0].font == fonts.SANS


def test_bold_text_falls_back_to_regular_dejavu_before_other_fonts():
    ch = "\uf000"  # in DejaVu Sans, not in DejaVu Sans Bold
    assert fonts.has_glyph(fonts.SANS, ch) and not fonts.has_glyph(fonts.SANS_BOLD, ch)
    assert fonts.font_for(ch, fonts.SANS_BOLD) == fonts.SANS


def test_a_character_no_font_has_becomes_a_replacement_glyph_never_a_box():
    unknown = "\U000E0100"  # a variation selector: zero width, no font has it
    private = "\U0010FFFD"  # private use: nobody has it
    missing: list[str] = []
    segs = fonts.segments(f"a{unknown}b{private}c", fonts.SANS, missing)
    joined = "".join(s.text for s in segs)
    assert joined == f"ab{fonts.REPLACEMENT}c"
    assert missing == [unknown, private]
    assert all(fonts.has_glyph(s.font, ch) for s in segs for ch in s.text)


def test_rtl_runs_are_put_in_drawing_order_without_shaping():
    assert text.visual_order("abc") == "abc"
    assert text.visual_order("محمد علي") == "محمد علي"[::-1]
    assert text.visual_order("Ops: محمد (SRE)") == "Ops: " + "محمد"[::-1] + " (SRE)"
    # numbers keep their own order inside a right-to-left run
    assert text.visual_order("عام 2024 جيد") == "جيد"[::-1] + " 2024 " + "عام"[::-1]
    # brackets inside a run are mirrored
    assert text.visual_order("ع(ب)ج") == "ج(ب)ع"


def test_rtl_text_extracts_in_reading_order():
    st = common.styles()
    doc = SimpleDocTemplate(io.BytesIO())
    doc.build([common.user(s, st.body) for s in ("محمد علي", ARABIC, "שלום עולם")])
    out = pdf_text(doc.filename.getvalue())
    if fonts.SHAPING:  # shaped: presentation forms, equal after NFKC
        out = unicodedata.normalize("NFKC", out)
        for word in ("محمد", "مرحبا", "שלום"):
            assert word in out
    else:
        for s in ("محمد علي", ARABIC, "שלום עולם"):
            assert s in out


def test_emoji_survive_text_extraction():
    """ReportLab wrote astral characters into the ToUnicode map as odd-length hex."""
    st = common.styles()
    doc = SimpleDocTemplate(io.BytesIO())
    doc.build([common.user(f"Launch {EMOJI} now", st.body)])
    assert f"Launch {EMOJI} now" in pdf_text(doc.filename.getvalue())


def test_fonts_are_shipped_with_licences():
    for name in ("DroidSansFallback.ttf", "DroidSansFallbackFull.ttf", "Symbola.ttf",
                 "LICENSE-DroidSansFallback.txt", "LICENSE-Symbola.txt", "README.md"):
        assert (fonts.FONT_DIR / name).is_file(), name
    for path in fonts._FILES.values():
        assert path.is_file(), path
        assert path.read_bytes()[:4] == b"\x00\x01\x00\x00", f"{path} is not TrueType"


def test_plain_text_for_metadata_has_no_line_breaks():
    assert text.plain("a\n b\tc\x00") == "a b c"
