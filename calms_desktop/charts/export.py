"""Saving a chart as an image: PNG for slides and chat, SVG for print (no Qt here)."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from ..core.i18n import N_

#: File types a chart can be saved as: suffix → description.
FORMATS = {".png": N_("PNG image"), ".svg": N_("SVG vector image")}
PNG_DPI = 200


def chart_format(path: str | Path) -> str:
    """``"png"`` or ``"svg"`` from the file name.

    Raises:
        ValueError: any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"save charts as .png or .svg, not {suffix or 'no suffix'!r}")
    return suffix[1:]


def save_figure(figure: Figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path``: PNG at 200 dpi, or SVG with text as outlines.

    ``savefig`` borrows a canvas for the format and gives the figure its own
    back, so a figure that is on screen stays on screen.

    Raises:
        ValueError: the suffix is neither ``.png`` nor ``.svg``.
        OSError: the file cannot be written.
    """
    path = Path(path)
    fmt = chart_format(path)
    if fmt == "png":
        figure.savefig(path, format="png", dpi=PNG_DPI, facecolor=figure.get_facecolor())
    else:
        figure.savefig(path, format="svg", facecolor=figure.get_facecolor(),
                       metadata={"Date": None})
    return path
