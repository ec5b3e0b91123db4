"""A team's assessments from the library, for the reports' progress over time."""

from __future__ import annotations

from ..core.errors import CalmsError
from ..core.model import Workshop
from ..core.progress import WorkshopPoint, point_of
from ..core.storage import Library


def team_history(library: Library, ws: Workshop) -> list[WorkshopPoint]:
    """Every workshop of ``ws``'s team in ``library`` (``ws`` itself left out), oldest first.

    A file that cannot be read is skipped: the report then shows the others.
    """
    points = []
    for row in library.team_workshops(ws.organisation, ws.team):
        if row["id"] == ws.id:
            continue
        try:
            points.append(point_of(library.load(row["id"])))
        except CalmsError:
            continue
    return points
