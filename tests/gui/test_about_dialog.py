"""Help → About: version, library folder, fonts and libraries with licence texts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from calms_desktop import __version__
from calms_desktop.gui.about_dialog import AboutDialog


def test_about_shows_version_folder_and_components(qtbot, tmp_path):
    dialog = AboutDialog(tmp_path / "lib")
    qtbot.addWidget(dialog)
    assert __version__ in dialog.findChild(QLabel, "aboutHeading").text()
    assert dialog.folder.text() == str(tmp_path / "lib")
    rows = dialog.rows()
    groups = {g for g, *_ in rows}
    assert groups == {"Fonts", "Libraries", "Bundled shared libraries"}
    # not a bundle: the system's shared libraries are used
    assert any(g == "Bundled shared libraries" and "system's shared libraries" in name
               for g, name, *_ in rows)
    names = {name for _, name, _, _ in rows}
    assert "reportlab" in names and "Symbola" in names and "Noto Emoji" in names
    pyside = next(r for r in rows if r[1].lower().startswith("pyside6"))
    assert pyside[2] and "LGPL" in pyside[3]


def test_choosing_a_row_shows_its_licence_text_by_keyboard(qtbot, tmp_path):
    dialog = AboutDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    tree = dialog.components
    tree.setFocus()
    fonts = tree.topLevelItem(0)
    tree.setCurrentItem(fonts)
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # the first font: Noto Sans
    assert tree.currentItem().text(0).startswith("Noto Sans")
    assert "OPEN FONT LICENSE" in dialog.licence.toPlainText().upper()
    # Tab from the table reaches the licence text, the folder and its button
    assert {dialog.licence, dialog.folder, dialog.open_folder} <= set(tab_chain(tree))
    dialog.close()


def tab_chain(start: QWidget) -> list[QWidget]:
    """The widgets Tab visits, in order, from ``start`` round to it again."""
    seen: list[QWidget] = []
    w = start.nextInFocusChain()
    while w is not start and len(seen) < 200:
        if w.isVisible() and w.isEnabled() and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            seen.append(w)
        w = w.nextInFocusChain()
    return seen


def test_pyside6_and_qt_show_the_lgpl_text(qtbot, tmp_path):
    dialog = AboutDialog(tmp_path)
    qtbot.addWidget(dialog)
    tree = dialog.components
    libraries = tree.topLevelItem(1)
    for name in ("PySide6_Essentials", "shiboken6", "Qt 6 libraries (in PySide6)"):
        item = next(libraries.child(j) for j in range(libraries.childCount())
                    if libraries.child(j).text(0) == name)
        tree.setCurrentItem(item)
        text = dialog.licence.toPlainText()
        assert "GNU LESSER GENERAL PUBLIC LICENSE" in text, name
        assert "carries no copy" not in text


def test_the_filter_narrows_every_group(qtbot, tmp_path):
    dialog = AboutDialog(tmp_path)
    qtbot.addWidget(dialog)
    tree = dialog.components
    dialog.filter.setText("REPORTLAB")
    shown = [tree.topLevelItem(i).child(j).text(0)
             for i in range(tree.topLevelItemCount())
             for j in range(tree.topLevelItem(i).childCount())
             if not tree.topLevelItem(i).child(j).isHidden()]
    assert shown == ["reportlab"]
    dialog.filter.clear()
    assert not any(tree.topLevelItem(i).child(j).isHidden()
                   for i in range(tree.topLevelItemCount())
                   for j in range(tree.topLevelItem(i).childCount()))


def test_a_bundle_lists_its_shared_libraries(qtbot, tmp_path, monkeypatch):
    import json
    import sys

    (tmp_path / "licenses").mkdir()
    (tmp_path / "licenses" / "shared-libraries.json").write_text(json.dumps({"libraries": [
        {"file": "libssl.so.3", "source": "/usr/lib/libssl.so.3", "kind": "debian",
         "provider": "libssl3", "version": "3.0", "licence": "Apache-2.0",
         "copyright": ""}]}), "utf-8")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    dialog = AboutDialog(tmp_path)
    qtbot.addWidget(dialog)
    assert ("Bundled shared libraries", "libssl.so.3", "3.0", "Apache-2.0") in dialog.rows()
