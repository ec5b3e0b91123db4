"""matplotlib figures drawn straight into ReportLab vector drawings.

The reports embed the very figures the screens show. The first design went
through SVG (``savefig(format="svg")`` → svglib); it works, but writing and
re-parsing the SVG cost 0.15–0.2 s per chart, which alone broke the facilitator
report's 1.5 s budget (six charts). This module is a small matplotlib renderer
with the SVG backend's semantics (text as outlines, like ``svg.fonttype =
"path"``; RGBA fills; clip rectangles and clip paths) that emits ReportLab
shapes directly — the same geometry, about ten times faster.
:mod:`calms_desktop.reports.charts_svg` keeps the SVG route as a reference
(tests compare the two). :func:`figure_flowable` puts a figure on the page.

What it draws: paths (lines, polygons, bars, markers, glyph outlines) with
stroke and fill colours, alpha (per colour and forced), line width, dashes,
caps and joins, clipped like matplotlib clips them. Images and hatches are not
supported; the report charts use neither (an image raises, a hatch is
ignored).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib import font_manager
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2DBase, Bbox
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, Path, String
from reportlab.lib.colors import Color
from reportlab.platypus import Flowable

from . import fonts

_MOVETO, _LINETO, _CURVETO, _CLOSEPATH = 0, 1, 2, 3
_CAPS = {"butt": 0, "round": 1, "projecting": 2}
_JOINS = {"miter": 0, "round": 1, "bevel": 2}


_DEJAVU_FILES = {
    "DejaVuSans.ttf": fonts.SANS,
    "DejaVuSans-Bold.ttf": fonts.SANS_BOLD,
    "DejaVuSans-Oblique.ttf": fonts.SANS_ITALIC,
    "DejaVuSans-BoldOblique.ttf": fonts.SANS_BOLD_ITALIC,
}


def _report_font(prop: Any) -> str | None:
    """The registered report font that *is* the file matplotlib uses for ``prop``, if any."""
    try:
        path = font_manager.findfont(prop, fallback_to_default=False)
    except ValueError:
        return None
    name = _DEJAVU_FILES.get(path.replace("\\", "/").rsplit("/", 1)[-1])
    if name is None:
        return None
    fonts.register_fonts()
    return name


def _color(rgb: Any, alpha: float) -> Color:
    return Color(float(rgb[0]), float(rgb[1]), float(rgb[2]), alpha=float(alpha))


def _rl_path(path: MplPath, transform: Affine2DBase, clip: Bbox | None = None,
             simplify: bool = False) -> tuple[list[float], list[int]]:
    """Points and operators of a ReportLab path for a matplotlib path in display space."""
    cleaned = path.cleaned(transform=transform, remove_nans=True, clip=clip, simplify=simplify,
                           curves=True)
    verts, codes = cleaned.vertices, cleaned.codes
    points: list[float] = []
    ops: list[int] = []
    add = points.extend
    cur = (0.0, 0.0)
    start = (0.0, 0.0)
    i, n = 0, len(codes)
    while i < n:
        code = codes[i]
        if code == MplPath.MOVETO:
            cur = start = (float(verts[i, 0]), float(verts[i, 1]))
            add(cur)
            ops.append(_MOVETO)
            i += 1
        elif code == MplPath.LINETO:
            cur = (float(verts[i, 0]), float(verts[i, 1]))
            add(cur)
            ops.append(_LINETO)
            i += 1
        elif code == MplPath.CURVE3:  # quadratic → cubic
            qx, qy = float(verts[i, 0]), float(verts[i, 1])
            ex, ey = float(verts[i + 1, 0]), float(verts[i + 1, 1])
            add((cur[0] + 2 / 3 * (qx - cur[0]), cur[1] + 2 / 3 * (qy - cur[1]),
                 ex + 2 / 3 * (qx - ex), ey + 2 / 3 * (qy - ey), ex, ey))
            ops.append(_CURVETO)
            cur = (ex, ey)
            i += 2
        elif code == MplPath.CURVE4:
            add((float(verts[i, 0]), float(verts[i, 1]), float(verts[i + 1, 0]),
                 float(verts[i + 1, 1]), float(verts[i + 2, 0]), float(verts[i + 2, 1])))
            ops.append(_CURVETO)
            cur = (float(verts[i + 2, 0]), float(verts[i + 2, 1]))
            i += 3
        elif code == MplPath.CLOSEPOLY:
            ops.append(_CLOSEPATH)
            cur = start
            i += 1
        else:  # STOP
            break
    return points, ops


class DrawingRenderer(RendererBase):
    """A matplotlib renderer that collects ReportLab shapes (72 dpi: 1 pixel = 1 point)."""

    def __init__(self, width: float, height: float) -> None:
        super().__init__()
        self.width = width
        self.height = height
        self.root = Group()
        self._group = self.root
        self._clip_key: Any = None

    # -- what matplotlib asks a renderer --------------------------------------
    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: float) -> float:
        return points

    def flipy(self) -> bool:
        return False

    def option_image_nocomposite(self) -> bool:
        return True

    def draw_image(self, gc: GraphicsContextBase, x: float, y: float, im: Any,
                   transform: Any = None) -> None:
        raise NotImplementedError("report charts are vector only (no images)")

    def draw_text(self, gc: GraphicsContextBase, x: float, y: float, s: str, prop: Any,
                  angle: float, ismath: bool | str = False, mtext: Any = None) -> None:
        font = None if ismath else _report_font(prop)
        if font is None or not all(fonts.has_glyph(font, ch) for ch in s):
            # Outlines, like the SVG backend with svg.fonttype = "path".
            self._draw_text_as_path(gc, x, y, s, prop, angle, ismath, mtext)
            return
        # matplotlib laid the line out with this very font file (DejaVu Sans), so
        # PDF text in the same font lands where the outlines would: real,
        # searchable text and far fewer numbers to write than glyph outlines.
        rgb = gc.get_rgb()
        alpha = gc.get_alpha() if gc.get_forced_alpha() else rgb[3]
        text = String(0, 0, s, fontName=font, fontSize=prop.get_size_in_points(),
                      fillColor=_color(rgb, alpha), textAnchor="start")
        group = Group(text)
        group.translate(x, y)
        if angle:
            group.rotate(angle)
        self._target(gc).add(group)

    # -- drawing ------------------------------------------------------------
    def _target(self, gc: GraphicsContextBase) -> Group:
        """The group to draw into: one per run of shapes sharing a clip region."""
        rect = gc.get_clip_rectangle()
        clip_path, clip_trans = gc.get_clip_path()
        if clip_path is not None:
            key: Any = ("path", id(clip_path), tuple(np.round(clip_trans.get_matrix(), 4).flat))
        elif rect is not None:
            key = ("rect", tuple(np.round(rect.bounds, 4)))
        else:
            key = None
        if key != self._clip_key:
            self._clip_key = key
            if key is None:
                self._group = self.root
            else:
                self._group = Group()
                if clip_path is not None:
                    pts, ops = _rl_path(clip_path, clip_trans)
                else:
                    x0, y0, w, h = rect.bounds
                    pts = [x0, y0, x0 + w, y0, x0 + w, y0 + h, x0, y0 + h]
                    ops = [_MOVETO, _LINETO, _LINETO, _LINETO, _CLOSEPATH]
                clip = Path(points=pts, operators=ops, fillColor=None, strokeColor=None)
                clip.isClipPath = 1
                self._group.add(clip)
                self.root.add(self._group)
        return self._group

    def draw_path(self, gc: GraphicsContextBase, path: MplPath, transform: Affine2DBase,
                  rgbFace: Any = None) -> None:  # noqa: N803 - matplotlib's name
        forced = gc.get_forced_alpha()
        alpha = gc.get_alpha() if forced else 1.0
        fill = None
        if rgbFace is not None:
            a = alpha if forced else (rgbFace[3] if len(rgbFace) == 4 else 1.0)
            if a > 0:
                fill = _color(rgbFace, a)
        width = gc.get_linewidth()
        stroke = None
        rgb = gc.get_rgb()
        if width > 0:
            a = alpha if forced else rgb[3]
            if a > 0:
                stroke = _color(rgb, a)
        if fill is None and stroke is None:
            return
        # Like the SVG backend: lines (no fill) may be clipped and simplified.
        clip_box = None
        simplify = False
        if rgbFace is None and gc.get_hatch_path() is None:
            clip_box = Bbox.from_extents(-1.0, -1.0, self.width + 1, self.height + 1)
            simplify = path.should_simplify
        points, ops = _rl_path(path, transform, clip_box, simplify)
        if not ops:
            return
        shape = Path(points=points, operators=ops, fillColor=fill, strokeColor=stroke,
                     strokeWidth=width, fillMode=1, autoclose="svg")
        if stroke is not None:
            shape.strokeLineCap = _CAPS.get(gc.get_capstyle(), 0)
            shape.strokeLineJoin = _JOINS.get(gc.get_joinstyle(), 0)
            offset, dashes = gc.get_dashes()
            if dashes is not None and len(dashes):
                shape.strokeDashArray = (float(offset or 0), [float(d) for d in dashes])
        self._target(gc).add(shape)


def figure_drawing(fig: Figure) -> Drawing:
    """The figure as a ReportLab drawing, in points (the figure's size at 72 dpi)."""
    w_in, h_in = fig.get_size_inches()
    width, height = w_in * 72.0, h_in * 72.0
    renderer = DrawingRenderer(width, height)
    dpi = fig.dpi
    fig.dpi = 72  # as the SVG and PDF backends do: display units are points
    try:
        fig.draw(renderer)
    finally:
        fig.dpi = dpi
    drawing = Drawing(width, height)
    drawing.add(renderer.root)
    return drawing


class VectorChart(Flowable):
    """A drawing scaled to a width, drawn as vectors.

    Args:
        drawing: a drawing in points (not modified, so it can be shared).
        width: the width on the page in points; the height follows.
    """

    def __init__(self, drawing: Drawing, width: float, h_align: str = "CENTER") -> None:
        super().__init__()
        self.drawing = drawing
        self.scale = width / float(drawing.width)
        self.width = width
        self.height = float(drawing.height) * self.scale
        self.hAlign = h_align

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        canv: Any = self.canv
        canv.saveState()
        canv.scale(self.scale, self.scale)
        renderPDF.draw(self.drawing, canv, 0, 0)
        canv.restoreState()


def figure_flowable(fig: Figure, width: float, h_align: str = "CENTER", *,
                    engine: str = "direct") -> VectorChart:
    """A matplotlib figure as a vector flowable ``width`` points wide.

    Args:
        engine: ``"direct"`` (:func:`figure_drawing`) or ``"svglib"`` (through SVG).
    """
    if engine == "svglib":
        from .charts_svg import figure_svg, svg_drawing

        return VectorChart(svg_drawing(figure_svg(fig)), width, h_align)
    return VectorChart(figure_drawing(fig), width, h_align)
