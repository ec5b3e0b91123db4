"""The radar's series are the scoring's numbers; its labels stay clear of the circle."""

from __future__ import annotations

import math

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from calms_desktop.charts.radar import RadarChart, radar_data, radar_figure
from calms_desktop.core.model import PILLARS
from calms_desktop.core.scoring import score_workshop


def test_series_equal_the_scoring_means(demo_pair):
    base, ws = demo_pair
    score = score_workshop(ws, base)
    chart = RadarChart(Figure())
    chart.update(radar_data(ws, score))
    _, current = chart.series("current")
    _, baseline = chart.series("baseline")
    _, target = chart.series("target")
    for i, p in enumerate(PILLARS):
        assert current[i] == pytest.approx(score.pillars[p].mean)
        assert baseline[i] == pytest.approx(score.pillars[p].baseline_mean)
        assert target[i] == ws.targets[p]
    assert current[-1] == current[0]  # closed


def test_labels_grow_away_from_the_circle(demo_pair):
    _, ws = demo_pair
    fig = radar_figure(radar_data(ws, score_workshop(ws)), size=4.8)
    ax = fig.axes[0]
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    circle = ax.get_window_extent(renderer)
    cx, cy = (circle.x0 + circle.x1) / 2, (circle.y0 + circle.y1) / 2
    r = circle.width / 2
    for label in ax.get_xticklabels():
        box = label.get_window_extent(renderer)
        nearest_x = min(max(cx, box.x0), box.x1)  # the label's point closest to the centre
        nearest_y = min(max(cy, box.y0), box.y1)
        assert math.hypot(nearest_x - cx, nearest_y - cy) >= r * 0.97, label.get_text()
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width, label.get_text()
    # the side labels are anchored on their inner edge
    ha = {t.get_text(): t.get_horizontalalignment() for t in ax.get_xticklabels()}
    assert ha == {"Culture": "center", "Automation": "left", "Lean": "left",
                  "Measurement": "right", "Sharing": "right"}
