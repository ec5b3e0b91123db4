"""Charts in the PDF: vectors drawn straight from matplotlib, equal to the SVG route."""

from __future__ import annotations

import io

import pytest
from reportlab.graphics.shapes import Group, Path, String

from calms_desktop.charts.distribution import pillar_distribution_figure
from calms_desktop.charts.radar import radar_data, radar_figure
from calms_desktop.core.model import Pillar
from calms_desktop.core.scoring import score_workshop
from calms_desktop.reports.blocks import report_radar_figure
from calms_desktop.reports.charts_pdf import figure_drawing, figure_flowable
from calms_desktop.reports.charts_svg import figure_svg, svg_drawing


def _walk(node, out):
    for child in getattr(node, "contents", []):
        if isinstance(child, Group):
            _walk(child, out)
        else:
            out.append(child)
    return out


def _filled_colours(drawing):
    colours = set()
    for shape in _walk(drawing, []):
        fill = getattr(shape, "fillColor", None)
        if isinstance(shape, Path) and shape.isClipPath:
            continue
        if isinstance(shape, (Path, String)) and fill is not None:
            colours.add((round(fill.red, 2), round(fill.green, 2), round(fill.blue, 2),
                         round(fill.alpha, 2)))
    return colours


@pytest.fixture
def figures(demo_pair):
    base, ws = demo_pair
    score = score_workshop(ws, base)
    return {
        "radar": radar_figure(radar_data(ws, score), size=4.8),
        "pillar": pillar_distribution_figure(ws, score, Pillar.MEASUREMENT),
    }


@pytest.mark.parametrize("name", ["radar", "pillar"])
def test_direct_drawing_matches_the_svg_route(figures, name):
    fig = figures[name]
    direct = figure_drawing(fig)
    via_svg = svg_drawing(figure_svg(fig))
    assert (direct.width, direct.height) == pytest.approx((via_svg.width, via_svg.height))
    # the same fills (RGBA, the reason svglib needed them) in both
    assert _filled_colours(via_svg) == _filled_colours(direct)
    # bars and polygons are there, and the text is real text in the report's font
    strings = [s for s in _walk(direct, []) if isinstance(s, String)]
    assert strings and all(s.fontName.startswith("CalmsSans") for s in strings)


def test_chart_text_is_searchable_in_the_pdf(demo_pair):
    from reportlab.platypus import SimpleDocTemplate

    from tests.reports.conftest import pdf_text

    _, ws = demo_pair
    doc = SimpleDocTemplate(io.BytesIO())
    doc.build([figure_flowable(report_radar_figure(ws, score_workshop(ws)), 300)])
    text = pdf_text(doc.filename.getvalue())
    for label in ("Culture", "Automation", "Lean", "Measurement", "Sharing", "This workshop"):
        assert label in text


def test_the_radar_fill_keeps_its_transparency(figures):
    fills = _filled_colours(figure_drawing(figures["radar"]))
    assert any(0 < a < 1 for *_, a in fills)


def test_images_are_refused():
    import numpy as np
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().imshow(np.zeros((2, 2)))
    with pytest.raises(NotImplementedError):
        figure_drawing(fig)


def test_svglib_engine_still_works(figures):
    flow = figure_flowable(figures["pillar"], 400, engine="svglib")
    assert flow.width == 400 and flow.height > 0
