"""The GUI's side of translation: Designer forms and Qt's own dialogs.

``QUiLoader`` asks the application's translators for every string of a form
(``QCoreApplication.translate(formClass, text)``); :class:`CatalogueTranslator`
answers from the app's one gettext catalogue (:mod:`calms_desktop.core.i18n`),
with the form's class as the message context (``tools/i18n.py`` extracts them
so). Qt's own texts (standard buttons, file dialogs) come from the ``qtbase``
translations PySide6 ships.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QDateEdit

from ..core.i18n import (
    Translator,
    activate,
    language_setting_problem,
    set_active,
    shipped_language,
    system_language,
)
from .settings import Settings


class CatalogueTranslator(QTranslator):
    """A ``QTranslator`` that answers from a :class:`Translator`'s catalogue."""

    def __init__(self, translator: Translator, parent=None) -> None:
        super().__init__(parent)
        self.translator = translator

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        if not source_text:
            return None
        found = self.translator.pgettext(context, source_text) if context else source_text
        if found == source_text:
            found = self.translator.gettext(source_text)
        # A null answer (None) lets Qt ask the next translator (qtbase), then keep the
        # source; an empty string would replace the text with nothing.
        return found if found != source_text else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False


def chosen_language(settings: Settings) -> str:
    """The language the settings ask for, or the system's (``""`` in settings, or a
    value that names no shipped language; ``de_DE``, ``de-DE`` and ``DE`` are German)."""
    return shipped_language(settings.language) or system_language()


def report_language(settings: Settings) -> str:
    """The shipped language saved for the reports, or ``""`` (the interface's)."""
    return shipped_language(settings.report_language) or ""


def language_problems(settings: Settings) -> list[str]:
    """A sentence for each saved language setting the app cannot use (a hand-edited
    ``ui/language=fr``), each also logged; an empty list when all is well."""
    problems = [p for p in (language_setting_problem(Settings.language.key, settings.language),
                            language_setting_problem(Settings.report_language.key,
                                                     settings.report_language)) if p]
    for problem in problems:
        logging.getLogger(__name__).warning("%s", problem)
    return problems


def install(app: QCoreApplication, translator: Translator) -> list[QTranslator]:
    """Make ``translator`` the app's: active for Python code, forms and Qt's dialogs.

    Returns the installed ``QTranslator`` objects; the caller keeps them alive. This
    changes the current context for good; :func:`app_language` undoes it afterwards.
    """
    set_active(translator)
    # Babel's locale (en_GB for English): Qt's dates and numbers then agree with Babel's.
    QLocale.setDefault(QLocale(str(translator.locale)))
    installed: list[QTranslator] = []
    if translator.language == "en":
        return installed  # the sources are English; Qt's own texts are too
    qt = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt.load(f"qtbase_{translator.language}", path):
        app.installTranslator(qt)
        installed.append(qt)
    ours = CatalogueTranslator(translator, app)
    app.installTranslator(ours)
    installed.append(ours)
    return installed


#: The variables Qt reads (once, at start-up) for the machine's locale on Linux.
QT_SYSTEM_LOCALE_VARIABLES = ("LC_NUMERIC", "LC_TIME", "LC_MONETARY", "LC_MESSAGES",
                              "LC_MEASUREMENT", "LC_COLLATE")


@contextmanager
def system_locale_of(translator: Translator,
                     environ: MutableMapping[str, str] | None = None) -> Iterator[None]:
    """Let Qt take ``translator``'s language for the machine's locale while the block runs.

    Some of Qt's own widgets format with ``QLocale.system()``, not the default locale
    :func:`install` sets: the file dialog's sizes ("56,1 Kio" on a French machine in an
    English app) and dates. On Linux Qt reads that locale once, from the environment,
    when the application starts; create the ``QApplication`` inside the block. The
    environment is as it was afterwards, so programs the app starts (a PDF viewer) keep
    the machine's locale; ``LC_CTYPE`` (the text encoding) is never changed.
    """
    env = os.environ if environ is None else environ
    saved = {k: env.get(k) for k in (*QT_SYSTEM_LOCALE_VARIABLES, "LC_ALL", "LC_CTYPE",
                                      "LANGUAGE")}
    name = f"{QLocale(str(translator.locale)).name()}.UTF-8"
    if saved["LC_ALL"]:  # it would override ours; it keeps only the encoding
        env.setdefault("LC_CTYPE", saved["LC_ALL"])
        del env["LC_ALL"]
    for key in QT_SYSTEM_LOCALE_VARIABLES:
        env[key] = name
    env["LANGUAGE"] = translator.language
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                env.pop(key, None)
            else:
                env[key] = value


def show_dates_in(edit: QDateEdit, translator: Translator) -> None:
    """Make a date field read and type as ``translator``'s language (26.08.2026 /
    26/08/2026), whatever the machine's locale: digits only, so typing stays quick."""
    edit.setLocale(QLocale(str(translator.locale)))
    edit.setDisplayFormat(translator.numeric_date_pattern)


@contextmanager
def app_language(app: QCoreApplication, translator: Translator) -> Iterator[list[QTranslator]]:
    """``translator`` as the app's language inside the block (see :func:`install`).

    Afterwards the active translator, Qt's default locale and the app's translators are
    what they were before: the block is one run of the app, or one test.

    Yields:
        the installed ``QTranslator`` objects (alive until the block ends).
    """
    locale = QLocale()
    with activate(translator):
        installed = install(app, translator)
        try:
            yield installed
        finally:
            for t in installed:
                app.removeTranslator(t)
            QLocale.setDefault(locale)
