"""User text inside the report's own sentences: each piece a directional isolate.

A sentence such as "Since the baseline, {pillar} improved most (+1.3)." is
the report's, in the report's language; ``{pillar}`` is what a person typed,
in any script. Put in as it is, an Arabic or Hebrew name takes part in the
sentence's bidirectional resolution: "המשאבים (Lean)" next to "improved"
ran its Latin word and brackets into the English text, a statement's own "!"
or "." ended up beside its first word, and a table cell whose first letter
was a pillar name's turned right to left as a whole.

So every piece of user text in a sentence is wrapped in a **directional
isolate** (UAX #9 BD8, X5a–X5c, X6a): resolved on its own, by its own first
strong letter, and then placed in the sentence as one neutral unit. This
module only *marks* the pieces (plain Python: :mod:`.insights` builds its
sentences with it and loads no ReportLab); the bidi step,
:mod:`calms_desktop.reports.bidi_paragraph`, resolves the marks — per wrapped
line, with an isolate cut by a line end reopened on the next line — and
never draws them (a font draws U+2066–U+2069 as a box or a blank).

The marks are U+2066 LEFT-TO-RIGHT ISOLATE and U+2067 RIGHT-TO-LEFT ISOLATE
(chosen here from the text's first strong letter, FSI's rule, so a piece
keeps its direction when a line break cuts it) closed by U+2069 POP
DIRECTIONAL ISOLATE. A person's own bidi controls are removed from the piece
first (as everywhere in the reports, see :func:`calms_desktop.reports.text.clean`),
so the only isolates in a sentence are the report's, and always balanced.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

#: U+2066 LEFT-TO-RIGHT ISOLATE.
LRI = "\u2066"
#: U+2067 RIGHT-TO-LEFT ISOLATE.
RLI = "\u2067"
#: U+2068 FIRST STRONG ISOLATE (resolved by :func:`isolate` to LRI or RLI).
FSI = "\u2068"
#: U+2069 POP DIRECTIONAL ISOLATE.
PDI = "\u2069"
OPENERS = LRI + RLI + FSI
MARKS = OPENERS + PDI
_MARK = re.compile(f"[{MARKS}]")
#: Bidi controls a person may have typed (marks, embeddings, overrides, isolates).
_CONTROLS = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def strip(text: str) -> str:
    """``text`` without isolate marks (for a place that does not resolve them)."""
    return _MARK.sub("", text) if any(m in text for m in MARKS) else text


def first_strong(text: str) -> int | None:
    """The direction of ``text``'s first strong letter outside isolates (UAX #9 P2).

    Characters between an isolate initiator and its matching PDI are skipped,
    so "⁧רזה (Lean)⁩ improved most" is left to right by "improved".

    Returns:
        0 (left to right), 1 (right to left) or None (no strong letter).
    """
    depth = 0
    for ch in text:
        if ch in OPENERS:
            depth += 1
        elif ch == PDI:
            depth = max(0, depth - 1)
        elif not depth:
            kind = unicodedata.bidirectional(ch)
            if kind == "L":
                return 0
            if kind in ("R", "AL"):
                return 1
    return None


def opener_for(text: str) -> str:
    """LRI or RLI: the isolate that FSI would open for ``text`` (P2–P3; no letter: LRI)."""
    return RLI if first_strong(text) == 1 else LRI


def isolate(text: str) -> str:
    """User text as directional isolates, ready to go inside a sentence of the report's own.

    Each line (a typed line break ends a paragraph, and with it an isolate) is
    isolated on its own and takes its direction from its own first strong letter.
    The person's own bidi controls are removed first. Empty text stays empty.
    """
    text = _CONTROLS.sub("", text)
    return "\n".join(opener_for(line) + line + PDI if line.strip() else line
                     for line in text.split("\n"))


def reopened(lines: Sequence[str], breaks: Sequence[bool]) -> list[str]:
    """The isolate initiators still open at the start of each wrapped line.

    A line end inside an isolate does not end it (only a paragraph end does):
    the next line reopens it with the same initiator, so its part of the
    isolate is resolved as one piece again and keeps its direction. A line
    that ends with a hard break (``breaks[i]``) closes everything open.

    Args:
        lines: each wrapped line's text, in typed order, marks included.
        breaks: whether each line ends with a typed line break.

    Returns:
        For each line, the initiators to put in front of it (outermost first).
    """
    out: list[str] = []
    stack: list[str] = []
    for line, hard in zip(lines, breaks, strict=True):
        out.append("".join(stack))
        for ch in line:
            if ch in OPENERS:
                stack.append(ch)
            elif ch == PDI and stack:
                stack.pop()
        if hard:
            stack.clear()
    return out


def spans(text: str) -> list[tuple[int, int]]:
    """The outermost isolates of ``text`` as ``(start, end)``: ``text[start]`` is the
    initiator, ``text[end - 1]`` its PDI (or the text's last character, if unmatched)."""
    out: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in OPENERS:
            if not depth:
                start = i
            depth += 1
        elif ch == PDI and depth:
            depth -= 1
            if not depth:
                out.append((start, i + 1))
    if depth:
        out.append((start, len(text)))
    return out
