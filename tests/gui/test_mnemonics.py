"""No two Alt+letter mnemonics collide in one window, in English or German.

Qt gives ``&x`` in a button, a label with a buddy, a tab or a top menu the key
Alt+X within its window; two of them with the same letter make Alt+X jump
between them instead of doing what it says. Inside an open menu its items'
letters are a scope of their own. The test walks the main window on every page
(start, library pages, every step of an open workshop with the phones panel
and the radar), the projector and every dialog, in each shipped language.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QMenu,
    QMenuBar,
    QTabBar,
    QWidget,
)

from calms_desktop.core.i18n import LANGUAGES, Translator
from calms_desktop.core.model import STEPS
from tests.gui.conftest import ui_language

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The letter ``text`` gives Alt (``"&Datei"`` → ``"d"``; ``"&&"`` is a literal &)."""
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def collisions(scope: str, texts: list[str]) -> list[str]:
    """``scope: x → 'A', 'B'`` for every letter two of ``texts`` share."""
    by_letter: dict[str, list[str]] = defaultdict(list)
    for text in texts:
        letter = mnemonic(text)
        if letter is not None:
            by_letter[letter].append(text)
    return [f"{scope}: {letter} → {', '.join(map(repr, shown))}"
            for letter, shown in by_letter.items() if len(shown) > 1]


def _shown_in(top: QWidget, widget: QWidget) -> bool:
    return widget.window() is top and widget.isVisibleTo(top)


def window_texts(top: QWidget) -> list[str]:
    """What gives an Alt shortcut in ``top`` now: top menus, buttons, buddied labels,
    group boxes, tabs."""
    texts: list[str] = []
    for bar in top.findChildren(QMenuBar):
        if bar.window() is top:
            texts += [a.text() for a in bar.actions() if a.isVisible()]
    for button in top.findChildren(QAbstractButton):
        if _shown_in(top, button):
            texts.append(button.text())
    for label in top.findChildren(QLabel):
        if _shown_in(top, label) and label.buddy() is not None:
            texts.append(label.text())
    for box in top.findChildren(QGroupBox):  # Alt+letter of a title focuses the box's first child
        if _shown_in(top, box):
            texts.append(box.title())
    for tabs in top.findChildren(QTabBar):
        if _shown_in(top, tabs):
            texts += [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]
    return texts


def menu_scopes(top: QWidget) -> Iterator[tuple[str, list[str]]]:
    """Each menu of ``top`` and its items' texts."""
    for menu in top.findChildren(QMenu):
        yield (f"menu {menu.title()!r}",
               [a.text() for a in menu.actions() if a.isVisible() and not a.isSeparator()])


def problems_of(top: QWidget, where: str) -> list[str]:
    out = collisions(where, window_texts(top))
    for scope, texts in menu_scopes(top):
        out += collisions(f"{where}, {scope}", texts)
    return out


@pytest.fixture(params=LANGUAGES)
def language(request, qapp):
    with ui_language(qapp, Translator(request.param)) as translator:
        yield translator


def test_the_probe_finds_a_collision():
    assert mnemonic("&&Save && &quit") == "q" and mnemonic("Plain") is None
    assert collisions("w", ["&Datei", "&Drucken", "&Bearbeiten", "Ohne"]) == [
        "w: d → '&Datei', '&Drucken'"]


def test_the_probe_sees_the_menu_bar_and_group_boxes(qtbot):
    from PySide6.QtWidgets import QMainWindow, QPushButton, QVBoxLayout

    window = QMainWindow()
    qtbot.addWidget(window)
    window.menuBar().addMenu("&Datei")
    central = QWidget(window)
    layout = QVBoxLayout(central)
    layout.addWidget(QPushButton("&Durchsuchen…", central))
    layout.addWidget(QGroupBox("Mo&deration", central))
    window.setCentralWidget(central)
    window.show()
    assert collisions("w", window_texts(window)) == [
        "w: d → '&Datei', '&Durchsuchen…', 'Mo&deration'"]


def test_no_mnemonic_collides_in_any_window(qtbot, data_dir, language):
    from calms_desktop.gui.about_dialog import AboutDialog
    from calms_desktop.gui.app import create_window
    from calms_desktop.gui.branding_dialog import BrandingDialog
    from calms_desktop.gui.library.merge_dialog import MergeDialog
    from calms_desktop.gui.paste_names import PasteNamesDialog
    from calms_desktop.gui.screens.start_screen import TrashDialog
    from calms_desktop.gui.shortcuts_dialog import ShortcutsDialog

    window = create_window(data_dir, translator=language)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    problems: list[str] = []
    try:
        problems += problems_of(window, "start screen")
        for page in ("browser", "progress", "portfolio"):
            window.show_library(page)
            problems += problems_of(window, f"library {page}")
        window.open_demo()
        window.toggle_phones()
        from calms_desktop.gui.main_window import SETUP

        for step in (SETUP, *STEPS):
            window.go_to(step)
            qtbot.wait(10)
            problems += problems_of(window, f"step {step}")
        window.toggle_projector()
        projector = window.projector
        assert projector is not None
        problems += problems_of(projector, "projector")
        dialogs: list[QDialog] = [
            AboutDialog(window.library.folder, window),
            BrandingDialog(window.context.settings, window),
            ShortcutsDialog(window),
            PasteNamesDialog(["Ada"], "", window),
            TrashDialog(window.library, window),
        ]
        workshop = window.controller.workshop if window.controller else None
        assert workshop is not None
        dialogs.append(MergeDialog(workshop, workshop, source="a.json", remaining=2,
                                   parent=window))
        for dialog in dialogs:
            dialog.show()
            problems += problems_of(dialog, type(dialog).__name__)
            dialog.close()
    finally:
        window.close()
        window.library.close()
    assert not problems, f"Alt mnemonics collide ({language.language}):\n" + "\n".join(problems)
