"""The committed PNG icons are the SVG rendered at each size (tools/render_icons.py)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tools import render_icons


def test_every_png_is_the_svg_at_its_size(qapp):
    for size in render_icons.SIZES:
        committed = QImage(str(render_icons.png_path(size)))
        assert committed.width() == size and committed.height() == size, size
        fresh = render_icons.render(size)
        fmt = QImage.Format.Format_ARGB32
        a, b = committed.convertToFormat(fmt), fresh.convertToFormat(fmt)
        # the same pixels, give or take rounding in another Qt's rasteriser
        diff = sum(abs(x - y) for x, y in zip(a.constBits(), b.constBits(), strict=True))
        assert diff / (size * size * 4) < 1.0, f"{size}px: run python -m tools.render_icons"


def test_the_svg_is_a_valid_square_icon():
    text = render_icons.SVG.read_text(encoding="utf-8")
    assert 'viewBox="0 0 256 256"' in text and "<title>CALMS Workshop</title>" in text
