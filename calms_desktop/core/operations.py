"""Every change to a workshop, as a small value object.

An :class:`Operation` applies itself to a :class:`Workshop` and returns the
operation that undoes it. :class:`~calms_desktop.core.session.WorkshopSession`
is the one place that runs them (persisting and notifying); the GUI wraps
them in ``QUndoCommand``\\ s. Votes from every source (per-person entry, a
show-of-hands tally, phones) become a :class:`SetVote` or :class:`SetTally`
through :mod:`calms_desktop.core.ballots`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import validate as v
from .errors import OperationError, ValidationError
from .i18n import _, format_number, pgettext
from .metrics import MetricRecord
from .model import (
    ANSWERS,
    STEPS,
    ActionItem,
    Participant,
    Pillar,
    PillarState,
    Questionnaire,
    ReviewDecision,
    Tally,
    Vote,
    VotingMode,
    Workshop,
)

#: Workshop fields :class:`SetFields` may change.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "organisation",
        "team",
        "date",
        "location",
        "facilitator",
        "voting_mode",
        "targets",
        "baseline_id",
        "timebox_minutes",
        "questionnaire",
    }
)


class Operation:
    """Base class. Subclasses are frozen dataclasses."""

    #: Does this change what is scored (so charts must refresh)?
    affects_scores = False

    def apply(self, ws: Workshop) -> Operation:
        """Change ``ws`` and return the operation that undoes the change."""
        raise NotImplementedError

    def describe(self, ws: Workshop) -> str:
        """Short text for the Undo menu ("Undo vote by Ana")."""
        return type(self).__name__


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _check_statement(ws: Workshop, statement_id: str) -> None:
    if not ws.questionnaire.has_statement(statement_id):
        raise OperationError(_("unknown statement {id!r}").format(id=statement_id))


def _valid(check: Callable[..., Any], value: Any, what: str, **kwargs: Any) -> Any:
    """Run a :mod:`validate` check on a value an operation is about to store.

    ``what`` names the value in the message, in the active language ("notes").

    The checks are the ones the file format applies on load, so a workshop
    the app accepted can always be opened again.
    """
    try:
        return check(value, what, **kwargs)
    except ValidationError as exc:
        raise OperationError(_("{what}: {problem}").format(what=what, problem=exc.problem)) \
            from None


def _is_count(value: Any, lo: int, hi: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi


def is_answer(value: Any) -> bool:
    """1–5 or DONT_KNOW, as an int (``True`` and ``2.0`` compare equal but are not)."""
    return isinstance(value, int) and not isinstance(value, bool) and value in ANSWERS


def _field_name(name: str) -> str:
    """What a refused :class:`SetFields` value is called in its message ("title").

    The words carry a context: a bare "title" would also translate the Designer
    forms' dynamic properties (``role="title"``), which the Qt translator asks for.
    """
    names = {"title": pgettext("field", "title"),
             "organisation": pgettext("field", "organisation"),
             "team": pgettext("field", "team"), "location": pgettext("field", "location"),
             "facilitator": pgettext("field", "facilitator"),
             "date": pgettext("field", "date"),
             "baseline_id": pgettext("field", "earlier workshop")}
    return names.get(name, name)


def _check_field(name: str, value: Any) -> Any:
    """Validate (and normalise) one :class:`SetFields` value."""
    shown = _field_name(name)
    if name in ("title", "organisation", "team", "location", "facilitator"):
        return _valid(v.text, value, shown, max_len=500)
    if name == "date":
        return _valid(v.iso_date, value, shown)
    if name == "baseline_id":
        return _valid(v.text, value, shown, max_len=100) or None
    if name == "voting_mode":
        try:
            return VotingMode(value)
        except ValueError:
            raise OperationError(_("unknown voting mode {value!r}").format(value=value)) from None
    if name == "targets":
        targets: dict[Pillar, int] = {}
        for key, level in dict(value).items():
            try:
                pillar = Pillar(key)
            except ValueError:
                raise OperationError(_("unknown pillar {key!r}").format(key=key)) from None
            if not _is_count(level, 1, 5):
                raise OperationError(_("a target level must be 1–5, got {level!r}").format(
                    level=level))
            targets[pillar] = level
        return targets
    if name == "timebox_minutes":
        timebox: dict[str, int] = {}
        for step, minutes in dict(value).items():
            if step not in STEPS:
                raise OperationError(_("unknown step {step!r}").format(step=step))
            if not _is_count(minutes, 0, 600):
                raise OperationError(_("a timebox must be 0–600 minutes, got {minutes!r}").format(
                    minutes=minutes))
            timebox[step] = minutes
        return timebox
    if name == "questionnaire" and not isinstance(value, Questionnaire):
        raise OperationError(_("not a questionnaire"))
    return value


@dataclass(frozen=True)
class SetVote(Operation):
    """Set (or, with ``vote=None``, clear) one person's answer to a statement."""

    statement_id: str
    participant_id: str
    vote: Vote | None
    affects_scores = True

    def apply(self, ws: Workshop) -> Operation:
        _check_statement(ws, self.statement_id)
        key = (self.statement_id, self.participant_id)
        previous = ws.votes.get(key)
        if self.vote is None:
            ws.votes.pop(key, None)
        else:
            score = self.vote.score
            if not is_answer(score):
                raise OperationError(_("a score must be 1–5 or don't know, got {score!r}").format(
                    score=score))
            try:
                ws.participant(self.participant_id)
            except KeyError:
                raise OperationError(_("unknown participant {id!r}").format(
                    id=self.participant_id)) from None
            ws.votes.pop(key, None)  # a re-vote moves to the end (latest first wins)
            ws.votes[key] = self.vote
        return SetVote(self.statement_id, self.participant_id, previous)

    def describe(self, ws: Workshop) -> str:
        """Never the value (the console may be mirrored to the room before the
        reveal), and in an anonymous workshop never the name either."""
        clear = self.vote is None
        if ws.is_anonymous:
            return _("clear a vote") if clear else _("a vote")
        try:
            who = ws.participant(self.participant_id).name
        except KeyError:
            who = _("participant")
        return (_("clear vote of {name}") if clear else _("vote by {name}")).format(
            name=_short(who, 24))


@dataclass(frozen=True)
class SetTally(Operation):
    """Set (or clear) a statement's show-of-hands tally: answer -> hands."""

    statement_id: str
    tally: tuple[tuple[int, int], ...] | None
    affects_scores = True

    @classmethod
    def of(cls, statement_id: str, tally: Tally | None) -> SetTally:
        if tally is None:
            return cls(statement_id, None)
        return cls(statement_id, tuple(sorted((k, n) for k, n in tally.items() if n)))

    def apply(self, ws: Workshop) -> Operation:
        _check_statement(ws, self.statement_id)
        previous = ws.tallies.get(self.statement_id)
        if self.tally is None or not self.tally:
            ws.tallies.pop(self.statement_id, None)
        else:
            for answer, hands in self.tally:
                if not is_answer(answer):
                    raise OperationError(_("unknown answer {answer!r} in tally").format(
                        answer=answer))
                if not _is_count(hands, 0, 10_000):
                    raise OperationError(_("hands must be {lo}–{hi}, got {hands!r}").format(
                        lo=0, hi=format_number(10_000, 0), hands=hands))
            ws.tallies[self.statement_id] = dict(self.tally)
        return SetTally.of(self.statement_id, previous)

    def describe(self, ws: Workshop) -> str:
        return _("show-of-hands tally")


@dataclass(frozen=True)
class SetPillarState(Operation):
    """Move a pillar to voting, revealed or done (reveal is the one to watch)."""

    pillar: Pillar
    state: PillarState
    affects_scores = True

    def apply(self, ws: Workshop) -> Operation:
        previous = ws.pillar_states.get(self.pillar, PillarState.NOT_STARTED)
        ws.pillar_states[self.pillar] = self.state
        return SetPillarState(self.pillar, previous)

    def describe(self, ws: Workshop) -> str:
        text = {
            PillarState.REVEALED: _("reveal {pillar}"),
            PillarState.VOTING: _("open voting on {pillar}"),
            PillarState.DONE: _("finish {pillar}"),
            PillarState.NOT_STARTED: _("reset {pillar}"),
        }[self.state]
        return text.format(pillar=self.pillar.title)


@dataclass(frozen=True)
class SetNote(Operation):
    """Replace the notes of a step (``intro``, a pillar id, ``summary``)."""

    step: str
    text: str

    def apply(self, ws: Workshop) -> Operation:
        if self.step not in STEPS:
            raise OperationError(_("unknown step {step!r}").format(step=self.step))
        _valid(v.text, self.text, pgettext("field", "notes"))
        previous = ws.notes.get(self.step, "")
        if self.text:
            ws.notes[self.step] = self.text
        else:
            ws.notes.pop(self.step, None)
        return SetNote(self.step, previous)

    def describe(self, ws: Workshop) -> str:
        return _("notes ({step})").format(step=self.step)


@dataclass(frozen=True)
class PutAction(Operation):
    """Add an action item, or replace the one with the same id."""

    action: ActionItem
    index: int | None = None

    def apply(self, ws: Workshop) -> Operation:
        new = self.action
        _valid(v.text, new.id, pgettext("field", "action id"), required=True, max_len=100)
        _valid(v.text, new.text, pgettext("field", "action"), required=True)
        _valid(v.text, new.owner, pgettext("field", "owner"), max_len=500)
        _valid(v.iso_date, new.due, pgettext("field", "due date"))
        for i, a in enumerate(ws.actions):
            if a.id == self.action.id:
                ws.actions[i] = self.action
                return PutAction(a, i)
        if len(ws.actions) >= v.MAX_ACTIONS:  # the file format's limit
            raise OperationError(_("a workshop holds at most {most} actions").format(
                most=format_number(v.MAX_ACTIONS, 0)))
        index = len(ws.actions) if self.index is None else self.index
        ws.actions.insert(index, self.action)
        return DeleteAction(self.action.id)

    def describe(self, ws: Workshop) -> str:
        return _("action “{text}”").format(text=_short(self.action.text, 30))


@dataclass(frozen=True)
class DeleteAction(Operation):
    action_id: str

    def apply(self, ws: Workshop) -> Operation:
        i = next((i for i, a in enumerate(ws.actions) if a.id == self.action_id), None)
        if i is None:
            raise OperationError(_("no action {id!r}").format(id=self.action_id))
        action = ws.actions.pop(i)
        return PutAction(action, i)

    def describe(self, ws: Workshop) -> str:
        try:
            return _("delete action “{text}”").format(
                text=_short(ws.action(self.action_id).text, 30))
        except KeyError:
            return _("delete action")


@dataclass(frozen=True)
class PutParticipant(Operation):
    """Add a participant (with any votes to restore) or rename/re-role one."""

    participant: Participant
    index: int | None = None
    votes: tuple[Vote, ...] = ()
    metrics: tuple[MetricRecord, ...] = ()  # room estimates with their picks, to restore
    affects_scores = True

    def apply(self, ws: Workshop) -> Operation:
        if not isinstance(self.participant.name, str) or not self.participant.name.strip():
            raise OperationError(_("a participant needs a name"))
        _valid(v.text, self.participant.id, pgettext("field", "participant id"), required=True,
               max_len=100)
        _valid(v.text, self.participant.name, pgettext("field", "name"), max_len=500)
        _valid(v.text, self.participant.role, pgettext("field", "role"))
        for i, p in enumerate(ws.participants):
            if p.id == self.participant.id:
                ws.participants[i] = self.participant
                return PutParticipant(p, i)
        if len(ws.participants) >= v.MAX_PARTICIPANTS:  # the file format's limit
            raise OperationError(_("a workshop holds at most {most} participants").format(
                most=format_number(v.MAX_PARTICIPANTS, 0)))
        index = len(ws.participants) if self.index is None else self.index
        ws.participants.insert(index, self.participant)
        for vote in self.votes:
            ws.votes[(vote.statement_id, vote.participant_id)] = vote
        for record in self.metrics:
            ws.metrics[record.metric] = record
        return DeleteParticipant(self.participant.id)

    def describe(self, ws: Workshop) -> str:
        return _("participant {name}").format(name=_short(self.participant.name, 24))


@dataclass(frozen=True)
class DeleteParticipant(Operation):
    """Remove a participant and their votes (undo brings both back)."""

    participant_id: str
    affects_scores = True

    def apply(self, ws: Workshop) -> Operation:
        try:
            i = ws.participant_index(self.participant_id)
        except KeyError:
            raise OperationError(v.no_participant(self.participant_id)) from None
        p = ws.participants.pop(i)
        removed = tuple(v for v in ws.votes.values() if v.participant_id == p.id)
        for vote in removed:
            del ws.votes[(vote.statement_id, vote.participant_id)]
        picked = tuple(r for r in ws.metrics.values() if any(pid == p.id for pid, _ in r.picks))
        for record in picked:
            ws.metrics[record.metric] = record.with_pick(p.id, None)
        return PutParticipant(p, i, removed, picked)

    def describe(self, ws: Workshop) -> str:
        try:
            return _("remove {name}").format(name=_short(ws.participant(self.participant_id).name,
                                                         24))
        except KeyError:
            return _("remove participant")


@dataclass(frozen=True)
class SetFields(Operation):
    """Change workshop set-up fields (title, team, targets, questionnaire, …)."""

    changes: tuple[tuple[str, Any], ...]

    @classmethod
    def of(cls, **changes: Any) -> SetFields:
        return cls(tuple(changes.items()))

    @property
    def affects_scores(self) -> bool:  # type: ignore[override]
        return any(k in ("targets", "baseline_id", "questionnaire", "voting_mode")
                   for k, _ in self.changes)

    def apply(self, ws: Workshop) -> Operation:
        checked = []  # check every change before making any
        for name, value in self.changes:
            if name not in EDITABLE_FIELDS:
                raise OperationError(_("{name!r} cannot be changed").format(name=name))
            value = _check_field(name, value)
            if name == "questionnaire" and value.id != ws.questionnaire.id:
                if ws.votes or ws.tallies:
                    raise OperationError(
                        _("the questionnaire cannot change once votes are recorded")
                    )
            if name == "baseline_id" and value is not None and value == ws.id:
                raise OperationError(_("a workshop cannot be its own earlier workshop"))
            checked.append((name, value))
        previous = []
        for name, value in checked:
            old = getattr(ws, name)
            previous.append((name, dict(old) if isinstance(old, dict) else old))
            setattr(ws, name, dict(value) if isinstance(value, dict) else value)
        return SetFields(tuple(previous))

    def describe(self, ws: Workshop) -> str:
        return _("set-up: {fields}").format(
            fields=", ".join(name.replace("_", " ") for name, _value in self.changes))


@dataclass(frozen=True)
class SetActionReview(Operation):
    """Record the room's decision on an open action of the baseline workshop."""

    action_id: str
    decision: ReviewDecision | None

    def apply(self, ws: Workshop) -> Operation:
        previous = ws.action_reviews.get(self.action_id)
        if self.decision is None:
            ws.action_reviews.pop(self.action_id, None)
        else:
            ws.action_reviews[self.action_id] = self.decision
        return SetActionReview(self.action_id, previous)

    def describe(self, ws: Workshop) -> str:
        return _("review of an earlier action")


@dataclass(frozen=True)
class Batch(Operation):
    """Several operations as one undo step (e.g. pasting a list of names)."""

    operations: tuple[Operation, ...]
    text: str = "changes"

    @property
    def affects_scores(self) -> bool:  # type: ignore[override]
        return any(op.affects_scores for op in self.operations)

    def apply(self, ws: Workshop) -> Operation:
        inverses: list[Operation] = []
        try:
            for op in self.operations:
                inverses.append(op.apply(ws))
        except Exception:
            for inv in reversed(inverses):  # leave the workshop as it was
                inv.apply(ws)
            raise
        return Batch(tuple(reversed(inverses)), self.text)

    def describe(self, ws: Workshop) -> str:
        return self.text

