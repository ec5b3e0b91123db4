"""The charts' visual language: colour-blind-safe colours plus line styles and markers.

Series are told apart without colour too (solid/dashed/dotted, circle/square/
triangle). Colours are from the Okabe–Ito palette. Fills use RGBA colours
rather than ``alpha``, because svglib (PDF charts) drops ``opacity``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.i18n import N_, format_number

if TYPE_CHECKING:
    from matplotlib.axis import Axis


@dataclass(frozen=True)
class SeriesStyle:
    label: str
    color: str
    linestyle: str
    marker: str
    linewidth: float
    fill_alpha: float  # 0 = no fill


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    foreground: str
    grid: str
    muted: str


LIGHT = Theme("light", "#ffffff", "#111111", "#b8b8b8", "#555555")
DARK = Theme("dark", "#111111", "#f2f2f2", "#5c5c5c", "#bbbbbb")
THEMES = {"light": LIGHT, "dark": DARK}

#: Okabe–Ito colours, readable on both themes.
BLUE = "#0072B2"
ORANGE = "#E69F00"
GREEN = "#009E73"
VERMILION = "#D55E00"
SKY = "#56B4E9"
PURPLE = "#CC79A7"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE)
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1, 1, 1)), (0, (1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P")

# The labels are translated where a legend shows them.
CURRENT = SeriesStyle(N_("This workshop"), BLUE, "-", "o", 2.6, 0.18)
BASELINE = SeriesStyle(N_("Baseline"), VERMILION, "--", "s", 2.0, 0.0)
TARGET = SeriesStyle(N_("Target"), GREEN, ":", "^", 2.0, 0.0)


def rgba(color: str, alpha: float) -> tuple[float, float, float, float]:
    """``#rrggbb`` + alpha as an RGBA tuple (kept by svglib, unlike ``alpha=``)."""
    color = color.lstrip("#")
    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


def nth_style(i: int, label: str) -> SeriesStyle:
    """Style of the i-th series in a multi-series chart (trend, overlay)."""
    return SeriesStyle(label, PALETTE[i % 6], LINESTYLES[i % 6], MARKERS[i % 6], 2.2, 0.0)  # type: ignore[arg-type]


def number_ticks(axis: Axis) -> None:
    """Write ``axis``'s tick numbers in the active language (0,5 / 1.200), not matplotlib's.

    As many decimals as the ticks need (0, 200, 400 · 0,5, 1,0, 1,5), the
    same for every tick of the axis.
    """
    from matplotlib.ticker import FuncFormatter

    def shown(value: float, _pos: int | None) -> str:
        ticks = [t for t in axis.get_ticklocs() if math.isfinite(t)]
        digits = next((d for d in range(3) if all(abs(t * 10**d - round(t * 10**d)) < 1e-6
                                                     for t in ticks)), 3)
        return format_number(value, digits)

    axis.set_major_formatter(FuncFormatter(shown))
