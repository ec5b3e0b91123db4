"""The shipped fonts reach Qt: a name in any script finds a font that has its glyphs."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase, QTextLayout
from PySide6.QtWidgets import QLabel

from calms_desktop.gui.fonts import register_app_fonts

from ..reports.world import NAMES

NAMES_BY_SCRIPT = {script: name for script, name, _ in NAMES}


@pytest.fixture
def families(qapp):
    return register_app_fonts(qapp)


def test_the_noto_families_are_registered(families):
    for family in ("Noto Sans Devanagari", "Noto Sans Tamil", "Noto Sans Thai", "Noto Emoji"):
        assert family in families
        assert family in QFontDatabase.families()


@pytest.mark.parametrize("script", ["Devanagari", "Bengali", "Tamil", "Telugu", "Gujarati",
                                    "Thai", "Sinhala", "Khmer", "Ethiopic", "Chinese"])
def test_a_name_in_a_label_has_a_font_with_its_glyphs(qtbot, families, script):
    name = NAMES_BY_SCRIPT[script]
    label = QLabel(name)
    qtbot.addWidget(label)
    # lay the label's text out as Qt draws it: every glyph run comes from a font that
    # has those characters (glyph 0 would be the "missing glyph" box)
    layout = QTextLayout(name, label.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    assert runs
    used = set()
    for run in runs:
        assert 0 not in run.glyphIndexes(), run.rawFont().familyName()
        used.add(run.rawFont().familyName())
    raw_fonts = [run.rawFont() for run in runs]
    for ch in name:
        if ch.isalpha():
            assert any(raw.supportsCharacter(ord(ch)) for raw in raw_fonts), (ch, used)
    assert {f.lower() for f in used} & {f.lower() for f in families}, used


def test_the_ui_keeps_the_desktop_font_and_korean_finds_its_glyphs(qapp):
    """The bundled fonts are fallbacks, never the UI's font (a Bengali font once was),
    and a system's own Droid Sans Fallback (the Full one: no Hangul) cannot shadow ours."""
    from PySide6.QtGui import QFont, QFontInfo, QFontMetrics

    from calms_desktop.gui.fonts import register_app_fonts

    register_app_fonts(qapp)
    family = QFontInfo(qapp.font()).family()
    assert "Bengali" not in family and "Droid" not in family and "Symbola" not in family
    metrics = QFontMetrics(QFont(qapp.font()))
    assert all(metrics.inFontUcs4(ord(ch)) for ch in "김민준 이서연")
