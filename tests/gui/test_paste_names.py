"""The paste-names dialog's preview, in German too (nouns keep their capitals)."""

from __future__ import annotations

from calms_desktop.core.i18n import Translator, activate
from calms_desktop.gui.paste_names import PasteNamesDialog


def test_the_preview_keeps_german_nouns_capitalised(qtbot):
    with activate(Translator("de")):
        dialog = PasteNamesDialog(["Ada"], "Ada\nBo\nCy")
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "2 neue Namen, 1 schon vorhanden (übersprungen)."


def test_the_preview_in_english(qtbot):
    dialog = PasteNamesDialog([], "Ada")
    qtbot.addWidget(dialog)
    assert dialog.preview.text() == "1 new name."
