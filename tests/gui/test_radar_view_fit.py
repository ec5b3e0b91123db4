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
