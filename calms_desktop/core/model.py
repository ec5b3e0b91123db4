"""The workshop's own language: pillars, statements, participants, votes, actions.

Everything here is plain data. Changes to a :class:`Workshop` go through
:mod:`calms_desktop.core.operations` so they can be persisted, undone and
shown in one place; scoring lives in :mod:`calms_desktop.core.scoring`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .metrics import MetricRecord

from .i18n import N_, _, format_date


class Pillar(StrEnum):
    """The five CALMS pillars, in the order a workshop walks them."""

    CULTURE = "culture"
    AUTOMATION = "automation"
    LEAN = "lean"
    MEASUREMENT = "measurement"
    SHARING = "sharing"

    @property
    def title(self) -> str:  # type: ignore[override]
        """The pillar's name in the active language."""
        return _(PILLAR_TITLES[self.value])


PILLAR_TITLES = {"culture": N_("Culture"), "automation": N_("Automation"), "lean": N_("Lean"),
                 "measurement": N_("Measurement"), "sharing": N_("Sharing")}


PILLARS: tuple[Pillar, ...] = tuple(Pillar)

#: The steps of a workshop: intro, the five pillars, summary.
INTRO_STEP = "intro"
SUMMARY_STEP = "summary"
STEPS: tuple[str, ...] = (INTRO_STEP, *(p.value for p in PILLARS), SUMMARY_STEP)

#: A score is 1–5; ``DONT_KNOW`` (0) is an answer that counts but is not scored.
DONT_KNOW = 0
SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
ANSWERS: tuple[int, ...] = (*SCORES, DONT_KNOW)


class PillarState(StrEnum):
    """Where a pillar is in the room's flow."""

    NOT_STARTED = "not_started"
    VOTING = "voting"
    REVEALED = "revealed"
    DONE = "done"


class VotingMode(StrEnum):
    """Named workshops keep who voted what; anonymous ones protect it."""

    NAMED = "named"
    ANONYMOUS = "anonymous"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


class ReviewDecision(StrEnum):
    """What the room decided about an open action of the baseline workshop."""

    DONE = "done"
    CARRIED = "carried"


def new_id() -> str:
    """A fresh stable identifier (UUID4, as text)."""
    import uuid  # here, not at start-up: uuid pulls in platform probing

    return str(uuid.uuid4())


def now_iso() -> str:
    """The current UTC time, ISO 8601 with seconds."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def today_iso() -> str:
    return date.today().isoformat()


@dataclass(frozen=True)
class Level:
    """A maturity level: its number (1–5) and name (e.g. "Practised")."""

    level: int
    name: str


@dataclass(frozen=True)
class Statement:
    """Something the team rates, with a descriptor for each level 1–5."""

    id: str
    pillar: Pillar
    text: str
    levels: tuple[str, str, str, str, str]

    def descriptor(self, level: int) -> str:
        return self.levels[level - 1]


@dataclass(frozen=True)
class PillarSection:
    """One pillar of a questionnaire: its explanation and statements."""

    pillar: Pillar
    name: str
    explanation: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Questionnaire:
    """A validated questionnaire (see :mod:`calms_desktop.core.questionnaire`)."""

    id: str
    title: str
    description: str
    levels: tuple[Level, ...]
    sections: tuple[PillarSection, ...]

    @cached_property
    def statements(self) -> tuple[Statement, ...]:
        """Every statement, pillar by pillar (worked out once: the questionnaire is frozen)."""
        return tuple(s for sec in self.sections for s in sec.statements)

    @cached_property
    def _by_id(self) -> dict[str, Statement]:
        by_id: dict[str, Statement] = {}
        for s in self.statements:
            by_id.setdefault(s.id, s)  # the first of a repeated id, as a walk finds it
        return by_id

    def section(self, pillar: Pillar) -> PillarSection:
        for sec in self.sections:
            if sec.pillar == pillar:
                return sec
        raise KeyError(pillar)

    def statement(self, statement_id: str) -> Statement:
        try:
            return self._by_id[statement_id]
        except KeyError:
            raise KeyError(statement_id) from None

    def has_statement(self, statement_id: str) -> bool:
        return statement_id in self._by_id

    def codes(self, pillar: Pillar) -> list[str]:
        """Short codes of a pillar's statements, the same on every screen and page:
        ``C1``, ``C2`` … (``A``, ``L``, ``M``, ``S`` for the other pillars)."""
        return [f"{pillar.value[0].upper()}{i + 1}"
                for i in range(len(self.section(pillar).statements))]

    def statement_code(self, statement_id: str) -> str:
        """The short code of one statement ("C2"); "" for an unknown one."""
        for sec in self.sections:
            for i, s in enumerate(sec.statements):
                if s.id == statement_id:
                    return f"{sec.pillar.value[0].upper()}{i + 1}"
        return ""

    def level_name(self, level: int) -> str:
        for lv in self.levels:
            if lv.level == level:
                return lv.name
        return str(level)


@dataclass(frozen=True)
class Participant:
    """Someone in the room. ``name`` may be any Unicode text."""

    id: str
    name: str
    role: str = ""


@dataclass(frozen=True)
class Vote:
    """One person's answer to one statement (1–5 or ``DONT_KNOW``)."""

    statement_id: str
    participant_id: str
    score: int
    source: str = "console"
    at: str = ""


@dataclass(frozen=True)
class ActionItem:
    """An action the room agreed on."""

    id: str
    text: str
    owner: str = ""
    due: str = ""  # ISO date or empty
    pillar: Pillar | None = None
    status: ActionStatus = ActionStatus.OPEN
    carried_from: str | None = None  # id of the baseline action it continues

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


#: A show-of-hands tally: answer (1–5 or DONT_KNOW) -> number of hands.
Tally = dict[int, int]

_STAMPS = itertools.count(1)  # one stamp per change to any statement's votes, process-wide
VoteKey = tuple[str, str]  # (statement id, participant id)


class VoteMap(dict[VoteKey, Vote]):
    """A workshop's votes by (statement, participant), also indexed by statement.

    Reads are a plain dict's. Every write also keeps one statement's votes
    together, so "who answered C1" costs C1's answers rather than a walk over
    the whole room's (200 people × 25 statements are 5,000 votes, walked several
    times per phone burst). Each write also gives the statement a new
    :meth:`stamp`, so an encoder can keep the JSON of statements that did not
    change. Order is a dict's: per statement, the votes keep the order they
    have in the whole map.
    """

    __slots__ = ("_by_statement", "_stamps")

    def __init__(self, items: Mapping[VoteKey, Vote] | Iterable[tuple[VoteKey, Vote]] = (),
                 ) -> None:
        super().__init__()
        self._by_statement: dict[str, dict[str, Vote]] = {}
        self._stamps: dict[str, int] = {}
        self.update(items)

    def __reduce__(self) -> tuple[Any, ...]:  # copy.deepcopy and pickle rebuild the index
        return (type(self), (dict(self),))

    def _put(self, key: VoteKey, vote: Vote) -> None:
        sid, pid = key
        self._by_statement.setdefault(sid, {})[pid] = vote
        self._stamps[sid] = next(_STAMPS)

    def _drop(self, key: VoteKey) -> None:
        sid, pid = key
        those = self._by_statement.get(sid)
        if those is not None:
            those.pop(pid, None)
            if not those:
                del self._by_statement[sid]
        self._stamps[sid] = next(_STAMPS)

    def __setitem__(self, key: VoteKey, vote: Vote) -> None:
        super().__setitem__(key, vote)  # a changed answer keeps its place, in both
        self._put(key, vote)

    def __delitem__(self, key: VoteKey) -> None:
        super().__delitem__(key)
        self._drop(key)

    _MISSING: Any = object()

    def pop(self, key: VoteKey, default: Any = _MISSING) -> Any:  # type: ignore[override]
        if key in self:
            vote = super().pop(key)
            self._drop(key)
            return vote
        if default is VoteMap._MISSING:
            raise KeyError(key)
        return default

    def popitem(self) -> tuple[VoteKey, Vote]:
        key, vote = super().popitem()
        self._drop(key)
        return key, vote

    def setdefault(self, key: VoteKey, default: Vote) -> Vote:  # type: ignore[override]
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *others: Any, **_kw: Any) -> None:  # type: ignore[override]
        for other in others:
            pairs = other.items() if isinstance(other, Mapping) else other
            for key, vote in pairs:
                self[key] = vote

    def __ior__(self, other: Any) -> VoteMap:  # type: ignore[override,misc]
        self.update(other)
        return self

    def clear(self) -> None:
        super().clear()
        for sid in self._by_statement:
            self._stamps[sid] = next(_STAMPS)
        self._by_statement.clear()

    # -- by statement -------------------------------------------------------------
    def of_statement(self, statement_id: str) -> Mapping[str, Vote]:
        """The statement's votes by participant id, in the map's order (read only)."""
        return self._by_statement.get(statement_id, _EMPTY)

    def statements(self) -> Iterator[str]:
        """The statements that have at least one vote."""
        return iter(self._by_statement)

    def stamp(self, statement_id: str) -> int:
        """Changes whenever this statement's votes change (0: never had any)."""
        return self._stamps.get(statement_id, 0)


_EMPTY: Mapping[str, Vote] = {}


@dataclass
class Workshop:
    """One CALMS assessment of one team on one date.

    Mutate it only through :mod:`calms_desktop.core.operations`.
    """

    id: str
    title: str
    organisation: str
    team: str
    date: str
    questionnaire: Questionnaire
    location: str = ""
    facilitator: str = ""
    voting_mode: VotingMode = VotingMode.NAMED
    participants: list[Participant] = field(default_factory=list)
    pillar_states: dict[Pillar, PillarState] = field(
        default_factory=lambda: {p: PillarState.NOT_STARTED for p in PILLARS}
    )
    notes: dict[str, str] = field(default_factory=dict)  # step id -> text
    actions: list[ActionItem] = field(default_factory=list)
    targets: dict[Pillar, int] = field(default_factory=dict)
    baseline_id: str | None = None
    timebox_minutes: dict[str, int] = field(default_factory=dict)  # step id -> minutes
    votes: VoteMap = field(default_factory=VoteMap)
    tallies: dict[str, Tally] = field(default_factory=dict)
    action_reviews: dict[str, ReviewDecision] = field(default_factory=dict)
    metrics: dict[str, MetricRecord] = field(default_factory=dict)  # metric id -> record
    created: str = field(default_factory=now_iso)
    updated: str = field(default_factory=now_iso)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "votes" and not isinstance(value, VoteMap):  # given a plain dict
            value = VoteMap(value)
        super().__setattr__(name, value)

    # -- look-ups ---------------------------------------------------------
    def participant(self, participant_id: str) -> Participant:
        for p in self.participants:
            if p.id == participant_id:
                return p
        raise KeyError(participant_id)

    def participant_index(self, participant_id: str) -> int:
        for i, p in enumerate(self.participants):
            if p.id == participant_id:
                return i
        raise KeyError(participant_id)

    def action(self, action_id: str) -> ActionItem:
        for a in self.actions:
            if a.id == action_id:
                return a
        raise KeyError(action_id)

    def vote(self, statement_id: str, participant_id: str) -> Vote | None:
        return self.votes.get((statement_id, participant_id))

    def votes_for(self, statement_id: str) -> list[Vote]:
        return list(self.votes.of_statement(statement_id).values())

    def voters_for(self, statement_id: str) -> set[str]:
        return set(self.votes.of_statement(statement_id))

    def answer_count(self, statement_id: str) -> int:
        """How many answers (votes and tallied hands) a statement has."""
        tally = self.tallies.get(statement_id, {})
        return len(self.votes.of_statement(statement_id)) + sum(tally.values())

    @property
    def is_anonymous(self) -> bool:
        return self.voting_mode == VotingMode.ANONYMOUS

    @property
    def display_name(self) -> str:
        """"Baseline — Acme / Payments — 26 August 2026", the date in the active language."""
        parts = [self.title or _("Untitled workshop")]
        who = " / ".join(x for x in (self.organisation, self.team) if x)
        if who:
            parts.append(who)
        if self.date:
            parts.append(format_date(self.date))
        return " — ".join(parts)

    def team_key(self) -> tuple[str, str]:
        """Workshops of the same team share this key (case-insensitive)."""
        return (self.organisation.strip().casefold(), self.team.strip().casefold())
