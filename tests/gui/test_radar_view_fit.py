"""The projector's radar keeps every pillar name inside its canvas, whatever the text size."""

from __future__ import annotations

import pytest

from calms_desktop.charts.radar import RadarData
from calms_desktop.core.model import PILLARS


@pytest.mark.parametrize(("width", "height", "text_px"), [(600, 440, 24), (420, 300, 22),
                                                          (900, 640, 30)])
def test_no_pillar_name_runs_off_the_canvas(qtbot, width, height, text_px):
    from calms_desktop.gui.projector.radar_view import RadarView

    view = RadarView("dark")
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_min_text_px(text_px)  # the results slide's body text: large
    view.show()
    view.set_data(RadarData(current={p: 3.0 for p in PILLARS}))
    qtbot.wait(50)
    view.canvas.draw()
    box = view.chart.ax.get_tightbbox(view.canvas.get_renderer())
    fig = view.figure.bbox
    assert box.x0 >= 0 and box.y0 >= 0, (box, fig)
    assert box.x1 <= fig.width and box.y1 <= fig.height, (box, fig)


@pytest.mark.parametrize(("width", "height", "text_px"), [(600, 440, 24), (640, 457, 22)])
def test_the_legend_goes_on_two_rows_rather_than_off_the_canvas(qtbot, width, height, text_px):
    from calms_desktop.gui.projector.radar_view import RadarView

    view = RadarView("dark")
    qtbot.addWidget(view)
    view.resize(width, height)
    view.set_min_text_px(text_px)
    view.show()
    view.set_data(RadarData(current={p: 3.0 for p in PILLARS},
                            baseline={p: 2.5 for p in PILLARS}, target={p: 4 for p in PILLARS}))
    qtbot.wait(50)
    view.canvas.draw()
    box = view.chart._legend.get_window_extent(view.canvas.get_renderer())
    assert box.x0 >= 0 and box.x1 <= view.figure.bbox.width, box
    assert [t.get_text() for t in view.chart._legend.get_texts()] == [
        "This workshop", "Baseline", "Target"]


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_the_summary_slides_legend_stays_on_its_canvas(qtbot, app_window):
    """The summary radar was laid out before its canvas took its final size (a change
    too small to rebuild the chart): its three-entry legend ran off both edges."""
    from calms_desktop.core.demo import DEMO_IDS, install_demo

    w = app_window
    install_demo(w.library)
    w.resize(1366, 768)
    w.open_workshop(DEMO_IDS[1])
    w.toggle_projector()
    projector = w.projector
    try:
        projector.showNormal()
        projector.resize(1280, 720)
        qtbot.wait(50)
        w.go_to("summary")
        qtbot.wait(200)
        view = projector.summary_radar
        view.canvas.draw()
        box = view.chart._legend.get_window_extent(view.canvas.get_renderer())
        assert box.x0 >= 0 and box.x1 <= view.figure.bbox.width, box
    finally:
        projector.close()
