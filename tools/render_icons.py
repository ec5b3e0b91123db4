"""Render ``calms_desktop/resources/icons/calms-desktop.svg`` to the PNG sizes desktops ask for.

Qt's own SVG renderer (``PySide6.QtSvg``, part of PySide6-Essentials) draws
them, so no other tool is needed. The PNGs are committed; run
``python -m tools.render_icons`` after editing the SVG
(``tests/packaging/test_icons.py`` fails when a PNG is out of date).
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "calms_desktop" / "resources" / "icons"
SVG = ICONS / "calms-desktop.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    """Where the PNG of one size lives (``calms-desktop-<size>.png``)."""
    return ICONS / f"calms-desktop-{size}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The icon drawn at ``size`` × ``size`` pixels on a transparent background."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    return image


def main() -> int:
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    for size in SIZES:
        if not render(size).save(str(png_path(size))):
            print(f"error: cannot write {png_path(size)}", file=sys.stderr)
            return 1
        print(f"wrote {png_path(size)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
