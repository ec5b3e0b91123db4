"""The one path every vote takes, whatever its source.

A :class:`Ballot` is what a source hands in: the console's per-person grid,
a show-of-hands tally, or (later) a phone on the room's network. It is
checked here and turned into an operation, which the session applies,
persists and announces. So validation, re-votes and privacy behave the same
for every source.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import metric_ops
from .errors import OperationError
from .i18n import _
from .metric_ops import hands_refused
from .model import DONT_KNOW, PillarState, Tally, Vote, Workshop, now_iso
from .operations import Operation, SetTally, SetVote, is_answer


@dataclass(frozen=True)
class Ballot:
    """One person's answer to one statement; ``score=None`` withdraws it.

    ``score`` is 1–5 or :data:`~calms_desktop.core.model.DONT_KNOW`.
    """

    statement_id: str
    participant_id: str
    score: int | None
    source: str = "console"


@dataclass(frozen=True)
class TallyBallot:
    """A show-of-hands count for one statement: answer -> hands."""

    statement_id: str
    hands: Tally
    source: str = "tally"


def parse_answer(text: str) -> int | None:
    """Read an answer as typed: ``1``–``5``, or ``0``/``?`` for don't know.

    Returns None when the text is not an answer.
    """
    text = text.strip()
    if text in ("0", "?"):
        return DONT_KNOW
    if text in ("1", "2", "3", "4", "5"):
        return int(text)
    return None


AnyMetricBallot = metric_ops.MetricBallot | metric_ops.MetricHandsBallot


def to_operation(ws: Workshop, ballot: Ballot | TallyBallot | AnyMetricBallot) -> Operation:
    """Check a ballot against the workshop and turn it into an operation.

    A room's estimate of a delivery metric is checked by
    :func:`calms_desktop.core.metric_ops.to_operation`.

    Raises:
        OperationError: unknown statement or participant, a score out of
            range, or a pillar that is finished.
    """
    if isinstance(ballot, AnyMetricBallot):
        return metric_ops.to_operation(ws, ballot)
    if not ws.questionnaire.has_statement(ballot.statement_id):
        raise OperationError(_("unknown statement {id!r}").format(id=ballot.statement_id))
    pillar = ws.questionnaire.statement(ballot.statement_id).pillar
    if ws.pillar_states.get(pillar) == PillarState.DONE:
        raise OperationError(_("{pillar} is finished; reopen it to change its votes").format(
            pillar=pillar.title))
    if isinstance(ballot, TallyBallot):
        for answer, hands in ballot.hands.items():
            if not is_answer(answer):
                raise OperationError(
                    _("a tally counts answers 1–5 and don't know, not {answer!r}").format(
                        answer=answer))
            if isinstance(hands, bool) or not isinstance(hands, int) or hands < 0:
                raise OperationError(hands_refused(hands))
        return SetTally.of(ballot.statement_id, ballot.hands or None)
    try:
        ws.participant(ballot.participant_id)
    except KeyError:
        raise OperationError(_("unknown participant {id!r}").format(
            id=ballot.participant_id)) from None
    if ballot.score is None:
        return SetVote(ballot.statement_id, ballot.participant_id, None)
    if not is_answer(ballot.score):
        raise OperationError(_("a score must be 1–5 or don't know, got {score!r}").format(
            score=ballot.score))
    vote = Vote(ballot.statement_id, ballot.participant_id, ballot.score, ballot.source, now_iso())
    return SetVote(ballot.statement_id, ballot.participant_id, vote)
