"""Statement codes (``C1``, ``A3`` …) without matplotlib, for the CSV export and the charts."""

from __future__ import annotations

from ..core.model import Pillar, Workshop


def statement_codes(ws: Workshop, pillar: Pillar) -> list[str]:
    """Short codes of a pillar's statements: ``C1``, ``C2`` … (A, L, M, S for the others)."""
    return ws.questionnaire.codes(pillar)  # the core's one rule (console, projector too)
