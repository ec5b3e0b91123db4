"""The distribution charts: bar heights are the counts, lines are the means, privacy holds."""

from __future__ import annotations

import io

import numpy as np
import pytest
from matplotlib.figure import Figure

from calms_desktop.charts import style as st
from calms_desktop.charts.distribution import (
    CATEGORIES,
    DistributionChart,
    DistributionData,
    bar_heights,
    distribution_figure,
    pillar_chart,
    pillar_distribution_data,
    pillar_distribution_figure,
    statement_codes,
)
from calms_desktop.core.model import PILLARS, Pillar, VotingMode
from calms_desktop.core.scoring import Distribution, score_workshop


def test_bar_heights_are_the_counts_then_dont_know():
    dist = Distribution((1, 0, 4, 2, 0), 3)
    assert bar_heights(dist) == (1, 0, 4, 2, 0, 3)
    assert CATEGORIES == ("1", "2", "3", "4", "5", "?")


def test_chart_bars_equal_counts_and_update_in_place():
    fig = Figure()
    chart = DistributionChart(fig.add_subplot())
    chart.update(DistributionData(Distribution((2, 1, 0, 0, 5), 1), mean=3.5, baseline_mean=2.0))
    assert chart.bar_heights() == (2, 1, 0, 0, 5, 1)
    assert chart.mean_x() == pytest.approx(3.5)
    patches = list(chart.ax.patches)
    chart.update(DistributionData(Distribution((0, 0, 3, 3, 0), 0), mean=3.5))
    assert chart.bar_heights() == (0, 0, 3, 3, 0, 0)
    assert list(chart.ax.patches) == patches  # same artists, new data
    labels = [t.get_text() for t in chart._labels]
    assert labels == ["", "", "3", "3", "", ""]


def test_withheld_chart_draws_no_bars_and_says_why():
    fig = Figure()
    chart = DistributionChart(fig.add_subplot())
    chart.update(DistributionData(None, withheld="2 answers — too few"))
    assert not any(p.get_visible() for p in chart._bars.patches)
    assert chart.mean_x() is None
    assert chart._message.get_text() == "2 answers — too few"


def test_stand_alone_figure_renders_to_svg():
    fig = distribution_figure(DistributionData(Distribution((1, 2, 3, 2, 1), 0), mean=3.0,
                                               title="C1"))
    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    assert b"<svg" in buf.getvalue()


def test_pillar_chart_groups_equal_the_scoring(demo_pair):
    base, ws = demo_pair
    score = score_workshop(ws, base)
    for p in PILLARS:
        panels = pillar_distribution_data(ws, score, p)
        chart = pillar_chart(panels)
        for i, ss in enumerate(score.pillars[p].statements):
            assert chart.bar_heights(i) == bar_heights(ss.stats.distribution)
            assert chart.groups[i][0].mean == ss.stats.mean
            assert chart.groups[i][0].baseline_mean == ss.baseline_mean
        assert len(chart.mean_lines) == len(panels)


def test_pillar_chart_mean_lines_sit_at_the_means(demo_pair):
    _, ws = demo_pair
    score = score_workshop(ws)
    chart = pillar_chart(pillar_distribution_data(ws, score, Pillar.LEAN))
    from calms_desktop.charts.distribution import GROUP_STEP

    for k, line in enumerate(chart.mean_lines):
        x = np.asarray(line.get_xdata(), dtype=float)
        mean = score.pillars[Pillar.LEAN].statements[k].stats.mean
        assert x[0] == pytest.approx(k * GROUP_STEP + mean - 1)
        assert line.get_color() == st.CURRENT.color


def test_pillar_chart_applies_the_privacy_rule(demo_pair):
    _, ws = demo_pair
    ws.voting_mode = VotingMode.ANONYMOUS
    sid = ws.questionnaire.section(Pillar.CULTURE).statements[0].id
    for key in [k for k in ws.votes if k[0] == sid][2:]:
        del ws.votes[key]
    score = score_workshop(ws)
    panels = pillar_distribution_data(ws, score, Pillar.CULTURE)
    assert panels[0].distribution is None and "too few" in panels[0].withheld
    assert panels[1].distribution is not None
    chart = pillar_chart(panels)
    assert chart.bar_heights(0) == ()


def test_statement_codes(demo_pair):
    _, ws = demo_pair
    assert statement_codes(ws, Pillar.MEASUREMENT)[:2] == ["M1", "M2"]
    fig = pillar_distribution_figure(ws, score_workshop(ws), Pillar.SHARING)
    texts = {t.get_text() for t in fig.axes[0].texts}
    assert {"S1", "S5", "?"} <= texts
