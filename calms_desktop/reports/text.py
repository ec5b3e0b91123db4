"""User text → ReportLab paragraph markup that cannot be anything but text.

ReportLab's :class:`~reportlab.platypus.Paragraph` reads a small XML markup
language: unescaped, a name like ``R&D <team>`` printed as "R&D;", ``Ops
<b>lead`` raised an error, and ``<img src="http://…">`` or ``<a href=…>``
would have made ReportLab fetch a URL or add a link. So every string that a
person typed goes through :func:`markup`:

1. normalised to NFC (composed accents print with the font's own glyphs);
2. control characters other than line breaks and tabs are removed (they have
   no glyphs and some break PDF strings), and so are the invisible bidi marks,
   embeddings, overrides and isolates (U+200E, U+200F, U+061C, U+202A–U+202E,
   U+2066–U+2069), as in the CSV files: the font draws a mark as a blank
   space glyph, after which ReportLab dropped the real space ("سارة‏ Smith"
   printed "سارةSmith"), and an override made a note print reversed;
3. kept in typed order when ReportLab shapes (HarfBuzz): the words of each
   *wrapped line* are put in drawing order later, by
   :class:`~calms_desktop.reports.bidi_paragraph.BidiParagraph`; without
   shaping the letters are reordered here (:func:`visual_order`);
4. split into runs by the font that has their glyphs
   (:func:`calms_desktop.reports.fonts.segments`);
5. each run **escaped** (``&``, ``<``, ``>``, quotes) and only then wrapped
   in our own ``<font name="…">`` tag; line breaks become ``<br/>``.

The only tags in the result are the ones this module writes. Report code
builds its own markup (bold labels etc.) around the result, never from user
text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from xml.sax.saxutils import escape as _xml_escape

from bidi.algorithm import get_display

from . import fonts, isolates

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c"
                      "\u202a-\u202e\u2066-\u2069]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def clean(text: str) -> str:
    """NFC-normalised text without control characters and bidi marks (line breaks, tabs kept)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


_RTL_RUN = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")


def visual_order(text: str) -> str:
    """``text`` in drawing order, by the Unicode bidirectional algorithm (``python-bidi``).

    Each line is its own paragraph, in a left-to-right document: right-to-left
    runs (Arabic, Hebrew) are reversed, numbers inside them keep their order
    and brackets are mirrored. Used when ReportLab cannot shape (no
    ``uharfbuzz``); PDF readers reverse such runs back when they extract text.
    """
    if not _RTL_RUN.search(text):
        return text
    return "\n".join(get_display(line, base_dir="L") for line in text.split("\n"))


def escape(text: str) -> str:
    """XML-escape text for a Paragraph: ``&``, ``<``, ``>`` and quotes."""
    return _xml_escape(text, _ENTITIES)


def markup(text: str, base_font: str = fonts.SANS, missing: list[str] | None = None) -> str:
    """Paragraph markup that prints ``text`` exactly, with fallback fonts.

    Args:
        text: anything a person typed (names, notes, actions …).
        base_font: the font of the paragraph style the markup goes into.
        missing: collects characters no registered font has.
    """
    result, lacking = _markup(text, base_font)
    if missing is not None:
        missing.extend(lacking)
    return result


@lru_cache(maxsize=4096)
def _markup(text: str, base_font: str) -> tuple[str, tuple[str, ...]]:
    # Cached: a report prints each name many times (tables, actions, every vote).
    text = clean(text)
    if not text:
        return "", ()
    if not fonts.SHAPING:  # with shaping, lines are reordered after wrapping
        text = visual_order(text)
    parts: list[str] = []
    lacking: list[str] = []
    bold = base_font in (fonts.SANS_BOLD, fonts.SANS_BOLD_ITALIC)
    for seg in fonts.segments(text, base_font, lacking):
        body = escape(seg.text).replace("\t", " ").replace("\n", "<br/>")
        if seg.font == base_font:
            parts.append(body)
        else:  # a bold paragraph's fallback text is bold too (Devanagari, CJK …)
            parts.append(f'<font name="{fonts.bold_of(seg.font) if bold else seg.font}">'
                         f"{body}</font>")
    return "".join(parts), tuple(lacking)


def sentence_markup(text: str, base_font: str = fonts.SANS,
                    missing: list[str] | None = None) -> str:
    """Markup of a sentence of the report's own with user text marked by
    :func:`calms_desktop.reports.isolates.isolate`: like :func:`markup`, but the
    isolates stay (for the bidi step to resolve) while every other bidi control goes."""
    out: list[str] = []
    for piece in re.split(f"([{isolates.MARKS}])", text):
        out.append(piece if piece and piece in isolates.MARKS
                   else markup(piece, base_font, missing))
    return "".join(out)


def plain(text: str) -> str:
    """Text for places that take no markup (PDF metadata, outline titles)."""
    return " ".join(clean(text).split())
