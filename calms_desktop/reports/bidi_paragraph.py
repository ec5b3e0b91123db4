"""Right-to-left text in a paragraph that wraps: break lines first, then reorder each line.

The Unicode bidirectional algorithm (UAX #9) resolves levels for a whole
paragraph but reorders **each line** (rules L1–L4) only after the paragraph
has been broken into lines. Reordering the whole paragraph first and then
letting ReportLab wrap the result put a three-line Arabic note's *last* words
on the first line. :class:`BidiParagraph` therefore wraps the markup in typed
(logical) order, takes each line's words as ReportLab broke them, puts each
line in drawing order with :func:`drawing_order` and lays the lines out as
they are.

**The text layer.** Each drawn line is also given its typed text: the whole
line goes into one PDF marked-content span whose ``/ActualText``
(:func:`extraction_text`) is what a reader turns back into the typed line.
Per-run spans could not do it: a reader strings a line's runs together left
to right, so "فاطمة الزهراء (QA lead)" came back as "( فاطمة الزهراءQA lead)".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from bidi import algorithm as _uax9
from bidi import get_display as _rust_display
from bidi.mirror import MIRRORED as _MIRRORED
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paragraph import (
    Paragraph,
    ParaLines,
    _processed_frags,
    cleanBlockQuotedText,
)

from . import isolates, shaping
from .text import escape

#: Letters of right-to-left scripts (and their marks), which HarfBuzz lays out
#: itself once it is given them in typed order.
_RTL_LETTER = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
#: Pieces of an emoji sequence (ZWJ, variation selector, skin tones, keycap,
#: tag characters): a sequence reversed by the algorithm would fall apart.
_EMOJI_PART = re.compile("[\u200d\ufe0f\u20e3\u2600-\u27bf\U0001f000-\U0001faff"
                         "\U000e0020-\U000e007f]")
_HAS_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]")
#: An invisible left-to-right mark: it ends a right-to-left stretch for a reader.
LRM = "\u200e"


def has_rtl(text: str) -> bool:
    """Whether ``text`` holds a right-to-left letter (Arabic, Hebrew …)."""
    return _HAS_RTL.search(text) is not None


def _kind(ch: str) -> int:
    if _RTL_LETTER.match(ch):
        return 1
    if _EMOJI_PART.match(ch):
        return 2
    return 0


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")


def base_level(text: str) -> int:
    """A paragraph's base level by its first strong letter (UAX #9 P2–P3): 1 if right to left.

    "فريق المدفوعات (Payments-2) — منصة الدفع" is a right-to-left paragraph,
    so its two Arabic halves read right to left around the Latin part; a
    paragraph that starts with a Latin letter (or has none) is left to right.
    Letters inside directional isolates (:mod:`.isolates`) do not count: a
    sentence of the report's own with a user's Arabic name inside,
    "⁧الثقافة⁩ scores 3.0", is left to right by "scores", and one with no
    letter of its own ("⁧الثقافة⁩ (3.0)") takes the report's direction, left
    to right (the reports are written in English or German).
    """
    return isolates.first_strong(text) or 0


def line_levels(lines: Sequence[str], breaks: Sequence[bool]) -> list[int]:
    """Each wrapped line's base level: that of the paragraph (up to a hard break) it belongs to.

    Args:
        lines: the lines' typed text, in order.
        breaks: whether each line ends with a hard line break (a typed new line).
    """
    out: list[int] = []
    start = 0
    for i in range(len(lines)):
        if breaks[i] or i == len(lines) - 1:
            level = base_level(" ".join(lines[start:i + 1]))
            out += [level] * (i + 1 - start)
            start = i + 1
    return out


def levels_of(text: str, base: int = 0) -> list[int]:
    """The embedding level of each character of ``text`` as one paragraph of level ``base``.

    From python-bidi's Rust implementation (``unicode-bidi``), which pairs
    brackets (UAX #9 N0: "(الدفع)" after a Latin word keeps both brackets on
    the Arabic side) and resolves directional isolates (X5a–X5c, X6a: an
    isolate's text is resolved on its own and counts as one neutral in the
    text around it); it reports levels per UTF-8 byte in its debug output.
    Should that output ever change shape, the pure-Python implementation
    (without bracket pairing, and with the isolates resolved here: see
    :func:`_python_levels`) is used.
    """
    found = [int(x) for x in _LEVEL.findall(
        str(_rust_display(text, base_dir="LR"[base], debug=True)).split("levels:", 1)[-1]
        .split("paragraphs:", 1)[0])]
    utf8 = [len(ch.encode("utf-8")) for ch in text]
    if len(found) == sum(utf8):
        levels, at = [], 0
        for size in utf8:
            levels.append(found[at])
            at += size
        return levels
    return _python_levels(text, base)


#: What an isolate counts as in the text around it: one neutral (U+FFFC is class ON).
_NEUTRAL = "\ufffc"


def _python_levels(text: str, base: int) -> list[int]:
    """:func:`levels_of` by python-bidi's pure-Python algorithm, isolates resolved here.

    That algorithm predates isolates (Unicode 6.3). Each outermost isolate is
    resolved on its own, at the next odd (RLI) or even (LRI) level above
    ``base``, by this same function (so nested isolates work too); in the text
    around it the whole isolate, marks included, is one neutral character,
    whose resolved level its marks take (as UAX #9 X5a–X5c and X6a prescribe).
    """
    found = isolates.spans(text)
    if not found:
        return _plain_python_levels(text, base)
    outer: list[str] = []
    at = 0
    for start, end in found:
        outer += [text[at:start], _NEUTRAL]
        at = end
    outer.append(text[at:])
    outer_levels = iter(_plain_python_levels("".join(outer), base))
    out: list[int] = []
    at = 0
    for start, end in found:
        out += [next(outer_levels) for _ in range(start - at)]
        mark_level = next(outer_levels)
        closed = text[end - 1] == isolates.PDI and end - start >= 2
        inner = text[start + 1:end - 1 if closed else end]
        opener = text[start]
        rtl = opener == isolates.RLI or (opener == isolates.FSI
                                         and isolates.first_strong(inner) == 1)
        level = base + 1 if (base + 1) % 2 == rtl else base + 2  # next odd / next even
        inner_levels = _python_levels(inner, level % 2)
        out.append(mark_level)
        out += [lv + level - level % 2 for lv in inner_levels]
        if closed:
            out.append(mark_level)
        at = end
    out += list(outer_levels)
    return out


def _plain_python_levels(text: str, base: int) -> list[int]:
    storage = _uax9.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = "LR"[base]
    _uax9.get_embedding_levels(text, storage)
    _uax9.explicit_embed_and_overrides(storage)
    _uax9.resolve_weak_types(storage)
    _uax9.resolve_neutral_types(storage, False)
    _uax9.resolve_implicit_levels(storage, False)
    # X9 leaves embeddings and marks out; they take their neighbour's level
    kept = iter(ch["level"] for ch in storage["chars"])
    out: list[int] = []
    for ch in text:
        if unicodedata.bidirectional(ch) in _uax9.X9_REMOVED:
            out.append(out[-1] if out else base)
        else:
            out.append(next(kept, base))
    return out


def drawing_order(runs: Sequence[tuple[int, str]], base: int = 0,
                  reopen: str = "") -> list[tuple[int, str]]:
    """One line's runs (key, typed text) in drawing order, left to right.

    The line belongs to a paragraph of level ``base`` (:func:`base_level` of
    the whole paragraph, so the last line of an Arabic note keeps its full
    stop at its left end): its characters get their levels (X1–I2), are reordered (L2) and
    brackets and other mirrored characters in right-to-left runs are
    mirrored (L4). Letters of a right-to-left word and the pieces of an emoji
    sequence are then put back in typed order, because HarfBuzz lays out a
    right-to-left word itself and a reversed emoji sequence is no sequence.

    Directional isolates (:mod:`.isolates`) in the runs are resolved as UAX #9
    says and then left out: they are never drawn.

    Args:
        runs: ``(key, text)`` pieces of the line in typed order; ``key`` says
            which font/colour a piece is drawn with and is handed back.
        reopen: isolate initiators still open from the lines before
            (:func:`.isolates.reopened`), so the rest of an isolate that a
            line end cut keeps its direction.

    Returns:
        ``(key, text)`` pieces in drawing order; neighbours have different
        keys or different directions.
    """
    text = reopen + "".join(t for _, t in runs)
    if not has_rtl(text):
        return [(k, isolates.strip(t)) for k, t in runs if isolates.strip(t)]
    first_key = next((k for k, t in runs if t), 0)
    keys = [first_key] * len(reopen) + [k for k, t in runs for _ in t]
    levels = levels_of(text, base)
    order = list(range(len(text)))
    top = max(levels)
    lowest_odd = min((lv for lv in levels if lv % 2), default=top + 1)
    for level in range(top, lowest_odd - 1, -1):  # L2: reverse every run at ≥ level
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    # (character, level, key) in drawing order, mirrored where right to left (L4)
    chars = [(_MIRRORED.get(text[i], text[i]) if levels[i] % 2 else text[i], levels[i], keys[i])
             for i in order if text[i] not in isolates.MARKS]

    def kind_at(k: int) -> tuple[int, int, bool]:
        ch, level, key = chars[k]
        return key, _kind(ch) if level % 2 else 0, level % 2 == 1

    out: list[tuple[int, str]] = []
    i = 0
    while i < len(chars):
        key, kind, _ = here = kind_at(i)
        j = i + 1
        while j < len(chars) and kind_at(j) == here:
            j += 1
        piece = "".join(ch for ch, _, _ in chars[i:j])
        if kind:  # reversed by L2: typed order again for HarfBuzz / the emoji sequence
            piece = piece[::-1]
        if out and out[-1][0] == key:
            out[-1] = (key, out[-1][1] + piece)
        else:
            out.append((key, piece))
        i = j
    return out


def _reader_class(ch: str) -> str:
    """How poppler's text extraction classes ``ch``: ``R``, ``L``, ``#`` (number-like) or ``N``.

    Poppler's own table (``UnicodeTypeTable``) follows the Unicode bidi
    classes: right-to-left letters are R, left-to-right ones L; digits and
    the separators and terminators around numbers (``-``, ``,``, ``.``,
    ``:``, ``/``, ``%`` …) count as numbers; everything else — spaces,
    brackets, marks, and any character beyond U+FFFF (emoji) — is neutral.
    """
    if ord(ch) > 0xFFFF:
        return "N"
    kind = unicodedata.bidirectional(ch)
    if kind in ("R", "AL"):
        return "R"
    if kind == "L":
        return "L"
    return "#" if kind in ("EN", "AN", "ES", "ET", "CS") else "N"


def extraction_text(line: str) -> str:
    """The ``/ActualText`` of a drawn line that PDF readers (poppler) extract as ``line``.

    Poppler takes a line's characters left to right and turns them into
    reading order itself (``reorderText``): a stretch that starts with a
    right-to-left letter runs on over spaces and brackets up to the next
    left-to-right letter or number, and is reversed. So each right-to-left
    stretch of the typed line is written reversed, and where spaces or
    brackets follow it before a Latin word, a number or the end ("فاطمة
    الزهراء (QA lead)"), an invisible left-to-right mark (U+200E) ends the
    stretch there; without it no order of the characters extracts right. A
    line that ends right to left ends with the mark too, so a neighbouring
    table cell does not join its stretch. Extracted text is the typed line
    with those marks (readers show none; poppler itself puts embedding
    marks U+202B … U+202C around every right-to-left stretch).

    Args:
        line: one line as typed (logical order).
    """
    if not has_rtl(line):
        return line
    classes = [_reader_class(ch) for ch in line]
    out: list[str] = []
    i, n = 0, len(line)
    while i < n:
        j = i
        while j < n and classes[j] != "R":
            j += 1
        out.append(line[i:j])
        if j == n:
            break
        k = j  # the stretch up to the next L or number; it must end on its last R letter
        while k < n and classes[k] not in ("L", "#"):
            k += 1
        last = max(m for m in range(j, k) if classes[m] == "R")
        out.append(line[j:last + 1][::-1])
        if last + 1 < k or k == n:
            out.append(LRM)
        i = last + 1
    return "".join(out)


def _font_tag(frag: Any, text: str) -> str:
    colour = getattr(frag, "textColor", None)
    attrs = f'name="{frag.fontName}" size="{frag.fontSize:g}"'
    if colour is not None and hasattr(colour, "hexval"):
        attrs += f' color="#{colour.hexval()[2:]}"'
    return f"<font {attrs}>{escape(text)}</font>"


def _line_runs(frags: Sequence[Any]) -> list[tuple[int, str]] | None:
    runs: list[tuple[int, str]] = []
    for i, f in enumerate(frags):
        if hasattr(f, "cbDefn"):
            return None  # an image or anchor in the line: no safe way to move it
        runs.append((i, shaping.typed_text(f.text)))
    return runs


def _visual_markup(bl: Any, style: Any, bases: Sequence[int],
                   reopen: Sequence[str]) -> str | None:
    """The broken paragraph ``bl`` as markup: each line in drawing order, ``<br/>`` between.

    ``bases`` holds each line's base level (:func:`line_levels`), ``reopen``
    the isolates open at its start (:func:`.isolates.reopened`).
    """
    lines: list[str] = []
    if bl.kind == 0:
        frag = bl
        for (_, words), base, again in zip(bl.lines, bases, reopen, strict=True):
            text = " ".join(shaping.typed_text(w) for w in words)
            lines.append("".join(_font_tag(frag, t)
                                 for _, t in drawing_order([(0, text)], base, again)))
    else:
        for line, base, again in zip(bl.lines, bases, reopen, strict=True):
            frags = list(line.words)
            runs = _line_runs(frags)
            if runs is None:
                return None
            lines.append("".join(_font_tag(frags[k], t)
                                 for k, t in drawing_order(runs, base, again)))
    return "<br/>".join(lines)


class ReportParagraph(Paragraph):
    """A paragraph that breaks its lines once per width.

    A table asks each cell for its size several times while it lays out and
    splits, and a frame asks again before it draws: ReportLab broke the same
    lines each time (a third of a facilitator report's time). The lines
    depend only on the text and the width, so a second :meth:`wrap` at the
    same width returns the size it found.
    """

    _calms_wrapped: float | None = None

    def _setup(self, *args: Any, **kwargs: Any) -> None:
        self._calms_wrapped = None  # new text: new lines
        super()._setup(*args, **kwargs)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._calms_wrapped == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._calms_wrapped = availWidth if "blPara" in self.__dict__ else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """ReportLab's split, whose two pieces keep the lines already broken.

        ReportLab broke each piece's lines again, and once more after finding no
        room for it at a page foot (a 10,000-character note split over three
        pages was broken six times). The pieces' lines are the
        same: the first piece's are the first lines, the second's the rest
        (its first line was already a following line, of the same width).
        """
        broken = self.__dict__.get("blPara")
        reuse = (broken is not None and broken.kind == 1 and self._calms_wrapped == availWidth
                 and getattr(self.style, "autoLeading", "") in ("", "off")
                 and _processed_frags(self.frags))
        pieces = super().split(availWidth, availHeight)
        if reuse and not pieces and "blPara" not in self.__dict__:
            # too little room here: ReportLab forgot the lines, the next page needs them again
            self.blPara = broken
        if not reuse or broken is None or len(pieces) != 2:
            return pieces
        first, rest = pieces
        cut = len(first.blPara.lines)
        lines = broken.lines
        if not isinstance(first, ReportParagraph) or not isinstance(rest, ReportParagraph) \
                or len(lines) <= cut:
            return pieces
        first._calms_wrapped = availWidth  # ReportLab gave it lines[:cut], its width and height
        start = lines[cut].sFW  # the rest's frag words start there
        rest.blPara = ParaLines(kind=1, lines=[ln.clone(sFW=ln.sFW - start) for ln in lines[cut:]])
        rest.width = availWidth
        rest.height = len(lines[cut:]) * rest.style.leading
        rest._calms_wrapped = availWidth
        return pieces


@lru_cache(maxsize=256)
def _right_aligned(style: ParagraphStyle) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-rtl", parent=style, alignment=TA_RIGHT)


class BidiParagraph(ReportParagraph):
    """A paragraph whose right-to-left text is reordered per line, after wrapping.

    Built from markup in typed order (see :func:`calms_desktop.reports.text.markup`).
    The pieces that :meth:`split` makes at a page break are already in
    drawing order and are laid out as they are.
    """

    def __init__(self, text: Any, style: Any = None, bulletText: Any = None,  # noqa: N803
                 frags: Any = None, caseSensitive: int = 1,  # noqa: N803
                 encoding: str = "utf8") -> None:
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._calms_logical: str | None = text if frags is None else None
        self._calms_width: float | None = None
        #: Each line's text as typed, for the text layer (see :func:`extraction_text`).
        self._calms_lines: list[str] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        if self._calms_logical is not None and self._calms_width != availWidth:
            self._calms_width = availWidth
            typed = Paragraph(self._calms_logical, self.style, self.bulletText)
            typed.wrap(availWidth, availHeight)
            lines = typed.blPara.lines
            words = [" ".join(shaping.typed_text(w) for w in ln[1]) if typed.blPara.kind == 0
                     else "".join(shaping.typed_text(f.text) for f in ln.words) for ln in lines]
            breaks = [bool(getattr(ln, "lineBreak", False)) for ln in lines]
            markup = _visual_markup(typed.blPara, self.style, line_levels(words, breaks),
                                    isolates.reopened(words, breaks))
            if markup is not None:
                style = self.style
                if base_level(" ".join(words)) and style.alignment == TA_LEFT:
                    style = _right_aligned(style)  # a right-to-left paragraph starts at the right
                self._setup(markup, style, self.bulletText, None, cleanBlockQuotedText)
                self._calms_lines = [" ".join(isolates.strip(w).split()) for w in words]
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        pieces = super().split(availWidth, availHeight)
        lines = self._calms_lines
        if lines is not None and len(pieces) == 2:
            first = len(pieces[0].blPara.lines)
            pieces[0]._calms_lines, pieces[1]._calms_lines = lines[:first], lines[first:]
        return pieces

    def beginText(self, x: float, y: float) -> Any:  # noqa: N802 - ReportLab's name
        """The text object for :meth:`drawPara`, told each line's text (see :mod:`.shaping`)."""
        tx = super().beginText(x, y)
        blpara = getattr(self, "blPara", None)
        if self._calms_lines is not None and blpara is not None \
                and len(blpara.lines) == len(self._calms_lines):
            tx._calms_lines = iter([extraction_text(t) for t in self._calms_lines])
        return tx
