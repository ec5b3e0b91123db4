"""User text → ReportLab paragraph markup that cannot be anything but text.

ReportLab's :class:`~reportlab.platypus.Paragraph` reads a small XML markup
language: unescaped, a name like ``R&D <team>`` printed as "R&D;", ``Ops
<b>lead`` raised an error, and ``<img src="http://…">`` or ``<a href=…>``
would have made ReportLab fetch a URL or add a link. So every string that a
person typed goes through :func:`markup`:

1. normalised to NFC (composed accents print with the font's own glyphs);
2. control characters other than line breaks and tabs are removed (they have
   no glyphs and some break PDF strings);
3. right-to-left runs put in drawing order (:func:`visual_order`) unless
   ReportLab shapes them itself;
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
from xml.sax.saxutils import escape as _xml_escape

from . import fonts

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def clean(text: str) -> str:
    """NFC-normalised text without control characters (line breaks and tabs kept)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _CONTROL.sub("", text)


_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))


def _direction(ch: str) -> str:
    """"R" (right to left), "L" (left to right), "N" (number), "M" (mark) or "" (neutral)."""
    bidi = unicodedata.bidirectional(ch)
    if bidi in ("R", "AL"):
        return "R"
    if bidi == "L":
        return "L"
    if bidi in ("EN", "AN"):
        return "N"
    if bidi == "NSM":
        return "M"
    return ""


def visual_order(text: str) -> str:
    """Right-to-left runs (Arabic, Hebrew) reversed into the order they are drawn in.

    A small part of the Unicode bidirectional algorithm, for text in a
    left-to-right report: each run from the first to the last right-to-left
    letter (with the spaces, marks and numbers inside it, and no left-to-right
    letter) is reversed; numbers inside keep their own order, combining marks
    stay on their letter, and brackets are mirrored. PDF readers reverse such
    runs back when they extract text, so copying a name out of the PDF gives
    exactly the name. Only used when ReportLab cannot shape text itself
    (see :data:`calms_desktop.reports.fonts.SHAPING`). A run that wraps onto a
    second line keeps its order per paragraph, not per line.
    """
    if not fonts.needs_shaping(text):
        return text
    out: list[str] = []
    for line in text.split("\n"):
        dirs = [_direction(ch) for ch in line]
        i, n = 0, len(line)
        parts: list[str] = []
        while i < n:
            if dirs[i] != "R":
                parts.append(line[i])
                i += 1
                continue
            j = i  # extend to the last R letter (or number after one) before an L letter
            k = i
            while k < n and dirs[k] != "L":
                if dirs[k] in ("R", "N"):
                    j = k
                k += 1
            while j + 1 < n and dirs[j + 1] == "M":  # marks of the last letter
                j += 1
            parts.append(_reverse_run(line[i:j + 1]))
            i = j + 1
        out.append("".join(parts))
    return "\n".join(out)


def _reverse_run(run: str) -> str:
    clusters: list[str] = []
    for ch in run:  # a letter with its combining marks, or a number, stays in one piece
        d = _direction(ch)
        if clusters and (d == "M" or (d == "N" and _direction(clusters[-1][-1]) == "N")):
            clusters[-1] += ch
        else:
            clusters.append(_MIRROR.get(ch, ch))
    return "".join(reversed(clusters))


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
    text = clean(text)
    if not text:
        return ""
    if not fonts.SHAPING:
        text = visual_order(text)
    parts: list[str] = []
    for seg in fonts.segments(text, base_font, missing):
        body = escape(seg.text).replace("\t", " ").replace("\n", "<br/>")
        if seg.font == base_font:
            parts.append(body)
        else:
            parts.append(f'<font name="{seg.font}">{body}</font>')
    return "".join(parts)


def plain(text: str) -> str:
    """Text for places that take no markup (PDF metadata, outline titles)."""
    return " ".join(clean(text).split())
