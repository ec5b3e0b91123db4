"""Scores as the reports may show them (no ReportLab here, the CSV export uses it too)."""

from __future__ import annotations

from dataclasses import replace

from ..core import privacy
from ..core.model import Pillar, Workshop
from ..core.scoring import PillarScore, WorkshopScore, score_workshop


def private_score(ws: Workshop, baseline: Workshop | None) -> WorkshopScore:
    """Scores of ``ws`` against ``baseline`` without baseline results the privacy rule hides.

    ``ws``'s own results are checked where they are shown; the baseline's
    means arrive inside this workshop's scores, so an anonymous baseline's
    withheld statements and pillars are blanked here, once.
    """
    score = score_workshop(ws, baseline)
    if baseline is None or not baseline.is_anonymous:
        return score
    base = score_workshop(baseline)
    hidden_statements = {
        ss.statement.id for ps in base.pillars.values() for ss in ps.statements
        if not privacy.can_show(baseline, ss)
    }
    pillars: dict[Pillar, PillarScore] = {}
    for p, ps in score.pillars.items():
        bps = base.pillars.get(p)
        statements = tuple(
            replace(ss, baseline_mean=None) if ss.statement.id in hidden_statements else ss
            for ss in ps.statements
        )
        hide = bps is None or not privacy.can_show(baseline, bps)
        pillars[p] = replace(ps, statements=statements,
                             baseline_mean=None if hide else ps.baseline_mean)
    all_shown = all(privacy.can_show(baseline, bps) for bps in base.pillars.values())
    return replace(score, pillars=pillars,
                   baseline_overall=score.baseline_overall if all_shown else None)
