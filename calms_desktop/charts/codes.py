"""Statement codes (``C1``, ``A3`` …) without matplotlib, for the CSV export and the charts."""

from __future__ import annotations

from ..core.model import Pillar, Workshop


def statement_codes(ws: Workshop, pillar: Pillar) -> list[str]:
    """Short codes of a pillar's statements: ``C1``, ``C2`` … (A, L, M, S for the others)."""
    sec = ws.questionnaire.section(pillar)
    return [f"{pillar.value[0].upper()}{i + 1}" for i in range(len(sec.statements))]
