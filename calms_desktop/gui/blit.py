"""Blitting for matplotlib canvases: redraw only the series that changed.

After each full draw the figure's pixels without the animated artists are
cached (``copy_from_bbox``); an update restores them, draws only the
animated artists and blits the region they live in — a few milliseconds
instead of a full draw of axes, grid, labels and legend. Used by the
console's radar panel and the projector's radars.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from matplotlib.artist import Artist
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.transforms import Bbox

#: Pixels around the region that a blit repaints (markers and thick lines poke out).
BLIT_PAD = 14


class BlitCache:
    """The cached background of one canvas and how to draw the moving parts on it.

    Args:
        canvas: the QtAgg canvas.
        artists: returns the animated artists (marked animated here).
        region: returns the figure-pixel box the artists live in.
    """

    def __init__(self, canvas: FigureCanvasQTAgg, artists: Callable[[], Iterable[Artist]],
                 region: Callable[[], Bbox]) -> None:
        self.canvas = canvas
        self._artists = artists
        self._region = region
        self.background: Any = None
        self.animate()

    def animate(self) -> None:
        """Mark the artists animated (again, after the chart was rebuilt)."""
        for artist in self._artists():
            artist.set_animated(True)
        self.background = None

    def after_full_draw(self) -> None:
        """Call from a ``draw_event``: cache the background, draw the series on it."""
        self.background = self.canvas.copy_from_bbox(self.canvas.figure.bbox)
        self._draw_artists()

    def _draw_artists(self) -> None:
        for artist in self._artists():
            if artist.get_visible():
                self.canvas.figure.draw_artist(artist)

    def blit(self) -> bool:
        """Show the artists' new data by blitting; False when a full draw is needed."""
        if self.background is None or self.canvas.width() <= 1:
            return False
        self.canvas.restore_region(self.background)
        self._draw_artists()
        fig = self.canvas.figure.bbox
        (x0, y0), (x1, y1) = self._region().get_points()
        self.canvas.blit(Bbox([[max(fig.x0, x0 - BLIT_PAD), max(fig.y0, y0 - BLIT_PAD)],
                               [min(fig.x1, x1 + BLIT_PAD), min(fig.y1, y1 + BLIT_PAD)]]))
        return True
