"""Progress charts: a team's trend per pillar, a radar overlay, the portfolio heatmap.

All three are plain matplotlib figures (no Qt): the library screens put
them on a canvas and reports can use them as they are. Series differ by
line style and marker as well as colour (:func:`style.nth_style`); the
heatmap uses the colour-blind-safe ``cividis`` map and prints every value.

User text (titles, organisations) goes into labels through
:func:`safe_label`, which shortens it and escapes ``$`` so matplotlib never
reads it as mathtext.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedFormatter, FixedLocator

from ..core.i18n import N_, _, active
from ..core.model import PILLARS, Pillar
from ..core.progress import Portfolio, TeamTrend, WorkshopPoint
from ..core.scoring import fmt
from . import style as st
from .radar import closed_polygon, pillar_axes

Values = dict[Pillar, float | None]

#: Longest label (in characters) a legend or axis shows of user text.
LABEL_CHARS = 42


def safe_label(text: str, limit: int = LABEL_CHARS) -> str:
    """User text fit for a matplotlib label: one line, at most ``limit`` characters, no mathtext."""
    one_line = " ".join(text.split())
    if len(one_line) > limit:
        one_line = one_line[: limit - 1].rstrip() + "…"
    return one_line.replace("$", r"\$")


def _grid(ax, theme: st.Theme) -> None:
    ax.set_facecolor(theme.background)
    ax.grid(color=theme.grid, linewidth=0.7)
    for spine in ax.spines.values():
        spine.set_color(theme.grid)
    ax.tick_params(colors=theme.muted)


# -- trend ----------------------------------------------------------------------------------
class TrendChart:
    """One line per pillar over the team's assessments, oldest first (levels 1–5).

    The lines are made once; :meth:`update` changes their data.

    Args:
        figure: draw into this figure (a canvas's); a new one if None.
        theme: ``"light"`` or ``"dark"``.
        font_scale: multiply text sizes.
    """

    def __init__(self, figure: Figure | None = None, theme: str = "light",
                 font_scale: float = 1.0) -> None:
        self.figure = figure if figure is not None else Figure(figsize=(9, 4.5), dpi=100)
        self.theme = st.THEMES[theme]
        self.font_scale = font_scale
        fs = 10 * font_scale
        self.figure.set_facecolor(self.theme.background)
        self.ax = self.figure.add_subplot()
        ax = self.ax
        _grid(ax, self.theme)
        ax.set_ylim(0.8, 5.2)
        ax.set_yticks([1, 2, 3, 4, 5])
        ax.set_ylabel(_("Mean level (1–5)"), color=self.theme.foreground, fontsize=fs)
        ax.tick_params(labelsize=fs * 0.9)
        self.lines: dict[Pillar, Line2D] = {}
        for i, p in enumerate(PILLARS):
            s = st.nth_style(i, p.title)
            (line,) = ax.plot([], [], color=s.color, linestyle=s.linestyle, marker=s.marker,
                              linewidth=s.linewidth, markersize=7, label=_(s.label), zorder=3)
            self.lines[p] = line
        self.figure.legend(
            handles=list(self.lines.values()), loc="upper center", ncol=len(PILLARS),
            frameon=False, fontsize=fs, labelcolor=self.theme.foreground, handlelength=3.2,
        )
        self._message = ax.text(0.5, 0.5, "", transform=ax.transAxes, ha="center",
                                va="center", color=self.theme.muted, fontsize=fs * 1.1)
        self._note = self.figure.text(0.98, 0.01, "", ha="right", va="bottom",
                                      color=self.theme.muted, fontsize=fs * 0.8)
        self.figure.subplots_adjust(left=0.08, right=0.98, top=0.86, bottom=0.2)

    def series(self, pillar: Pillar) -> tuple[np.ndarray, np.ndarray]:
        """The (assessment indexes, means) a pillar's line shows (for tests)."""
        line = self.lines[pillar]
        return (np.asarray(line.get_xdata(), dtype=float),
                np.asarray(line.get_ydata(), dtype=float))

    def update(self, trend: TeamTrend) -> None:
        """Show a team's workshops; a pillar without a mean leaves a gap in its line.

        The x axis is the assessments in order (oldest first), one step each,
        labelled with their dates: several assessments on one day collapsed a
        time axis (every point on one x). A workshop without a date is placed
        by the day it was created (as :func:`calms_desktop.core.progress.chronological`
        orders it), its label marked with ``*`` and a note under the chart.
        """
        points = list(trend.points)
        xs = np.arange(len(points), dtype=float)
        for p, line in self.lines.items():
            ys = np.array([np.nan if pt.means[p] is None else pt.means[p] for pt in points],
                          dtype=float)
            line.set_data(xs, ys)
        labels = tick_labels(points)
        self.ax.xaxis.set_major_locator(FixedLocator(list(xs)))
        self.ax.xaxis.set_major_formatter(FixedFormatter(labels))
        many = len(points) > 6
        for tick in self.ax.get_xticklabels():
            tick.set_rotation(30 if many else 0)
            tick.set_horizontalalignment("right" if many else "center")
        self.ax.set_xlim(-0.5, max(len(points) - 0.5, 0.5))
        undated = any(not pt.date for pt in points)
        self._note.set_text(_("* no workshop date: placed by the day it was created")
                            if undated else "")
        if not trend.points:
            self._message.set_text(_("No workshops for this team yet"))
        elif not any(pt.has_results for pt in trend.points):
            self._message.set_text(_("No results yet: nobody has voted in these workshops"))
        else:
            self._message.set_text("")


def tick_labels(points: Sequence[WorkshopPoint]) -> list[str]:
    """Each assessment's date as the trend's x axis shows it, oldest first.

    Two or more on one day are told apart by their order that day ("3 Mar
    2026 (2)"); a workshop without a date shows the day it was created,
    marked ``*``; one with neither shows "—".
    """
    days = [pt.day for pt in points]
    out: list[str] = []
    seen: dict[object, int] = {}
    for pt, day in zip(points, days, strict=True):
        if day is None:
            out.append("—")
            continue
        text = active().format_short_date(day) + ("" if pt.date else "*")
        if days.count(day) > 1:
            seen[day] = seen.get(day, 0) + 1
            text += f" ({seen[day]})"
        out.append(text)
    return out


def trend_figure(trend: TeamTrend, *, theme: str = "light") -> Figure:
    """A stand-alone trend figure (reports, PNG/SVG export)."""
    fig = Figure(figsize=(9, 4.5), dpi=100)
    TrendChart(fig, theme=theme).update(trend)
    return fig


# -- radar overlay --------------------------------------------------------------------------
#: A radar overlay shows at most this many workshops (more is unreadable).
MAX_OVERLAY = 4


class RadarOverlay:
    """Up to :data:`MAX_OVERLAY` workshops on one radar, each in its own style.

    The axes match :class:`~calms_desktop.charts.radar.RadarChart` (Culture
    at the top, clockwise, levels 0–5); the series are styled like the
    trend's (``nth_style``), so the first workshop is solid blue circles …

    Args:
        figure: draw into this figure; a new one if None.
        theme: ``"light"`` or ``"dark"``.
        font_scale: multiply text sizes.
    """

    def __init__(self, figure: Figure | None = None, theme: str = "light",
                 font_scale: float = 1.0) -> None:
        self.figure = figure if figure is not None else Figure(figsize=(6, 6), dpi=100)
        self.theme = t = st.THEMES[theme]
        self.font_scale = font_scale
        fs = 10 * font_scale
        self.figure.set_facecolor(t.background)
        ax = self.ax = self.figure.add_subplot(projection="polar")
        pillar_axes(ax, t, font_size=fs, label_size=1.1, pad=8 * font_scale)
        self.lines: list[Line2D] = []
        for i in range(MAX_OVERLAY):
            s = st.nth_style(i, "")
            (line,) = ax.plot([], [], color=s.color, linestyle=s.linestyle, marker=s.marker,
                              linewidth=s.linewidth, markersize=6, zorder=3, visible=False)
            self.lines.append(line)
        self._legend: Legend | None = None
        self.figure.subplots_adjust(left=0.12, right=0.88, top=0.9, bottom=0.22)

    def series(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """The (angles, radii) of the i-th workshop shown (for tests)."""
        line = self.lines[i]
        return (np.asarray(line.get_xdata(), dtype=float),
                np.asarray(line.get_ydata(), dtype=float))

    def update(self, series: Sequence[tuple[str, Values]]) -> None:
        """Show (label, pillar means) for each workshop, oldest first.

        Raises:
            ValueError: more than :data:`MAX_OVERLAY` workshops.
        """
        if len(series) > MAX_OVERLAY:
            raise ValueError(f"a radar overlay shows at most {MAX_OVERLAY} workshops")
        for i, line in enumerate(self.lines):
            if i < len(series):
                label, values = series[i]
                line.set_data(*closed_polygon(values))
                line.set_label(safe_label(label))
                line.set_visible(True)
            else:
                line.set_data([], [])
                line.set_visible(False)
        if self._legend is not None:
            self._legend.remove()
            self._legend = None
        shown = self.lines[: len(series)]
        if shown:
            self._legend = self.figure.legend(
                handles=shown, labels=[h.get_label() for h in shown], loc="lower center",
                ncol=1 if len(shown) < 3 else 2, frameon=False, fontsize=9 * self.font_scale,
                labelcolor=self.theme.foreground, handlelength=3.2,
            )


# -- portfolio heatmap ----------------------------------------------------------------------
#: Columns of the portfolio heatmap: the pillars, then overall.
HEATMAP_COLUMNS: tuple[str, ...] = (*(p.title for p in PILLARS), N_("Overall"))
HEATMAP_CMAP = "cividis"


def text_colour_on(rgba: tuple[float, ...]) -> str:
    """Near-black or white, whichever contrasts more with the colour (WCAG luminance)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    lum = 0.2126 * linear(rgba[0]) + 0.7152 * linear(rgba[1]) + 0.0722 * linear(rgba[2])
    dark = (lum + 0.05) / (0.0056 + 0.05)  # #111111
    light = 1.05 / (lum + 0.05)
    return "#111111" if dark >= light else "#ffffff"


def heatmap_matrix(data: Portfolio) -> np.ndarray:
    """Organisations × (pillars, overall) of mean levels; NaN where there is none."""
    rows = []
    for org in data.organisations:
        rows.append([np.nan if org.pillars[p].mean is None else org.pillars[p].mean
                     for p in PILLARS]
                    + [np.nan if org.overall.mean is None else org.overall.mean])
    return np.array(rows, dtype=float).reshape(len(rows), len(HEATMAP_COLUMNS))


def heatmap_height(organisations: int) -> float:
    """Inches a heatmap of this many organisations needs."""
    return 1.4 + 0.42 * max(1, organisations)


def draw_portfolio(figure: Figure, data: Portfolio, theme: str = "light") -> np.ndarray:
    """Draw the portfolio heatmap into ``figure`` (cleared first); returns its matrix.

    Each cell is an organisation's mean level for a pillar, written in the
    cell as text (so the colour is never the only cue); empty cells say "—".
    """
    t = st.THEMES[theme]
    figure.clear()
    figure.set_facecolor(t.background)
    matrix = heatmap_matrix(data)
    ax = figure.add_subplot()
    ax.set_facecolor(t.background)
    if not len(matrix):
        ax.set_axis_off()
        ax.text(0.5, 0.5, _("No workshops in the library yet"), ha="center", va="center",
                color=t.muted, fontsize=11, transform=ax.transAxes)
        return matrix
    import matplotlib

    cmap = matplotlib.colormaps[HEATMAP_CMAP].with_extremes(bad="#e6e6e6")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=1, vmax=5, aspect="auto")
    ax.set_xticks(range(len(HEATMAP_COLUMNS)))
    ax.set_xticklabels([*(p.title for p in PILLARS), _("Overall")], color=t.foreground,
                       fontsize=10, fontweight="bold")
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(data.organisations)))
    ax.set_yticklabels([safe_label(o.organisation, 30) for o in data.organisations],
                       color=t.foreground, fontsize=10)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for (r, c), value in np.ndenumerate(matrix):
        if np.isnan(value):
            ax.text(c, r, "—", ha="center", va="center", color="#333333", fontsize=10)
            continue
        ax.text(c, r, fmt(value), ha="center", va="center", fontsize=10, fontweight="bold",
                color=text_colour_on(cmap((value - 1) / 4)))
    bar = figure.colorbar(image, ax=ax, fraction=0.04, pad=0.02, ticks=[1, 2, 3, 4, 5])
    bar.set_label(_("Mean level (1–5)"), color=t.foreground, fontsize=9)
    bar.ax.tick_params(colors=t.muted, labelsize=9)
    bar.outline.set_visible(False)
    return matrix


def portfolio_figure(data: Portfolio, *, theme: str = "light") -> Figure:
    """A stand-alone portfolio heatmap."""
    fig = Figure(figsize=(8, heatmap_height(len(data.organisations))), dpi=100)
    draw_portfolio(fig, data, theme)
    fig.tight_layout()
    return fig
