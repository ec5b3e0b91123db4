"""The :class:`~calms_desktop.net.gateway.RoomView` of a live room.

What phones may see is built here from the room layer only — the same
privacy rule (:mod:`calms_desktop.core.privacy`), results visibility and
texts as the projector (:mod:`calms_desktop.room.presentation`) — so a
phone never learns more than the projector shows. Called on the room's
thread; the result is immutable and handed to the server thread.
"""

from __future__ import annotations

from ..core import privacy
from ..core.metrics import Basis, MetricKind, catalogue
from ..core.model import PILLARS, SUMMARY_STEP, Pillar, PillarState, Workshop
from ..core.scoring import WorkshopScore, fmt, level_name
from ..room import presentation
from ..room.live import Room
from ..room.phones import DeviceRegistry
from .gateway import (
    METRIC_PREFIX,
    MetricView,
    ParticipantChoice,
    ParticipantPrivate,
    PillarPhase,
    PillarView,
    RoomView,
    StatementResult,
    StatementView,
    Step,
)


def build_view(room: Room, devices: DeviceRegistry, *, pdf_available: bool) -> RoomView:
    """What every phone (and each person's own phones) may see now."""
    ws = room.workshop
    any_revealed = any(privacy.results_visible(ws, p) for p in PILLARS)
    score = room.score() if any_revealed else None
    try:
        current: Pillar | None = Pillar(room.step)
    except ValueError:
        current = None
    if current is not None:
        step = Step.PILLAR
        ids = [s.id for s in ws.questionnaire.section(current).statements]
        # The projector's number, at the same moment: answers (votes and hands) to
        # the statement the room is on — not "answered the whole pillar".
        on = room.statement_id if room.statement_id in ids else (ids[0] if ids else "")
        voted = ws.answer_count(on) if on else 0
    else:
        step = Step.SUMMARY if room.step == SUMMARY_STEP else Step.INTRO
        voted = 0
    bound = dict(devices.devices)
    taken = set(bound.values())
    mine: dict[str, dict[str, int]] = {pid: {} for pid in taken}
    for (sid, pid), vote in ws.votes.items():
        if pid in mine:
            mine[pid][sid] = vote.score
    for rec in ws.metrics.values():
        for pid, bucket in rec.picks:
            if pid in mine:
                mine[pid][METRIC_PREFIX + rec.metric] = bucket
    voting_open = (room.phones_open and current is not None
                   and ws.pillar_states.get(current) == PillarState.VOTING)
    return RoomView(
        title=presentation.one_line(ws.title),
        anonymous=ws.is_anonymous,
        step=step,
        current=current.value if current else "",
        pillars=tuple(pillar_view(ws, score, sec.pillar) for sec in ws.questionnaire.sections),
        voting_open=voting_open,
        voted=voted,
        expected=len(ws.participants),
        participants=() if ws.is_anonymous else tuple(
            ParticipantChoice(p.id, p.name, p.id in taken) for p in ws.participants),
        pdf_available=pdf_available,
        private={pid: ParticipantPrivate(a) for pid, a in mine.items()},
        devices=bound,
        pending=frozenset(devices.pending),
    )


def pillar_view(ws: Workshop, score: WorkshopScore | None, pillar: Pillar) -> PillarView:
    """One pillar for phones: statements always, results only once revealed."""
    sec = ws.questionnaire.section(pillar)
    phase = PillarPhase(ws.pillar_states.get(pillar, PillarState.NOT_STARTED).value)
    statements = tuple(
        StatementView(s.id, ws.questionnaire.statement_code(s.id), s.text,
                      (s.descriptor(1), s.descriptor(2), s.descriptor(3), s.descriptor(4),
                       s.descriptor(5)))
        for s in sec.statements
    )
    title = presentation.step_title(ws, pillar.value)
    explanation = presentation.one_line(sec.explanation)
    metrics = metric_views(ws) if pillar == Pillar.MEASUREMENT else ()
    if not privacy.results_visible(ws, pillar) or score is None:
        return PillarView(pillar.value, title, explanation, phase, statements, metrics=metrics)
    ps = score.pillars[pillar]
    results = []
    for ss in ps.statements:
        dist = ss.stats.distribution
        if not privacy.can_show(ws, ss):
            results.append(StatementResult(ss.statement.id, answers=dist.total,
                                           withheld=privacy.withheld_message(dist)))
            continue
        mean = ss.stats.mean
        results.append(StatementResult(
            ss.statement.id,
            mean=fmt(mean) if mean is not None else "",
            level_name=level_name(ws, mean) if mean is not None else "",
            verdict=presentation.verdict_of(ss),
            counts=tuple(dist.counts),
            dont_know=dist.dont_know,
            answers=dist.total,
        ))
    return PillarView(pillar.value, title, explanation, phase, statements, tuple(results),
                      presentation.pillar_result_text(ws, ps), metrics)


def metric_views(ws: Workshop) -> tuple[MetricView, ...]:
    """The bucket metrics phones may estimate: every one not already measured."""
    out = []
    for m in catalogue().metrics:
        rec = ws.metrics.get(m.id)
        if m.kind != MetricKind.BUCKET or (rec is not None and rec.basis == Basis.MEASURED):
            continue
        out.append(MetricView(METRIC_PREFIX + m.id, m.name, m.question,
                              tuple(b.label for b in m.buckets)))
    return tuple(out)
