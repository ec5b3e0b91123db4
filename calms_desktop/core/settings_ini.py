"""The app's settings file (``settings.ini`` in the data folder) read without Qt.

The GUI writes it with ``QSettings`` (``gui/settings.py``); the command line
reads the same keys (the report branding, the languages) with
:func:`read_section`, so ``calms-desktop export`` prints what the app would.
"""

from __future__ import annotations

import configparser
import logging
import re
from pathlib import Path

from .errors import ValidationError
from .i18n import language_setting_problem, shipped_language
from .validate import read_limited

SETTINGS_FILE = "settings.ini"

_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v", "0": "\0"}
_ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{1,4}|.)')


def qsettings_text(raw: str) -> str:
    """A string value as QSettings wrote it in an INI file, unescaped.

    QSettings puts a value in double quotes when it has a comma, a semicolon
    or spaces at its ends, escapes backslashes, quotes and control characters
    (``\\"``, ``\\n``, ``\\xHHHH``) and doubles a leading ``@``.
    """
    value = raw.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]

    def unescape(m: re.Match[str]) -> str:
        code = m.group(1)
        if code.startswith("x") and len(code) > 1:
            return chr(int(code[1:], 16))
        return _ESCAPES.get(code, code)

    value = _ESCAPE.sub(unescape, value)
    return value[1:] if value.startswith("@@") else value


def read_section(path: Path, section: str) -> dict[str, str]:
    """The string values of one ``[section]`` of a settings file (``{}`` when unreadable).

    ``QSettings`` keys ``group/key`` are ``[group] key=`` in the file.
    """
    parser = configparser.ConfigParser(interpolation=None)
    try:
        # never a pipe, a device or a huge file: a reader must not hang or fill memory
        raw = read_limited(path, max_bytes=1_000_000)
        parser.read_string(raw.decode("utf-8"))
    except (OSError, ValidationError, configparser.Error, UnicodeDecodeError):
        return {}
    if not parser.has_section(section):
        return {}
    return {key: qsettings_text(value) for key, value in parser[section].items()}


def saved_language(path: Path, key: str = "ui") -> str | None:
    """The language saved for ``key`` (``ui``: the interface, ``report``: the reports).

    None when none is saved (the interface then follows the system locale, the
    reports the interface) or the saved value is not a shipped language.
    """
    value = read_section(path, key).get("language", "")
    problem = language_setting_problem(f"{key}/language", value)
    if problem:
        logging.getLogger(__name__).warning("%s: %s", path, problem)
    return shipped_language(value)
