"""The live radar: the numbers behind the lines, in-place updates, coalescing, blitting."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

from calms_desktop.charts.radar import radar_data
from calms_desktop.core.model import PILLARS, Pillar
from calms_desktop.gui.widgets.radar_canvas import RadarPanel

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def panel(qtbot):
    p = RadarPanel()
    qtbot.addWidget(p)
    p.resize(800, 600)
    return p


def shown(qtbot, panel, controller):
    panel.set_controller(controller)
    with qtbot.waitSignal(panel.chart_updated, timeout=10_000):
        panel.show()
    return panel


def expected_means(controller):
    score = controller.score()
    return [np.nan if score.pillars[p].mean is None else score.pillars[p].mean
            for p in (*PILLARS, PILLARS[0])]


def test_no_matplotlib_until_shown_with_a_workshop(qtbot, panel, fresh_controller):
    panel.set_controller(fresh_controller)
    assert panel.canvas is None  # hidden: nothing built yet
    assert not panel.placeholder.isHidden()


def test_a_vote_updates_the_current_line_to_the_means(qtbot, panel, fresh_controller):
    c = fresh_controller
    shown(qtbot, panel, c)
    assert "matplotlib" in sys.modules
    chart, lines = panel.chart, list(panel.chart.animated_artists)
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    # presenter-safe: before the reveal the console plots no score (it would be the
    # vote) — and so does not redraw at all (a room of phones voting costs no redraws)
    with qtbot.assertNotEmitted(panel.chart_updated, wait=100):
        c.vote(sid, c.workshop.participants[0].id, 4)
    assert all(math.isnan(r) for r in panel.chart.series("current")[1])
    with qtbot.waitSignal(panel.chart_updated):
        c.reveal(Pillar.CULTURE)
    with qtbot.waitSignal(panel.chart_updated):
        c.vote(sid, c.workshop.participants[1].id, 2)  # a correction after the reveal
    angles, radii = panel.chart.series("current")
    np.testing.assert_allclose(radii, expected_means(c))
    assert radii[0] == pytest.approx(3.0)
    assert math.isnan(radii[1])  # no votes on Automation: a gap
    assert angles[0] == 0 and angles[-1] == pytest.approx(2 * math.pi)
    # Updated in place, drawn by blitting, never rebuilt.
    assert panel.chart is chart and list(panel.chart.animated_artists) == lines
    assert panel.blits >= 1


def test_a_burst_of_votes_is_one_redraw(qtbot, panel, fresh_controller):
    c = fresh_controller
    shown(qtbot, panel, c)
    sid = c.workshop.questionnaire.section(Pillar.LEAN).statements[0].id
    c.reveal(Pillar.LEAN)  # no votes yet: nothing to draw
    before = panel.frames
    with qtbot.waitSignal(panel.chart_updated):
        for p in c.workshop.participants:
            c.vote(sid, p.id, 5)
    for _ in range(5):  # any further (wrong) redraws would happen now
        QApplication.processEvents()
    assert panel.frames == before + 1
    _, radii = panel.chart.series("current")
    assert radii[2] == pytest.approx(5.0)


def test_undo_shows_at_once(qtbot, panel, fresh_controller):
    c = fresh_controller
    shown(qtbot, panel, c)
    sid = c.workshop.questionnaire.section(Pillar.SHARING).statements[0].id
    c.reveal(Pillar.SHARING)
    with qtbot.waitSignal(panel.chart_updated):
        c.vote(sid, c.workshop.participants[0].id, 2)
    with qtbot.waitSignal(panel.chart_updated):
        c.undo()
    _, radii = panel.chart.series("current")
    assert math.isnan(radii[4])


def test_baseline_and_target_series(qtbot, panel, demo_controller):
    c = demo_controller
    shown(qtbot, panel, c)
    data = radar_data(c.workshop, c.score())
    _, base = panel.chart.series("baseline")
    _, target = panel.chart.series("target")
    assert list(base[:5]) == pytest.approx([data.baseline[p] for p in PILLARS])
    assert list(target[:5]) == pytest.approx([data.target[p] for p in PILLARS])
    np.testing.assert_allclose(panel.chart.series("current")[1], expected_means(c))


def test_closing_the_workshop_shows_the_placeholder(qtbot, panel, fresh_controller):
    shown(qtbot, panel, fresh_controller)
    panel.set_controller(None)
    assert panel.canvas.isHidden()
    assert not panel.placeholder.isHidden()
    assert not panel.save_action.isEnabled()


def test_export_figure_is_a_separate_figure(qtbot, panel, demo_controller):
    shown(qtbot, panel, demo_controller)
    fig = panel.export_figure()
    assert fig is not panel.canvas.figure
    line = next(ln for ln in fig.axes[0].lines if ln.get_label() == "This workshop")
    np.testing.assert_allclose(line.get_ydata(), expected_means(demo_controller))


def test_a_hidden_panel_does_not_draw_and_catches_up_when_shown(qtbot, panel, fresh_controller):
    c = fresh_controller
    shown(qtbot, panel, c)
    panel.hide()
    frames = panel.frames
    sid = c.workshop.questionnaire.section(Pillar.MEASUREMENT).statements[0].id
    c.reveal(Pillar.MEASUREMENT)
    c.vote(sid, c.workshop.participants[0].id, 3)
    for _ in range(5):
        QApplication.processEvents()
    assert panel.frames == frames
    with qtbot.waitSignal(panel.chart_updated):
        panel.show()
    assert panel.chart.series("current")[1][3] == pytest.approx(3.0)


def test_save_chart_without_the_export_dialog(qtbot, panel, demo_controller, tmp_path,
                                              monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    shown(qtbot, panel, demo_controller)
    target = tmp_path / "radar.svg"
    monkeypatch.setitem(sys.modules, "calms_desktop.gui.export_dialog", None)  # not written yet
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(target), "SVG image (*.svg)")))
    panel.save_action.trigger()
    text = target.read_text(encoding="utf-8")
    assert "<svg" in text and "Measurement" in text


def test_save_chart_uses_the_export_dialog_when_there(qtbot, panel, demo_controller,
                                                      monkeypatch):
    import types

    shown(qtbot, panel, demo_controller)
    got = []
    fake = types.ModuleType("calms_desktop.gui.export_dialog")
    fake.save_figure_dialog = lambda parent, figure: got.append((parent, figure))
    monkeypatch.setitem(sys.modules, "calms_desktop.gui.export_dialog", fake)
    panel.save_chart()
    assert got and got[0][0] is panel and got[0][1] is not panel.canvas.figure
