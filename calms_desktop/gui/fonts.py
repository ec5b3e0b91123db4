"""The reports' fonts in the app window and the projector, so every name prints the same.

The PDFs carry their fonts (:mod:`calms_desktop.reports.fonts`); on screen, a
laptop may have no Devanagari, Tamil or Thai font at all. :func:`register_app_fonts`
adds the shipped files (``calms_desktop/resources/fonts``: Noto Sans for the scripts, Droid
Sans Fallback for CJK, Noto Emoji for emoji, Symbola for other symbols) to Qt's font
database and makes them fallbacks of the application font, so a name in any of those scripts
finds its glyphs in any widget.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication

from ..core.assets import resource_dir

FONT_DIR = resource_dir("fonts")
#: Files registered: every Noto script font, then CJK, emoji, symbols (fallback order).
#: (DroidSansFallbackFull.ttf is left out: it has no Hangul. The shipped
#: DroidSansFallback.ttf is renamed "CALMS Droid Sans Fallback" inside, so a
#: system's own Droid Sans Fallback — often the Full one — cannot shadow it.)
PATTERNS = ("NotoSans*-Regular.ttf", "NotoSans*-Bold.ttf", "DroidSansFallback.ttf",
            "NotoEmoji-Regular.ttf", "Symbola.ttf")


def register_app_fonts(app: QApplication, font_dir: Path = FONT_DIR) -> list[str]:
    """Register the shipped fonts with Qt and make them the application font's fallbacks.

    Args:
        app: the application (its font gets the fallbacks).
        font_dir: where the font files are.

    Returns:
        The font families registered, in fallback order (a missing or broken
        file is skipped; the app then falls back on the system's fonts).
    """
    families: list[str] = []
    for pattern in PATTERNS:
        for path in sorted(font_dir.glob(pattern)):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                continue
            for family in QFontDatabase.applicationFontFamilies(font_id):
                if family not in families:
                    families.append(family)
    # The app font stays what the desktop gives (resolved to a real family:
    # "Sans Serif" is only an alias, and substituting an alias would make the
    # first fallback — a Bengali font — the whole UI's font); the shipped
    # fonts come after it, for the characters it lacks.
    font = QFont(app.font())
    base = QFontInfo(font).family()
    font.setFamilies([base, *(f for f in families if f != base)])
    app.setFont(font)
    return families
