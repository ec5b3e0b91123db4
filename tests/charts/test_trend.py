"""The progress charts: the numbers behind the trend lines, the overlay and the heatmap."""

from __future__ import annotations

import dataclasses
import io
from datetime import date

import numpy as np
import pytest
from matplotlib.figure import Figure

from calms_desktop.charts.trend import (
    HEATMAP_COLUMNS,
    MAX_OVERLAY,
    RadarOverlay,
    TrendChart,
    draw_portfolio,
    portfolio_figure,
    safe_label,
    text_colour_on,
    trend_figure,
)
from calms_desktop.core.demo import build_demo
from calms_desktop.core.i18n import active, format_date
from calms_desktop.core.model import PILLARS, Pillar
from calms_desktop.core.progress import (
    Aggregate,
    OrganisationSummary,
    Portfolio,
    TeamTrend,
    chronological,
    overlay_values,
    point_of,
)
from calms_desktop.core.scoring import score_workshop


@pytest.fixture
def demo_trend():
    first, second = build_demo()
    return first, second, TeamTrend("Org", "Team", (point_of(first), point_of(second)))


def _png(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def test_trend_lines_are_the_pillar_means_in_date_order(demo_trend):
    first, second, trend = demo_trend
    chart = TrendChart()
    chart.update(trend)
    for p in PILLARS:
        xs, ys = chart.series(p)
        expected = [score_workshop(ws).pillars[p].mean for ws in (first, second)]
        assert ys == pytest.approx(expected)
        assert list(xs) == [0.0, 1.0]
    assert chart._note.get_text() == ""
    assert _png(chart.figure).startswith(b"\x89PNG")


def test_trend_lines_differ_by_style_and_marker_not_only_colour():
    chart = TrendChart()
    styles = {(str(line.get_linestyle()), line.get_marker()) for line in chart.lines.values()}
    assert len(styles) == len(PILLARS)
    assert {line.get_label() for line in chart.lines.values()} == {p.title for p in PILLARS}


def test_a_missing_mean_is_a_gap_not_a_zero(demo_trend):
    first, second, _ = demo_trend
    for st in second.questionnaire.section(Pillar.LEAN).statements:
        for p in second.participants:
            second.votes.pop((st.id, p.id), None)
    chart = TrendChart()
    chart.update(TeamTrend("O", "T", (point_of(first), point_of(second))))
    _, ys = chart.series(Pillar.LEAN)
    assert not np.isnan(ys[0]) and np.isnan(ys[1])


def test_trend_without_workshops_says_so():
    chart = TrendChart()
    chart.update(TeamTrend("O", "T", ()))
    assert "No workshops" in chart._message.get_text()
    assert len(chart.series(Pillar.CULTURE)[0]) == 0
    assert trend_figure(TeamTrend("O", "T", ())).axes


def test_radar_overlay_shows_each_workshops_means(demo_trend):
    first, second, trend = demo_trend
    overlay = RadarOverlay()
    overlay.update(overlay_values(trend.points))
    for i, ws in enumerate((first, second)):
        _angles, radii = overlay.series(i)
        score = score_workshop(ws)
        expected = [score.pillars[p].mean for p in (*PILLARS, PILLARS[0])]
        assert radii == pytest.approx(expected)
    assert not overlay.lines[2].get_visible()
    labels = [t.get_text() for t in overlay._legend.get_texts()]
    assert labels == [f"{format_date(first.date, 'short')} · CALMS baseline",
                      f"{format_date(second.date, 'short')} · CALMS re-assessment"]
    assert _png(overlay.figure).startswith(b"\x89PNG")


def test_radar_overlay_takes_at_most_four(demo_trend):
    *_, trend = demo_trend
    values = overlay_values(trend.points) * 3
    overlay = RadarOverlay()
    overlay.update(values[:MAX_OVERLAY])
    assert all(line.get_visible() for line in overlay.lines)
    with pytest.raises(ValueError):
        overlay.update(values[: MAX_OVERLAY + 1])
    styles = {(str(line.get_linestyle()), line.get_marker()) for line in overlay.lines}
    assert len(styles) == MAX_OVERLAY


def test_safe_label_is_short_one_line_and_never_mathtext():
    assert safe_label("Cost $5 to $10") == r"Cost \$5 to \$10"
    assert safe_label("a\nb\tc") == "a b c"
    long = safe_label("x" * 10_000)
    assert len(long) <= 42 and long.endswith("…")


def test_user_text_with_dollars_and_markup_renders(demo_trend):
    first, second, _ = demo_trend
    first.title = "$\\frac{a}{b}$ <b>bold</b> & 李娜 " + "long " * 2000
    overlay = RadarOverlay()
    overlay.update(overlay_values([point_of(first), point_of(second)]))
    assert _png(overlay.figure)


def _org(name: str, means: dict[Pillar, float | None], overall: float | None
         ) -> OrganisationSummary:
    return OrganisationSummary(
        organisation=name, workshops=3, teams=2, teams_with_results=2, latest="2025-01-01",
        pillars={p: Aggregate.of([means.get(p)]) for p in PILLARS},
        overall=Aggregate.of([overall]),
    )


def test_heatmap_numbers_and_their_text():
    data = Portfolio((
        _org("Acme $ Co", {p: 2.0 + i * 0.5 for i, p in enumerate(PILLARS)}, 3.0),
        _org("Zeta", {Pillar.CULTURE: 4.2}, None),
    ), workshops=6)
    fig = Figure(figsize=(8, 3))
    matrix = draw_portfolio(fig, data)
    assert matrix.shape == (2, len(HEATMAP_COLUMNS))
    assert matrix[0] == pytest.approx([2.0, 2.5, 3.0, 3.5, 4.0, 3.0])
    assert matrix[1, 0] == pytest.approx(4.2) and np.isnan(matrix[1, 1])
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts[:6] == ["2.0", "2.5", "3.0", "3.5", "4.0", "3.0"]
    assert texts[6:] == ["4.2", "—", "—", "—", "—", "—"]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [r"Acme \$ Co", "Zeta"]
    assert _png(fig)


def test_cell_text_takes_the_colour_that_contrasts_more():
    assert text_colour_on((0.0, 0.13, 0.3, 1)) == "#ffffff"  # cividis low: dark blue
    assert text_colour_on((1.0, 0.92, 0.27, 1)) == "#111111"  # cividis high: yellow
    assert text_colour_on((0.5, 0.5, 0.5, 1)) == "#111111"  # mid grey reads better in black


def test_empty_portfolio_figure():
    fig = portfolio_figure(Portfolio((), workshops=0))
    assert "No workshops" in fig.axes[0].texts[0].get_text()


def test_the_trend_axis_labels_dates_in_the_active_language(demo_trend):
    from calms_desktop.core.i18n import Translator, activate

    first, second, trend = demo_trend
    d1, d2 = date.fromisoformat(first.date), date.fromisoformat(second.date)
    with activate(Translator("de")):
        chart = TrendChart()
        chart.update(trend)
        labels = [t.get_text() for t in chart.ax.get_xticklabels()]
        assert labels == [Translator("de").format_short_date(d) for d in (d1, d2)]
        assert "." in labels[0]  # 19.11.2026, not Nov 19


def test_assessments_on_one_day_are_spread_in_order_with_readable_labels(demo_trend):
    first, second, _ = demo_trend
    points = []
    for k, ws in enumerate((first, second, first)):
        pt = point_of(ws)
        points.append(dataclasses.replace(pt, id=f"w{k}", date="2026-03-03",
                                          created=f"2026-03-03T0{k}:00:00+00:00"))
    chart = TrendChart()
    chart.update(TeamTrend("O", "T", tuple(points)))
    xs, ys = chart.series(Pillar.CULTURE)
    assert list(xs) == [0.0, 1.0, 2.0]  # three places, not one
    assert list(ys) == pytest.approx([pt.means[Pillar.CULTURE] for pt in points])
    labels = [t.get_text() for t in chart.ax.get_xticklabels()]
    day = active().format_short_date(date(2026, 3, 3))
    assert labels == [f"{day} (1)", f"{day} (2)", f"{day} (3)"]
    lo, hi = chart.ax.get_xlim()
    assert lo < 0 < 2 < hi


def test_an_undated_workshop_is_placed_by_its_creation_day_and_marked(demo_trend):
    first, second, _ = demo_trend
    a = dataclasses.replace(point_of(first), date="2026-01-10")
    b = dataclasses.replace(point_of(second), id="undated", date="",
                            created="2026-02-01T09:00:00+00:00")
    chart = TrendChart()
    chart.update(TeamTrend("O", "T", tuple(chronological([b, a]))))
    labels = [t.get_text() for t in chart.ax.get_xticklabels()]
    fmt = active().format_short_date
    assert labels == [fmt(date(2026, 1, 10)), fmt(date(2026, 2, 1)) + "*"]
    assert "created" in chart._note.get_text()
