"""The desktop entry names the app in every language the app speaks."""

from __future__ import annotations

import configparser
from pathlib import Path

from calms_desktop.core.i18n import LANGUAGES, SOURCE_LANGUAGE

ENTRY = Path(__file__).resolve().parents[2] / "packaging" / "calms-desktop.desktop"
#: The keys a desktop shows or searches (the freedesktop spec's localestrings).
SHOWN = ("Name", "GenericName", "Comment", "Keywords")


def test_every_shown_key_is_translated_into_every_language():
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    entry.read(ENTRY, encoding="utf-8")
    section = entry["Desktop Entry"]
    for language in (lang for lang in LANGUAGES if lang != SOURCE_LANGUAGE):
        for key in SHOWN:
            translated = section.get(f"{key}[{language}]", "")
            assert translated and translated != section[key], (key, language)
    assert section["Keywords[de]"].endswith(";")

