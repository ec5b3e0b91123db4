"""Keyboard and screen reader on the demo: where focus starts, where Tab goes, what is said."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QWidget

from calms_desktop.core.i18n import Translator
from tests.gui.conftest import shown_window, ui_language

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture(params=["de", "en"])
def demo_window(request, qtbot, qapp, data_dir):
    with ui_language(qapp, Translator(request.param)) as translator, \
            shown_window(qtbot, data_dir, translator) as window:
        window.open_demo()
        yield window


def _name(widget: QWidget) -> str:
    return widget.accessibleName() or getattr(widget, "text", lambda: "")()


def test_the_demo_opens_with_focus_in_the_shown_screen(demo_window):
    focused = demo_window.focusWidget()
    screen = demo_window.current_screen()
    assert focused is not None and screen is not None and screen.isAncestorOf(focused)


def test_tab_goes_from_the_step_list_into_the_screen_with_no_nameless_stop(qtbot, demo_window):
    demo_window.navigator.setFocus(Qt.FocusReason.TabFocusReason)
    stops: list[QWidget] = []
    widget: QWidget = demo_window.navigator
    for _ in range(40):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() & Qt.FocusPolicy.TabFocus == 0 or not widget.isVisible() \
                or not widget.isEnabled():
            widget = widget.nextInFocusChain()
        if widget is demo_window.navigator:
            break
        stops.append(widget)
    screen = demo_window.current_screen()
    assert screen is not None
    in_screen = [i for i, w in enumerate(stops) if screen.isAncestorOf(w)]
    assert in_screen, "Tab never reaches the screen"
    # from the step list Tab goes into the screen before the radar panel
    radar = demo_window._radar_dock
    in_radar = [i for i, w in enumerate(stops) if radar is not None and radar.isAncestorOf(w)]
    assert not in_radar or in_screen[0] < in_radar[0]
    assert not [w for w in stops if isinstance(w, QScrollArea)]
    assert not [w.objectName() for w in stops if not _name(w)]


def test_a_finished_step_says_it_is_done(demo_window):
    items = [demo_window.navigator.item(i) for i in range(demo_window.navigator.count())]
    spoken = [i.data(Qt.ItemDataRole.AccessibleTextRole) for i in items]
    german = demo_window.context.translator.language == "de"
    assert ("Kultur, erledigt" if german else "Culture, done") in spoken
    assert not [s for s in spoken if s and "✓" in s]
