"""The console drives the projector: open it, blank, freeze, follow the steps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calms_desktop.gui.app import create_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(qtbot, data_dir):
    w = create_window(data_dir)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.close()
    w.library.close()


def _key(qtbot, window, key, mods=CTRL):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(QApplication.focusWidget() or window, key, mods)


def test_blank_and_freeze_from_the_console(qtbot, window):
    window.open_demo()
    _key(qtbot, window, Qt.Key.Key_B)  # opens the projector and blanks it
    projector = window.projector
    assert projector is not None and projector.isVisible()
    assert projector.display_mode == "blank"
    _key(qtbot, window, Qt.Key.Key_B)
    assert projector.display_mode == "live"
    _key(qtbot, window, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert projector.display_mode == "frozen"
    _key(qtbot, window, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert projector.display_mode == "live"


def test_projector_follows_the_open_workshop_and_its_steps(qtbot, window):
    window.toggle_projector()
    projector = window.projector
    window.open_demo()
    window.go_to("lean")
    assert projector.step_title() == "Lean"
    window.go_to("summary")
    assert projector.step_title() == "Summary"
    window.close_workshop()
    window.toggle_projector()  # Ctrl+P again hides it
    assert not projector.isVisible()
