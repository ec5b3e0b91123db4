"""Small helpers to read untrusted JSON and say exactly where it is wrong.

Each helper takes the value and its JSON path (``$.votes[3].score``) and
raises :class:`~calms_desktop.core.errors.ValidationError` naming that path.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import ValidationError

#: Longest text accepted in any single field (a 10,000-character note fits).
MAX_TEXT = 100_000
#: Largest workshop or questionnaire file read or written, in bytes. A vote
#: rewrites the whole file, so this bounds the cost of every save (see
#: ``benchmarks/bench_storage.py``: a vote on a file this size stays in budget).
MAX_FILE_BYTES = 1024 * 1024  # 1 MiB
#: Deepest nesting of JSON arrays and objects accepted (the format needs 5).
MAX_DEPTH = 32
#: Most participants in one workshop (and so most votes per statement).
MAX_PARTICIPANTS = 250  # a room of 200 phones fits, every vote within the 1 MiB file limit
#: Most action items in one workshop.
MAX_ACTIONS = 500


def _parse_constant(name: str) -> Any:
    raise ValidationError("$", f"{name} is not a number JSON allows")


def _depth_ok(data: Any) -> bool:
    """True when no array or object is nested deeper than :data:`MAX_DEPTH` (no recursion)."""
    level = [data] if isinstance(data, dict | list) else []
    depth = 1
    while level:
        if depth > MAX_DEPTH:
            return False
        deeper: list[Any] = []
        for value in level:
            items = value.values() if type(value) is dict else value
            deeper += [x for x in items if type(x) is dict or type(x) is list]
        level = deeper
        depth += 1
    return True


def loads(raw: bytes, source: str, *, max_bytes: int = MAX_FILE_BYTES) -> Any:
    """Parse untrusted JSON bytes within the size, depth and number limits.

    Raises:
        ValidationError: naming ``source`` and what is wrong (never another
            exception, whatever the bytes).
    """
    if len(raw) > max_bytes:
        raise ValidationError(
            "$", f"the file is {len(raw):,} bytes; the limit is {max_bytes:,}", source
        )
    try:
        textual = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError("$", f"not UTF-8 text (byte {exc.start})", source) from None
    try:
        # Python refuses integers of more than 4,300 digits (a ValueError, below);
        # shorter ones are refused by each field's range check.
        data = json.loads(textual, parse_constant=_parse_constant)
    except ValidationError as exc:
        raise exc.with_source(source) from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ValidationError(where, f"not valid JSON ({exc.msg})", source) from None
    except RecursionError:
        raise ValidationError("$", f"nested deeper than {MAX_DEPTH} levels", source) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ValidationError("$", f"a number this app cannot read ({exc})", source) from None
    if not _depth_ok(data):
        raise ValidationError("$", f"nested deeper than {MAX_DEPTH} levels", source)
    return data


def read_limited(path: Any, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file of at most ``max_bytes`` without ever blocking.

    A FIFO, a device, a socket or a directory named like a data file is
    refused (opened non-blocking, so a FIFO with no writer cannot hang the
    app), and so is a file larger than the limit (read no further).

    Raises:
        ValidationError: the file is not a regular file, too large, or unreadable.
        FileNotFoundError: the file is gone (a reader may race a writer's move).
    """
    import os
    import stat

    where = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ValidationError("$", f"cannot read the file ({exc.strerror})", where) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValidationError("$", "not a regular file (a folder, device or pipe)", where)
        if st.st_size > max_bytes:
            raise ValidationError(
                "$", f"the file is {st.st_size:,} bytes; the limit is {max_bytes:,}", where
            )
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise ValidationError("$", f"cannot read the file ({exc.strerror})", where) from None
    finally:
        os.close(fd)


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(where, f"expected an object, got {type_name(value)}")
    return value


def lst(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(where, f"expected a list, got {type_name(value)}")
    return value


def field(d: dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise ValidationError(where, f'missing required field "{key}"')
    return d[key]


def text(value: Any, where: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(where, f"expected text, got {type_name(value)}")
    if required and not value.strip():
        raise ValidationError(where, "must not be empty")
    if len(value) > max_len:
        raise ValidationError(where, f"text is {len(value)} characters; the limit is {max_len}")
    if "\x00" in value:
        raise ValidationError(where, "text contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: no file or screen can hold it
            raise ValidationError(
                where, f"text contains an unpaired surrogate (U+{ord(value[exc.start]):04X})"
            ) from None
    return value


def key_text(value: str, where: str, max_len: int = 200) -> str:
    """An object key used as an id (checked like :func:`text`, non-empty)."""
    return text(value, where, required=True, max_len=max_len)


def count(items: list[Any], where: str, most: int, what: str) -> list[Any]:
    if len(items) > most:
        raise ValidationError(where, f"{len(items)} {what}; the limit is {most}")
    return items


def integer(value: Any, where: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(where, f"expected a whole number {lo}–{hi}, got {type_name(value)}")
    if not lo <= value <= hi:
        raise ValidationError(where, f"must be {lo}–{hi}, got {value}")
    return value


def choice(value: Any, where: str, allowed: type) -> Any:
    options = [m.value for m in allowed]  # type: ignore[attr-defined]
    if value not in options:
        shown = ", ".join(f'"{o}"' for o in options)
        raise ValidationError(where, f"must be one of {shown}, got {value!r}")
    return allowed(value)


#: Dates are between these years: enough for any workshop, and date sums
#: (a review due in 13 weeks) can never overflow.
YEARS = (1900, 2999)


def iso_date(value: Any, where: str, *, required: bool = False) -> str:
    from datetime import date

    s = text(value, where, required=required, max_len=40)
    if s:
        # Exactly YYYY-MM-DD: Python also reads "20260331" and "2026-W14-2".
        ok = len(s) == 10 and s[4] == s[7] == "-" and (s[:4] + s[5:7] + s[8:]).isdigit() \
            and s.isascii()
        try:
            day = date.fromisoformat(s) if ok else None
        except ValueError:
            day = None
        if day is None:
            raise ValidationError(where, f"expected a date like 2026-03-31, got {s!r}")
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValidationError(where, f"the year must be {YEARS[0]}–{YEARS[1]}, got {day.year}")
    return s


def at(where: str, key: str) -> str:
    """The JSON path of an object member: ``$.notes.intro``, or ``$.notes["a b"]``."""
    if key.isascii() and key.replace("_", "a").replace("-", "a").isalnum():
        return f"{where}.{key}"
    return f"{where}[{json.dumps(key)}]"


def workshop_id(value: Any, where: str) -> str:
    """A workshop id: it names the workshop's file, so it must make a safe file name."""
    wid = text(value, where, required=True, max_len=100)
    if "/" in wid or "\\" in wid or wid.startswith("."):
        raise ValidationError(where, "must not contain / or \\ or start with a dot")
    if any(ord(c) < 32 or ord(c) == 127 for c in wid):
        raise ValidationError(where, "must not contain control characters")
    if len(wid.encode("utf-8")) > 150:  # <id>.json and its temporary names fit in 255 bytes
        raise ValidationError(where, "is too long to be a file name (at most 150 bytes of UTF-8)")
    return wid
