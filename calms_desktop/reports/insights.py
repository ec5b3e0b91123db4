"""What the numbers say, in plain sentences: the executive summary, next steps, progress.

No ReportLab and no Qt: every function takes the scores (privacy rule
applied: a withheld result is never mentioned) and returns plain text, which
the reports print through :func:`calms_desktop.reports.common.sentence` (so a
pillar or statement text that holds markup characters prints as typed). Every
piece of user text in these sentences (pillar, statement and level names) is
a directional isolate (:func:`calms_desktop.reports.isolates.isolate`): an
Arabic statement keeps its own order and its own full stop inside an English
sentence.

* :func:`executive_summary` — where the team stands, what moved since the
  baseline, where the room disagreed, the agreed actions.
* :func:`next_steps` — for a pillar's weakest statements, what the next level
  looks like (the questionnaire's descriptor of that level).
* :func:`progress` — every assessment of the team, each pillar's trend and
  the biggest movers from the first to this one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core import privacy
from ..core.i18n import _, format_date, ngettext
from ..core.metrics import catalogue, spread_text
from ..core.model import PILLARS, Pillar, ReviewDecision, Statement, Workshop
from ..core.progress import TeamTrend, WorkshopPoint, chronological, point_of
from ..core.scoring import (
    PillarScore,
    StatementScore,
    WorkshopScore,
    fmt,
    level_name,
    level_of,
    shown_difference,
)
from .isolates import isolate

#: A change smaller than this (it prints as ±0.0) is "no change".
STEADY = 0.05


def long_date(iso: str) -> str:
    """``2026-11-19`` → ``19 November 2026`` / ``19. November 2026`` (else the text itself)."""
    return format_date(iso)


def _pillar_name(ws: Workshop, p: Pillar) -> str:
    """The questionnaire's name of the pillar, isolated for a sentence."""
    try:
        return isolate(ws.questionnaire.section(p).name)
    except KeyError:
        return p.title


def _level(ws: Workshop, score: float | None) -> str:
    """The questionnaire's name of the level of ``score``, isolated for a sentence."""
    return isolate(level_name(ws, score))


def _shown_pillars(ws: Workshop, score: WorkshopScore) -> list[PillarScore]:
    return [ps for ps in score.strongest() if privacy.can_show(ws, ps)]


def _standing(ws: Workshop, score: WorkshopScore) -> str:
    shown = _shown_pillars(ws, score)
    if not shown:
        return _("No pillar has enough scored answers to report a result yet.")
    parts = []
    if len(shown) == len(PILLARS) and score.overall is not None:
        parts.append(_("Overall the team scores {score} of 5, “{level}”.").format(
            score=fmt(score.overall), level=_level(ws, score.overall)))
    best, worst = shown[0], shown[-1]
    if len(shown) == 1 or fmt(best.mean) == fmt(worst.mean):
        parts.append(_("{pillar} scores {score} ({level}).").format(
            pillar=_pillar_name(ws, best.pillar), score=fmt(best.mean),
            level=_level(ws, best.mean)))
    else:
        parts.append(_("Its strongest pillar is {best} ({best_score}, {best_level}); the most "
                       "room to grow is in {worst} ({worst_score}, {worst_level}).").format(
            best=_pillar_name(ws, best.pillar), best_score=fmt(best.mean),
            best_level=_level(ws, best.mean), worst=_pillar_name(ws, worst.pillar),
            worst_score=fmt(worst.mean), worst_level=_level(ws, worst.mean)))
    below = [ps for ps in shown if ps.gap is not None and ps.gap >= STEADY]
    met = [ps for ps in shown if ps.gap is not None and ps.gap < STEADY]
    if below or met:
        far = max(below, key=lambda ps: ps.gap or 0.0) if below else None
        n = len(met) + len(below)
        if not met:
            text = _("No pillar meets its target yet")
        elif not below:
            text = _('Every pillar with a target meets it ({n} of {n})').format(n=n)
        else:
            text = ngettext("{met} of {n} pillar meets its target",
                            "{met} of {n} pillars meet their target", n).format(met=len(met), n=n)
        if far is not None:
            text += _("; {pillar} is furthest from its target ({gap} below {target})").format(
                pillar=_pillar_name(ws, far.pillar), gap=fmt(far.gap), target=far.target)
        parts.append(text + ".")
    return " ".join(parts)


def _movement(ws: Workshop, baseline: Workshop | None, score: WorkshopScore) -> str | None:
    moved = [ps for ps in _shown_pillars(ws, score) if ps.delta is not None]
    if baseline is None or not moved:
        return None
    since = _("Since the baseline of {date}").format(date=long_date(baseline.date)) \
        if baseline.date else \
        _("Since the baseline")
    parts = []
    if score.delta is not None and len(moved) == len(PILLARS):
        if abs(score.delta) < STEADY:
            parts.append(_("{since} the overall score has held steady at {score}.").format(
                since=since, score=fmt(score.overall)))
        else:
            text = (_("{since} the overall score has risen by {change}, from {old} to {new}.")
                    if score.delta > 0 else
                    _("{since} the overall score has fallen by {change}, from {old} to {new}."))
            parts.append(text.format(since=since, change=fmt(abs(score.delta)),
                                     old=fmt(score.baseline_overall), new=fmt(score.overall)))
    else:
        parts.append(f"{since}:")
    up = sorted((ps for ps in moved if (ps.delta or 0) >= STEADY), key=lambda ps: -(ps.delta or 0))
    down = sorted((ps for ps in moved if (ps.delta or 0) <= -STEADY), key=lambda ps: ps.delta or 0)
    if up:
        parts.append(_("{pillar} improved most ({change}).").format(
            pillar=_pillar_name(ws, up[0].pillar), change=fmt(up[0].delta, signed=True)))
    if down:
        parts.append(_("{pillar} fell most ({change}).").format(
            pillar=_pillar_name(ws, down[0].pillar), change=fmt(down[0].delta, signed=True)))
    if not up and not down:
        parts.append(_("No pillar moved by more than {step}.").format(step=fmt(0.1)))
    return " ".join(parts)


def disputed(ws: Workshop, score: WorkshopScore, codes: dict[str, str],
             n: int = 3) -> list[StatementScore]:
    """The ``n`` statements the room disagreed on most (shown ones marked "discuss")."""
    flagged = [ss for p in PILLARS for ss in score.pillars[p].statements
               if ss.stats.consensus is False and privacy.can_show(ws, ss)]
    return sorted(flagged, key=lambda ss: -ss.stats.disagreement)[:n]


def _disagreement(ws: Workshop, score: WorkshopScore, codes: dict[str, str]) -> str:
    """The statements the room disagreed on, then the metric estimates it split on."""
    metrics = _metric_disagreement(ws)
    return f"{_statement_disagreement(ws, score, codes)} {metrics}".strip()


def _metric_disagreement(ws: Workshop) -> str:
    """"On the delivery metrics, the room disagreed about its estimate of …" or ""."""
    disputed = privacy.disputed_metrics(ws)
    if not disputed:
        return ""
    cat = catalogue()
    named = "; ".join(_("{metric} ({spread})").format(metric=cat.metric(r.metric).name,
                                                      spread=spread_text(r)) for r in disputed)
    return ngettext("On the delivery metrics, the room disagreed about its estimate of "
                    "{named}: measure it before anyone acts on the estimate.",
                    "On the delivery metrics, the room disagreed about its estimates of "
                    "{named}: measure them before anyone acts on the estimates.",
                    len(disputed)).format(named=named)


def _statement_disagreement(ws: Workshop, score: WorkshopScore, codes: dict[str, str]) -> str:
    total = sum(len(ps.statements) for ps in score.pillars.values())
    flagged = [ss for ps in score.pillars.values() for ss in ps.statements
               if ss.stats.consensus is False and privacy.can_show(ws, ss)]
    if not flagged:
        return ngettext("The room agreed on the one statement it could rate; no answers were far "
                        "apart.",
                        "The room agreed on every one of the {total} statements it could rate; "
                        "no answers were far apart.", total).format(total=total)
    top = disputed(ws, score, codes, 2)
    named = "; ".join(_("{code} “{text}” (answers from {low} to {high})").format(
        code=codes.get(ss.statement.id, ""), text=isolate(ss.statement.text), low=ss.stats.low,
        high=ss.stats.high) for ss in top)
    return ngettext("The room disagreed on {n} of {total} statement, most on {named}. These are "
                    "worth a conversation before anyone acts on their scores.",
                    "The room disagreed on {n} of {total} statements, most on {named}. These are "
                    "worth a conversation before anyone acts on their scores.",
                    total).format(n=len(flagged), total=total, named=named)


def _actions(ws: Workshop, baseline: Workshop | None) -> str:
    actions = ws.actions
    if not actions:
        text = _("No actions were agreed.")
    else:
        owned = sum(1 for a in actions if a.owner.strip())
        dated = sorted(a.due for a in actions if a.due)
        text = ngettext("The team agreed {n} action", "The team agreed {n} actions",
                        len(actions)).format(n=len(actions))
        text += (_(", each with an owner") if owned == len(actions) else
                 _(', {owned} with an owner').format(owned=owned))
        if dated:
            text += _('; the first is due {value}').format(value=long_date(dated[0]))
        text += "."
    if baseline is not None and baseline.actions:
        done = sum(1 for a in baseline.actions
                   if ws.action_reviews.get(a.id) == ReviewDecision.DONE)
        carried = sum(1 for a in baseline.actions
                      if ws.action_reviews.get(a.id) == ReviewDecision.CARRIED)
        n = len(baseline.actions)
        if not done and not carried:  # never reviewed: not "0 are done and 0 carried over"
            text += " " + ngettext("The baseline’s {n} action is not reviewed yet.",
                                   "The baseline’s {n} actions are not reviewed yet.",
                                   n).format(n=n)
            return text
        text += " " + ngettext("Of the baseline’s {n} action, {done} done and {carried} carried "
                               "over.",
                               "Of the baseline’s {n} actions, {done} done and {carried} carried "
                               "over.", n).format(
            n=n, done=ngettext("{n} is", "{n} are", done).format(n=done), carried=carried)
        if n - done - carried:
            text += " " + ngettext("{n} is not reviewed yet.", "{n} are not reviewed yet.",
                                   n - done - carried).format(n=n - done - carried)
    return text


def executive_summary(ws: Workshop, baseline: Workshop | None, score: WorkshopScore,
                      codes: dict[str, str]) -> list[tuple[str, str]]:
    """(heading, sentence) pairs: standing, movement (if compared), disagreement, actions."""
    out = [(_("Where the team stands"), _standing(ws, score))]
    moved = _movement(ws, baseline, score)
    if moved:
        out.append((_("What moved"), moved))
    out.append((_("Where the room disagreed"), _disagreement(ws, score, codes)))
    out.append((_("What the team will do"), _actions(ws, baseline)))
    return out


@dataclass(frozen=True)
class NextStep:
    """A weak statement, where it stands and what its next level looks like."""

    statement: Statement
    score: float
    level: int
    next_level: int
    next_name: str
    next_descriptor: str


def next_steps(ws: Workshop, ps: PillarScore, n: int = 2) -> list[NextStep]:
    """The pillar's ``n`` weakest shown statements below the top level, with the next level."""
    rated = [ss for ss in ps.statements
             if ss.stats.mean is not None and privacy.can_show(ws, ss)]
    order = {ss.statement.id: i for i, ss in enumerate(ps.statements)}
    rated.sort(key=lambda ss: (ss.stats.mean or 0.0, order[ss.statement.id]))
    out = []
    for ss in rated:
        level = level_of(ss.stats.mean)
        if level is None or level >= 5:
            continue
        nxt = level + 1
        out.append(NextStep(ss.statement, ss.stats.mean or 0.0, level, nxt,
                            ws.questionnaire.level_name(nxt), ss.statement.descriptor(nxt)))
        if len(out) == n:
            break
    return out


def _results(p: WorkshopPoint) -> tuple[object, ...]:
    """What a copy of a workshop shares with it: date, title, people and every result."""
    return (p.date, " ".join(p.title.split()), p.participants, p.overall,
            tuple(p.means[q] for q in PILLARS))


def distinct_points(points: Sequence[WorkshopPoint], me: WorkshopPoint
                    ) -> tuple[list[WorkshopPoint], list[WorkshopPoint]]:
    """``points`` each once, and the copies left out (same id, or a copied file's results).

    A workshop listed twice (the baseline both in the library's list and
    passed on its own) or copied to a new file (a new id, the same date,
    title, people and results) was counted twice in the progress over time.
    ``me`` (the report's own workshop) counts as already included.
    """
    seen_ids, seen_results = {me.id}, {_results(me)}
    kept: list[WorkshopPoint] = []
    copies: list[WorkshopPoint] = []
    for p in points:
        if p.id in seen_ids or (p.has_results and _results(p) in seen_results):
            copies.append(p)
            continue
        seen_ids.add(p.id)
        seen_results.add(_results(p))
        kept.append(p)
    return kept, copies


def team_trend_of(ws: Workshop, history: Sequence[WorkshopPoint]) -> TeamTrend:
    """``ws`` and the team's earlier assessments in ``history`` (later ones and copies left out,
    see :func:`distinct_points`)."""
    me = point_of(ws)
    earlier = [p for p in history if p.id != ws.id
               and not (p.date and ws.date and p.date > ws.date)]
    kept, _copies = distinct_points(chronological(earlier), me)
    return TeamTrend(ws.organisation.strip(), ws.team.strip(),
                     tuple(chronological([*kept, me])))


def left_out_copies(ws: Workshop, history: Sequence[WorkshopPoint]) -> list[WorkshopPoint]:
    """The assessments of ``history`` that :func:`team_trend_of` leaves out as copies."""
    earlier = [p for p in history if p.id != ws.id
               and not (p.date and ws.date and p.date > ws.date)]
    return distinct_points(chronological(earlier), point_of(ws))[1]


def biggest_movers(ws: Workshop, trend: TeamTrend, n: int = 2) -> str:
    """"Since 2 March 2026 (4 assessments) Sharing rose most (+0.8) …" (plain text)."""
    if len(trend.points) < 2:
        return ""
    first, last = trend.points[0], trend.points[-1]
    changes = [(p, d) for p in PILLARS
               if (d := shown_difference(last.means[p], first.means[p])) is not None]
    if not changes:
        return _("Too few results were shown in these assessments to compare them.")
    changes.sort(key=lambda pc: -abs(pc[1]))
    since = long_date(first.date) if first.date else _("the first assessment")
    moving = [(p, d) for p, d in changes if abs(d) >= STEADY][:n]
    if not moving:
        return _("Across {n} assessments since {since} no pillar moved by more than {step}."
                 ).format(n=len(trend.points), since=since, step=fmt(0.1))
    parts = [(_("{pillar} rose by {change}") if d > 0 else _("{pillar} fell by {change}")).format(
        pillar=_pillar_name(ws, p), change=fmt(abs(d))) for p, d in moving]
    text = _("Across {n} assessments since {since}, {changes}").format(
        n=len(trend.points), since=since, changes=_(" and ").join(parts))
    if first.overall is not None and last.overall is not None:
        text += _("; overall {first} → {last}").format(first=fmt(first.overall),
                                                        last=fmt(last.overall))
    return text + "."
