"""Typed changes: what an operation changed, in the words a view cares about.

A view subscribes to the kinds of change it shows (a vote grid to
:class:`VotesChanged`, :class:`TallyChanged` and :class:`ParticipantsChanged`;
the notes pane to :class:`NotesChanged` …) instead of decoding every
:class:`~calms_desktop.core.operations.Operation` with its own ``isinstance``
chain. :func:`changes_of` is the one place that maps operations to changes
(and the one place that unpacks a :class:`~calms_desktop.core.operations.Batch`),
so a new operation means one new branch here and none in the views.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..core.metric_ops import SetMetric
from ..core.model import Pillar
from ..core.operations import (
    Batch,
    DeleteAction,
    DeleteParticipant,
    Operation,
    PutAction,
    PutParticipant,
    SetActionReview,
    SetFields,
    SetNote,
    SetPillarState,
    SetTally,
    SetVote,
)


@dataclass(frozen=True)
class Change:
    """Base of every change; ``scores`` says whether scores may have moved."""

    @property
    def scores(self) -> bool:
        return False


@dataclass(frozen=True)
class VotesChanged(Change):
    """Per-person answers changed on these statements, for these people."""

    statement_ids: frozenset[str]
    participant_ids: frozenset[str]
    #: a burst of phone ballots (views may redraw a few times a second, not per burst)
    from_phones: bool = False

    @property
    def scores(self) -> bool:
        return True


@dataclass(frozen=True)
class TallyChanged(Change):
    """Show-of-hands counts changed on these statements."""

    statement_ids: frozenset[str]

    @property
    def scores(self) -> bool:
        return True


@dataclass(frozen=True)
class PillarStateChanged(Change):
    """These pillars moved between not started, voting, revealed and done."""

    pillars: frozenset[Pillar]

    @property
    def scores(self) -> bool:
        return True


@dataclass(frozen=True)
class NotesChanged(Change):
    """The notes of these steps changed."""

    steps: frozenset[str]


@dataclass(frozen=True)
class ActionsChanged(Change):
    """Action items (or the review of the baseline's actions) changed."""

    action_ids: frozenset[str]
    reviews: bool = False


@dataclass(frozen=True)
class ParticipantsChanged(Change):
    """People were added, renamed or removed (removing one removes their votes)."""

    participant_ids: frozenset[str]
    removed: bool = False

    @property
    def scores(self) -> bool:
        return True


@dataclass(frozen=True)
class FieldsChanged(Change):
    """Set-up fields changed (title, team, targets, questionnaire, …)."""

    names: frozenset[str]

    @property
    def scores(self) -> bool:
        return bool(self.names & {"targets", "baseline_id", "questionnaire", "voting_mode"})


@dataclass(frozen=True)
class MetricsChanged(Change):
    """The delivery metrics (records, the room's picks) changed for these metrics."""

    metric_ids: frozenset[str]


def _one(op: Operation) -> Change | None:
    if isinstance(op, SetMetric):
        return MetricsChanged(frozenset({op.metric_id}))
    if isinstance(op, SetVote):
        return VotesChanged(frozenset({op.statement_id}), frozenset({op.participant_id}))
    if isinstance(op, SetTally):
        return TallyChanged(frozenset({op.statement_id}))
    if isinstance(op, SetPillarState):
        return PillarStateChanged(frozenset({op.pillar}))
    if isinstance(op, SetNote):
        return NotesChanged(frozenset({op.step}))
    if isinstance(op, PutAction):
        return ActionsChanged(frozenset({op.action.id}))
    if isinstance(op, DeleteAction):
        return ActionsChanged(frozenset({op.action_id}))
    if isinstance(op, SetActionReview):
        return ActionsChanged(frozenset({op.action_id}), reviews=True)
    if isinstance(op, PutParticipant):
        return ParticipantsChanged(frozenset({op.participant.id}))
    if isinstance(op, DeleteParticipant):
        return ParticipantsChanged(frozenset({op.participant_id}), removed=True)
    if isinstance(op, SetFields):
        return FieldsChanged(frozenset(name for name, _ in op.changes))
    return None


def _flatten(op: Operation) -> Iterable[Operation]:
    if isinstance(op, Batch):
        for inner in op.operations:
            yield from _flatten(inner)
    else:
        yield op


def changes_of(op: Operation) -> tuple[Change, ...]:
    """The typed changes an operation made, merged per kind (one per kind at most)."""
    merged: dict[type[Change], list[Change]] = defaultdict(list)
    for inner in _flatten(op):
        change = _one(inner)
        if change is not None:
            merged[type(change)].append(change)
    return tuple(_merge(kind, items) for kind, items in merged.items())


def _merge(kind: type[Change], items: list[Change]) -> Change:
    if len(items) == 1:
        return items[0]
    values: dict[str, Any] = {}
    for name in kind.__dataclass_fields__:
        parts = [getattr(c, name) for c in items]
        if isinstance(parts[0], frozenset):
            values[name] = frozenset().union(*parts)
        else:
            values[name] = any(parts)
    return kind(**values)


C = TypeVar("C", bound=Change)


@dataclass
class ChangeBus:
    """Plain publish/subscribe of typed changes (Qt-free; the GUI bridges it to signals).

    Listeners are called in the order they subscribed, on the thread that
    published (the room's one owner thread).
    """

    _listeners: dict[type[Change], list[Callable[[Any], None]]] = field(
        default_factory=lambda: defaultdict(list)
    )

    def subscribe(self, kind: type[C], listener: Callable[[C], None]) -> None:
        self._listeners[kind].append(listener)

    def unsubscribe(self, kind: type[C], listener: Callable[[C], None]) -> None:
        if listener in self._listeners.get(kind, []):
            self._listeners[kind].remove(listener)

    def publish(self, changes: Iterable[Change]) -> None:
        for change in changes:
            for listener in list(self._listeners.get(type(change), ())):
                listener(change)
