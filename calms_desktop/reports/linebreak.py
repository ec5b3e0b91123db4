"""Where a name may wrap: spaces, after hyphens, at ZWSP, between Thai words.

ReportLab breaks lines at spaces only and splits a word that does not fit
anywhere between two letters: "Hohenzollern-Sig|maringen" in a narrow table
cell, and a Thai name (Thai writes no spaces between words) cut wherever the
cell ended. :func:`wrap_lines` breaks a short text (a name, a role) into
lines of a given width itself, choosing only:

* after a run of spaces, after a hyphen between letters and after a
  zero-width space (U+200B);
* between Thai words, as ``libthai`` (the dictionary Pango uses, Debian's
  ``libthai0``) finds them; without it, a Thai word is one word;
* between letters of one word only when that word alone is wider than the
  line, and then never between a letter and its marks, inside a conjunct
  (after a virama) or inside an emoji sequence.

The lines are joined with hard breaks by the caller, so a PDF reader's text
layer gives back the name with a line break where it wrapped (and the
hyphen where the name had one).
"""

from __future__ import annotations

import ctypes
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache

from reportlab.pdfbase.pdfmetrics import stringWidth

from . import fonts

ZWSP = "\u200b"
_HYPHENS = "-\u2010"
_THAI_RUN = re.compile("[\u0e00-\u0e7f]+")
#: Room kept free on each line: shaped widths differ a little from the fonts' advances.
SLACK = 0.96


def cluster_points(text: str) -> list[int]:
    """Offsets between whole letters of ``text`` (1 … len-1).

    Never between a letter and its marks, after a virama (the next
    consonant joins it in a conjunct) or next to a zero-width joiner.
    """
    points = []
    for i in range(1, len(text)):
        ch, before = text[i], text[i - 1]
        if unicodedata.category(ch) in ("Mn", "Mc", "Me", "Cf", "Sk") or before == "\u200d":
            continue
        if unicodedata.combining(before) == 9:  # after a virama
            continue
        if 0xDC00 <= ord(ch) <= 0xDFFF:  # pragma: no cover - Python strings hold no halves
            continue
        points.append(i)
    return points


class _ThaiBreaker:
    """Thai word boundaries from ``libthai`` (``th_brk_find_breaks``), if the library is there."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._brk: int | None = None
        self._lib: ctypes.CDLL | None = None
        try:
            lib = ctypes.CDLL("libthai.so.0")
            lib.th_brk_new.restype = ctypes.c_void_p
            lib.th_brk_new.argtypes = [ctypes.c_char_p]
            lib.th_brk_find_breaks.restype = ctypes.c_int
            lib.th_brk_find_breaks.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                               ctypes.POINTER(ctypes.c_int), ctypes.c_size_t]
            brk = lib.th_brk_new(None)
        except (OSError, AttributeError):
            return
        if brk:
            self._lib, self._brk = lib, brk

    @property
    def available(self) -> bool:
        return self._brk is not None

    def breaks(self, run: str) -> list[int]:
        """Offsets inside a run of Thai letters where a new word starts."""
        if self._lib is None or not run:
            return []
        try:
            encoded = run.encode("tis_620")
        except UnicodeEncodeError:
            return []
        found = (ctypes.c_int * (len(encoded) + 1))()
        with self._lock:  # a breaker object is not safe to share between threads
            n = self._lib.th_brk_find_breaks(self._brk, encoded, found, len(encoded) + 1)
        return [found[i] for i in range(max(n, 0)) if 0 < found[i] < len(run)]


@lru_cache(maxsize=1)
def thai_breaker() -> _ThaiBreaker:
    """The process's Thai word breaker (loaded on first use)."""
    return _ThaiBreaker()


def break_points(text: str) -> list[int]:
    """Offsets where a line may start in ``text`` (see the module docs), ascending."""
    points: set[int] = set()
    for i in range(1, len(text)):
        before, ch = text[i - 1], text[i]
        if before == " " and ch != " ":
            points.add(i)
        elif before in _HYPHENS and ch != " " and i >= 2 and text[i - 2].isalnum() \
                and ch.isalnum():
            points.add(i)
        elif before == ZWSP:
            points.add(i)
    breaker = thai_breaker()
    for m in _THAI_RUN.finditer(text):
        points.update(m.start() + k for k in breaker.breaks(m.group()))
    return sorted(points)


def text_width(text: str, font: str, size: float) -> float:
    """The width of ``text`` in points, each run in the font that prints it."""
    return sum(stringWidth(seg.text, seg.font, size) for seg in fonts.segments(text, font))


def wrap_lines(text: str, font: str, size: float, width: float,
               measure: Callable[[str, str, float], float] = text_width) -> list[str]:
    """``text`` in lines no wider than ``width``, broken only where :func:`break_points` allow.

    Lines break at spaces; a word wider than a line alone is broken at its
    other break points (after a hyphen, at a zero-width space, between Thai
    words) and a part still wider is cut between whole letters
    (:func:`cluster_points`). A hyphen is thus a break only when it must be
    (poppler's text extraction joins a line that ends with a hyphen to the
    next and drops the hyphen). Spaces at a break are left out; a hyphen
    stays at the end of its line.

    Args:
        text: one paragraph of plain text (no line breaks).
        font, size: the font it is printed in (fallback fonts are measured too).
        width: the room for a line, in points.
        measure: how a piece of text is measured (for tests).
    """
    text = text.strip(" ")
    room = width * SLACK
    if not text or measure(text, font, size) <= room:
        return [text] if text else []
    pieces: list[str] = []
    for word in _pieces(text, [i for i in range(1, len(text))
                               if text[i - 1] == " " and text[i] != " "]):
        if measure(word.rstrip(" "), font, size) <= room:
            pieces.append(word)
            continue
        # a word wider than the line: at its hyphens, zero-width spaces, Thai words …
        for part in _pieces(word, break_points(word.rstrip(" "))):
            if measure(part.rstrip(" "), font, size) <= room:
                pieces.append(part)
            else:  # … and only a part that still does not fit between letters
                pieces += _cut_word(part, font, size, room, measure)
    lines: list[str] = []
    line = ""
    for piece in pieces:
        trial = line + piece
        if line and measure(trial.rstrip(" "), font, size) > room:
            lines.append(line.rstrip(" "))
            line = piece
        else:
            line = trial
    if line.strip(" "):
        lines.append(line.rstrip(" "))
    return lines


def _pieces(text: str, points: Sequence[int]) -> list[str]:
    starts = [0, *points, len(text)]
    return [text[a:b] for a, b in zip(starts, starts[1:], strict=False) if b > a]


def _cut_word(word: str, font: str, size: float, room: float,
              measure: Callable[[str, str, float], float]) -> Sequence[str]:
    """A word wider than ``room`` in pieces that each fit (cut between whole letters)."""
    out: list[str] = []
    rest = word
    while rest and measure(rest.rstrip(" "), font, size) > room:
        points = cluster_points(rest)
        fitting = [p for p in points if measure(rest[:p], font, size) <= room]
        cut = fitting[-1] if fitting else (points[0] if points else len(rest))
        out.append(rest[:cut])
        rest = rest[cut:]
    if rest:
        out.append(rest)
    return out
