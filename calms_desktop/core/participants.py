"""Reading a pasted list of participants (one name per line, a role after a Tab)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

#: Longest name the core accepts (see ``operations.PutParticipant``).
MAX_NAME = 500
_BULLET = re.compile(r"^(?:[-*•·‣◦]\s+|\d{1,3}[.)]\s+)")


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
        name = _BULLET.sub("", name.strip()).strip()
        role = " ".join(role.split())
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


def plural(n: int, word: str) -> str:
    """"1 name", "3 names"."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def describe_paste(p: PastedNames) -> str:
    """"3 new names, 1 already there (skipped)" for a paste preview."""
    parts = [plural(len(p.names), "new name")]
    if p.duplicates:
        parts.append(f"{p.duplicates} already there (skipped)")
    if p.too_long:
        parts.append(f"{p.too_long} longer than {MAX_NAME} characters (skipped)")
    return ", ".join(parts)
