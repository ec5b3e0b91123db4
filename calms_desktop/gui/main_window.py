"""The main window: lays out and navigates, nothing else.

Pages (a ``QStackedWidget``): the start screen, the open workshop (a step
navigator beside one screen per step), and the library views. Each screen
lives in its own module under ``gui/screens``; this window only creates
them, switches between them and owns the menus.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import (
    QByteArray,
    QEvent,
    QKeyCombination,
    QObject,
    Qt,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence

# Only what the first paint needs: PySide builds each Qt class's Python enums
# the first time the class is imported, which costs start-up time. Dialogs,
# docks and lists are imported where they are used.
from PySide6.QtWidgets import QApplication, QHBoxLayout, QMainWindow, QStackedWidget, QWidget

from ..core.errors import CalmsError
from ..core.i18n import ENGLISH, LANGUAGES, N_, Translator, _, language_name, shipped_language
from ..core.model import PILLAR_TITLES, STEPS, Pillar, PillarState, Workshop
from ..core.resume import ResumeState, ResumeStore
from ..core.storage import Library
from .i18n import language_problems, report_language
from .library_actions import LibraryActions
from .screens.base import Screen
from .screens.start_screen import StartScreen
from .settings import Settings
from .shortcuts_dialog import SHORTCUT_TEXT

if TYPE_CHECKING:  # imported when a workshop opens, not at start-up
    from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QDockWidget, QListWidget, QMessageBox

    from .commands import WorkshopController
    from .export_dialog import ExportJob
    from .projector.window import ProjectorWindow
    from .widgets.timer_widget import TimerWidget


def _export_label(kind: str) -> str:
    return {
        "attendee": _("Attendee summary (PDF)"),
        "facilitator": _("Facilitator report (PDF)"),
        "votes-csv": _("Votes (CSV)"),
        "summary-csv": _("Pillar summary (CSV)"),
        "metrics-csv": _("Delivery metrics (CSV)"),
    }[kind]


def _in_spin_box(widget: QWidget) -> bool:
    from PySide6.QtWidgets import QAbstractSpinBox

    return isinstance(widget, QAbstractSpinBox) or isinstance(widget.parent(),
                                                              QAbstractSpinBox)


def _navigation_keys() -> frozenset[int]:
    """The step keys (Ctrl+PgUp/PgDown, Ctrl+1…7, Ctrl+,) as combined key codes."""
    ctrl = Qt.KeyboardModifier.ControlModifier
    keys = [Qt.Key.Key_PageDown, Qt.Key.Key_PageUp, Qt.Key.Key_Comma,
            *(Qt.Key(Qt.Key.Key_1.value + i) for i in range(len(STEPS)))]
    return frozenset(QKeyCombination(ctrl, k).toCombined() for k in keys)


def _box() -> type[QMessageBox]:
    from PySide6.QtWidgets import QMessageBox

    return QMessageBox

APP_TITLE = "CALMS Workshop"
SETUP = "setup"
STEP_LABELS = {
    SETUP: N_("Set-up"),
    "intro": N_("Intro"),
    **PILLAR_TITLES,
    "summary": N_("Summary"),
}
STATE_MARKS = {
    PillarState.NOT_STARTED: "○",
    PillarState.VOTING: "◐",
    PillarState.REVEALED: "●",
    PillarState.DONE: "✓",
}


@dataclass
class AppContext:
    """What the windows need, passed in (no globals)."""

    library: Library
    settings: Settings
    data_dir: Path
    resume: ResumeStore
    #: the interface's language; reports default to it, the export dialog may choose another
    translator: Translator = ENGLISH


class MainWindow(QMainWindow):
    """The facilitator console.

    Signals:
        workshop_opened(object): a workshop was opened; the argument is its controller.
        workshop_closed(): the open workshop was closed.
    """

    workshop_opened = Signal(object)
    workshop_closed = Signal()

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.library = context.library
        self.controller: WorkshopController | None = None
        #: the notice of a workshop that opened without an unreadable metric entry
        self.repair_box: QMessageBox | None = None
        #: the Qt translators app.py installed for this window's language (kept alive here)
        self.qt_translators: list[QTranslator] = []
        self._screens: dict[str, Screen] = {}
        self._projector: ProjectorWindow | None = None
        self._window_actions: list[QAction] = []  # the menus' keys, from either window
        self._radar_dock: QDockWidget | None = None
        self._phones_dock: QDockWidget | None = None
        self.setWindowTitle(APP_TITLE)
        self.resize(1366, 768)
        self.setAcceptDrops(True)  # drop workshop files anywhere to import them

        self.pages = QStackedWidget(self)
        self.setCentralWidget(self.pages)
        self._library_pages: dict[str, QWidget] = {}
        self._build_menus()
        geometry = context.settings.window_geometry
        if geometry:
            self.restoreGeometry(QByteArray(geometry))
        self.library_actions = LibraryActions(self.library, self)
        self.start_screen = StartScreen(self.library_actions, self)
        self.start_screen.open_requested.connect(self.open_workshop)
        self.start_screen.new_requested.connect(self.new_workshop)
        self.start_screen.reassess_requested.connect(self.reassess)
        self.start_screen.demo_requested.connect(self.open_demo)
        self.start_screen.library_requested.connect(self.show_library)
        self.pages.addWidget(self.start_screen)
        problems = language_problems(context.settings)  # a hand-edited settings.ini
        self.statusBar().showMessage(" ".join(problems) if problems else _("Ready"),
                                     20000 if problems else 0)
        self._navigation_keys = _navigation_keys()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # window shortcuts win over a focused field
        self.show_start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Navigation shortcuts never change a field's value.

        A combo box or spin box takes Ctrl+PgDown (and friends) for itself
        through ShortcutOverride, so the step would not move and the target
        would change. Swallowing the override (unaccepted) lets the window's
        shortcut run instead.
        """
        if (event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent)
                and isinstance(watched, QWidget) and watched.window() is self
                and (event.keyCombination().toCombined() in self._navigation_keys
                     or (_in_spin_box(watched) and (
                         event.matches(QKeySequence.StandardKey.Undo)
                         or event.matches(QKeySequence.StandardKey.Redo))))):
            # (a spin box's own text undo would swallow Ctrl+Z after a tally:
            # the Edit menu's undo is the one the facilitator means)
            event.ignore()
            return True
        return super().eventFilter(watched, event)

    def _ensure_workshop_page(self) -> None:
        """Build the workshop page (step navigator + screens) and the toolbar (once)."""
        if hasattr(self, "_workshop_page"):
            return
        from PySide6.QtWidgets import QListWidget

        page = QWidget(self)
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        navigator = QListWidget(page)
        navigator.setObjectName("stepNavigator")
        navigator.setFixedWidth(170)
        navigator.setAccessibleName(_("Steps"))
        navigator.currentRowChanged.connect(self._navigator_moved)
        row.addWidget(navigator)
        self._navigator = navigator
        self._step_stack = QStackedWidget(page)
        row.addWidget(self._step_stack, 1)
        self.pages.addWidget(page)
        self._workshop_page = page
        self._build_toolbar()

    @property
    def workshop_page(self) -> QWidget:
        self._ensure_workshop_page()
        return self._workshop_page

    @property
    def navigator(self) -> QListWidget:
        self._ensure_workshop_page()
        return self._navigator

    @property
    def step_stack(self) -> QStackedWidget:
        self._ensure_workshop_page()
        return self._step_stack

    @property
    def timer_widget(self) -> TimerWidget:
        self._ensure_workshop_page()
        return self._timer_widget

    # -- menus ----------------------------------------------------------------------
    def _action(self, menu, text: str, shortcut, slot: Callable[[], object],
                tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # also from the projector window, when the facilitator clicked or dragged it
            self._window_actions.append(action)
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu(_("&File"))
        self._action(m, _("&Start screen"), "Ctrl+Shift+H", self.show_start)
        self._action(m, _("&New workshop…"), QKeySequence.StandardKey.New, self.new_workshop)
        self._action(m, _("Open &library…"), "Ctrl+L", self.show_library)
        self._action(m, _("Open the &demo workshop"), "", self.open_demo)
        self.reassess_action = self._action(
            m, _("&Re-assess this team"), "Ctrl+Shift+N",
            lambda: self.reassess(self.controller.workshop.id) if self.controller else None,
        )
        m.addSeparator()
        self.export_menu = m.addMenu(_("&Export"))
        for kind, keys in (("attendee", "Ctrl+E"), ("facilitator", "Ctrl+Shift+E"),
                           ("votes-csv", ""), ("summary-csv", ""), ("metrics-csv", "")):
            self._action(self.export_menu, _export_label(kind) + "…", keys,
                         partial(self.export, kind))
        self.export_menu.addSeparator()
        self._build_language_menu(self.export_menu.addMenu(_("Report &language")),
                                  report_language(self.context.settings),
                                  self.choose_report_language, _("Same as the interface"))
        self._action(m, _("Save the chart on screen as PNG or SVG…"), "", self.save_chart)
        self._action(m, _("Report &branding…"), "", self.edit_branding)
        m.addSeparator()
        self.close_action = self._action(m, _("&Close workshop"), "Ctrl+W", self.close_workshop)
        self._action(m, _("&Quit"), QKeySequence.StandardKey.Quit, self.close)

        self.edit_menu = bar.addMenu(_("&Edit"))

        m = bar.addMenu(_("&Workshop"))
        self.workshop_menu = m
        self._action(m, _("Set-&up"), "Ctrl+,", lambda: self.go_to(SETUP))
        self._action(m, _("&Next step"), "Ctrl+PgDown", lambda: self._step_by(1))
        self._action(m, _("&Previous step"), "Ctrl+PgUp", lambda: self._step_by(-1))
        for i, step in enumerate(STEPS, 1):
            self._action(m, _("Go to {step}").format(step=_(STEP_LABELS[step])), f"Ctrl+{i}",
                         partial(self.go_to, step))
        m.addSeparator()
        self._action(m, _("Start/pause &timer"), "Ctrl+T",
                     lambda: self.controller.toggle_timer() if self.controller else None)
        self._action(m, _("Reset timer"), "Ctrl+Shift+T",
                     lambda: self.controller.reset_timer() if self.controller else None)

        m = bar.addMenu(_("&View"))
        self.view_menu = m
        self._action(m, _("Pro&jector window"), "Ctrl+P", self.toggle_projector)
        self._action(m, _("Projector: &blank / unblank"), "Ctrl+B",
                     lambda: self._with_projector("blank"))
        self._action(m, _("Projector: &freeze / unfreeze"), "Ctrl+Shift+F",
                     lambda: self._with_projector("freeze"))
        self._action(m, _("Projector: full &screen"), "Ctrl+F5",
                     lambda: self._with_projector("toggle_fullscreen"))
        self._action(m, _("Projector: light / dark &theme"), "",
                     lambda: self._with_projector("toggle_theme"))
        m.aboutToShow.connect(self._add_screen_menu)  # built when first opened
        self._action(m, _("&Radar panel"), "Ctrl+Shift+R", self.toggle_radar)
        self._action(m, _("P&hones panel (vote from phones)"), "Ctrl+Shift+M",
                     self.toggle_phones)
        self._action(m, _("Team &progress"), "Ctrl+Shift+P", lambda: self.show_library("progress"))
        self._action(m, _("P&ortfolio"), "Ctrl+Shift+O", lambda: self.show_library("portfolio"))

        self._build_language_menu(m.addMenu(_("&Language")),
                                  shipped_language(self.context.settings.language) or "",
                                  self.choose_language, _("System default"))

        m = bar.addMenu(_("&Help"))
        self._action(m, _("&Keyboard shortcuts"), QKeySequence.StandardKey.HelpContents,
                     self.show_shortcuts)
        self._action(m, _("&About CALMS Workshop"), "", self.show_about)
        self._update_actions()

    def _build_toolbar(self) -> None:
        from .widgets.timer_widget import TimerWidget

        bar = self.addToolBar(_("Workshop"))
        bar.setObjectName("workshopToolbar")
        bar.setMovable(False)
        self._timer_widget = TimerWidget(bar)
        bar.addWidget(self._timer_widget)
        self._toolbar = bar
        bar.setVisible(False)

    def _update_actions(self) -> None:
        has = self.controller is not None
        self.workshop_menu.setEnabled(has)
        self.reassess_action.setEnabled(has)
        self.close_action.setEnabled(has)
        self.export_menu.setEnabled(has)
        for action in getattr(self, "_undo_actions", ()):
            self.edit_menu.removeAction(action)
            action.deleteLater()
        self._undo_actions: tuple[QAction, ...] = ()
        if has:
            assert self.controller is not None
            controller = self.controller
            stack = controller.undo_stack
            # The controller makes the change first and moves the stack only
            # when it was saved (a failed undo leaves stack, model and screen as
            # they were); the actions follow the stack's texts.
            undo = QAction(_("&Undo"), self)
            undo.setShortcut(QKeySequence.StandardKey.Undo)
            undo.setProperty(SHORTCUT_TEXT, _("Undo the last change"))
            undo.triggered.connect(lambda _c=False: controller.undo())
            redo = QAction(_("&Redo"), self)
            redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
            redo.setProperty(SHORTCUT_TEXT, _("Redo what was undone"))
            redo.triggered.connect(lambda _c=False: controller.redo())

            def follow(*_args: object) -> None:
                if not shiboken6.isValid(stack) or not shiboken6.isValid(undo):
                    return  # the stack clears itself while the workshop closes
                undo.setEnabled(stack.canUndo())
                undo.setText(_('&Undo {value}').format(
                    value=stack.undoText()) if stack.canUndo() else _("&Undo"))
                redo.setEnabled(stack.canRedo())
                redo.setText(_('&Redo {value}').format(
                    value=stack.redoText()) if stack.canRedo() else _("&Redo"))

            stack.indexChanged.connect(follow)
            stack.cleanChanged.connect(follow)
            follow()
            self.edit_menu.addAction(undo)
            self.edit_menu.addAction(redo)
            self._undo_actions = (undo, redo)

    # -- pages ------------------------------------------------------------------------
    def show_start(self) -> None:
        self.start_screen.load()
        self.pages.setCurrentWidget(self.start_screen)
        self.setWindowTitle(APP_TITLE)
        self.start_screen.focus_first()

    def show_library(self, which: str = "browser") -> None:
        """Show the library browser, a team's progress or the portfolio."""
        page = self._library_pages.get(which)
        if page is None:
            page = self._make_library_page(which)
            self._library_pages[which] = page
            self.pages.addWidget(page)
        if hasattr(page, "load"):
            page.load()
        self.pages.setCurrentWidget(page)
        self.setWindowTitle(f"{APP_TITLE} — {_(getattr(page, 'title', N_('Library')))}")

    def leave_library(self) -> None:
        """Esc on a library page: back to the open workshop, else the start screen."""
        if self.controller is not None:
            self._show_screen(self._current_key())
        else:
            self.show_start()

    def _make_library_page(self, which: str) -> QWidget:
        page = self._new_library_page(which)
        from PySide6.QtGui import QShortcut

        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), page)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(self.leave_library)
        return page

    def _new_library_page(self, which: str) -> QWidget:
        from .library import browser, portfolio, progress

        if which == "progress":
            team = self.controller.workshop if self.controller else None
            progress_page = progress.TeamProgressScreen(self.library, self)
            if team is not None:
                progress_page.set_team(team.organisation, team.team)
            return progress_page
        if which == "portfolio":
            return portfolio.PortfolioScreen(self.library, self)
        page = browser.LibraryScreen(self.library_actions, self)
        page.open_requested.connect(self.open_workshop)
        page.reassess_requested.connect(self.reassess)
        page.progress_requested.connect(self._show_team_progress)
        return page

    def _show_team_progress(self, organisation: str, team: str) -> None:
        self.show_library("progress")
        self._library_pages["progress"].set_team(organisation, team)  # type: ignore[attr-defined]

    # -- workshops --------------------------------------------------------------------
    def open_demo(self) -> None:
        from ..core.demo import DEMO_IDS, install_demo

        workshops = [ws for ws in (self._load_quietly(i) for i in DEMO_IDS) if ws]
        if len(workshops) < 2:
            workshops = install_demo(self.library)
        self.open_workshop(workshops[-1].id)

    def _load_quietly(self, workshop_id: str) -> Workshop | None:
        try:
            return self.library.load(workshop_id) if workshop_id in self.library else None
        except CalmsError:
            return None

    def new_workshop(self) -> None:
        from ..core import questionnaire as qmod
        from ..core.factory import new_workshop

        try:
            questionnaire, damaged = qmod.builtin_or_fallback()
        except CalmsError as exc:
            _box().critical(self, APP_TITLE, _(
                "Cannot start a new workshop: no questionnaire shipped with the app can be "
                "read.\n\n{exc}").format(exc=exc))
            return
        if damaged:
            _box().warning(self, APP_TITLE, _(
                "The default questionnaire is damaged, so this workshop uses “{title}”."
                "\n\n{problem}").format(title=questionnaire.title, problem=damaged[0]))
        self._save_and_open(new_workshop(questionnaire), SETUP)

    def reassess(self, workshop_id: str) -> None:
        from ..core.factory import reassessment_of

        try:
            previous = self.library.load(workshop_id)
        except CalmsError as exc:
            _box().warning(self, APP_TITLE, str(exc))
            return
        self._save_and_open(reassessment_of(previous), SETUP)

    def _save_and_open(self, ws: Workshop, step: str) -> None:
        try:
            self.library.save(ws)
        except (OSError, CalmsError) as exc:
            _box().critical(self, APP_TITLE, _('Could not save the workshop: {exc}').format(
                exc=exc))
            return
        self.open_workshop(ws.id, first_step=step)

    def open_workshop(self, workshop_id: str, resume: ResumeState | None = None,
                      first_step: str = "intro") -> bool:
        """Open a workshop from the library (optionally where a resume file says)."""
        from ..core.session import WorkshopSession
        from .commands import WorkshopController

        try:
            ws = self.library.load(workshop_id)
        except CalmsError as exc:
            _box().warning(self, APP_TITLE, _('Cannot open this workshop.\n\n{exc}').format(
                exc=exc))
            return False
        self.close_workshop()
        repair = self.library.repair_of(workshop_id)
        if repair is not None:  # a bad metric entry was left out; say so, never block
            box = _box()(_box().Icon.Warning, APP_TITLE, repair.text(),
                         _box().StandardButton.Ok, self)
            box.setModal(False)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.show()
            self.repair_box = box
        session = WorkshopSession(ws, self.library)
        controller = WorkshopController(session, self.context.resume, parent=self)
        self.controller = controller
        controller.step_changed.connect(self._show_step)
        controller.pillar_state_changed.connect(self._refresh_navigator)
        controller.fields_changed.connect(self._update_title)
        controller.error.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        self._build_workshop_screens(controller)
        self._update_actions()
        self.pages.setCurrentWidget(self.workshop_page)
        self.setWindowTitle(f"{APP_TITLE} — {ws.display_name}")
        self.timer_widget.set_controller(controller)  # builds the pages if needed
        self._toolbar.setVisible(True)
        if self._projector is not None:
            self._projector.set_controller(controller)
        if self._radar_dock is None:
            self.toggle_radar()  # the live radar is open while a workshop is
        else:
            from .widgets.radar_canvas import RadarPanel

            panel = self._radar_dock.widget()
            assert isinstance(panel, RadarPanel)
            panel.set_controller(controller)
            self._radar_dock.setVisible(True)
        self.workshop_opened.emit(controller)
        if resume is not None:
            controller.restore(resume)
        elif first_step == SETUP:
            self.go_to(SETUP)
        else:
            controller.save_resume()
            self._show_step(controller.step)
        if resume is not None and resume.projector.get("open"):
            self.reopen_projector(resume.projector)
        if resume is not None and controller.phones_resumed():
            self._reopen_phones(controller.phones_resumed())
        return True

    def _reopen_phones(self, place: dict[str, object]) -> None:
        """Phone voting was open when the app was killed: open it again where it was."""
        self.toggle_phones()  # the panel shows what happened (or why not)
        panel = self.phones
        if panel is None:
            return
        if not panel.reopen(place):  # the projector gets the QR code from the panel
            self.statusBar().showMessage(panel.status.text(), 15000)

    def _build_workshop_screens(self, controller: WorkshopController) -> None:
        from .screens.intro_screen import IntroScreen
        from .screens.pillar_screen import PillarScreen
        from .screens.setup_screen import SetupScreen
        from .screens.summary_screen import SummaryScreen

        while self.step_stack.count():
            w = self.step_stack.widget(0)
            assert w is not None  # count() > 0
            self.step_stack.removeWidget(w)
            w.deleteLater()
        self._screens = {SETUP: SetupScreen(controller, self.library, self)}
        self._screens["intro"] = IntroScreen(controller, self)
        for p in Pillar:
            pillar_screen = PillarScreen(controller, p, self.context.settings, self)
            if pillar_screen.metrics is not None:  # a deployment log's import, said here too
                pillar_screen.metrics.log_imported.connect(
                    lambda text: self.statusBar().showMessage(text, 15000))
            self._screens[p.value] = pillar_screen
        self._screens["summary"] = SummaryScreen(controller, self)
        from PySide6.QtWidgets import QListWidgetItem

        self.navigator.blockSignals(True)
        self.navigator.clear()
        for key, screen in self._screens.items():
            self.step_stack.addWidget(screen)
            item = QListWidgetItem(_(STEP_LABELS[key]))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigator.addItem(item)
        self.navigator.blockSignals(False)
        self._refresh_navigator()

    def _update_title(self, *_args: object) -> None:
        if self.controller is not None and self.pages.currentWidget() is self.workshop_page:
            self.setWindowTitle(f"{APP_TITLE} — {self.controller.workshop.display_name}")

    def _refresh_navigator(self, *_args: object) -> None:
        if self.controller is None:
            return
        from .screens.intro_screen import STATE_NAMES  # the agenda's words for the states

        states = self.controller.workshop.pillar_states
        for i in range(self.navigator.count()):
            item = self.navigator.item(i)
            key = item.data(Qt.ItemDataRole.UserRole)
            label = _(STEP_LABELS[key])
            if key in {p.value for p in Pillar}:
                state = states[Pillar(key)]
                # the mark is for the eye; a screen reader says the state ("Kultur, erledigt")
                item.setData(Qt.ItemDataRole.AccessibleTextRole, _("{step}, {state}").format(
                    step=label, state=_(STATE_NAMES[state])))
                label = f"{STATE_MARKS[state]}  {label}"
            item.setText(label)

    def close_workshop(self) -> None:
        if self.controller is None:
            return
        current = self.step_stack.currentWidget()
        if isinstance(current, Screen):
            current.commit()
        self._close_phones()
        self.controller.close()
        self.controller.deleteLater()
        self.controller = None
        self.timer_widget.set_controller(None)
        self._toolbar.setVisible(False)
        if self._radar_dock is not None:
            from .widgets.radar_canvas import RadarPanel

            panel = self._radar_dock.widget()
            assert isinstance(panel, RadarPanel)
            panel.set_controller(None)
            self._radar_dock.setVisible(False)
        self._update_actions()
        self.workshop_closed.emit()
        self.show_start()

    # -- navigation -------------------------------------------------------------------
    def go_to(self, step: str) -> None:
        """Show a step (or set-up); steps of the room move the controller too."""
        if self.controller is None:
            return
        current = self.step_stack.currentWidget()
        if isinstance(current, Screen) and current is not self._screens.get(step):
            current.commit()
        if step == SETUP:
            self._show_screen(SETUP)
        elif self.controller.go_to(step):
            self._show_step(step)
        else:
            self._show_screen(self._current_key())  # the room stays; the message says why

    def _step_by(self, delta: int) -> None:
        if self.controller is None:
            return
        current = self._current_key()
        order = [SETUP, *STEPS]
        i = max(0, min(len(order) - 1, order.index(current) + delta))
        self.go_to(order[i])

    def _current_key(self) -> str:
        current = self.step_stack.currentWidget()
        for key, screen in self._screens.items():
            if screen is current:
                return key
        return SETUP

    def _show_step(self, step: str) -> None:
        self._show_screen(step)

    def _show_screen(self, key: str) -> None:
        screen = self._screens.get(key)
        if screen is None:
            return
        screen.load()
        # Back to the workshop page too (from the library, team progress or the
        # portfolio): keys must never go into a screen that is not shown.
        self.pages.setCurrentWidget(self.workshop_page)
        self._update_title()
        self.step_stack.setCurrentWidget(screen)
        self.navigator.blockSignals(True)
        self.navigator.setCurrentRow(list(self._screens).index(key))
        self.navigator.blockSignals(False)
        screen.focus_first()

    def _navigator_moved(self, row: int) -> None:
        if row < 0 or self.controller is None:
            return
        key = self.navigator.item(row).data(Qt.ItemDataRole.UserRole)
        if key != self._current_key():
            self.go_to(key)

    def current_screen(self) -> Screen | None:
        w = self.step_stack.currentWidget()
        return w if isinstance(w, Screen) else None

    # -- exports -------------------------------------------------------------------------
    def export(self, kind: str, path: str | None = None, *,
               notify: bool = True) -> ExportJob | None:
        """Export the open workshop (PDF or CSV) off the GUI thread; asks where if no path."""
        if self.controller is None:
            return None
        from ..reports.progress import team_history
        from .export_dialog import export_report

        current = self.current_screen()
        if current is not None:
            current.commit()  # a half-typed note belongs in the report
        from ..reports.branding import usable

        c = self.controller
        from ..reports import ignore_bad_source_date

        branding, problem = usable(self.context.settings.report_branding())
        problem = problem or ignore_bad_source_date()
        if problem:  # the report is still made, without the logo (or with today's date)
            self.statusBar().showMessage(problem[0].upper() + problem[1:] + ".", 10000)
        return export_report(self, c.workshop, c.baseline(), kind, path, notify=notify,
                             branding=branding,
                             history=team_history(self.library, c.workshop),
                             translator=self.report_translator())

    def save_chart(self, path: str | None = None) -> Path | None:
        """Save the chart showing as PNG or SVG: a library chart, else the live radar."""
        from .export_dialog import save_figure_dialog

        page = self.pages.currentWidget()
        if page is not None and page is not self._workshop_page_or_none():
            from .library.canvas import save_canvas, visible_canvas

            canvas = visible_canvas(page) if "matplotlib" in sys.modules else None
            if canvas is not None:
                return save_canvas(canvas, path)
        if self.controller is None:
            self.statusBar().showMessage(_("No chart on screen to save."), 5000)
            return None
        from ..charts.radar import radar_figure

        figure = radar_figure(self.controller.radar_data())
        return save_figure_dialog(self, figure, suggested="calms-radar", path=path)

    def _workshop_page_or_none(self) -> QWidget | None:
        return getattr(self, "_workshop_page", None)

    # -- side windows -----------------------------------------------------------------
    def toggle_projector(self) -> None:
        from .projector.window import ProjectorWindow

        console_had_keys = QApplication.activeWindow() is self
        if self._projector is None:
            self._projector = ProjectorWindow(self.library, self.context.settings)
            self._projector.addActions(self._window_actions)
            self._projector.forward_key = self._take_projector_key
            if self.controller is not None:
                self._projector.set_controller(self.controller)
            phones = self.phones
            if phones is not None and phones.server is not None:
                self._projector.set_join_info(phones.server.url, phones.server.pin)
            self._projector.show_on_preferred_screen()
        elif self._projector.isVisible():
            self._projector.hide()
        else:
            self._projector.show_on_preferred_screen()
        if console_had_keys and self._projector.isVisible():
            self._keep_keyboard()
        self._remember_projector()

    def _take_projector_key(self, event: QKeyEvent) -> bool:
        """A key the projector did not use: for the step's screen, if it is shown."""
        screen = self.current_screen() if self.controller is not None else None
        return screen is not None and screen.take_forwarded_key(event)

    def _keep_keyboard(self) -> None:
        """Give the keyboard back to the console after the projector opened.

        The projector opens without activating where the platform honours that;
        X11 without a window manager and some window managers activate it
        anyway, and the facilitator's next key would go to the projector. A
        projector full screen over the console itself keeps the keyboard
        (activating the console would raise it over the slide).
        """
        projector = self._projector
        if projector is None:
            return
        covers = projector.isFullScreen() and projector.screen() is self.screen()

        def back() -> None:
            if (self._projector is projector and projector.isVisible() and not covers
                    and QApplication.activeWindow() is not self):
                self.activateWindow()

        for ms in (0, 200):  # once now, once after a window manager's own activation
            QTimer.singleShot(ms, self, back)

    def _remember_projector(self) -> None:
        """Tell the room where the projector is, so a resumed workshop reopens it there."""
        if self.controller is None or self._projector is None:
            return
        p = self._projector
        screen = p.screen()
        self.controller.room.set_projector({
            "open": p.isVisible(),
            "screen": screen.name() if screen is not None else "",
            "full_screen": p.isFullScreen(),
        })

    def reopen_projector(self, placement: dict[str, object]) -> None:
        """Open the projector as a resume file says it was (screen, full screen)."""
        if self._projector is None or not self._projector.isVisible():
            self.toggle_projector()
        assert self._projector is not None
        from PySide6.QtGui import QGuiApplication

        wanted = str(placement.get("screen", ""))
        for screen in QGuiApplication.screens():
            if screen.name() == wanted and self._projector.screen() is not screen:
                self._projector.setScreen(screen)
                self._projector.move(screen.geometry().topLeft())
        if placement.get("full_screen") and not self._projector.isFullScreen():
            self._projector.toggle_fullscreen()
        self._remember_projector()

    def _add_screen_menu(self) -> None:
        if getattr(self, "screen_menu", None) is not None:
            return
        from .projector.screen_menu import ProjectorScreenMenu

        self.screen_menu = ProjectorScreenMenu(self.context.settings, self._move_projector, self)
        self.view_menu.insertMenu(self.view_menu.actions()[5], self.screen_menu)

    def _move_projector(self) -> None:
        if self._projector is not None and self._projector.isVisible():
            self._projector.show_on_preferred_screen()

    def _with_projector(self, method: str) -> None:
        """Run a projector command from the console (opening the projector if needed)."""
        if self._projector is None or not self._projector.isVisible():
            self.toggle_projector()
        assert self._projector is not None
        getattr(self._projector, method)()
        self._remember_projector()
        mode = self._projector.display_mode_name
        self.statusBar().showMessage(_('Projector: {mode}').format(mode=mode), 4000)

    @property
    def projector(self) -> ProjectorWindow | None:
        return self._projector

    def toggle_radar(self) -> None:
        if self._radar_dock is None:
            from PySide6.QtWidgets import QDockWidget

            from .widgets.radar_canvas import RadarPanel

            dock = QDockWidget(_("Radar"), self)
            dock.setObjectName("radarDock")
            panel = RadarPanel(dock)
            if self.controller is not None:
                panel.set_controller(self.controller)
            dock.setWidget(panel)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            # A quarter of the window: room for the chart on a large screen,
            # and still most of a 1366-pixel laptop screen for the step.
            self.resizeDocks([dock], [max(340, self.width() // 4)], Qt.Orientation.Horizontal)
            self._radar_dock = dock
            return
        self._radar_dock.setVisible(not self._radar_dock.isVisible())

    def toggle_phones(self) -> None:
        """Show or hide the phone-voting panel of the open workshop."""
        if self.controller is None:
            self.statusBar().showMessage(_("Open a workshop first to let phones vote."), 5000)
            return
        dock = self._phones_dock
        if dock is None:
            from PySide6.QtWidgets import QDockWidget

            from .phones import PhonesPanel

            dock = QDockWidget(_("Phones"), self)
            dock.setObjectName("phonesDock")
            panel = PhonesPanel(self.controller, self.context.data_dir,
                                self.context.settings.phone_port, dock)
            panel.join_info_changed.connect(self._show_join_info)
            dock.setWidget(panel)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
            if self._radar_dock is not None:
                self.tabifyDockWidget(self._radar_dock, dock)
            self._phones_dock = dock
            dock.show()
            dock.raise_()
            return
        dock.setVisible(not dock.isVisible())
        if dock.isVisible():
            dock.raise_()

    @property
    def phones(self):  # type: ignore[no-untyped-def]
        """The phone-voting panel, once opened (None before)."""
        return self._phones_dock.widget() if self._phones_dock is not None else None

    def _show_join_info(self, url: str, pin: str) -> None:
        if self._projector is not None:
            self._projector.set_join_info(url, pin)

    def _close_phones(self) -> None:
        if self._phones_dock is not None:
            panel = self._phones_dock.widget()
            panel.shutdown()  # type: ignore[attr-defined]
            self.removeDockWidget(self._phones_dock)
            self._phones_dock.deleteLater()
            self._phones_dock = None
        if self._projector is not None:
            self._projector.set_join_info("", "")

    def _build_language_menu(self, menu, current: str, choose: Callable[[str], None],
                             default: str) -> None:
        """``default`` (code ""), then every shipped language in its own name, as radio items."""
        from PySide6.QtGui import QActionGroup

        group = QActionGroup(menu)
        for code in ("", *LANGUAGES):
            action = QAction(language_name(code) if code else default, menu)
            action.setCheckable(True)
            action.setChecked(code == current)
            action.setData(code)
            action.triggered.connect(partial(choose, code))
            group.addAction(action)
            menu.addAction(action)

    def report_translator(self) -> Translator:
        """The reports' language: File → Export → Report language, else the interface's."""
        code = report_language(self.context.settings)
        return Translator(code) if code else self.context.translator

    def choose_report_language(self, code: str) -> None:
        """Export reports in ``code`` (``""``: the interface's language) from now on."""
        self.context.settings.report_language = code
        self.context.settings.sync()

    def choose_language(self, code: str) -> None:
        """Remember the interface language (``""``: the system's); it applies on restart."""
        self.context.settings.language = code
        self.context.settings.sync()
        self.statusBar().showMessage(
            _("The language changes when CALMS Workshop is started again."), 8000)

    def edit_branding(self) -> None:
        """File → Report branding: the consultant's name, logo and label on the reports."""
        from .branding_dialog import BrandingDialog

        BrandingDialog(self.context.settings, self).exec()

    def show_shortcuts(self) -> None:
        from .shortcuts_dialog import ShortcutsDialog

        ShortcutsDialog(self).exec()

    def show_about(self) -> None:
        from .about_dialog import AboutDialog

        AboutDialog(self.library.folder, self).exec()

    # -- drag and drop of workshop files ------------------------------------------------
    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[str]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        return [p for p in paths if p.lower().endswith(".json") or Path(p).is_dir()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if not paths:
            super().dropEvent(event)
            return
        event.acceptProposedAction()
        self.import_paths(paths)

    def import_paths(self, paths: list[str]) -> None:
        """Import workshop files or folders through the library browser."""
        self.show_library()
        self._library_pages["browser"].import_paths(paths)  # type: ignore[attr-defined]

    # -- closing ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.close_workshop()
        if self._projector is not None:
            self._projector.close()
            self._projector.deleteLater()
            self._projector = None
        self.context.settings.window_geometry = bytes(self.saveGeometry().data())
        self.context.settings.sync()
        super().closeEvent(event)

