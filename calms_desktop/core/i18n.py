"""The app's one translation mechanism: gettext catalogues plus Babel formats.

Why gettext + Babel (and not Qt Linguist): the same catalogue reaches the
Qt-free core (undo labels, scoring words), the room's slides, the reports, the
CLI and the phone page (the server hands the page its strings as JSON), none of
which may import Qt. Plural forms come from the catalogue's ``Plural-Forms``
header through :meth:`Translator.ngettext`. Qt Designer forms are translated
through a ``QTranslator`` that asks the same :class:`Translator`
(``gui/i18n.py``).

A :class:`Translator` is a plain value: one language, its catalogue and its
Babel locale for dates and numbers. Code that builds text for one audience in
one language (a report exported in English from a German console) is handed
one explicitly. So that a string deep in the core need not carry a translator
through every signature, the *active* translator is a :class:`ContextVar`
scoped with :func:`activate` — set once by the GUI or the CLI at start-up and
for the duration of one export, never a mutable object reached from
everywhere. A new thread starts with English until it activates its own.

Strings are marked with :func:`_` (``gettext``), :func:`ngettext`,
:func:`pgettext` (a word whose German depends on where it stands) and
:func:`N_` (marked for extraction, translated where it is shown).
"""

from __future__ import annotations

import datetime as _dt
import gettext as _gettext
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import ROUND_HALF_UP, Decimal
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel import dates as _bdates
from babel import numbers as _bnumbers

DOMAIN = "calms"
#: The languages the app ships, English first (the source language).
LANGUAGES: tuple[str, ...] = ("en", "de")
SOURCE_LANGUAGE = "en"
#: Each shipped language's name in itself, as Babel gives it (a test checks);
#: the language menus show these at start-up without loading Babel's locale data.
ENDONYMS: dict[str, str] = {"en": "English", "de": "Deutsch"}


def locale_dir() -> Path:
    """The folder of the compiled catalogues (``<lang>/LC_MESSAGES/calms.mo``)."""
    return Path(str(resources.files("calms_desktop") / "locale"))


def language_name(code: str, in_language: str | None = None) -> str:
    """The name of a language, in that language unless ``in_language`` is given."""
    if in_language is None and code in ENDONYMS:
        return ENDONYMS[code]
    try:
        name = Locale.parse(code).get_display_name(in_language or code) or code
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:]


def normalise_language(value: str | None) -> str:
    """The shipped language nearest to ``value`` (``de_AT.UTF-8`` → ``de``); else English."""
    return (_shipped(value) if value else None) or SOURCE_LANGUAGE


def shipped_language(value: str | None) -> str | None:
    """The shipped language a typed or hand-edited value names, or None.

    ``en_US``, ``de_DE``, ``de-DE``, ``DE`` and ``de_AT.UTF-8`` alike (Babel parses
    the locale; only its language counts).
    """
    return _shipped(value) if value and value.strip() else None


def _shipped(value: str) -> str | None:
    """The shipped language ``value`` names (``de_AT.UTF-8`` → ``de``), or None."""
    text = value.strip().split(".")[0].split("@")[0].replace("-", "_")
    try:
        code = Locale.parse(text).language
    except (UnknownLocaleError, ValueError, TypeError):
        code = text.split("_")[0].lower()
    return code if code in LANGUAGES else None


def language_setting_problem(key: str, value: str | None) -> str | None:
    """What to tell the facilitator about a saved language that names no shipped one
    (``report/language=fr``), or None when it is empty or fine."""
    if not value or not value.strip() or shipped_language(value):
        return None
    return _("The setting {key}={value} is not a language the app has ({languages}); it "
             "is ignored.").format(key=key, value=value.strip(),
                                   languages=", ".join(LANGUAGES))


def system_language(environ: Mapping[str, str] | None = None) -> str:
    """The shipped language the environment asks for, by gettext's rules.

    The locale is ``LC_ALL``, else ``LC_MESSAGES``, else ``LANG`` (``C`` when
    none is set). ``LANGUAGE`` — a list by priority, ``fr:de`` — comes before
    it, unless the locale is ``C`` or ``POSIX`` (gettext then ignores it); its
    first language that ships wins (``fr:de`` → German). Otherwise the locale's
    language if it ships, else English.
    """
    env = os.environ if environ is None else environ
    locale_name = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "C")
    if locale_name not in ("C", "POSIX"):
        for entry in env.get("LANGUAGE", "").split(":"):
            found = _shipped(entry) if entry else None
            if found:
                return found
    return _shipped(locale_name) or SOURCE_LANGUAGE


@cache
def _catalogue(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, localedir=str(locale_dir()), languages=[language],
                                fallback=True)


class Translator:
    """Texts, dates and numbers in one language.

    Args:
        language: a code from :data:`LANGUAGES` (anything else falls back to
            English, see :func:`normalise_language`).
    """

    def __init__(self, language: str = SOURCE_LANGUAGE) -> None:
        self.language = normalise_language(language)
        self._catalogue = _catalogue(self.language)
        # English dates read the British way the app is written in ("19 December 2026").
        self.locale = Locale.parse("en_GB" if self.language == "en" else self.language)

    @cached_property
    def decimal_symbol(self) -> str:
        """"." or "," — what a score's decimal point is in this language.

        Looked up on first use: Babel's locale data takes a while to load, and the
        start screen shows no number.
        """
        return str(_bnumbers.get_decimal_symbol(self.locale))

    def __repr__(self) -> str:
        return f"Translator({self.language!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Translator) and other.language == self.language

    def __hash__(self) -> int:
        return hash(self.language)

    def gettext(self, message: str) -> str:
        """``message`` in this language."""
        return self._catalogue.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form for ``n`` (the language's own plural rule)."""
        return self._catalogue.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` as it reads in ``context``."""
        return self._catalogue.pgettext(context, message)

    # -- dates and numbers (Babel, never the machine's locale by accident) --

    def format_date(self, value: _dt.date, format: str = "long") -> str:
        """A date in this language.

        ``format`` is one of :data:`DATE_FORMATS`: ``"long"`` (3 March 2026 /
        3. März 2026), ``"short"`` for a table cell or a line of text (3 Mar 2026 /
        03.03.2026), ``"day_month"`` for a chart tick over its year (3 Mar /
        3. März); anything else is handed to Babel as a pattern or style.
        """
        if format in _SKELETONS:
            return str(_bdates.format_skeleton(_SKELETONS[format], value, locale=self.locale))
        return str(_bdates.format_date(value, format=DATE_FORMATS.get(format, format),
                                       locale=self.locale))

    def format_short_date(self, value: _dt.date) -> str:
        """A compact date for a table cell (19 Dec 2026 / 19.12.2026)."""
        return self.format_date(value, "short")

    def format_datetime(self, value: _dt.datetime, format: str = "short") -> str:
        """A date with its time of day: ``"short"`` is the short date and hours:minutes
        (19 Dec 2026 14:05 / 19.12.2026 14:05); anything else is a Babel style."""
        if format == "short":
            return f"{self.format_date(value, 'short')} {self.format_time(value)}"
        return str(_bdates.format_datetime(value, format=format, locale=self.locale))

    @property
    def numeric_date_pattern(self) -> str:
        """The language's all-digit date with a four-digit year, as an LDML pattern
        (``dd/MM/yyyy`` / ``dd.MM.yyyy``) — Qt's ``QDateEdit.displayFormat`` reads the
        same letters, so a date field shows the UI language, not the machine's."""
        pattern = str(self.locale.date_formats["short"].pattern)
        return re.sub(r"y+", "yyyy", pattern)

    def format_time(self, value: _dt.time | _dt.datetime, format: str = "short") -> str:
        """A time of day."""
        return str(_bdates.format_time(value, format=format, locale=self.locale))

    def format_number(self, value: float | Decimal, digits: int = 1, *,
                      signed: bool = False, grouped: bool = True) -> str:
        """Any number shown to people, in this language (41,250.5 / 41.250,5).

        The one place numbers become text: decimal sign and thousands grouping
        are the language's (Babel's data), never the machine locale's. ``value``
        is rounded half up to ``digits`` decimals first (2.45 → 2.5, as scores
        are), so a shown number never disagrees with the same number elsewhere.
        ``signed`` puts ``+`` before a positive change and a real minus (−)
        before a negative one (a change that rounds to zero is +0.0, never −0.0).
        """
        rounded = round_half_up(value, digits)
        pattern = ("#,##0" if grouped else "0") + ("." + "0" * digits if digits > 0 else "")
        text = str(_bnumbers.format_decimal(abs(rounded), format=pattern, locale=self.locale,
                                            decimal_quantization=True))
        if rounded < 0:
            return "\u2212" + text
        return "+" + text if signed else text

    def format_decimal(self, value: float, digits: int = 1) -> str:
        """A number with ``digits`` decimals (2.5 / 2,5; see :meth:`format_number`)."""
        return self.format_number(value, digits)

    def format_signed(self, value: float, digits: int = 1) -> str:
        """A change with its sign (+0.7 / +0,7; −0.3 with a real minus)."""
        return self.format_number(value, digits, signed=True)

    def format_integer(self, value: int) -> str:
        """A whole number with the language's grouping (1,234 / 1.234)."""
        return self.format_number(value, 0)

    def format_percent(self, value: float) -> str:
        """A share as a percentage (0.25 → 25 % / 25 %)."""
        return str(_bnumbers.format_percent(value, locale=self.locale))


#: The app's date forms and the Babel style each is written with.
DATE_FORMATS: dict[str, str] = {"long": "long", "short": "medium"}
#: Forms written from a Babel skeleton (the language orders and punctuates the parts).
_SKELETONS: dict[str, str] = {"day_month": "MMMd"}


ENGLISH = Translator(SOURCE_LANGUAGE)

_active: ContextVar[Translator] = ContextVar("calms_translator", default=ENGLISH)


def active() -> Translator:
    """The translator of the current context (English unless one was activated)."""
    return _active.get()


def set_active(translator: Translator) -> None:
    """Make ``translator`` the current context's (the GUI and CLI do this at start)."""
    _active.set(translator)


@contextmanager
def activate(translator: Translator) -> Iterator[Translator]:
    """Use ``translator`` inside the ``with`` block (one export, one phone's page)."""
    token = _active.set(translator)
    try:
        yield translator
    finally:
        _active.reset(token)


def _(message: str) -> str:
    """``message`` in the active language (marks it for extraction)."""
    return _active.get().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The active language's form for ``n`` (marks both for extraction)."""
    return _active.get().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as it reads in ``context``, in the active language."""
    return _active.get().pgettext(context, message)


def round_half_up(value: float | Decimal, digits: int = 0) -> Decimal:
    """``value`` rounded half up to ``digits`` decimals, as every shown number is (30.5 →
    31, 2.45 → 2.5): a figure sorted into a bucket by this rounding is the one printed."""
    exact = Decimal(repr(float(value))) if not isinstance(value, Decimal) else value
    step = Decimal(1).scaleb(-digits)
    return exact.quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP).quantize(
        step, rounding=ROUND_HALF_UP)


def format_number(value: float | Decimal, digits: int = 1, *, signed: bool = False,
                  grouped: bool = True) -> str:
    """``value`` as the active language writes it (see :meth:`Translator.format_number`)."""
    return _active.get().format_number(value, digits, signed=signed, grouped=grouped)


def as_date(value: _dt.date | str | None) -> _dt.date | None:
    """The day ``value`` names: a date, an ISO date, or the day of an ISO timestamp
    (``2026-08-26T09:00:00+00:00``); None for anything else."""
    if isinstance(value, _dt.date):
        return value
    text = (value or "").strip()
    for parse in (_dt.date.fromisoformat, lambda t: _dt.datetime.fromisoformat(t).date()):
        try:
            return parse(text)
        except ValueError:
            continue
    return None


def format_date(value: _dt.date | str | None, format: str = "long", *,
                empty: str = "") -> str:
    """A date shown to a person, in the active language — the one call every label,
    table cell, slide, chart tick, report line and CLI line uses.

    ``value`` may be a date or the ISO text a workshop stores (files, CSV and JSON
    keep ISO; only what people read goes through here). ``format`` is ``"long"``
    (26 August 2026 / 26. August 2026), ``"short"`` (26 Aug 2026 / 26.08.2026) or
    ``"day_month"`` (26 Aug / 26. Aug.), see :meth:`Translator.format_date`. Text
    that is not a date is shown as it is (a hand-edited file loses nothing);
    no date at all gives ``empty``.
    """
    day = as_date(value)
    if day is None:
        return str(value).strip() if value else empty
    if isinstance(day, _dt.datetime):
        day = day.date()
    return _active.get().format_date(day, format)


def format_period(text: str) -> str:
    """A stored period, "2026-08-01 – 2026-08-31", with both days as the active
    language writes them (01.08.2026 – 31.08.2026); any other text as it is."""
    first, dash, last = (text or "").partition(" – ")
    start, end = as_date(first), as_date(last)
    if not dash or start is None or end is None:
        return text
    return f"{format_date(start, 'short')} – {format_date(end, 'short')}"


def iso_date_hint(example: _dt.date = _dt.date(2026, 9, 30)) -> str:
    """What a date field that takes ISO input tells the facilitator, in the UI language
    ("Type the date as YYYY-MM-DD: 2026-09-30 is 30 September 2026")."""
    return _("Type the date as YYYY-MM-DD: {iso} is {shown}").format(
        iso=example.isoformat(), shown=format_date(example))


def format_datetime(value: _dt.datetime | str | None, *, empty: str = "") -> str:
    """A moment (a deletion, a save) in the active language: short date and
    hours:minutes in local time (26 Aug 2026 14:05 / 26.08.2026 14:05). Text that
    is not an ISO timestamp is shown as it is; nothing gives ``empty``."""
    if isinstance(value, _dt.datetime):
        moment = value
    else:
        try:
            moment = _dt.datetime.fromisoformat((value or "").strip())
        except ValueError:
            return str(value).strip() if value else empty
    if moment.tzinfo is not None:
        try:
            moment = moment.astimezone()
        except (OverflowError, OSError, ValueError):  # year 1 or 9999 at the edge of a zone
            return str(value)
    return _active.get().format_datetime(moment)


def N_(message: str) -> str:
    """Mark ``message`` for extraction only; translate it with :func:`_` where shown."""
    return message


def NC_(context: str, message: str) -> str:  # noqa: N802 - gettext style
    """Mark ``message`` for extraction in ``context`` only (both literals: the extractor
    reads them); show it with :func:`pgettext` and the same context. For an English
    word with two senses ("Open": the status "Offen", the verb "Öffnen")."""
    return message


def Nn_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - gettext style
    """Mark a plural pair for extraction only; translate it with :func:`ngettext`."""
    return singular, plural
