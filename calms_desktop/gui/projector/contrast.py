"""WCAG 2 contrast ratio of two colours (no Qt).

The projector promises text contrast of at least 7:1 (WCAG AAA), which is
what still reads on a washed-out projector at the back of a room. The
themes in :mod:`.theme` are checked against it by the tests.
"""

from __future__ import annotations

#: WCAG AAA for normal text; the projector's promise for every text colour.
AAA = 7.0


def parse_hex(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` or ``#rgb`` as an (r, g, b) tuple of 0–255.

    Raises:
        ValueError: the text is not a hex colour.
    """
    text = color.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(f"not a hex colour: {color!r}")
    try:
        return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    except ValueError:
        raise ValueError(f"not a hex colour: {color!r}") from None


def _linear(channel: int) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    """The WCAG relative luminance of a colour: 0 (black) to 1 (white)."""
    r, g, b = parse_hex(color)
    return 0.2126 * _linear(r) + 0.7152 * _linear(g) + 0.0722 * _linear(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """The WCAG contrast ratio of two colours, from 1.0 to 21.0 (order does not matter)."""
    a = relative_luminance(foreground)
    b = relative_luminance(background)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)
