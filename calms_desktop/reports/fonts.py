"""Fonts for the PDF reports: every character printed with a font that has it.

ReportLab's built-in Helvetica knows only Latin-1 and prints anything else as
a black box, so the reports register TrueType fonts and pick, for each
character, the first font of a fallback chain that has a glyph for it
(:func:`segments`):

1. **DejaVu Sans** (regular, bold, oblique, bold oblique) — Latin, Greek,
   Cyrillic, Arabic, Hebrew and many symbols. It comes with matplotlib (a
   dependency) and is also the charts' font, so text and charts match.
2. **Noto Sans** for the scripts DejaVu lacks (Devanagari, Bengali,
   Gurmukhi, Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Sinhala,
   Thai, Lao, Khmer, Myanmar, Ethiopic), Regular and Bold, shipped in
   ``calms_desktop/resources/fonts`` (SIL OFL 1.1). A character of one of these scripts
   goes straight to its Noto font (:data:`SCRIPT_FONTS`), so a font file is
   only parsed when a text needs it; combining marks and joiners stay in the
   font of the letter they belong to, so a word is shaped as one piece.
3. **Droid Sans Fallback** — Chinese, Japanese, Korean (shipped in
   ``calms_desktop/resources/fonts``, Apache-2.0), then its "Full" variant for the rarer
   CJK Extension A ideographs (it lacks Hangul, hence both).
4. **Noto Emoji** — emoji, monochrome outlines (shipped, SIL OFL 1.1). An
   emoji *sequence* — a family joined with ZWJ, a skin tone, a flag, a
   keycap, a tag flag — is kept together as one run (:func:`emoji_sequence_end`,
   the emoji rules of UAX #29 / UTS #51) and shaped with HarfBuzz, whose GSUB
   ligatures draw it as one glyph. (A skin tone cannot be shown in one
   colour: the font draws the person's plain glyph for it.)
5. **Symbola** — the symbols Noto Emoji lacks (shipped, free for any use).

A character no font has is printed as U+FFFD "�" (a real glyph, never a
box), and a zero-width format character no font has (a variation selector,
say) is dropped; :func:`segments` reports both through ``missing``.

**Arabic and other scripts that need shaping.** ReportLab joins Arabic
letters and orders right-to-left runs only when ``uharfbuzz`` is installed
(``pip install reportlab[shaping]``); :data:`SHAPING` says whether it is.
With it, paragraphs that contain such text are shaped (:func:`needs_shaping`).
Without it, Arabic prints with real DejaVu glyphs in their isolated forms,
in logical order — readable letter by letter, not typeset; text extraction
(copy and paste, search) still yields the same characters.

**Shaping and the text layer**: see :mod:`calms_desktop.reports.shaping`
(no discretionary ligatures; every shaped run carries its typed text).

**A ReportLab fix.** ReportLab writes the PDF's ToUnicode map for characters
beyond U+FFFF (emoji, rare CJK) as an odd-length hex string, which PDF
readers reject, so copying an emoji out of the PDF lost it.
:func:`register_fonts` installs a corrected map writer (UTF-16 surrogate
pairs, as the PDF specification asks).

Registration is done once per process (the fallbacks when first needed) and
is thread-safe (reports are built on a worker thread).
"""

from __future__ import annotations

import copy
import re
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

import matplotlib
from reportlab import rl_config
from reportlab.graphics import shapes
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from ..core.assets import resource_dir
from . import isolates, shaping

FONT_DIR = resource_dir("fonts")
DEJAVU_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

#: The report's text family (also matplotlib's default font).
SANS = "CalmsSans"
SANS_BOLD = "CalmsSans-Bold"
SANS_ITALIC = "CalmsSans-Oblique"
SANS_BOLD_ITALIC = "CalmsSans-BoldOblique"
CJK = "CalmsCJK"
CJK_EXT = "CalmsCJKExt"
EMOJI = "CalmsEmoji"
SYMBOLS = "CalmsSymbols"

_FILES: dict[str, Path] = {
    SANS: DEJAVU_DIR / "DejaVuSans.ttf",
    SANS_BOLD: DEJAVU_DIR / "DejaVuSans-Bold.ttf",
    SANS_ITALIC: DEJAVU_DIR / "DejaVuSans-Oblique.ttf",
    SANS_BOLD_ITALIC: DEJAVU_DIR / "DejaVuSans-BoldOblique.ttf",
    CJK: FONT_DIR / "DroidSansFallback.ttf",
    CJK_EXT: FONT_DIR / "DroidSansFallbackFull.ttf",
    EMOJI: FONT_DIR / "NotoEmoji-Regular.ttf",
    SYMBOLS: FONT_DIR / "Symbola.ttf",
}

#: Noto families for scripts DejaVu lacks: font name → (file stem, Unicode ranges).
_SCRIPTS: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {
    "CalmsDevanagari": ("Devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF), (0x1CD0, 0x1CFF))),
    "CalmsBengali": ("Bengali", ((0x0980, 0x09FF),)),
    "CalmsGurmukhi": ("Gurmukhi", ((0x0A00, 0x0A7F),)),
    "CalmsGujarati": ("Gujarati", ((0x0A80, 0x0AFF),)),
    "CalmsOriya": ("Oriya", ((0x0B00, 0x0B7F),)),
    "CalmsTamil": ("Tamil", ((0x0B80, 0x0BFF),)),
    "CalmsTelugu": ("Telugu", ((0x0C00, 0x0C7F),)),
    "CalmsKannada": ("Kannada", ((0x0C80, 0x0CFF),)),
    "CalmsMalayalam": ("Malayalam", ((0x0D00, 0x0D7F),)),
    "CalmsSinhala": ("Sinhala", ((0x0D80, 0x0DFF),)),
    "CalmsThai": ("Thai", ((0x0E00, 0x0E7F),)),
    "CalmsLao": ("Lao", ((0x0E80, 0x0EFF),)),
    "CalmsMyanmar": ("Myanmar", ((0x1000, 0x109F), (0xAA60, 0xAA7F))),
    "CalmsEthiopic": ("Ethiopic", ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))),
    "CalmsKhmer": ("Khmer", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
}
for _name, (_stem, _) in _SCRIPTS.items():
    _FILES[_name] = FONT_DIR / f"NotoSans{_stem}-Regular.ttf"
    _FILES[_name + "-Bold"] = FONT_DIR / f"NotoSans{_stem}-Bold.ttf"

#: Every shipped Noto file (Regular and Bold of each script).
SCRIPT_FONTS: tuple[str, ...] = tuple(_SCRIPTS)


def script_font(char: str) -> str | None:
    """The Noto font for ``char``'s script, if it is one of :data:`SCRIPT_FONTS`."""
    code = ord(char)
    for name, (_, ranges) in _SCRIPTS.items():
        for low, high in ranges:
            if low <= code <= high:
                return name
    return None


#: Fonts tried, in order, for a character the paragraph's own font lacks.
FALLBACKS: tuple[str, ...] = (SANS, CJK, CJK_EXT, EMOJI, SYMBOLS)

REPLACEMENT = "\ufffd"

try:  # ReportLab shapes text (Arabic joining, RTL runs) only with uharfbuzz
    import uharfbuzz  # noqa: F401

    SHAPING = True
except ImportError:  # pragma: no cover - depends on the installation
    SHAPING = False

# Scripts whose letters change shape with their neighbours or run right to left,
# and the parts of emoji sequences (ZWJ, VS16, keycap, skin tones, flags, tags),
# which the emoji font's ligatures turn into one glyph.
_COMPLEX = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\u0900-\u0dff\u0e00-\u0eff\u1000-\u109f"
    "\u1780-\u17ff\u19e0-\u19ff\ua8e0-\ua8ff\uaa60-\uaa7f\u1cd0-\u1cff" + shaping.EMOJI_PARTS + "]"
)

_lock = threading.Lock()
_registered = False


def needs_shaping(text: str) -> bool:
    """Does ``text`` contain a script that must be shaped (Arabic, Hebrew, Indic …)?"""
    return _COMPLEX.search(text) is not None


def _fixed_to_unicode_cmap(original: Callable[[str, list[int]], str]) -> Callable[..., str]:
    astral = re.compile(r"^(<[0-9A-F]+> )<([0-9A-F]{5,6})>$", re.MULTILINE)

    def utf16(match: re.Match[str]) -> str:
        code = int(match.group(2), 16)
        if code > 0x10FFFF:
            return match.group(0)
        return match.group(1) + "<" + chr(code).encode("utf-16-be").hex().upper() + ">"

    def make(fontname: str, subset: list[int]) -> str:
        return astral.sub(utf16, original(fontname, subset))

    make.calms_fixed = True  # type: ignore[attr-defined]
    return make


#: Registered at once: DejaVu (every report needs it); the fallbacks only when text needs them.
_EAGER = (SANS, SANS_BOLD, SANS_ITALIC, SANS_BOLD_ITALIC)
_loaded: set[str] = set()


def _no_width_for_isolates(font: TTFont) -> None:
    """Directional isolates take no room: they are resolved, never drawn.

    The bidi step (:mod:`calms_desktop.reports.bidi_paragraph`) leaves them out
    of the lines it draws, but ReportLab breaks the lines first, with the marks
    in them; no font has a glyph for them, and a missing glyph's width (6 pt
    at 10 pt in DejaVu Sans) would have made a line with isolates break early.
    """
    for mark in isolates.MARKS:
        font.face.charWidths[ord(mark)] = 0


def _register(name: str) -> None:
    path = _FILES[name]
    if not path.is_file():
        raise FileNotFoundError(f"report font missing: {path}")
    font = TTFont(name, str(path))
    _no_width_for_isolates(font)
    face_name = font.face.name
    # ReportLab treats two files with the same internal face name as one font
    # (both Droid files are "DroidSansFallback"): give ours distinct names.
    font.face.name = face_name + b"-" + name.encode("ascii")
    pdfmetrics.registerFont(font)
    if name in (EMOJI, SYMBOLS):  # no bold/italic faces: <b> and <i> keep the regular one
        for bold in (0, 1):
            for italic in (0, 1):
                addMapping(name, bold, italic, name)
    elif name in _SCRIPTS or name in (CJK, CJK_EXT):  # italic keeps the upright faces
        bold_name = name + "-Bold"
        if bold_name in _FILES:
            bold_font = TTFont(bold_name, str(_FILES[bold_name]))
            _no_width_for_isolates(bold_font)
            bold_font.face.name = bold_font.face.name + b"-" + bold_name.encode("ascii")
        else:
            # The CJK files have no bold face: the same outlines (parsed once), drawn
            # emboldened (FAUX_BOLD), so bold table headers stay bold in CJK too.
            bold_font = copy.copy(font)
            bold_font.fontName = bold_name
            bold_font.face = copy.copy(font.face)
            bold_font.face.name = face_name + b"-" + bold_name.encode("ascii")
            bold_font.state = WeakKeyDictionary()
        pdfmetrics.registerFont(bold_font)
        for italic in (0, 1):
            addMapping(name, 0, italic, name)
            addMapping(name, 1, italic, bold_name)
        _loaded.add(bold_name)
    _loaded.add(name)


#: Fonts without a bold file, emboldened when drawn: outline stroke width per point of size.
FAUX_BOLD: dict[str, float] = {CJK + "-Bold": 0.035, CJK_EXT + "-Bold": 0.035}


def register_fonts() -> None:
    """Register the report's text fonts with ReportLab (once; safe from any thread).

    The fallback fonts (CJK, symbols) are registered when a text first needs
    them (:func:`ensure_font`): parsing them costs a tenth of a second.

    Raises:
        FileNotFoundError: a font file is missing from the installation.
    """
    global _registered
    if _registered:
        return
    with _lock:
        if _registered:
            return
        shaping.FAUX_BOLD.update(FAUX_BOLD)
        shaping.install()
        if not getattr(ttfonts.makeToUnicodeCMap, "calms_fixed", False):
            ttfonts.makeToUnicodeCMap = _fixed_to_unicode_cmap(ttfonts.makeToUnicodeCMap)
        # Binary (compressed) streams instead of ASCII85 text: smaller files, and
        # ReportLab's pure-Python ASCII85 encoder was a tenth of a report's time.
        rl_config.useA85 = 0
        for name in _EAGER:
            _register(name)
        # Vector drawings (the charts) start from ReportLab's graphics defaults,
        # which select Helvetica; make that our font, so no PDF needs Helvetica.
        shapes.STATE_DEFAULTS["fontName"] = SANS
        for bold, italic, name in ((0, 0, SANS), (1, 0, SANS_BOLD), (0, 1, SANS_ITALIC),
                                   (1, 1, SANS_BOLD_ITALIC)):
            addMapping(SANS, bold, italic, name)
        _registered = True


def ensure_font(name: str) -> None:
    """Register one of the report fonts if it is not registered yet."""
    register_fonts()
    if name in _loaded:
        return
    with _lock:
        if name not in _loaded:
            _register(name)


@cache
def _cmap(font_name: str) -> frozenset[int]:
    ensure_font(font_name)
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


def has_glyph(font_name: str, char: str) -> bool:
    """Does the registered font ``font_name`` have a glyph for ``char``?"""
    return ord(char) in _cmap(font_name)


@cache
def _chain(base: str) -> tuple[str, ...]:
    return (base, *(f for f in FALLBACKS if f != base))


#: Combining marks and format characters (ZWJ, ZWNJ …) that belong to the letter before.
_JOINING = ("Mn", "Mc", "Me", "Cf")


@dataclass(frozen=True)
class Segment:
    """A run of text printed with one font."""

    font: str
    text: str


@lru_cache(maxsize=65536)
def font_for(char: str, base: str = SANS) -> str | None:
    """The first font of ``base``'s fallback chain that has ``char`` (None: no font has).

    Cached like the character maps and chains it reads (a 10,000-character
    note asks for the same few hundred characters again and again).
    """
    code = ord(char)
    script = script_font(char)
    if script is not None and code in _cmap(script):
        return script
    for name in _chain(base):
        if code in _cmap(name):
            return name
    return None


_ZWJ = "\u200d"
_VS16 = "\ufe0f"
_KEYCAP = "\u20e3"
_KEYCAP_BASES = frozenset("0123456789#*")
_TAG_END = 0xE007F


def _regional(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _modifier(ch: str) -> bool:
    return 0x1F3FB <= ord(ch) <= 0x1F3FF


def _tag(ch: str) -> bool:
    return 0xE0020 <= ord(ch) <= 0xE007E


#: What can follow the first character of an emoji sequence (a quick test before parsing).
_SEQUENCE_NEXT = re.compile(f"[{shaping.EMOJI_PARTS}]")


def _emoji_base(ch: str) -> bool:
    """A pictograph the emoji font draws (not a letter, digit, mark or sequence part)."""
    if ord(ch) < 0xA9 or _regional(ch) or _modifier(ch) or _tag(ch):
        return False
    if unicodedata.category(ch)[0] in "LMNZC":
        return False
    return ord(ch) in _cmap(EMOJI)


def _element_end(text: str, i: int) -> int:
    """End of the emoji element at ``i`` (a pictograph with its VS16, tone or tags), or ``i``."""
    n = len(text)
    if i >= n or not _emoji_base(text[i]):
        return i
    j = i + 1
    if j < n and (text[j] == _VS16 or _modifier(text[j])):
        j += 1
    if j < n and _tag(text[j]):  # a tag sequence (England's flag) ends with CANCEL TAG
        k = j
        while k < n and _tag(text[k]):
            k += 1
        if k < n and ord(text[k]) == _TAG_END:
            j = k + 1
    return j


def emoji_sequence_end(text: str, i: int) -> int:
    """Where the emoji sequence that starts at ``text[i]`` ends (``i + 1``: none there).

    The sequences of UTS #51 (ED-14 to ED-17), which are also grapheme clusters
    (UAX #29, GB9, GB11, GB12/13): a flag (two regional indicators), a keycap
    (``1`` VS16 U+20E3), a pictograph with its presentation selector, skin
    tone or tag characters, and such elements joined by ZWJ (a family, the
    rainbow flag). Sequences need at least two characters; a lone emoji is
    no sequence.
    """
    n = len(text)
    if i + 1 >= n or not _SEQUENCE_NEXT.match(text[i + 1]):
        return i + 1
    ch = text[i]
    if _regional(ch):
        return i + 2 if _regional(text[i + 1]) else i + 1
    if ch in _KEYCAP_BASES:
        j = i + 2 if text[i + 1] == _VS16 else i + 1
        return j + 1 if j < n and text[j] == _KEYCAP else i + 1
    end = _element_end(text, i)
    if end == i:
        return i + 1
    while end + 1 < n and text[end] == _ZWJ:
        after = _element_end(text, end + 1)
        if after == end + 1:
            break
        end = after
    return max(end, i + 1)


def _sequences(text: str) -> dict[int, int]:
    """Start → end of every emoji sequence in ``text``, found left to right."""
    found: dict[int, int] = {}
    covered = 0
    for match in _SEQUENCE_NEXT.finditer(text, 1):  # a sequence's second character
        start = match.start() - 1
        if start < covered:
            continue
        end = emoji_sequence_end(text, start)
        if end > start + 1:
            found[start] = covered = end
    return found


def segments(text: str, base: str = SANS, missing: list[str] | None = None) -> list[Segment]:
    """Split ``text`` into runs, each printed by a font that has all its glyphs.

    Line breaks are kept as they are (the caller decides what they become).
    An emoji sequence (:func:`emoji_sequence_end`) is one piece of a run in
    the emoji font. Characters no font has become U+FFFD, or vanish if they
    are zero-width format characters; they are appended to ``missing`` if given.
    """
    out: list[Segment] = []
    cur_font = base
    cur: list[str] = []
    sequences = _sequences(text)
    upto = 0  # the end of the sequence being skipped
    for i, ch in enumerate(text):
        if i < upto:
            continue
        if sequences and i in sequences:  # the font's ligature draws it as one glyph
            upto = sequences[i]
            font: str | None = EMOJI
            ch = text[i:upto]
        elif ch in "\n\t":
            font = cur_font
        elif cur and unicodedata.category(ch) in _JOINING and ord(ch) in _cmap(cur_font):
            font = cur_font  # a mark or joiner stays with its letter: the word shapes as one
        else:
            font = font_for(ch, base)
        if font is None:
            if missing is not None:
                missing.append(ch)
            if unicodedata.category(ch) in ("Cf", "Mn", "Me"):
                continue
            ch, font = REPLACEMENT, font_for(REPLACEMENT, base) or base
        if font != cur_font and cur:
            out.append(Segment(cur_font, "".join(cur)))
            cur = []
        cur_font = font
        cur.append(ch)
    if cur:
        out.append(Segment(cur_font, "".join(cur)))
    return out


def bold_of(name: str) -> str:
    """The bold face of a fallback font (itself if it has none, e.g. the symbols)."""
    if name in _SCRIPTS or name in (CJK, CJK_EXT):
        ensure_font(name)  # registers its bold face too
        return name + "-Bold"
    return name


def all_fonts() -> tuple[str, ...]:
    """Every font name the reports register (for tests and diagnostics)."""
    return tuple(_FILES)


def font_files() -> dict[str, Path]:
    """Every font file the reports use, by font name (the GUI registers the same files)."""
    return dict(_FILES)
