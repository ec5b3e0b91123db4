"""The privacy rule of anonymous workshops.

**Rule.** In an anonymous workshop, the results of a statement (its
distribution, mean, median, spread, consensus) are shown only when at least
:data:`MIN_ANONYMOUS_ANSWERS` (3) people answered it with a score. Below that
only the number of answers is shown ("2 answers — too few to show
anonymously"). With 1 answer the mean *is* the vote; with 2, anyone who knows
their own vote can subtract it and learn the other. From 3 upwards nobody can
work out a single colleague's vote from what is shown (unless the room is
unanimous, which the room then knows anyway).

The same rule applies to a pillar's pooled results and to the overall score:
a pillar's mean is shown only when every statement that contributes to it
passes the rule. Named workshops show everything.

Every screen, the projector and the reports call :func:`can_show` before
showing results, so the rule lives in one place.
"""

from __future__ import annotations

from dataclasses import replace

from .i18n import ngettext
from .metrics import Basis, MetricRecord, catalogue
from .model import Pillar, PillarState, Workshop
from .scoring import (
    Distribution,
    PillarScore,
    StatementScore,
    WorkshopScore,
    score_workshop,
    stats_of,
)

MIN_ANONYMOUS_ANSWERS = 3

#: The pillar states in which the room may see a pillar's results.
RESULTS_STATES = frozenset({PillarState.REVEALED, PillarState.DONE})


def shows_results(state: PillarState | str | None) -> bool:
    """Does a pillar in this state show its results (revealed or done)?"""
    return state in RESULTS_STATES or state in {s.value for s in RESULTS_STATES}


def results_visible(ws: Workshop, pillar: Pillar) -> bool:
    """May anyone in the room (console, projector, phones) see this pillar's results?

    The one rule: a pillar's results exist for the room only once it is
    revealed (or done). Before that only how many have answered is shown.
    """
    return shows_results(ws.pillar_states.get(pillar))


def can_show_distribution(ws: Workshop, dist: Distribution) -> bool:
    """May the results behind ``dist`` be shown in this workshop?"""
    if not ws.is_anonymous:
        return True
    return dist.scored == 0 or dist.scored >= MIN_ANONYMOUS_ANSWERS


def can_show(ws: Workshop, score: StatementScore | PillarScore) -> bool:
    """May the results of this statement or pillar be shown?"""
    if isinstance(score, StatementScore):
        return can_show_distribution(ws, score.stats.distribution)
    return all(can_show_distribution(ws, s.stats.distribution) for s in score.statements)


def withheld_message(dist: Distribution) -> str:
    """Why ``dist`` is withheld; "don't know" answers count in the total, not in the rule."""
    if dist.dont_know:
        return ngettext(
            "{n} answer on the scale (and {dk} don't know) — too few to show anonymously "
            "(at least {min} needed)",
            "{n} answers on the scale (and {dk} don't know) — too few to show anonymously "
            "(at least {min} needed)", dist.scored).format(
                n=dist.scored, dk=dist.dont_know, min=MIN_ANONYMOUS_ANSWERS)
    return withheld_text(dist.scored)


def withheld_text(n: int) -> str:
    """"2 answers — too few to show anonymously (at least 3 needed)"."""
    return ngettext("{n} answer — too few to show anonymously (at least {min} needed)",
                    "{n} answers — too few to show anonymously (at least {min} needed)",
                    n).format(n=n, min=MIN_ANONYMOUS_ANSWERS)


def shown_score(ws: Workshop) -> WorkshopScore:
    """``ws``'s scores with everything its room never saw blanked.

    Used for a baseline: an earlier workshop's pillars that were never
    revealed, and results its privacy rule withheld, must not come back as
    "baseline" lines on this workshop's radar, projector or reports.
    """
    score = score_workshop(ws)
    empty = stats_of(Distribution())
    pillars: dict[Pillar, PillarScore] = {}
    for p, ps in score.pillars.items():
        visible = results_visible(ws, p)
        statements = tuple(ss if visible and can_show(ws, ss) else replace(ss, stats=empty)
                           for ss in ps.statements)
        shown = visible and can_show(ws, ps)
        pillars[p] = replace(ps, statements=statements, mean=ps.mean if shown else None)
    every = all(pp.mean is not None or ps.mean is None
                for pp, ps in zip(pillars.values(), score.pillars.values(), strict=True))
    return replace(score, pillars=pillars, overall=score.overall if every else None)


# -- the room's estimates of delivery metrics ------------------------------------------------
def can_show_metric(ws: Workshop, rec: MetricRecord) -> bool:
    """May a room estimate's result (its median, picks per bucket, verdict) be shown?

    The statements' rule: only once Measurement is revealed (or done), and in an
    anonymous workshop only from :data:`MIN_ANONYMOUS_ANSWERS` picks.
    """
    if not results_visible(ws, Pillar.MEASUREMENT):
        return False
    n = len(rec.all_picks())
    return not ws.is_anonymous or n == 0 or n >= MIN_ANONYMOUS_ANSWERS


def disputed_metrics(ws: Workshop) -> list[MetricRecord]:
    """The room's estimates it disagrees on (the statements' consensus rule), in catalogue
    order — only those the room may see, so they count "to discuss" like statements."""
    out = []
    for m in catalogue().metrics:
        rec = ws.metrics.get(m.id)
        if (rec is not None and rec.basis == Basis.ESTIMATED and rec.room_agrees is False
                and can_show_metric(ws, rec)):
            out.append(rec)
    return out


def discuss_count(ws: Workshop, ps: PillarScore) -> int:
    """How many things of a pillar the room should discuss: its statements the room
    disagrees on, and in Measurement the metric estimates it disagrees on."""
    n = ps.discuss_count
    if ps.pillar == Pillar.MEASUREMENT:
        n += len(disputed_metrics(ws))
    return n
