"""How the room answered: a bar per level (1–5) plus "don't know".

The same visual language as the radar (:mod:`calms_desktop.charts.style`):
this workshop in blue with an RGBA fill, the baseline in dashed vermilion,
"don't know" in the muted grey of the theme. Every bar carries its count, so
the chart reads without colour.

* :class:`DistributionChart` — one statement, updated in place (the reveal
  screen);
* :func:`distribution_figure` — the same as a stand-alone figure;
* :func:`pillar_distribution_figure` — one group of bars per statement of a
  pillar in one axes (the facilitator report), with the privacy rule applied:
  a group whose results may not be shown says so instead of drawing bars.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from ..core import privacy
from ..core.i18n import _, ngettext
from ..core.model import Pillar, Workshop
from ..core.scoring import Distribution, WorkshopScore
from . import style as st
from .codes import statement_codes

#: Bar labels, left to right: the five levels, then "don't know".
CATEGORIES: tuple[str, ...] = ("1", "2", "3", "4", "5", "?")
DONT_KNOW_LABEL = "?"


def bar_heights(dist: Distribution) -> tuple[int, ...]:
    """The six bar heights: counts for levels 1–5, then "don't know"."""
    return (*dist.counts, dist.dont_know)


@dataclass(frozen=True)
class DistributionData:
    """What one distribution chart shows.

    Attributes:
        distribution: the answers; None when the privacy rule withholds them.
        mean: this workshop's mean (a solid blue marker line), if any.
        baseline_mean: the baseline's mean (a dashed vermilion line), if any.
        title: a short label above the chart (e.g. the statement code "C2").
        withheld: the text shown instead of bars when the results are withheld.
    """

    distribution: Distribution | None
    mean: float | None = None
    baseline_mean: float | None = None
    title: str = ""
    withheld: str = ""


class DistributionChart:
    """Bars for one statement in an existing axes, updated in place.

    Args:
        ax: draw into this axes.
        theme: ``"light"`` or ``"dark"``.
        font_scale: multiply text sizes.
        compact: small-multiple mode (smaller type, no y axis).
    """

    def __init__(self, ax: Axes, theme: str = "light", font_scale: float = 1.0,
                 compact: bool = False) -> None:
        self.ax = ax
        self.theme = st.THEMES[theme]
        self.font_scale = font_scale
        self.compact = compact
        self._bars: BarContainer | None = None
        self._labels: list[Text] = []
        self._mean: Line2D | None = None
        self._baseline: Line2D | None = None
        self._message: Text | None = None
        self._title: Text | None = None
        self._build()

    @property
    def fs(self) -> float:
        return (8.0 if self.compact else 11.0) * self.font_scale

    def _build(self) -> None:
        ax, t = self.ax, self.theme
        ax.set_facecolor(t.background)
        xs = range(len(CATEGORIES))
        self._bars = ax.bar(
            xs, [0] * len(CATEGORIES), width=0.72, zorder=2,
            color=[st.rgba(st.CURRENT.color, 0.55)] * 5 + [st.rgba(t.muted, 0.35)],
            edgecolor=[st.CURRENT.color] * 5 + [t.muted], linewidth=0.8,
        )
        self._labels = [
            ax.text(x, 0, "", ha="center", va="bottom", fontsize=self.fs * 0.95,
                    color=t.foreground, zorder=4)
            for x in xs
        ]
        (self._mean,) = ax.plot([], [], color=st.CURRENT.color, linestyle=st.CURRENT.linestyle,
                                linewidth=1.6, zorder=3, label=_("Mean"))
        (self._baseline,) = ax.plot([], [], color=st.BASELINE.color,
                                    linestyle=st.BASELINE.linestyle, linewidth=1.4, zorder=3,
                                    label=_("Baseline mean"))
        self._message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center", va="center",
                                fontsize=self.fs * 0.9, color=t.muted, wrap=True)
        self._title = ax.set_title("", fontsize=self.fs * 1.05, color=t.foreground,
                                   fontweight="bold", pad=3)
        ax.set_xticks(list(xs), CATEGORIES, fontsize=self.fs, color=t.foreground)
        ax.set_xlim(-0.6, len(CATEGORIES) - 0.4)
        ax.tick_params(axis="x", length=0, pad=2)
        ax.set_yticks([])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(t.grid)

    @staticmethod
    def _x_of(mean: float) -> float:
        """Levels 1–5 sit at x = 0–4."""
        return mean - 1

    def bar_heights(self) -> tuple[float, ...]:
        """The heights the bars currently show (for tests)."""
        assert self._bars is not None
        return tuple(float(p.get_height()) for p in self._bars.patches)

    def mean_x(self) -> float | None:
        """Where the mean line is drawn, as a level 1–5 (None: not drawn)."""
        assert self._mean is not None
        xs = np.asarray(self._mean.get_xdata())
        return None if not self._mean.get_visible() or len(xs) == 0 else float(xs[0]) + 1

    def update(self, data: DistributionData) -> None:
        """Show new numbers by changing the existing artists."""
        assert self._bars is not None and self._mean is not None
        assert self._baseline is not None and self._message is not None
        assert self._title is not None
        self._title.set_text(data.title)
        dist = data.distribution
        heights = bar_heights(dist) if dist is not None else (0,) * len(CATEGORIES)
        top = max(max(heights), 1)
        for patch, label, h in zip(self._bars.patches, self._labels, heights, strict=True):
            patch.set_height(h)
            patch.set_visible(dist is not None)
            label.set_position((label.get_position()[0], h + top * 0.03))
            label.set_text(str(h) if dist is not None and h else "")
        self.ax.set_ylim(0, top * 1.28)
        for line, value in ((self._mean, data.mean), (self._baseline, data.baseline_mean)):
            if dist is None or value is None:
                line.set_data([], [])
                line.set_visible(False)
            else:
                x = self._x_of(value)
                line.set_data([x, x], [0, top * 1.18])
                line.set_visible(True)
        self._message.set_text(data.withheld if dist is None else "")


def _statement_data(ws: Workshop, score: WorkshopScore, pillar: Pillar, index: int,
                    code: str) -> DistributionData:
    ss = score.pillars[pillar].statements[index]
    if not privacy.can_show(ws, ss):
        n = ss.stats.distribution.total
        return DistributionData(None, title=code, withheld=ngettext(
            "{n} answer —\ntoo few to show\nanonymously",
            "{n} answers —\ntoo few to show\nanonymously", n).format(n=n))
    return DistributionData(ss.stats.distribution, ss.stats.mean, ss.baseline_mean, code)


def pillar_distribution_data(ws: Workshop, score: WorkshopScore,
                             pillar: Pillar) -> list[DistributionData]:
    """One :class:`DistributionData` per statement of ``pillar``, privacy rule applied."""
    codes = statement_codes(ws, pillar)
    return [_statement_data(ws, score, pillar, i, c) for i, c in enumerate(codes)]


def distribution_figure(data: DistributionData, *, theme: str = "light",
                        size: tuple[float, float] = (4.0, 2.6)) -> Figure:
    """A stand-alone chart of one statement's answers (PNG/SVG export, reports)."""
    fig = Figure(figsize=size, dpi=100)
    fig.set_facecolor(st.THEMES[theme].background)
    ax = fig.add_subplot()
    chart = DistributionChart(ax, theme=theme)
    chart.update(data)
    fig.subplots_adjust(left=0.04, right=0.96, top=0.86 if data.title else 0.95, bottom=0.14)
    return fig


#: Bars per statement group in the pillar chart, plus one bar's width of space.
GROUP_STEP = len(CATEGORIES) + 1.2


@dataclass
class PillarDistributionChart:
    """The per-pillar chart: one group of bars per statement, in one axes.

    One axes (not one per statement) keeps the figure light: the report
    converts it to vectors, and its cost grows with the number of artists.

    Attributes:
        figure: the matplotlib figure.
        groups: per statement, its data and its six bars (for tests).
    """

    figure: Figure
    groups: list[tuple[DistributionData, BarContainer | None]]
    mean_lines: list[Line2D]

    def bar_heights(self, index: int) -> tuple[float, ...]:
        bars = self.groups[index][1]
        return () if bars is None else tuple(float(p.get_height()) for p in bars.patches)


def pillar_chart(panels: list[DistributionData], *, theme: str = "light", width: float = 7.0,
                 height: float = 1.45) -> PillarDistributionChart:
    """Draw ``panels`` as groups of bars side by side (static; for reports and export)."""
    t = st.THEMES[theme]
    fig = Figure(figsize=(width, height), dpi=100)
    fig.set_facecolor(t.background)
    ax = fig.add_axes((0.005, 0.16, 0.99, 0.66))
    ax.set_facecolor(t.background)
    ax.set_axis_off()
    fs = 7.5
    top = max([max(bar_heights(d.distribution)) for d in panels if d.distribution] or [1])
    top = max(top, 1)
    groups: list[tuple[DistributionData, BarContainer | None]] = []
    means: list[Line2D] = []
    tick_x: list[float] = []
    for k, data in enumerate(panels):
        x0 = k * GROUP_STEP
        xs = [x0 + i for i in range(len(CATEGORIES))]
        ax.plot([x0 - 0.5, x0 + len(CATEGORIES) - 0.5], [0, 0], color=t.grid, linewidth=0.8)
        ax.text(x0 + (len(CATEGORIES) - 1) / 2, top * 1.42, data.title, ha="center",
                va="bottom", fontsize=fs * 1.1, fontweight="bold", color=t.foreground)
        tick_x += xs
        if data.distribution is None:
            ax.text(x0 + (len(CATEGORIES) - 1) / 2, top * 0.55, data.withheld, ha="center",
                    va="center", fontsize=fs * 0.9, color=t.muted)
            groups.append((data, None))
            continue
        heights = bar_heights(data.distribution)
        bars = ax.bar(
            xs, heights, width=0.72, zorder=2,
            color=[st.rgba(st.CURRENT.color, 0.55)] * 5 + [st.rgba(t.muted, 0.35)],
            edgecolor=[st.CURRENT.color] * 5 + [t.muted], linewidth=0.7,
        )
        groups.append((data, bars))
        for x, h in zip(xs, heights, strict=True):
            if h:
                ax.text(x, h + top * 0.03, str(h), ha="center", va="bottom", fontsize=fs * 0.9,
                        color=t.foreground, zorder=4,
                        bbox={"boxstyle": "square,pad=0.08", "facecolor": t.background,
                              "edgecolor": "none"})
        for value, s_style, lw in ((data.mean, st.CURRENT, 1.5),
                                   (data.baseline_mean, st.BASELINE, 1.3)):
            if value is not None:
                x = x0 + value - 1
                (line,) = ax.plot([x, x], [0, top * 1.3], color=s_style.color,
                                  linestyle=s_style.linestyle, linewidth=lw, zorder=3)
                if s_style is st.CURRENT:
                    means.append(line)
    for x, label in zip(tick_x, CATEGORIES * len(panels), strict=True):
        ax.text(x, -top * 0.06, label, ha="center", va="top", fontsize=fs, color=t.muted)
    ax.set_xlim(-0.7, max(len(panels), 1) * GROUP_STEP - 1.2 - 0.3)
    ax.set_ylim(0, top * 1.42)
    return PillarDistributionChart(fig, groups, means)


def pillar_distribution_figure(ws: Workshop, score: WorkshopScore, pillar: Pillar, *,
                               theme: str = "light", width: float = 7.0) -> Figure:
    """Every statement of ``pillar`` as a group of bars (privacy rule applied)."""
    return pillar_chart(pillar_distribution_data(ws, score, pillar), theme=theme,
                        width=width).figure
