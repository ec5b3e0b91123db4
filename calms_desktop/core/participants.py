"""Reading a pasted list of participants (one name per line, a role after a Tab)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from .i18n import ngettext

#: Longest name the core accepts (see ``operations.PutParticipant``).
MAX_NAME = 500
_BULLET = re.compile(r"^(?:[-*•·‣◦]\s+|\d{1,3}[.)]\s+)")
#: bidi embeddings, overrides, isolates and marks: they can turn a name around on
#: screen and in reports ("Ana" shown where "anA" was typed), so a name never keeps them
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
                  "\u200e\u200f\u061c")


def clean_name(text: str) -> str:
    """A participant's name as the app keeps it: control characters (NUL, escapes,
    line breaks) and bidi controls dropped, runs of white space one space, trimmed.

    Joiners (U+200C, U+200D) stay: scripts and emoji sequences need them.
    An empty result means there was no name.
    """
    kept = "".join(" " if c.isspace() else c for c in text
                   if c not in _BIDI and (c.isspace() or unicodedata.category(c) != "Cc"))
    return " ".join(kept.split())


@dataclass
class PastedNames:
    """The result of reading a pasted list of names.

    Attributes:
        names: (name, role) pairs to add, in the pasted order.
        duplicates: lines skipped because the name is already there.
        too_long: lines skipped because the name is longer than the core allows.
    """

    names: list[tuple[str, str]] = field(default_factory=list)
    duplicates: int = 0
    too_long: int = 0


def parse_names(text: str, existing: Iterable[str] = ()) -> PastedNames:
    """Read a pasted list: one name per line, an optional role after a Tab.

    Lines are trimmed, list bullets ("- ", "• ", "1. ") dropped, empty lines
    ignored, and names already present (or pasted twice) are skipped,
    comparing case-insensitively.
    """
    seen = {" ".join(n.split()).casefold() for n in existing}
    result = PastedNames()
    for raw in text.splitlines():
        name, _, role = raw.partition("\t")
        name = clean_name(_BULLET.sub("", name.strip()))
        role = clean_name(role)
        if not name:
            continue
        if len(name) > MAX_NAME:
            result.too_long += 1
            continue
        key = " ".join(name.split()).casefold()
        if key in seen:
            result.duplicates += 1
            continue
        seen.add(key)
        result.names.append((name, role))
    return result


def describe_paste(p: PastedNames) -> str:
    """"3 new names, 1 already there (skipped)" for a paste preview."""
    n = len(p.names)
    parts = [ngettext("{n} new name", "{n} new names", n).format(n=n)]
    if p.duplicates:
        parts.append(ngettext("{n} already there (skipped)", "{n} already there (skipped)",
                              p.duplicates).format(n=p.duplicates))
    if p.too_long:
        parts.append(ngettext("{n} longer than {max} characters (skipped)",
                              "{n} longer than {max} characters (skipped)",
                              p.too_long).format(n=p.too_long, max=MAX_NAME))
    return ", ".join(parts)
