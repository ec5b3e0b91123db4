"""Help → Keyboard shortcuts: menu actions read from the window, plus widget keys."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from calms_desktop.gui.shortcuts_dialog import ShortcutsDialog, menu_shortcuts

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def window(qtbot):
    w = QMainWindow()
    qtbot.addWidget(w)
    file_menu = w.menuBar().addMenu("&File")
    new = QAction("&New workshop…", w)
    new.setShortcut(QKeySequence("Ctrl+N"))
    file_menu.addAction(new)
    export = file_menu.addMenu("&Export")
    pdf = QAction("&PDF report", w)
    pdf.setShortcut(QKeySequence("Ctrl+Shift+E"))
    export.addAction(pdf)
    file_menu.addAction(QAction("No shortcut here", w))
    view_menu = w.menuBar().addMenu("&View")
    rock = QAction("Rock && roll", w)
    rock.setShortcuts([QKeySequence("Ctrl+R"), QKeySequence("F9")])
    view_menu.addAction(rock)
    stray = QAction("Not in any menu", w)
    stray.setShortcut(QKeySequence("Ctrl+K"))  # associated with nothing: cannot fire
    return w


def test_menu_shortcuts_are_grouped_by_menu_in_menu_order(window):
    found = [(s.group, s.action, s.keys) for s in menu_shortcuts(window)]
    assert found == [
        ("File", "New workshop…", "Ctrl+N"),
        ("File › Export", "PDF report", "Ctrl+Shift+E"),
        ("View", "Rock & roll", "Ctrl+R, F9"),
    ]


def test_dialog_lists_menus_and_widget_keys_and_filters(qtbot, window):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = dialog.visible_shortcuts()
    groups = {s.group for s in shown}
    assert {"File", "File › Export", "View", "Vote grid (per person)", "Show-of-hands tally",
            "Projector window"} <= groups
    keys = {(s.group, s.keys) for s in shown}
    assert ("Vote grid (per person)", "1 – 5") in keys
    assert ("Vote grid (per person)", "0 or ?") in keys
    assert ("Projector window", "F5") in keys
    assert ("Projector window", "B or .") in keys
    assert ("Projector window", "F") in keys

    dialog.filter_edit.setText("ctrl+shift")
    assert [s.action for s in dialog.visible_shortcuts()] == ["PDF report"]
    dialog.filter_edit.setText("projector")  # a group name matches its whole group
    assert {s.group for s in dialog.visible_shortcuts()} == {"Projector window"}
    dialog.filter_edit.setText("zzzz")
    assert dialog.visible_shortcuts() == []
    assert dialog.empty_label.isVisibleTo(dialog)
    dialog.filter_edit.clear()
    assert len(dialog.visible_shortcuts()) == len(shown)


def test_escape_closes(qtbot, window):
    dialog = ShortcutsDialog(window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClick(dialog.filter_edit, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_the_main_window_menus_are_listed(qtbot, data_dir):
    from calms_desktop.gui.app import create_window

    main = create_window(data_dir)
    qtbot.addWidget(main)
    try:
        dialog = ShortcutsDialog(main)
        qtbot.addWidget(dialog)
        rows = {(s.group, s.action): s.keys for s in dialog.visible_shortcuts()}
        assert rows[("Help", "Keyboard shortcuts")] == QKeySequence(
            QKeySequence.StandardKey.HelpContents).toString(QKeySequence.SequenceFormat.NativeText)
        assert rows[("Workshop", "Next step")] == "Ctrl+PgDown"
        assert rows[("Workshop", "Start/pause timer")] == "Ctrl+T"
        assert rows[("File", "New workshop…")] == "Ctrl+N"
    finally:
        main.close()
        main.library.close()


def test_widget_actions_are_grouped_by_widget_once(qtbot, window):
    from PySide6.QtWidgets import QWidget

    class PillarPanel(QWidget):
        pass

    for _ in range(3):  # e.g. one per pillar: listed once
        panel = PillarPanel(window)
        action = QAction("Reveal results", panel)
        action.setShortcut(QKeySequence("Ctrl+R"))
        panel.addAction(action)
    found = [(s.group, s.action, s.keys) for s in menu_shortcuts(window)]
    assert found[-1] == ("Pillar panel", "Reveal results", "Ctrl+R")
    assert len(found) == 4


def test_top_menus_in_the_menu_bar_overflow_keep_their_names(qtbot, window):
    window.resize(60, 200)  # too narrow: the bar moves menus into its overflow menu
    window.show()
    qtbot.waitExposed(window)
    groups = {s.group for s in menu_shortcuts(window)}
    assert groups == {"File", "File › Export", "View"}


def test_the_list_is_in_the_active_language(qtbot, data_dir):
    from calms_desktop.core.i18n import Translator, activate
    from calms_desktop.gui.app import create_window

    main = create_window(data_dir)
    qtbot.addWidget(main)
    try:
        with activate(Translator("de")):
            dialog = ShortcutsDialog(main)
        qtbot.addWidget(dialog)
        rows = {(s.group, s.action): s.keys for s in dialog.visible_shortcuts()}
        assert rows[("Abstimmungsraster (pro Person)", "Antwort löschen")] == "Entf, Rücktaste"
        assert rows[("Projektor-Fenster", "Bild schwarz (noch einmal: zurück)")] == "B oder ."
        assert not [g for g, _a in rows if g in ("Vote grid (per person)", "Everywhere")]
    finally:
        main.close()
        main.library.close()
