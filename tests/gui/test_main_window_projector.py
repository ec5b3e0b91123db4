"""The console drives the projector: open it, blank, freeze, follow the steps."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def window(app_window):
    return app_window


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


def test_file_export_builds_every_kind_off_the_gui_thread(qtbot, window, tmp_path):
    from pypdf import PdfReader

    window.open_demo()
    window.controller.set_note("summary", "Half-typed <b>note</b> & more")
    for kind, name in (("attendee", "a.pdf"), ("facilitator", "f.pdf"),
                       ("votes-csv", "v.csv"), ("summary-csv", "s.csv")):
        job = window.export(kind, str(tmp_path / name), notify=False)
        assert job is not None
        with qtbot.waitSignal(job.finished, timeout=20_000):
            pass
        assert (tmp_path / name).stat().st_size > 0
    text = "\n".join(p.extract_text() for p in PdfReader(tmp_path / "f.pdf").pages)
    assert "Half-typed <b>note</b> & more" in text
    assert "Zoë Müller" in (tmp_path / "v.csv").read_text(encoding="utf-8-sig")


def test_the_projector_screen_is_chosen_in_the_view_menu(qtbot, window):
    from PySide6.QtGui import QGuiApplication

    window.view_menu.aboutToShow.emit()
    menu = window.screen_menu
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels[0].startswith("Automatic")
    assert len(labels) == 1 + len(QGuiApplication.screens()) + 1  # + the full-screen toggle
    assert [a for a in menu.actions() if a.isChecked()][0].text().startswith("Automatic")
    window.toggle_projector()
    menu.actions()[1].trigger()  # the first screen
    assert window.context.settings.projector_screen == 0
    assert window.projector.isVisible()
    menu.rebuild()
    assert menu.actions()[1].isChecked()
    full = [a for a in menu.actions() if a.text().startswith("Open full screen")][0]
    full.trigger()
    assert window.context.settings.projector_fullscreen is False


def test_the_chart_on_screen_is_saved_as_png_or_svg(qtbot, window, tmp_path):
    window.open_demo()
    radar = window.save_chart(str(tmp_path / "radar.svg"))  # the live radar
    assert radar is not None and radar.read_text().lstrip().startswith("<?xml")
    window.show_library("progress")
    qtbot.waitUntil(lambda: window.pages.currentWidget().isVisible())
    trend = window.save_chart(str(tmp_path / "trend.png"))  # the team's trend chart
    assert trend is not None and trend.read_bytes().startswith(b"\x89PNG")


def test_opening_the_projector_leaves_the_keyboard_with_the_console(qtbot, window):
    """Where the platform activates a window it shows (offscreen here, X11 without a
    window manager), the console takes the keyboard back: the next key is not lost."""
    window.open_demo()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL)  # open the projector from the keyboard
    assert window.projector is not None and window.projector.isVisible()
    qtbot.wait(300)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    step = window.controller.step
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_PageDown, CTRL)
    assert window.controller.step != step


def test_the_consoles_keys_work_from_the_projector_window(qtbot, window):
    """The facilitator clicked or dragged the projector: Ctrl+PgDown, Ctrl+B and the
    other menu keys still drive the workshop from there."""
    window.open_demo()
    window.toggle_projector()
    projector = window.projector
    qtbot.wait(300)
    projector.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is projector)
    step = window.controller.step
    qtbot.keyClick(projector, Qt.Key.Key_PageDown, CTRL)
    assert window.controller.step != step
    qtbot.keyClick(projector, Qt.Key.Key_B, CTRL)
    assert projector.display_mode == "blank"
    qtbot.keyClick(projector, Qt.Key.Key_B)  # the projector's own key still works too
    assert projector.display_mode == "live"


def test_the_shown_pillars_keys_work_from_the_projector_window(qtbot, window):
    """With the projector focused, Ctrl+R reveals the shown pillar, digits go into its
    grid and Ctrl+D marks it done; a hidden pillar screen never reacts."""
    from calms_desktop.core.model import Pillar, PillarState

    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    window.current_screen().add_names("Ana\nBo\nDev")
    window.go_to("culture")
    c = window.controller
    screen = window.current_screen()
    screen.confirm = lambda title, text: True  # revealing with answers missing: yes
    window.go_to("automation")
    hidden = window.current_screen()
    hidden.confirm = lambda title, text: True
    window.go_to("culture")
    window.toggle_projector()
    projector = window.projector
    qtbot.wait(300)
    projector.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is projector)
    first = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    ana = c.workshop.participants[0].id
    qtbot.keyClicks(projector, "4")  # a vote typed into the shown grid
    assert c.workshop.vote(first, ana).score == 4
    qtbot.keyClick(projector, Qt.Key.Key_R, CTRL)
    assert c.workshop.pillar_states[Pillar.CULTURE] == PillarState.REVEALED
    assert c.workshop.pillar_states.get(Pillar.AUTOMATION,
                                        PillarState.NOT_STARTED) != PillarState.REVEALED
    qtbot.keyClick(projector, Qt.Key.Key_D, CTRL)
    assert c.workshop.pillar_states[Pillar.CULTURE] == PillarState.DONE
    qtbot.keyClick(projector, Qt.Key.Key_B)  # the projector's own keys stay its own
    assert projector.display_mode == "blank"
