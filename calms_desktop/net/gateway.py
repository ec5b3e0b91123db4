"""The contract between the phone server and the room.

The server (:class:`~calms_desktop.net.server.PhoneServer`) runs on its own
thread and never touches a workshop. Everything it needs from the room goes
through a :class:`RoomGateway`, which the GUI implements over the room
layer (and :class:`~calms_desktop.net.testing.FakeRoom` over a core session
in tests and benchmarks):

* **in** — :meth:`RoomGateway.submit` takes a burst of :class:`PhoneBallot`\\ s
  and :meth:`RoomGateway.join` a device's :class:`JoinRequest`; both return a
  :class:`concurrent.futures.Future`, so the GUI side can run them on its own
  thread (a queued call) and resolve them when done;
* **out** — the GUI side builds an immutable :class:`RoomView` whenever what
  phones should see changes and hands it to ``PhoneServer.publish(view)``
  (thread-safe). The server forwards each device only the part it may see:
  the public part to every joined device, :attr:`RoomView.private` only to
  the devices bound to that participant.

Every method of a gateway may be called from the server thread; none may
block it for long (do the work elsewhere, return the future at once).

What a gateway promises:

* ``submit`` applies the whole burst and writes it to disk **once**, and
  resolves the future only after that write is durable, with one
  :class:`BallotOutcome` per ballot in the same order. Ballots are applied in
  the order given (a later ballot of the same device and statement wins).
  A ballot the room refuses (voting closed, revealed, unknown statement …)
  gets ``accepted=False`` with a ``code`` from :data:`BALLOT_CODES` and a
  ``reason`` a person can read; refused ballots change nothing.
* ``join`` binds a device to a participant, asks the facilitator, or
  refuses (see :class:`JoinRequest`). The binding is the room's: the server
  trusts :attr:`RoomView.devices` of the latest view, so the facilitator
  undoes a binding (removes a device) by publishing a view without it.
* ``attendee_pdf`` returns the attendee summary PDF, or ``None`` while
  there is none to offer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from ..core.i18n import N_, _

#: Why the room may refuse a ballot (``BallotOutcome.code``).
BALLOT_CODES = {
    "voting_closed": N_("phone voting is closed for this pillar"),
    "revealed": N_("the results are shown; answers are closed"),
    "not_current": N_("this statement is not being voted on now"),
    "unknown_statement": N_("no such statement"),
    "unknown_participant": N_("this device is not bound to anyone in the room"),
    "invalid_score": N_("an answer is 1–5 or don't know"),
    "save_failed": N_("the answer could not be saved; try again"),
}


@dataclass(frozen=True)
class PhoneBallot:
    """One answer from a phone.

    Attributes:
        device_token: the server-issued token of the device that sent it.
        participant_id: whom the device is bound to (the server fills it in
            from the latest :attr:`RoomView.devices`; a phone never names it).
        statement_id: the statement answered.
        score: 1–5, :data:`~calms_desktop.core.model.DONT_KNOW` (0), or
            ``None`` to withdraw the answer.
    """

    device_token: str
    participant_id: str
    statement_id: str
    score: int | None


@dataclass(frozen=True)
class BallotOutcome:
    """What became of one ballot: stored (``accepted``) or why not."""

    accepted: bool
    reason: str = ""
    code: str = ""

    @classmethod
    def refused(cls, code: str, reason: str = "") -> BallotOutcome:
        """A refusal with ``code`` and its standard reason (or ``reason``)."""
        return cls(False, reason or _(BALLOT_CODES.get(code, code)), code)


ACCEPTED = BallotOutcome(True)


@dataclass(frozen=True)
class JoinRequest:
    """A device asks to take part.

    Exactly one of three kinds:

    * **named pick** — ``participant_id`` set: the device picked that name
      from :attr:`RoomView.participants`. A name already bound to another
      device goes to the facilitator (``JoinStatus.PENDING``).
    * **newcomer** — ``newcomer_name`` set: someone not on the list asks to
      be added; the facilitator decides (``PENDING``).
    * **anonymous** — neither: an anonymous workshop binds the device to a
      participant of its own, without a name.
    """

    device_token: str
    participant_id: str | None = None
    newcomer_name: str | None = None
    #: the network address it connects from (a second new device from one
    #: address in an anonymous workshop waits for the facilitator)
    address: str = ""


class JoinStatus(StrEnum):
    JOINED = "joined"  #: bound now, to ``JoinOutcome.participant_id``
    PENDING = "pending"  #: the facilitator decides; the binding comes with a view
    REFUSED = "refused"  #: not bound; ``code`` and ``reason`` say why


#: Why the room may refuse a join (``JoinOutcome.code``).
JOIN_CODES = {
    "unknown_participant": N_("that name is not on the list"),
    "wrong_mode": N_("this workshop does not take that kind of join"),
    "declined": N_("the facilitator declined"),
    "closed": N_("phone voting is not open"),
}


@dataclass(frozen=True)
class JoinOutcome:
    status: JoinStatus
    participant_id: str = ""
    reason: str = ""
    code: str = ""


class RoomGateway(Protocol):
    """What the phone server needs from the room (see the module docstring)."""

    def submit(self, ballots: Sequence[PhoneBallot]) -> Future[list[BallotOutcome]]:
        """Apply a burst of ballots, durably, in one write."""
        ...

    def join(self, request: JoinRequest) -> Future[JoinOutcome]:
        """Bind a device, ask the facilitator, or refuse."""
        ...

    def attendee_pdf(self) -> Future[bytes | None]:
        """The attendee summary PDF, or None while there is none."""
        ...


# -- what phones see -----------------------------------------------------------


class Step(StrEnum):
    """Where the room is, as a phone needs to know it."""

    INTRO = "intro"
    PILLAR = "pillar"
    SUMMARY = "summary"


class PillarPhase(StrEnum):
    NOT_STARTED = "not_started"
    VOTING = "voting"
    REVEALED = "revealed"
    DONE = "done"


#: Phases in which the room may see a pillar's results.
RESULT_PHASES = (PillarPhase.REVEALED, PillarPhase.DONE)


@dataclass(frozen=True)
class StatementView:
    """A statement as a phone shows it: text and its five level descriptors."""

    id: str
    code: str
    text: str
    levels: tuple[str, str, str, str, str]


@dataclass(frozen=True)
class StatementResult:
    """A revealed statement's result, as the projector shows it.

    When the privacy rule withholds it, only ``withheld`` (the projector's
    message) is set and every figure is empty.
    """

    statement_id: str
    mean: str = ""  # as shown ("3.4"), "" when withheld or no scores
    level_name: str = ""
    verdict: str = ""  # "agree", "discuss", "none" or "" when withheld
    counts: tuple[int, ...] = ()  # hands per level 1–5, () when withheld
    dont_know: int = 0
    answers: int = 0
    withheld: str = ""


#: A phone's estimate of a delivery metric travels as a vote on ``metric:<id>``,
#: its bucket (0 = worst) as the score (docs/phone-protocol.md, "Delivery metrics").
METRIC_PREFIX = "metric:"


@dataclass(frozen=True)
class MetricView:
    """A delivery metric the room estimates (Measurement only): its buckets, worst first."""

    id: str  # "metric:lead_time"
    name: str
    question: str
    buckets: tuple[str, ...]


@dataclass(frozen=True)
class PillarView:
    """One pillar: its statements and, once revealed, its results.

    ``results`` and ``result`` must stay empty before the reveal
    (``phase`` not in :data:`RESULT_PHASES`); the constructor refuses
    otherwise, so no view can carry a result to a phone too early.
    """

    pillar: str
    title: str
    explanation: str
    phase: PillarPhase
    statements: tuple[StatementView, ...]
    results: tuple[StatementResult, ...] = ()
    result: str = ""  # the pillar's line on the projector ("3.1 · Practised")
    metrics: tuple[MetricView, ...] = ()  # Measurement: the metrics the room estimates

    def __post_init__(self) -> None:
        if self.phase not in RESULT_PHASES and (self.results or self.result):
            raise ValueError(f"{self.pillar}: results in a view before the reveal")

    @property
    def revealed(self) -> bool:
        return self.phase in RESULT_PHASES


@dataclass(frozen=True)
class ParticipantChoice:
    """A name a phone may pick (named workshops); ``taken``: bound to a device."""

    id: str
    name: str
    taken: bool = False


@dataclass(frozen=True)
class ParticipantPrivate:
    """What only this participant's own devices receive: their answers."""

    #: statement id -> 0–5, and ``metric:<id>`` -> the bucket picked
    answers: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class RoomView:
    """An immutable snapshot of what phones may see, built by the GUI side.

    Attributes:
        title: the workshop's title.
        anonymous: an anonymous workshop (no names, no personal page).
        step: intro, a pillar, or the summary.
        current: the pillar being shown (its ``pillar`` id), or "".
        pillars: every pillar, in order; results only where revealed.
        voting_open: phones may answer the current pillar now.
        voted, expected: "``voted`` of ``expected`` have voted" (phones and
            console alike), as on the projector.
        participants: names to pick from (named workshops; empty otherwise).
        pdf_available: the attendee summary PDF can be downloaded.
        private: participant id -> their own answers; sent only to devices
            bound to that participant.
        devices: device token -> participant id: the room's bindings. Never
            sent to any phone.
        pending: device tokens awaiting the facilitator. Never sent.
    """

    title: str
    anonymous: bool
    step: Step
    current: str = ""
    pillars: tuple[PillarView, ...] = ()
    voting_open: bool = False
    voted: int = 0
    expected: int = 0
    participants: tuple[ParticipantChoice, ...] = ()
    pdf_available: bool = False
    private: Mapping[str, ParticipantPrivate] = field(default_factory=dict)
    devices: Mapping[str, str] = field(default_factory=dict)
    pending: frozenset[str] = frozenset()

    def pillar(self, pillar_id: str) -> PillarView | None:
        return next((p for p in self.pillars if p.pillar == pillar_id), None)

    # -- the JSON each part becomes (see docs/phone-protocol.md) -----------
    def public_json(self) -> dict[str, Any]:
        """What every joined device receives (no bindings, no answers)."""
        return {
            "title": self.title,
            "anonymous": self.anonymous,
            "step": self.step.value,
            "current": self.current,
            "voting_open": self.voting_open,
            "pdf_available": self.pdf_available,
            "personal_page": not self.anonymous,
            "pillars": [_pillar_json(p) for p in self.pillars],
        }

    def progress_json(self) -> dict[str, int]:
        return {"voted": self.voted, "expected": self.expected}

    def participants_json(self) -> list[dict[str, Any]]:
        """Names to pick from; only after a correct PIN, only in named workshops."""
        if self.anonymous:
            return []
        return [{"id": p.id, "name": p.name, "taken": p.taken} for p in self.participants]

    def private_json(self, participant_id: str) -> dict[str, Any]:
        own = self.private.get(participant_id)
        answers = dict(own.answers) if own else {}
        out: dict[str, Any] = {"answers": {sid: int(score) for sid, score in answers.items()}}
        if not self.anonymous:  # the page says whom it votes as ("Voting as Ana")
            out["name"] = next((p.name for p in self.participants if p.id == participant_id),
                               "")
        return out


def _pillar_json(p: PillarView) -> dict[str, Any]:
    out: dict[str, Any] = {
        "pillar": p.pillar,
        "title": p.title,
        "explanation": p.explanation,
        "phase": p.phase.value,
        "statements": [
            {"id": s.id, "code": s.code, "text": s.text, "levels": list(s.levels)}
            for s in p.statements
        ],
    }
    if p.metrics:
        out["metrics"] = [{"id": m.id, "name": m.name, "question": m.question,
                           "buckets": list(m.buckets)} for m in p.metrics]
    if p.revealed:  # belt and braces: the constructor already refuses otherwise
        out["result"] = p.result
        out["results"] = [
            {
                "statement_id": r.statement_id,
                "mean": r.mean,
                "level_name": r.level_name,
                "verdict": r.verdict,
                "counts": list(r.counts),
                "dont_know": r.dont_know,
                "answers": r.answers,
                "withheld": r.withheld,
            }
            for r in p.results
        ]
    return out

