"""Shaped text that prints right *and* extracts to what was typed.

ReportLab shapes complex scripts with HarfBuzz (``uharfbuzz``) word by word.
Five things it does not do on its own, fixed here once per process by
:func:`install`:

* **No discretionary ligatures.** ReportLab asks HarfBuzz for ``dlig``, so a
  paragraph that was shaped (because it also held Arabic, say) printed
  "Logistics" with DejaVu's "st" ligature (U+FB06), and a search for the word
  found nothing. Shaping now uses ``kern`` and ``liga`` only.
* **Words in right-to-left order** are the caller's job
  (:class:`calms_desktop.reports.bidi_paragraph.BidiParagraph` runs the
  Unicode bidirectional algorithm on each wrapped line, with the typed text
  that every shaped piece keeps); HarfBuzz then lays out each word's letters.
* **Emoji sequences always shaped.** The emoji font's ligature for a skin
  tone is the person's plain glyph; ReportLab saw that first glyph unchanged
  and left the word unshaped (hand and swatch). A word holding parts of an
  emoji sequence (:data:`EMOJI_PARTS`) is shaped regardless.
* **Widths of glyphs without a character.** A ligature (a conjunct, an emoji
  family) gets a private-use code; ReportLab gave it HarfBuzz's advance in
  font units as its PDF width (2.6 em for an emoji in a 2048-unit font) and
  moved back by the difference, so PDF readers saw the glyph overlap the next
  word and ``pdftotext`` broke the line after it. The width is now scaled to
  the PDF's 1000 units per em.
* **A text layer equal to the typed text.** A shaped word's glyphs are not its
  characters: Devanagari "अनिल" draws its vowel sign *before* the consonant,
  conjuncts are single glyphs with no character at all, and Arabic letters
  become positional forms. Each shaped run is therefore wrapped in a PDF
  marked-content span whose ``/ActualText`` is the original text (PDF 1.7,
  14.9.4), which PDF readers use for copy, search and ``pdftotext``.
  Right-to-left runs carry their text in drawing order, because readers
  reverse right-to-left text they extract. A line of a
  :class:`~calms_desktop.reports.bidi_paragraph.BidiParagraph` is instead one
  span for the whole line (:func:`_line_in_span`), whose text is written the
  way poppler reads a line back
  (:func:`~calms_desktop.reports.bidi_paragraph.extraction_text`): per-run
  spans strung together left to right broke mixed-direction names.
"""

from __future__ import annotations

import re
import threading
from itertools import groupby
from typing import Any

from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedStr
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph

from . import isolates

#: HarfBuzz features for report text: kerning and standard ligatures (which
#: the Indic and Arabic scripts need); never discretionary ones.
FEATURES = {"kern": True, "liga": True, "dlig": False}

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
#: The parts of emoji sequences: ZWJ, VS16, keycap, skin tones, regional indicators, tags.
EMOJI_PARTS = "\u200d\ufe0f\u20e3\U0001f1e6-\U0001f1ff\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f"
_EMOJI_PART = re.compile(f"[{EMOJI_PARTS}]")
#: Directional isolates (:mod:`calms_desktop.reports.isolates`).
_ISOLATE = re.compile(f"[{isolates.MARKS}]")
_ISOLATE_SPLIT = re.compile(f"([{isolates.MARKS}]+)")
_lock = threading.Lock()
_installed = False

#: PDF marked content: what a line says, as typed, for text extraction (not shown text).
ACTUAL_TEXT_SPAN = "/Span <</ActualText <FEFF{hex}>>> BDC"


def _mixes_directions(frags: Any) -> bool:
    """Whether a word's text holds right-to-left letters and anything else."""
    text = "".join(t for _, t in frags)
    return bool(_RTL.search(text)) and bool(_RTL.sub("", text).strip("\u200c\u200d"))


def _split_directions(frags: Any) -> list[Any]:
    """Each ``(frag, text)`` cut where right-to-left letters start or end.

    A joiner (ZWJ, ZWNJ) between two right-to-left letters stays with them
    (Persian writes ZWNJ inside words); elsewhere, as in an emoji sequence, it
    stays with its neighbours.
    """
    out: list[Any] = []
    for f, text in frags:
        if not text:
            continue
        rtl = [bool(_RTL.match(ch)) for ch in text]
        for i, ch in enumerate(text):
            if ch in "\u200c\u200d" and 0 < i < len(text) - 1:
                rtl[i] = rtl[i - 1] and bool(_RTL.match(text[i + 1]))
        start = 0
        for i in range(1, len(text) + 1):
            if i == len(text) or rtl[i] != rtl[start]:
                out.append((f, text[start:i]))
                start = i
    return out


def typed_text(value: object) -> str:
    """The text as typed (logical order) behind ``value``, shaped or not."""
    if isinstance(value, ShapedStr):
        typed = getattr(value, "_calms_typed", None)
        if typed is not None:
            return str(typed)
    return str(value)


def _typed(value: object) -> str | None:
    if isinstance(value, ShapedStr):
        return getattr(value, "_calms_typed", None)
    return str(value)


def _actual(value: object) -> str | None:
    """The typed text behind ``value`` (a plain string is its own text)."""
    if isinstance(value, ShapedStr):
        return getattr(value, "_calms_actual", None)
    return str(value)


#: Set by :mod:`calms_desktop.reports.fonts`: fonts drawn emboldened (name → stroke per point).
FAUX_BOLD: dict[str, float] = {}


def _rgb(colour: Any) -> str:
    """PDF ``r g b`` of a ReportLab colour (or an RGB tuple); black if unknown."""
    if isinstance(colour, tuple | list) and len(colour) == 3:
        return " ".join(f"{float(v):.3f}" for v in colour)
    try:
        return f"{colour.red:.3f} {colour.green:.3f} {colour.blue:.3f}"
    except AttributeError:
        return "0 0 0"


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _span(actual: str, code: str) -> str:
    return f"/Span <</ActualText <FEFF{_utf16_hex(actual)}>>> BDC {code} EMC"


def _remember_typed_text(word: Any, new: Any) -> None:
    """Give each shaped piece of ``new`` the text it was shaped from (see :func:`install`)."""
    text = "".join(s for f, s in word[1:] if not hasattr(f, "cbDefn"))
    pieces = [s for _, s in new[1:] if isinstance(s, ShapedStr)]
    starts = sorted({d.cluster for s in pieces for d in s.__shapeData__})
    for s in pieces:
        clusters = [d.cluster for d in s.__shapeData__]
        high = max(clusters)
        after = [c for c in starts if c > high]
        typed = text[min(clusters):after[0] if after else len(text)]
        s._calms_actual = typed[::-1] if _RTL.search(typed) else typed  # type: ignore
        s._calms_typed = typed  # type: ignore[attr-defined]


def _drop_blank_glyphs(new: Any) -> None:
    """Leave out the zero-width spaces a font draws for VS16 and ZWJ inside a ligature.

    Noto Emoji maps them to its space glyph with no advance; ReportLab wrote
    that space and then moved back by its width, and ``pdftotext`` took the
    step back for a line break.
    """
    for k in range(1, len(new)):
        frag, s = new[k]
        if not isinstance(s, ShapedStr):
            continue
        data = s.__shapeData__
        keep = [i for i, (ch, d) in enumerate(zip(s, data, strict=True))
                if not (ch == " " and d.x_advance == 0 and d.x_offset == 0 and d.y_offset == 0)]
        if keep and len(keep) < len(data):
            new[k] = (frag, ShapedStr("".join(str.__getitem__(s, i) for i in keep),
                                      shapeData=[data[i] for i in keep]))


#: ReportLab's functions that draw one line of a paragraph (``drawPara`` looks them up by name).
_LINE_DRAWERS = ("_leftDrawParaLine", "_centerDrawParaLine", "_rightDrawParaLine",
                 "_justifyDrawParaLine", "_justifyDrawParaLineRTL", "_leftDrawParaLineX",
                 "_centerDrawParaLineX", "_rightDrawParaLineX", "_justifyDrawParaLineX",
                 "_justifyDrawParaLineXRTL")


def _line_in_span(draw_line: Any) -> Any:
    """``draw_line`` wrapped: a line whose text object was told its text goes in one span.

    :class:`~calms_desktop.reports.bidi_paragraph.BidiParagraph` hands its
    text object an iterator of ``/ActualText`` strings, one a line; the runs
    inside the line then write no spans of their own (spans do not nest in
    PDF readers: poppler keeps only the innermost).
    """

    def draw(tx: Any, offset: Any, *args: Any) -> Any:
        lines = getattr(tx, "_calms_lines", None)
        actual = next(lines, None) if lines is not None else None
        if not actual:
            return draw_line(tx, offset, *args)
        tx._code.append(ACTUAL_TEXT_SPAN.format(hex=_utf16_hex(actual)))
        tx._calms_line_open = True
        try:
            return draw_line(tx, offset, *args)
        finally:
            tx._calms_line_open = False
            tx._code.append("EMC")

    return draw


def install() -> None:
    """Install the fixes above into ReportLab (once; safe from any thread)."""
    global _installed
    if _installed:
        return
    with _lock:
        if _installed:
            return
        original_shape = ttfonts.shapeFragWord

        def shape_one_font(word: Any, force: bool) -> Any:
            # A skin tone's ligature is the person's own glyph: ReportLab sees the
            # first glyph unchanged and would print the word unshaped (hand + swatch).
            emoji = any(_EMOJI_PART.search(s) for f, s in word[1:] if not hasattr(f, "cbDefn"))
            new = original_shape(word, features=FEATURES, force=force or emoji)
            if new is not word:
                if emoji:  # (an RLM's blank glyph stays: poppler orders Arabic by it)
                    _drop_blank_glyphs(new)
                _remember_typed_text(word, new)
            return new

        def shape(word: Any, features: Any = None, force: bool = False) -> Any:
            # ReportLab shapes a whole word with its first font: a word of two fonts
            # ("(अनिल", a name in brackets) lost its second half. Shape each font's run.
            # And HarfBuzz guesses one direction for the whole buffer from its first
            # letter: "דוד-Smith" came out "htimS-דוד" and "(نحتاج" as "نحتاج)". The
            # line is already in drawing order (bidi_paragraph), so each right-to-left
            # run is shaped on its own, and the rest left to right.
            # Directional isolates (bidi_paragraph resolves them, then leaves them out)
            # are kept away from HarfBuzz too: it made each a blank glyph, and ReportLab,
            # seeing a word end in a "space", joined the next word to it without one.
            frags = word[1:]
            if any(hasattr(f, "cbDefn") for f, _ in frags):
                return shape_one_font(word, force)
            marks = any(_ISOLATE.search(t) for _, t in frags)
            mixed = _mixes_directions(frags)
            if mixed:
                frags = _split_directions(frags)
            elif not marks and len({f.fontName for f, _ in frags}) < 2:
                return shape_one_font(word, force)
            if marks:
                frags = [(f, t) for f, text in frags for t in _ISOLATE_SPLIT.split(text) if t]
            pieces: list[Any] = []
            width = 0.0
            changed = False
            for (_, _, is_mark), group in groupby(frags, key=lambda fs: (
                    fs[0].fontName, bool(_RTL.match(fs[1][:1])),
                    bool(_ISOLATE.match(fs[1][:1])))):
                run = list(group)
                if is_mark:  # no glyph, no width (see fonts), never drawn
                    pieces += run
                    continue
                run_width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in run)
                sub = word.__class__([run_width, *run])
                shaped = shape_one_font(sub, force)
                changed = changed or shaped is not sub
                width += shaped[0]
                pieces += shaped[1:]
            if not changed:
                return word
            return ttfonts.makeShapedFragWord(word)([width, *pieces])

        add, radd = ShapedStr.__add__, ShapedStr.__radd__

        def joined(result: ShapedStr, left: object, right: object) -> ShapedStr:
            a, b = _actual(left), _actual(right)
            if a is not None and b is not None:
                result._calms_actual = a + b  # type: ignore[attr-defined]
            ta, tb = _typed(left), _typed(right)
            if ta is not None and tb is not None:
                result._calms_typed = ta + tb  # type: ignore[attr-defined]
            return result

        def shaped_add(self: ShapedStr, other: object) -> ShapedStr:
            return joined(add(self, other), self, other)

        def shaped_radd(self: ShapedStr, other: object) -> ShapedStr:
            return joined(radd(self, other), other, self)

        format_text = textobject.PDFTextObject._formatText

        def with_actual_text(self: Any, text: Any) -> str:
            code = format_text(self, text)
            stroke = FAUX_BOLD.get(self._fontname)
            if stroke:  # fill and stroke the outlines in the text's colour: bold
                colour = getattr(self, "_fillColorObj", None) or self._canvas._fillColorObj
                rgb = _rgb(colour)
                code = f"{rgb} RG {stroke * self._fontsize:.3f} w 2 Tr {code} 0 Tr"
            if getattr(self, "_calms_line_open", False):  # the line's span holds the text
                return code
            actual = getattr(text, "_calms_actual", None) if isinstance(text, ShapedStr) else None
            return _span(actual, code) if actual else code

        add_private = ttfonts.TTFont._TTFont__addPrivate  # type: ignore[attr-defined]

        def add_private_scaled(self: Any, name: str, gid: int, advance: float) -> int:
            # HarfBuzz's advance is in font units; the PDF width table is per 1000 em
            return int(add_private(self, name, gid, self.face._pdfScale(advance)))

        ttfonts.TTFont._TTFont__addPrivate = add_private_scaled  # type: ignore[attr-defined]
        for name in _LINE_DRAWERS:
            setattr(paragraph, name, _line_in_span(getattr(paragraph, name)))
        ttfonts.shapeFragWord = shape
        paragraph.shapeFragWord = shape  # imported by name there
        ShapedStr.__add__ = shaped_add  # type: ignore[method-assign]
        ShapedStr.__radd__ = shaped_radd  # type: ignore[method-assign]
        textobject.PDFTextObject._formatText = with_actual_text  # type: ignore[method-assign]
        _installed = True
