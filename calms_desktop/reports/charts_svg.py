"""matplotlib figures → vector drawings through SVG and svglib (the reference route).

Each figure is written as SVG with its text as outlines (``svg.fonttype =
"path"``, matplotlib's default), so svglib needs no fonts; svglib drops
``opacity``, which is why the charts use RGBA fill colours. The reports draw
figures with :mod:`calms_desktop.reports.charts_pdf` instead, which produces
the same geometry several times faster; this route stays as the reference the
tests compare it with, and as a fallback (``figure_flowable(...,
engine="svglib")``). Conversions are cached by the SVG's content.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache

import matplotlib as mpl
from matplotlib.figure import Figure
from reportlab.graphics.shapes import Drawing
from svglib.svglib import svg2rlg


def figure_svg(fig: Figure) -> bytes:
    """The figure as SVG bytes, text as outlines, no timestamp."""
    buf = io.BytesIO()
    if mpl.rcParams["svg.fonttype"] == "path":
        fig.savefig(buf, format="svg", metadata={"Date": None},
                    facecolor=fig.get_facecolor())
    else:  # somebody changed the default; rc_context touches global state, so only then
        with mpl.rc_context({"svg.fonttype": "path"}):
            fig.savefig(buf, format="svg", metadata={"Date": None},
                        facecolor=fig.get_facecolor())
    return buf.getvalue()


@lru_cache(maxsize=32)
def _convert(digest: str, svg: bytes) -> Drawing:
    drawing = svg2rlg(io.BytesIO(svg))
    if drawing is None:  # pragma: no cover - matplotlib's SVG always parses
        raise ValueError("svglib could not read the chart")
    return drawing


def svg_drawing(svg: bytes) -> Drawing:
    """An svglib drawing of the SVG (cached; treat it as read-only)."""
    return _convert(hashlib.sha1(svg).hexdigest(), svg)
