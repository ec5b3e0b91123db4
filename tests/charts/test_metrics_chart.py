"""The team's delivery metrics as small multiples: the numbers behind each panel."""

from __future__ import annotations

from matplotlib.figure import Figure

from calms_desktop.charts.metrics import draw_metrics, metric_series, metrics_figure
from calms_desktop.core.demo import build_demo
from calms_desktop.core.metrics import MetricKind


def _points():
    baseline, again = build_demo()
    return [(baseline.date, baseline.metrics), (again.date, again.metrics)]


def test_one_series_per_metric_recorded_with_measured_or_estimated():
    series = {s.metric_id: s for s in metric_series(_points())}
    assert list(series)[:4] == ["lead_time", "deploy_frequency", "recovery_time",
                                "change_fail_rate"]
    assert "rework_rate" not in series  # recorded in neither workshop
    lead = series["lead_time"]
    assert lead.values == (2.0, 3.0) and lead.measured == (False, True)
    assert lead.bucket_labels[0] == "More than six months"
    users = series["users_now"]
    assert users.kind == MetricKind.COUNT and users.values == (35_000, 41_250)
    assert series["users_gained_week"].values == (None, 640)


def test_the_figure_has_a_panel_per_series_and_says_what_the_marks_mean():
    fig = metrics_figure(_points())
    panels = [ax for ax in fig.axes if ax.get_title()]
    assert len(panels) == len(metric_series(_points())) == 8
    assert panels[0].get_title() == "Change lead time"
    texts = " ".join(t.get_text() for t in fig.texts)
    assert "● measured" in texts and "2024 Accelerate State of DevOps Report" in texts


def test_no_metrics_says_so():
    fig = Figure()
    assert draw_metrics(fig, [("2026-01-01", {})]) == []
    assert "No delivery metrics recorded yet" in fig.texts[0].get_text()


def test_a_long_bucket_label_wraps_onto_two_lines_at_word_boundaries():
    """Breaking pass: "On demand (several de…" in team progress and the PDF."""
    fig = metrics_figure(_points())
    panel = next(ax for ax in fig.axes if ax.get_title() == "Deployment frequency")
    ticks = [t.get_text() for t in panel.get_yticklabels()]
    assert ticks[-1] == "On demand (several\ndeployments a day)"
    for tick in ticks:
        assert tick.count("\n") <= 1 and "…" not in tick
        assert all(len(line) <= 26 for line in tick.split("\n"))
