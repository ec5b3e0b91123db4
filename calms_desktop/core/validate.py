"""Small helpers to read untrusted JSON and say exactly where it is wrong.

Each helper takes the value and its JSON path (``$.votes[3].score``) and
raises :class:`~calms_desktop.core.errors.ValidationError` naming that path.
"""

from __future__ import annotations

from typing import Any

from .errors import ValidationError

#: Longest text accepted in any single field (a 10,000-character note fits).
MAX_TEXT = 100_000


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
    return value


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


def iso_date(value: Any, where: str, *, required: bool = False) -> str:
    from datetime import date

    s = text(value, where, required=required, max_len=40)
    if s:
        try:
            date.fromisoformat(s)
        except ValueError:
            raise ValidationError(where, f"expected a date like 2026-03-31, got {s!r}") from None
    return s
