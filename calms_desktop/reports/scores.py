"""Scores as the reports may show them (no ReportLab here, the CSV export uses it too)."""

from __future__ import annotations

from ..core import privacy
from ..core.model import Workshop
from ..core.scoring import WorkshopScore, score_workshop


def private_score(ws: Workshop, baseline: Workshop | None) -> WorkshopScore:
    """Scores of ``ws`` against what ``baseline``'s room saw.

    ``ws``'s own results are checked where they are shown; the baseline's
    means arrive inside this workshop's scores, so the baseline's unrevealed
    pillars and privacy-withheld results are blanked here, once
    (:func:`calms_desktop.core.privacy.shown_score`).
    """
    if baseline is None:
        return score_workshop(ws)
    return score_workshop(ws, baseline_score=privacy.shown_score(baseline))
