"""Ballots with a named source, and the outcome each one gets.

Every vote, whatever its source, is handed to :meth:`Room.submit
<calms_desktop.room.live.Room.submit>` as a :class:`~calms_desktop.core.ballots.Ballot`
or :class:`~calms_desktop.core.ballots.TallyBallot` and gets a
:class:`BallotOutcome` back: accepted, or refused with a reason a person can
read and a code a program can test. The core checks what any ballot must be
(a known statement and person, an answer 1–5 or don't know, an open pillar);
:func:`check_source_rules` adds what differs per source:

* **console** — the facilitator may type or correct a vote while voting or
  after the reveal (a correction after the reveal is on the undo stack) —
  except in an anonymous workshop after the reveal, where the ✓ and the
  result changing together would show what that person answered.
* **tally** — the hands counted on a statement, together with the per-person
  votes already there, may not exceed the people in the room unless the
  facilitator confirmed the count.
* **phone** — only while the pillar is voting and phone voting is open: a
  phone never changes an answer after the reveal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.ballots import AnyMetricBallot, Ballot, TallyBallot
from ..core.i18n import _
from ..core.metric_ops import MetricBallot, MetricHandsBallot
from ..core.model import Pillar, PillarState, Workshop
from ..core.operations import Operation


class Source(StrEnum):
    """Where a ballot came from."""

    CONSOLE = "console"
    TALLY = "tally"
    PHONE = "phone"


class Refusal(StrEnum):
    """Why a ballot was refused (stable codes for phones and tests)."""

    INVALID = "invalid"  # unknown statement/person, score out of range
    FINISHED = "finished"  # the pillar is done
    REVEALED = "revealed"  # phones: results are out, answers are closed
    NOT_OPEN = "not-open"  # phones: phone voting is closed or the pillar is not voting
    TOO_MANY_HANDS = "too-many-hands"  # tally: more hands than people, not confirmed
    NOT_SAVED = "not-saved"  # the library could not write it: nothing changed


@dataclass(frozen=True)
class BallotOutcome:
    """What happened to one ballot.

    Attributes:
        accepted: the ballot is recorded and on disk.
        reason: a sentence for the person who sent it ("" when accepted).
        code: a :class:`Refusal` value ("" when accepted).
        op: the operation that recorded it (accepted ballots).
        undo: the operation that undoes it (accepted ballots).
    """

    accepted: bool
    reason: str = ""
    code: str = ""
    op: Operation | None = None
    undo: Operation | None = None

    @classmethod
    def refused(cls, code: Refusal, reason: str) -> BallotOutcome:
        return cls(False, reason, code.value)


AnyBallot = Ballot | TallyBallot | AnyMetricBallot


def source_of(ballot: AnyBallot) -> Source:
    try:
        return Source(ballot.source)
    except ValueError:
        return Source.CONSOLE


def hands_limit(ws: Workshop, ballot: TallyBallot) -> int | None:
    """The most hands this tally may count: the people not already voting (None: no limit).

    A workshop with no participant list has no known room size, so no limit.
    """
    if not ws.participants:
        return None
    return max(0, len(ws.participants) - len(ws.voters_for(ballot.statement_id)))


def check_source_rules(
    ws: Workshop, ballot: AnyBallot, *, phones_open: bool = False, confirmed: bool = False
) -> BallotOutcome | None:
    """The refusal this source's rules give ``ballot``, or None when they allow it."""
    source = source_of(ballot)
    if isinstance(ballot, AnyMetricBallot):
        return _metric_rules(ws, ballot, source, phones_open, confirmed)
    if not ws.questionnaire.has_statement(ballot.statement_id):
        return None  # the core names the unknown statement
    pillar = ws.questionnaire.statement(ballot.statement_id).pillar
    state = ws.pillar_states.get(pillar, PillarState.NOT_STARTED)
    if source == Source.PHONE:
        if state in (PillarState.REVEALED, PillarState.DONE):
            return BallotOutcome.refused(
                Refusal.REVEALED, _("{pillar}: the results are out, answers are closed").format(
                    pillar=pillar.title))
        if state != PillarState.VOTING or not phones_open:
            return BallotOutcome.refused(
                Refusal.NOT_OPEN, _("voting on {pillar} is not open").format(pillar=pillar.title))
    if (source == Source.CONSOLE and ws.is_anonymous and state == PillarState.REVEALED
            and isinstance(ballot, Ballot) and ballot.score is not None):
        # The ✓ beside a name and the result changing at the same moment would
        # tell a mirrored room what that person answered.
        return BallotOutcome.refused(
            Refusal.REVEALED,
            _("{pillar} is revealed: in an anonymous workshop a vote now would show what that "
              "person answered. Undo the reveal (Ctrl+Z) to add it.").format(pillar=pillar.title))
    if isinstance(ballot, TallyBallot) and not confirmed:
        limit = hands_limit(ws, ballot)
        hands = sum(n for n in ballot.hands.values() if isinstance(n, int))
        if limit is not None and hands > limit:
            return _too_many_hands(hands, len(ws.participants), len(ws.participants) - limit)
    return None


def _too_many_hands(hands: int, room: int, voted: int) -> BallotOutcome:
    """The refusal of a count above the room (``voted`` already answered per person)."""
    text = (_("{hands} hands counted in a room of {room} — check the count")
            if not voted else
            _("{hands} hands counted in a room of {room} where {voted} already voted "
              "per person — check the count"))
    return BallotOutcome.refused(Refusal.TOO_MANY_HANDS,
                                 text.format(hands=hands, room=room, voted=voted))


def _metric_rules(ws: Workshop, ballot: AnyMetricBallot, source: Source, phones_open: bool,
                  confirmed: bool) -> BallotOutcome | None:
    """A room estimate of a delivery metric follows the Measurement pillar: phones
    only while it is voting with phones open; hands never above the room."""
    state = ws.pillar_states.get(Pillar.MEASUREMENT, PillarState.NOT_STARTED)
    if source == Source.PHONE and (state != PillarState.VOTING or not phones_open):
        return BallotOutcome.refused(Refusal.NOT_OPEN, _("estimates of the metrics are not open"))
    if (source == Source.CONSOLE and ws.is_anonymous and state == PillarState.REVEALED
            and isinstance(ballot, MetricBallot) and ballot.bucket is not None):
        # as for a statement: the ✓ and the median moving together would show the pick
        return BallotOutcome.refused(
            Refusal.REVEALED,
            _("Measurement is revealed: in an anonymous workshop a pick now would show what "
              "that person chose. Undo the reveal (Ctrl+Z) to add it."))
    if isinstance(ballot, MetricHandsBallot) and not confirmed and ws.participants:
        current = ws.metrics.get(ballot.metric_id)
        voted = len(current.picks) if current else 0
        limit = max(0, len(ws.participants) - voted)
        hands = sum(n for n in ballot.hands.values() if isinstance(n, int))
        if hands > limit:
            return _too_many_hands(hands, len(ws.participants), voted)
    if (isinstance(ballot, MetricBallot) and ballot.bucket is not None
            and (not confirmed or source == Source.PHONE) and ws.participants):
        # a person's pick on top of a show of hands: more estimates than people? The
        # console asks; a phone cannot be asked, so its pick is refused (the hands count
        # the room already — 9 hands and 3 phone picks were 12 answers in a room of 9).
        current = ws.metrics.get(ballot.metric_id)
        if current is not None and current.hands:
            picks = {pid for pid, _b in current.picks} | {ballot.participant_id}
            total = len(picks) + sum(n for _b, n in current.hands)
            room = len(ws.participants)
            if total > room and source == Source.PHONE:
                return BallotOutcome.refused(Refusal.TOO_MANY_HANDS, _(
                    "The room's estimate is counted already ({hands} hands in a room of "
                    "{room}) — ask the facilitator to add your pick").format(
                        hands=sum(n for _b, n in current.hands), room=room))
            if total > room:
                return BallotOutcome.refused(Refusal.TOO_MANY_HANDS, _(
                    "{total} estimates (picks and hands) in a room of {room} — check the "
                    "count").format(total=total, room=room))
    return None
