"""GUI fixtures: a controller over a saved workshop, with timers off."""

from __future__ import annotations

import contextlib

import pytest

from calms_desktop.core.demo import install_demo
from calms_desktop.core.resume import ResumeStore
from calms_desktop.core.session import WorkshopSession


class FakeClock:
    """A controllable monotonic clock in ms (tests advance it by hand)."""

    def __init__(self) -> None:
        self.now = 1_000_000

    def __call__(self) -> int:
        return self.now

    def advance(self, ms: int) -> None:
        self.now += ms


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def demo_library(library):
    """The library with the two demo workshops saved; returns (library, [baseline, latest])."""
    return library, install_demo(library)


@pytest.fixture
def make_controller(qtbot, library, data_dir, clock):
    """Build a WorkshopController for a workshop saved in the test library."""
    from calms_desktop.gui.commands import WorkshopController

    made = []

    def make(ws, resume=True):
        if ws.id not in library:
            library.save(ws)
        session = WorkshopSession(library.load(ws.id), library)
        c = WorkshopController(session, ResumeStore(data_dir) if resume else None, clock=clock)
        made.append(c)
        return c

    yield make
    for c in made:
        c.close()
        c.deleteLater()


@pytest.fixture
def demo_controller(make_controller, demo_library):
    """A controller on the demo re-assessment (its baseline is in the library)."""
    _lib, (_first, second) = demo_library
    return make_controller(second)


@pytest.fixture
def fresh_controller(make_controller):
    """A controller on a new, empty workshop with 6 participants and no votes."""
    from calms_desktop.core import questionnaire as qmod
    from calms_desktop.core.factory import new_workshop
    from calms_desktop.core.model import Participant

    names = ["Ana", "Bo", "Chen Wei", "Dana", "Émile", "Fatima"]
    people = [Participant(f"p{i}", n) for i, n in enumerate(names)]
    ws = new_workshop(qmod.builtin(), title="Test workshop", organisation="Acme",
                      team="Core", participants=people)
    return make_controller(ws)


@contextlib.contextmanager
def shown_window(qtbot, data_dir, translator=None):
    """The real main window on ``data_dir``: shown at 1366×768 and active; closed after."""
    from PySide6.QtWidgets import QApplication

    from calms_desktop.gui.app import create_window

    w = create_window(data_dir, translator=translator)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)
    try:
        yield w
    finally:
        w.close()
        w.library.close()


@pytest.fixture
def app_window(qtbot, data_dir):
    """The real main window on an empty library: shown at 1366×768 and active."""
    with shown_window(qtbot, data_dir) as w:
        yield w


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    """A modal message box in a test would wait forever offscreen: fail instead.

    Tests that expect a question patch the screen's ``confirm`` hook (or
    QMessageBox) themselves.
    """
    from PySide6.QtWidgets import QMessageBox

    def unexpected(kind):
        def fail(*args, **kwargs):
            text = " | ".join(str(a) for a in args[1:3])
            raise AssertionError(f"unexpected {kind} dialog: {text}")
        return fail

    for kind in ("question", "warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(unexpected(kind)))


@contextlib.contextmanager
def ui_language(qapp, translator):
    """``translator`` as the app's language inside the block: active, and Qt's translators."""
    from calms_desktop.gui.i18n import app_language

    with app_language(qapp, translator):
        yield translator
