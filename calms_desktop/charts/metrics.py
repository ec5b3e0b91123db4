"""A team's delivery metrics across its workshops: one small multiple per metric.

Each panel shows one metric over the team's workshops (x: workshop, oldest
first). Bucket metrics are plotted on their buckets (worst at the bottom,
best at the top, the bucket's label on the axis); count metrics as the
number. A filled marker is measured, a hollow one estimated (by the room
or a person), so a reader never mistakes a guess for a measurement.
Plain matplotlib (no Qt): the team-progress screen and the PDFs draw it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.figure import Figure

from ..core.i18n import _, as_date, format_date
from ..core.metrics import Basis, MetricKind, MetricRecord, catalogue
from . import style as st
from .trend import safe_label

#: At most this many panels per row.
COLUMNS = 3


@dataclass(frozen=True)
class MetricSeries:
    """The numbers behind one panel: per workshop, its value (bucket index or count)."""

    metric_id: str
    name: str
    kind: MetricKind
    values: tuple[float | None, ...]
    measured: tuple[bool, ...]
    bucket_labels: tuple[str, ...]
    bucket_shorts: tuple[str, ...] = ()  # the labels for the panel's axis (Bucket.short)


def metric_series(points: Sequence[tuple[str, dict[str, MetricRecord]]]) -> list[MetricSeries]:
    """One series per metric recorded in any of the workshops, in catalogue order.

    Args:
        points: (workshop label, its metric records), oldest first.
    """
    out = []
    for m in catalogue().metrics:
        recs = [records.get(m.id) for _, records in points]
        if all(r is None for r in recs):
            continue
        values: list[float | None] = []
        for r in recs:
            if r is None:
                values.append(None)
            elif m.kind == MetricKind.BUCKET:
                values.append(None if r.bucket is None else float(r.bucket))
            else:
                values.append(r.value)
        out.append(MetricSeries(
            m.id, m.name, m.kind, tuple(values),
            tuple(r is not None and r.basis == Basis.MEASURED for r in recs),
            tuple(b.label for b in m.buckets), tuple(b.short or b.label for b in m.buckets)))
    return out


def _x_label(label: str) -> str:
    """A workshop under a panel: an ISO date as "25 Aug\n2026" (narrow), else its text."""
    day = as_date(label)
    if day is None:
        return safe_label(label, 14)
    # Babel's day and month in the active language's order ("26. Aug." over 2026);
    # strftime would follow the machine's locale.
    return f"{format_date(day, 'day_month')}\n{day.year}"


#: A bucket's axis label: up to two lines of this many characters (a longer one is cut).
TICK_CHARS = 26


def _short(label: str) -> str:
    """A bucket's tick label wrapped at word boundaries onto at most two lines: "On demand
    (several de…" cut off the best bucket's name in team progress and the PDF."""
    lines = textwrap.wrap(" ".join(label.split()), TICK_CHARS, break_long_words=False)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return "\n".join(safe_label(line, TICK_CHARS) for line in lines)


def grid_of(n: int, columns: int = COLUMNS) -> tuple[int, int]:
    """(rows, columns) of ``n`` panels, at most ``columns`` a row."""
    cols = max(1, min(columns, n))
    return (n + cols - 1) // cols, cols


def draw_metrics(figure: Figure, points: Sequence[tuple[str, dict[str, MetricRecord]]],
                 theme: str = "light", *, columns: int = COLUMNS,
                 text_size: float = 7) -> list[MetricSeries]:
    """Draw the small multiples into ``figure`` (cleared first); returns the series drawn.

    Args:
        figure: the figure to draw into.
        points: (workshop label, its metric records), oldest first.
        theme: the chart theme.
        columns: at most this many panels a row (the screen picks what its width fits).
        text_size: the axis labels' size in points (titles are 2 pt larger).
    """
    t = st.THEMES[theme]
    figure.clear()
    figure.set_facecolor(t.background)
    series = metric_series(points)
    if not series:
        figure.text(0.5, 0.5, _("No delivery metrics recorded yet"), ha="center", va="center",
                    color=t.muted)
        return series
    rows, cols = grid_of(len(series), columns)
    xs = list(range(len(points)))
    labels = [_x_label(label) for label, _ in points]
    for i, s in enumerate(series):
        ax = figure.add_subplot(rows, cols, i + 1)
        ax.set_facecolor(t.background)
        for spine in ax.spines.values():
            spine.set_color(t.grid)
        ax.grid(color=t.grid, linewidth=0.6)
        ax.tick_params(colors=t.muted, labelsize=text_size)
        ax.set_title("\n".join(textwrap.wrap(safe_label(s.name, 60), 30)),
                     color=t.foreground, fontsize=text_size + 2)
        known = [(x, v, m) for x, v, m in zip(xs, s.values, s.measured, strict=True)
                 if v is not None]
        if len(known) > 1:
            ax.plot([k[0] for k in known], [k[1] for k in known], color=t.muted,
                    linewidth=1.2, zorder=1)
        for x, v, measured in known:
            ax.scatter([x], [v], s=42, zorder=2, color=t.foreground if measured else t.background,
                       edgecolors=t.foreground, linewidths=1.4)
        if s.kind == MetricKind.BUCKET:
            ax.set_ylim(-0.5, len(s.bucket_labels) - 0.5)
            ax.set_yticks(range(len(s.bucket_labels)))
            ax.set_yticklabels([_short(b) for b in s.bucket_shorts or s.bucket_labels],
                               linespacing=0.9)  # a two-line label keeps to its row
        elif known:
            ax.set_ylim(0, max(k[1] for k in known) * 1.15 or 1)
            st.number_ticks(ax.yaxis)
        ax.set_xlim(-0.5, len(points) - 0.5)
        ax.set_xticks(xs)
        ax.set_xticklabels(labels, rotation=0)
    figure.text(0.01, 0.005, _("● measured   ○ estimated · buckets run from worst (bottom) to "
                               "best (top), as in the {source}").format(
                                   source=catalogue().source), color=t.muted,
                fontsize=text_size)
    # laid out again at every draw: a canvas on screen is resized after it is drawn
    footer = min(0.1, 0.3 / max(1.0, figure.get_figheight()))
    figure.set_layout_engine("tight", rect=(0, footer, 1, 1))
    return series


def metrics_figure(points: Sequence[tuple[str, dict[str, MetricRecord]]], *,
                   theme: str = "light", width: float = 9.0) -> Figure:
    """A new figure with the small multiples (for PDFs and exports)."""
    n = len(metric_series(points))
    rows = max(1, (n + COLUMNS - 1) // COLUMNS)
    fig = Figure(figsize=(width, 2.3 * rows + 0.3), dpi=100)
    draw_metrics(fig, points, theme)
    return fig
