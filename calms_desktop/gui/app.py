"""Starting the app: the QApplication, the library, the main window, resume."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..appdata import APPLICATION, ORGANISATION
from ..core.assets import resource_dir
from ..core.errors import CalmsError, LibraryLocked
from ..core.i18n import ENGLISH, Translator, _, ngettext
from ..core.resume import ResumeState, ResumeStore
from ..core.storage import Library
from ..core.validate import system_reason

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

    from .main_window import MainWindow


def _has_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def app_icon() -> QIcon:
    """The app's icon (``resources/icons``): the SVG, with the PNGs for small sizes."""
    from PySide6.QtGui import QIcon

    icons = resource_dir("icons")
    icon = QIcon(str(icons / "calms-desktop.svg"))
    for png in sorted(icons.glob("calms-desktop-*.png")):
        icon.addFile(str(png))
    return icon


def create_window(data_dir: Path, phone_port: int | None = None,
                  translator: Translator = ENGLISH) -> MainWindow:
    """Open the library and build the main window (the QApplication must exist).

    Raises:
        LibraryLocked: another CALMS Workshop has this library open.
        LibraryUnavailable: the library folder cannot be used (read-only,
            missing drive, lock file not writable).
    """
    from .main_window import AppContext, MainWindow
    from .settings import Settings

    library = Library(data_dir)
    context = AppContext(library, Settings.for_data_dir(data_dir), data_dir, ResumeStore(data_dir),
                         translator)
    if phone_port is not None:
        context.settings.phone_port = phone_port
    window = MainWindow(context)
    if library.problems:
        window.start_screen.show_notice(describe_problems(library))
    return window


def describe_problems(library: Library) -> str:
    """What the facilitator is told when damaged files were set aside at start."""
    problems = library.problems
    first = problems[0]
    n = len(problems)
    text = ngettext("{n} workshop file could not be read and was set aside; the rest of the "
                    "library is here.",
                    "{n} workshop files could not be read and were set aside; the rest of the "
                    "library is here.", n).format(n=n)
    if first.moved_to:
        text += " " + _("They are in {folder}, untouched.").format(folder=library.damaged_dir)
    text += " " + _("First: {problem}").format(problem=first.message)
    if n > 1:
        text += " " + ngettext("(and {n} more)", "(and {n} more)", n - 1).format(n=n - 1)
    return text


def describe_resume(window, state: ResumeState) -> str | None:
    """A sentence for the resume question, or None if the workshop is gone."""
    library = window.library
    if state.workshop_id not in library:
        return None
    row = next(r for r in library.summaries() if r["id"] == state.workshop_id)
    from .main_window import STEP_LABELS

    where = _(STEP_LABELS[state.step]) if state.step in STEP_LABELS else state.step
    text = _("“{title}” ({organisation} / {team}) was not closed normally. Resume it at "
             "{step}, with every vote recorded so far?").format(
        title=row["title"], organisation=row["organisation"], team=row["team"], step=where)
    phones = state.phones
    if phones.get("open") and phones.get("host"):
        text += "\n\n" + _("Phone voting reopens on {host}:{port} with the same PIN, so "
                             "phones reconnect by themselves.").format(
            host=phones.get("host"), port=phones.get("port"))
    return text


def offer_resume(window, ask) -> bool:
    """If the last session was interrupted, ask (``ask(text) -> bool``) and resume it."""
    store: ResumeStore = window.context.resume
    state = store.load()
    if state is None:
        return False
    text = describe_resume(window, state)
    if text is None or not ask(text):
        store.clear()
        return False
    return window.open_workshop(state.workshop_id, resume=state)


def start_failure(exc: BaseException, data_dir: Path) -> tuple[str, int]:
    """What a GUI user is told when the app cannot start, and the exit code."""
    if isinstance(exc, LibraryLocked):
        return str(exc), 3
    if isinstance(exc, CalmsError):
        return str(exc), 2
    if isinstance(exc, OSError):
        reason = system_reason(exc)
        where = exc.filename or data_dir
        return _("CALMS Workshop cannot start: {folder}: {reason}. Check that the drive is "
                 "connected and writable, or choose another folder with --data-dir.").format(
            folder=where, reason=reason), 2
    raise exc


def run_gui(data_dir: Path, demo: bool = False, open_id: str | None = None,
            show_error=None, phone_port: int | None = None) -> int:
    """Run the app until its window closes; start-up failures are shown in a dialog.

    Args:
        show_error: ``show_error(text)`` tells the user why the app cannot
            start (default: a message box); tests replace it.
    """
    if not _has_display():
        print(
            "error: no display found (DISPLAY is not set). Run this on a desktop, or under "
            "xvfb-run, or set QT_QPA_PLATFORM=offscreen.",
            file=sys.stderr,
        )
        return 1
    from PySide6.QtCore import QLocale
    from PySide6.QtWidgets import QApplication

    from .fonts import register_app_fonts
    from .i18n import app_language, chosen_language, system_locale_of
    from .settings import Settings

    translator = Translator(chosen_language(Settings.for_data_dir(data_dir)))
    app = QApplication.instance()
    if app is None:
        # Qt's file dialog formats sizes and dates in QLocale.system(), read now
        with system_locale_of(translator):
            app = QApplication(sys.argv[:1])
            QLocale.system()
    assert isinstance(app, QApplication)  # the GUI never runs on a bare QCoreApplication
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    # No applicationDisplayName: on X11 and Windows Qt appends it to every window
    # title ("CALMS Workshop — <workshop> — CALMS Workshop"); our titles name the app.
    # the desktop entry's name (packaging/calms-desktop.desktop): Wayland and
    # task bars match the window to its menu entry and icon by it
    app.setDesktopFileName("calms-desktop")
    app.setWindowIcon(app_icon())
    register_app_fonts(app)
    # the language holds while the app runs; afterwards the process is as it was (a test
    # that starts the app leaves no German behind for the next)
    with app_language(app, translator) as qt_translators:
        return _run_window(app, data_dir, demo, open_id, show_error, phone_port, translator,
                           qt_translators)


def _run_window(app, data_dir: Path, demo: bool, open_id: str | None, show_error,
                phone_port: int | None, translator: Translator, qt_translators: list) -> int:
    """Build the main window in the app's language, offer to resume, and run until it closes."""
    from PySide6.QtWidgets import QMessageBox

    if show_error is None:
        def show_error(text: str) -> None:
            QMessageBox.critical(None, APPLICATION, text)
    try:
        window = create_window(data_dir, phone_port, translator)
        window.qt_translators = qt_translators  # kept alive with the window
    except (CalmsError, OSError) as exc:
        text, code = start_failure(exc, data_dir)
        show_error(text)
        print(f"error: {text}", file=sys.stderr)
        return code
    window.show()
    window.activateWindow()  # the keyboard starts in the window (no window manager: none)

    def ask(text: str) -> bool:
        answer = QMessageBox.question(
            window, _("Resume the interrupted workshop?"), text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        return answer == QMessageBox.StandardButton.Yes

    try:
        if not offer_resume(window, ask):
            if open_id:
                window.open_workshop(open_id)
            elif demo:
                window.open_demo()
    except (CalmsError, OSError) as exc:  # e.g. a damaged bundled questionnaire for --demo
        QMessageBox.warning(window, APPLICATION, _('Could not open the workshop: {exc}').format(
            exc=exc))
    code = app.exec()
    window.library.close()
    return code
