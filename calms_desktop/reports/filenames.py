"""File names to suggest for exports (no ReportLab here: the CSV export uses them too)."""

from __future__ import annotations

import re
import unicodedata

from ..core.model import Workshop

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
MAX_NAME = 150


def safe_filename_part(text: str) -> str:
    """Text usable in a file name on Windows, macOS and Linux."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub(" ", text)
    text = " ".join(text.split()).strip(" .")
    return text


def suggest_filename(ws: Workshop, what: str, suffix: str) -> str:
    """``2026-11-19 Nordlicht Logistics - Payments Platform - CALMS summary.pdf``.

    Args:
        what: the document ("CALMS summary", "CALMS report", "votes" …).
        suffix: the extension with its dot (".pdf", ".csv").
    """
    parts = [safe_filename_part(p) for p in (ws.organisation, ws.team)]
    who = " - ".join(p for p in parts if p) or safe_filename_part(ws.title) or "Workshop"
    day = ws.date if re.fullmatch(r"\d{4}-\d{2}-\d{2}", ws.date or "") else ""
    stem = " ".join(x for x in (day, who) if x)
    tail = f" - {what}"
    room = MAX_NAME - len(tail) - len(suffix)
    if len(stem) > room:
        stem = stem[:room].rstrip(" .-")
    return f"{stem}{tail}{suffix}"
