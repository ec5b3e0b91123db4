"""Small helpers to read untrusted JSON and say exactly where it is wrong.

Each helper takes the value and its JSON path (``$.votes[3].score``) and
raises :class:`~calms_desktop.core.errors.ValidationError` naming that path.
"""

from __future__ import annotations

import json
from typing import Any

from .errors import ValidationError
from .i18n import N_, SOURCE_LANGUAGE, _, active, format_number, ngettext, pgettext

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
    raise ValidationError("$", _("{name} is not a number JSON allows").format(name=name))


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
        raise ValidationError("$", too_large(len(raw), max_bytes), source)
    try:
        textual = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            "$", _("not UTF-8 text (byte {at})").format(at=format_number(exc.start, 0)), source
        ) from None
    try:
        # Python refuses integers of more than 4,300 digits (a ValueError, below);
        # shorter ones are refused by each field's range check.
        data = json.loads(textual, parse_constant=_parse_constant)
    except ValidationError as exc:
        raise exc.with_source(source) from None
    except json.JSONDecodeError as exc:
        where = _("line {line}, column {column}").format(
            line=format_number(exc.lineno, 0), column=format_number(exc.colno, 0))
        raise ValidationError(
            where, _("not valid JSON ({reason})").format(reason=json_reason(exc.msg)), source
        ) from None
    except RecursionError:
        raise ValidationError("$", _too_deep(), source) from None
    except ValueError as exc:  # an integer of thousands of digits
        raise ValidationError(
            "$", _("a number this app cannot read ({reason})").format(reason=exc), source
        ) from None
    if not _depth_ok(data):
        raise ValidationError("$", _too_deep(), source)
    return data


def _too_deep() -> str:
    return _("nested deeper than {most} levels").format(most=format_number(MAX_DEPTH, 0))


def too_large(size: int, max_bytes: int) -> str:
    """The problem of a file of ``size`` bytes over ``max_bytes``, in the active language."""
    return _("the file is {size} bytes; the limit is {most}").format(
        size=format_number(size, 0), most=format_number(max_bytes, 0))


#: What the system's refusals mean, in words people read (the system's own are English).
_SYSTEM_REASONS: dict[str, str] = {
    "ENOENT": N_("no such file or folder"),
    "EACCES": N_("permission denied"),
    "EPERM": N_("permission denied"),
    "ENOSPC": N_("the disk is full"),
    "EDQUOT": N_("the disk quota is used up"),
    "EROFS": N_("the disk is read-only"),
    "EISDIR": N_("it is a folder"),
    "ENOTDIR": N_("a part of the path is not a folder"),
    "ENAMETOOLONG": N_("the name is too long"),
    "EEXIST": N_("it already exists"),
    "EIO": N_("the disk reported an input/output error"),
    "EBUSY": N_("it is in use"),
}


def system_reason(exc: OSError | str | None) -> str:
    """Why the system refused, in the active language (``ENOSPC`` → "the disk is full").

    An error the table does not know is said in the system's words when the app
    speaks English (the language they are in), else named by its code ("system
    error EXDEV") — never English words in a German sentence.
    """
    import errno

    if not isinstance(exc, OSError):
        return exc or _("unknown reason")
    name = errno.errorcode.get(exc.errno or 0, "")
    if name in _SYSTEM_REASONS:
        return _(_SYSTEM_REASONS[name])
    if exc.strerror and active().language == SOURCE_LANGUAGE:
        return exc.strerror
    return _("system error {code}").format(code=name or exc.errno or type(exc).__name__)


def cannot_read(reason: OSError | str | None) -> str:
    """The problem of a file the system would not let the app read (``reason``: the
    system's error, worded by :func:`system_reason`)."""
    return _("cannot read the file ({reason})").format(reason=system_reason(reason))


#: The json module's messages (English, cut before their position) in words people read.
_JSON_REASONS: dict[str, str] = {
    "Expecting value": N_("a value is missing"),
    "Expecting property name enclosed in double quotes":
        N_("a name in double quotes is missing"),
    "Expecting ':' delimiter": N_("a colon (:) is missing"),
    "Expecting ',' delimiter": N_("a comma (,) is missing"),
    "Unterminated string starting at": N_("a text in quotes is not closed"),
    "Invalid control character": N_("a control character inside a text in quotes"),
    "Invalid \\escape": N_("a backslash (\\) that starts no valid escape"),
    "Invalid \\uXXXX escape": N_("a backslash (\\) that starts no valid escape"),
    "Extra data": N_("more follows after the end of the document"),
    "Illegal trailing comma before end of": N_("a comma before a closing bracket"),
}


def json_reason(message: str) -> str:
    """A :class:`json.JSONDecodeError` message in the active language (never the English)."""
    for english, words in _JSON_REASONS.items():
        if message.startswith(english):
            return _(words)
    return _("the text does not follow JSON's rules")


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
        raise ValidationError("$", cannot_read(exc), where) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise ValidationError("$", _("not a regular file (a folder, device or pipe)"), where)
        if st.st_size > max_bytes:
            raise ValidationError("$", too_large(st.st_size, max_bytes), where)
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
        raise ValidationError("$", cannot_read(exc), where) from None
    finally:
        os.close(fd)


def not_imported(reason: OSError | str | None) -> str:
    """The problem of an import the system stopped (``reason``: its error, worded by
    :func:`system_reason`); nothing was kept."""
    return _("could not be imported ({reason}); nothing was imported").format(
        reason=system_reason(reason))


def no_participant(pid: str) -> str:
    """The problem of a vote or estimate by a participant the workshop does not have."""
    return _("no participant {id!r}").format(id=pid)


def type_name(value: Any) -> str:
    """What kind of JSON value ``value`` is, in words of the active language ("a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    names: dict[type, str] = {dict: _("an object"), list: _("a list"),
                              str: pgettext("kind of value", "text")}
    if type(value) in names:
        return names[type(value)]
    return _("a number") if isinstance(value, int | float) else type(value).__name__


def obj(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValidationError(
            where, _("expected an object, got {kind}").format(kind=type_name(value)))
    return value


def lst(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise ValidationError(where, _("expected a list, got {kind}").format(kind=type_name(value)))
    return value


def field(d: dict[str, Any], key: str, where: str) -> Any:
    if key not in d:
        raise ValidationError(where, _('missing required field "{key}"').format(key=key))
    return d[key]


def text(value: Any, where: str, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise ValidationError(where, _("expected text, got {kind}").format(kind=type_name(value)))
    if required and not value.strip():
        raise ValidationError(where, _("must not be empty"))
    if len(value) > max_len:
        raise ValidationError(where, _("text is {length} characters; the limit is {most}").format(
            length=format_number(len(value), 0), most=format_number(max_len, 0)))
    if "\x00" in value:
        raise ValidationError(where, _("text contains a NUL character"))
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:  # a lone surrogate: no file or screen can hold it
            raise ValidationError(
                where, _("text contains an unpaired surrogate (U+{code})").format(
                    code=f"{ord(value[exc.start]):04X}")
            ) from None
    return value


def key_text(value: str, where: str, max_len: int = 200) -> str:
    """An object key used as an id (checked like :func:`text`, non-empty)."""
    return text(value, where, required=True, max_len=max_len)


def count(items: list[Any], where: str, most: int, forms: tuple[str, str]) -> list[Any]:
    """``items``, unless there are more than ``most``.

    Args:
        forms: the singular and plural of the problem, marked with ``Nn_`` and
            with ``{count}`` and ``{most}`` in them ("{count} actions; the limit is {most}").
    """
    if len(items) > most:
        raise ValidationError(where, ngettext(*forms, len(items)).format(
            count=format_number(len(items), 0), most=format_number(most, 0)))
    return items


def integer(value: Any, where: str, lo: int, hi: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(where, _("expected a whole number {lo}–{hi}, got {kind}").format(
            lo=format_number(lo, 0), hi=format_number(hi, 0), kind=type_name(value)))
    if not lo <= value <= hi:
        # the value as the file writes it (quoted like a text), the limits as the language does
        raise ValidationError(where, _("must be {lo}–{hi}, got {value}").format(
            lo=format_number(lo, 0), hi=format_number(hi, 0), value=value))
    return value


def choice(value: Any, where: str, allowed: type) -> Any:
    options = [m.value for m in allowed]  # type: ignore[attr-defined]
    if value not in options:
        shown = ", ".join(f'"{o}"' for o in options)
        raise ValidationError(where, _("must be one of {options}, got {value!r}").format(
            options=shown, value=value))
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
            raise ValidationError(where, _("expected a date like 2026-03-31, got {value!r}").format(
                value=s))
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise ValidationError(where, _("the year must be {first}–{last}, got {year}").format(
                first=YEARS[0], last=YEARS[1], year=day.year))
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
        raise ValidationError(where, _("must not contain / or \\ or start with a dot"))
    if any(ord(c) < 32 or ord(c) == 127 for c in wid):
        raise ValidationError(where, _("must not contain control characters"))
    if len(wid.encode("utf-8")) > 150:  # <id>.json and its temporary names fit in 255 bytes
        raise ValidationError(
            where, _("is too long to be a file name (at most {most} bytes of UTF-8)").format(
                most=format_number(150, 0)))
    return wid
