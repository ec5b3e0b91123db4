"""The CALMS radar: this workshop vs baseline vs target, one axis per pillar.

:class:`RadarChart` builds its figure once and afterwards only changes the
data of its existing artists (:meth:`RadarChart.update`), so a live canvas
can redraw cheaply (the GUI blits just these artists) and a report can use
the same figure.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Polygon
from matplotlib.projections.polar import PolarAxes

from ..core import privacy
from ..core.i18n import _
from ..core.model import PILLARS, Pillar, Workshop
from ..core.scoring import WorkshopScore, fmt
from . import style as st

Values = dict[Pillar, float | None]


#: Moves and shrinks :meth:`RadarChart.fit_labels` may take (each one measures the names).
FIT_ATTEMPTS = 12


@dataclass(frozen=True)
class RadarData:
    """What the radar shows: a level (or None) per pillar for each series."""

    current: Values
    baseline: Values | None = None
    target: Values | None = None


def radar_data(ws: Workshop, score: WorkshopScore, *, only_revealed: bool = False) -> RadarData:
    """The radar's numbers for a workshop, applying the privacy rule.

    Args:
        only_revealed: show a pillar's mean only once it has been revealed
            (what the room may see); the facilitator's console sees all.
    """
    current: Values = {}
    baseline: Values = {}
    for p in PILLARS:
        ps = score.pillars[p]
        hidden = only_revealed and not privacy.results_visible(ws, p)
        current[p] = None if hidden or not privacy.can_show(ws, ps) else ps.mean
        baseline[p] = ps.baseline_mean
    has_baseline = any(v is not None for v in baseline.values())
    target: Values = {p: (float(ws.targets[p]) if p in ws.targets else None) for p in PILLARS}
    has_target = any(v is not None for v in target.values())
    return RadarData(current, baseline if has_baseline else None, target if has_target else None)


@dataclass(frozen=True)
class ValueTable:
    """The radar's numbers as text, for people who cannot see the chart.

    Attributes:
        columns: the series shown, as the legend names them ("This workshop",
            then "Baseline" and "Target" when there are any).
        rows: per pillar, its name and one formatted score per column
            ("—" where there is none yet, e.g. a pillar not revealed).
    """

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    def describe(self) -> str:
        """One sentence a screen reader speaks: "Culture: This workshop 3.4, Baseline 2.9; …"."""
        return "; ".join(
            f"{row[0]}: " + ", ".join(f"{c} {v}" for c, v in zip(self.columns, row[1:],
                                                                  strict=True))
            for row in self.rows
        )


def value_table(data: RadarData) -> ValueTable:
    """The numbers :func:`radar_data` gives, formatted as every screen prints scores."""
    # the styles hold the English names (N_): the table speaks the active language
    series = [(_(st.CURRENT.label), data.current)]
    if data.baseline is not None:
        series.append((_(st.BASELINE.label), data.baseline))
    if data.target is not None:
        series.append((_(st.TARGET.label), data.target))
    rows = tuple((p.title, *(fmt(values.get(p)) for _, values in series)) for p in PILLARS)
    return ValueTable(tuple(label for label, _ in series), rows)


def closed_polygon(values: Values) -> tuple[np.ndarray, np.ndarray]:
    """Angles and radii of a closed polygon; missing pillars are NaN (a gap)."""
    n = len(PILLARS)
    angles = np.array([2 * math.pi * i / n for i in range(n + 1)])
    radii = np.array(
        [np.nan if values.get(p) is None else values[p] for p in (*PILLARS, PILLARS[0])],
        dtype=float,
    )
    return angles, radii


def pillar_axes(ax: Axes, theme: st.Theme, *, font_size: float, label_size: float,
                pad: float, min_text: float = 0.0) -> None:
    """Style polar axes as every CALMS radar is: Culture at the top, then
    clockwise; levels 0–5 with rings at 1–5; pillar names bold around it."""
    n = len(PILLARS)
    assert isinstance(ax, PolarAxes)  # add_subplot(projection="polar") is typed as Axes
    ax.set_facecolor(theme.background)
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    ax.set_xlim(0, 2 * math.pi)
    ax.set_ylim(0, 5)
    ax.set_autoscale_on(False)
    ax.set_yticks([1, 2, 3, 4, 5])
    ax.set_yticklabels(["1", "2", "3", "4", "5"], color=theme.muted,
                       fontsize=max(font_size * 0.8, min_text))
    ax.set_rlabel_position(360 / n / 2)
    ax.set_xticks([2 * math.pi * i / n for i in range(n)])
    size = max(font_size * label_size, min_text)
    ax.set_xticklabels([p.title for p in PILLARS], color=theme.foreground,
                       fontsize=size, fontweight="bold")
    # A long name ("Automatisierung") would run off the figure beside the chart: the
    # names get a smaller size, never below the readable minimum, and all the same one
    # (one name drawn smaller than the others read as less important); the circle then
    # moves or shrinks so that what is still too long fits (RadarChart.fit_labels).
    longest = max((len(label.get_text()) for label in ax.get_xticklabels()), default=1)
    if longest > AXIS_LABEL_CHARS:
        for label in ax.get_xticklabels():
            label.set_fontsize(max(size * (AXIS_LABEL_CHARS / longest) ** 0.5, min_text))
    ax.tick_params(axis="x", pad=pad)
    ax.grid(color=theme.grid, linewidth=0.8)
    ax.spines["polar"].set_color(theme.grid)


#: Axis names up to this many letters are drawn at the full size ("Measurement").
AXIS_LABEL_CHARS = 11


class RadarChart:
    """A radar figure whose series can be updated in place.

    Args:
        figure: draw into this figure (a canvas's); a new one if None.
        theme: ``"light"`` or ``"dark"``.
        font_scale: multiply text sizes (the projector uses large type).
        min_text: no text smaller than this (points): the projector passes
            its body text size, so the scale and legend read from the back.
    """

    def __init__(
        self, figure: Figure | None = None, theme: str = "light", font_scale: float = 1.0,
        min_text: float = 0.0,
    ) -> None:
        self.figure = figure if figure is not None else Figure(figsize=(6, 6), dpi=100)
        self.theme = st.THEMES[theme]
        self.font_scale = font_scale
        self.min_text = min_text
        self.figure.set_facecolor(self.theme.background)
        self.ax = self.figure.add_subplot(projection="polar")
        self._lines: dict[str, Line2D] = {}
        self._fills: dict[str, Polygon] = {}
        self._build()

    def _build(self) -> None:
        ax, t = self.ax, self.theme
        pillar_axes(ax, t, font_size=11 * self.font_scale, label_size=1.05,
                    pad=4 * self.font_scale, min_text=self.min_text)
        ax.tick_params(axis="x", length=0)
        # Pillar names grow away from the circle: centred, the long ones on the
        # sides ("Automation", "Measurement") ran across the outer ring.
        for label, angle in zip(ax.get_xticklabels(), ax.get_xticks(), strict=True):
            side, up = math.sin(angle), math.cos(angle)  # clockwise from the top
            label.set_horizontalalignment("left" if side > 0.15 else
                                          "right" if side < -0.15 else "center")
            label.set_verticalalignment("bottom" if up > 0.15 else
                                        "top" if up < -0.15 else "center")
        for key, s in (("target", st.TARGET), ("baseline", st.BASELINE), ("current", st.CURRENT)):
            (line,) = ax.plot(
                [], [], color=s.color, linestyle=s.linestyle, marker=s.marker,
                linewidth=s.linewidth * self.font_scale ** 0.5,
                markersize=7 * self.font_scale ** 0.5, label=_(s.label), zorder=3,
            )
            self._lines[key] = line
            if s.fill_alpha:
                poly = Polygon(np.zeros((1, 2)), closed=True,
                               facecolor=st.rgba(s.color, s.fill_alpha),
                               edgecolor="none", zorder=2)
                ax.add_patch(poly)
                self._fills[key] = poly
        self._legend: Legend | None = None
        self.figure.subplots_adjust(left=0.24, right=0.76, top=0.86, bottom=0.1)

    def _width_px(self, artist: Artist) -> float | None:
        """``artist``'s drawn width in pixels, or None without a canvas that can measure."""
        get_renderer = getattr(self.figure.canvas, "get_renderer", None)
        if get_renderer is None:
            return None
        return float(artist.get_window_extent(get_renderer()).width)

    def fit_labels(self, margin_px: float = 4.0) -> bool:
        """Move, then shrink the circle until the pillar names lie inside the figure.

        Large type on a narrow canvas (the projector's results slide) pushed
        "Automation" past the figure's edge, where it was cut off. A name longer
        on one side moves the circle to the other first, so German keeps its size.
        Call after the last layout change and before a full draw. Returns True
        when the circle had to move or shrink.
        """
        fig, ax = self.figure, self.ax
        get_renderer = getattr(fig.canvas, "get_renderer", None)
        if get_renderer is None:
            return False
        renderer = get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        shrunk = False
        for _attempt in range(FIT_ATTEMPTS):
            box = ax.get_tightbbox(renderer)
            if box is None:
                return shrunk
            left, right = margin_px - box.x0, box.x1 - (width - margin_px)
            low, high = margin_px - box.y0, box.y1 - (height - margin_px)
            over = max(left, right, low, high)
            if over <= 0.5:
                return shrunk
            pos = ax.get_position()
            # A long name on one side only ("Automatisierung" on the right, "Teilen" on
            # the left): move the circle towards the room first, then shrink what is left.
            dx = (left - right) / 2 if max(left, right) > 0.5 and abs(left - right) > 1 else 0
            dy = (low - high) / 2 if max(low, high) > 0.5 and abs(low - high) > 1 else 0
            if dx or dy:
                ax.set_position((pos.x0 + dx / width, pos.y0 + dy / height,
                                 pos.width, pos.height))
                shrunk = True
                continue
            diameter = min(pos.width * width, pos.height * height)
            factor = max(0.4, (diameter - 2.2 * over) / diameter)
            cx, cy = pos.x0 + pos.width / 2, pos.y0 + pos.height / 2
            ax.set_position((cx - pos.width * factor / 2, cy - pos.height * factor / 2,
                             pos.width * factor, pos.height * factor))
            shrunk = True
        return shrunk

    @property
    def animated_artists(self) -> list[Artist]:
        """The artists :meth:`update` changes (for blitting)."""
        return [*self._lines.values(), *self._fills.values()]

    def series(self, key: str) -> tuple[np.ndarray, np.ndarray]:
        """The (angles, radii) a series currently shows (for tests)."""
        line = self._lines[key]
        return np.asarray(line.get_xdata(), dtype=float), np.asarray(line.get_ydata(), dtype=float)

    def update(self, data: RadarData) -> None:
        """Show new numbers by changing the existing artists' data."""
        for key in ("current", "baseline", "target"):
            values = getattr(data, key)
            line = self._lines[key]
            if values is None:
                line.set_data([], [])
                line.set_visible(False)
            else:
                angles, radii = closed_polygon(values)
                line.set_data(angles, radii)
                line.set_visible(True)
            if key in self._fills:
                poly = self._fills[key]
                # Fill only a complete shape: a missing pillar would pull the
                # fill into the centre and suggest a score of 0.
                if values is None or any(values.get(p) is None for p in PILLARS):
                    poly.set_visible(False)
                else:
                    angles, radii = closed_polygon(values)
                    poly.set_xy(np.column_stack([angles, np.nan_to_num(radii)]))
                    poly.set_visible(True)
        self._update_legend(data)

    def _update_legend(self, data: RadarData) -> None:
        shown = [k for k in ("current", "baseline", "target") if getattr(data, k) is not None]
        key = tuple(shown)
        if getattr(self, "_legend_key", None) == key:
            return
        self._legend_key = key
        self._lay_legend(key)

    def fit_legend(self) -> None:
        """Lay the legend out again for the figure's size now (a canvas resized since)."""
        key = getattr(self, "_legend_key", None)
        if key is not None:
            self._lay_legend(key)

    def _lay_legend(self, shown: tuple[str, ...]) -> None:
        if self._legend is not None:
            self._legend.remove()
            self._legend = None
        handles = [self._lines[k] for k in shown]
        labels = [str(h.get_label()) for h in handles]
        size = max(10 * self.font_scale, self.min_text)
        # One row when it fits the figure's width, else two: large type must
        # not run off the edge of the chart.
        px = size * self.figure.dpi / 72.0
        needed = sum(len(label) * 0.58 * px + 4.2 * px for label in labels)
        width = self.figure.get_figwidth() * self.figure.dpi
        columns = len(handles) if needed <= 0.96 * width else max(1, (len(handles) + 1) // 2)
        while True:
            self._legend = self.figure.legend(
                handles=handles, labels=labels, loc="upper center",
                ncol=columns, frameon=False, fontsize=size,
                labelcolor=self.theme.foreground, handlelength=3,
            )
            # The estimate above is a guess: a real canvas measures the legend.
            measured = self._width_px(self._legend)
            if columns <= 1 or measured is None or measured <= 0.98 * width:
                break
            self._legend.remove()
            columns = max(1, (len(handles) + 1) // 2) if columns == len(handles) else columns - 1
        # A second row of legend pushes the circle (and the name on top) down.
        if not hasattr(self, "_top"):
            self._top = self.figure.subplotpars.top
        rows = -(-len(handles) // columns) if handles else 1
        height = self.figure.get_figheight() * self.figure.dpi
        extra = (rows - 1) * 1.4 * px / height if height else 0.0
        self.figure.subplots_adjust(top=max(0.4, self._top - extra))


def radar_figure(data: RadarData, *, theme: str = "light", size: float = 6.0) -> Figure:
    """A stand-alone radar figure (reports, PNG/SVG export)."""
    fig = Figure(figsize=(size, size), dpi=100)
    chart = RadarChart(fig, theme=theme)
    chart.update(data)
    return fig
