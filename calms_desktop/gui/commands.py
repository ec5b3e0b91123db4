"""The command layer: every change to the open workshop goes through here.

:class:`WorkshopController` is a ``QUndoStack`` and Qt signals over the
Qt-free :class:`~calms_desktop.room.live.Room`, which owns the live workshop
(where the room is, timers, entry modes, resume, scores) and its one ballot
path. The controller

1. turns a user action into a core operation or a ballot and hands it to
   the room, which applies it and persists it (fsync) *before* returning,
2. records console changes on the ``QUndoStack`` (Ctrl+Z / Ctrl+Shift+Z) —
   phone ballots are not undoable from the console,
3. re-emits the room's typed changes as signals, so each view subscribes to
   what it shows.

How a vote travels: key "4" in the vote grid → ``controller.vote()`` →
``Room.submit()`` (source rules, ``ballots.to_operation()``, ``SetVote``,
``session.execute()``: apply, ``Library.save``: temp file, fsync, rename,
fsync folder) → ``BallotOutcome`` → ``QUndoStack`` → ``votes_changed`` /
``scores_changed`` → grid, radar, projector redraw. Ballots arriving on
another thread (phones) are queued onto the GUI thread by
:class:`~calms_desktop.gui.phones.PhoneGateway` and come in through
:meth:`WorkshopController.submit_many_deferred`; their outcomes go back to the
caller. Their ``votes_changed`` / ``scores_changed`` are merged and shown at most
every :data:`PHONE_REDRAW_MS` (the first burst after a quiet spell at once, the last
one always), and before any other change, so a room of 200 phones redraws the console
twenty times a second rather than once per burst.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import ballots
from ..core.errors import CalmsError
from ..core.i18n import _, active
from ..core.metric_ops import MetricBallot, MetricHandsBallot, SetMetric
from ..core.metrics import MetricRecord
from ..core.model import (
    ActionItem,
    Participant,
    Pillar,
    PillarState,
    Questionnaire,
    ReviewDecision,
    Tally,
    Workshop,
)
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
)
from ..core.questionnaire import in_language, workshop_in_language
from ..core.resume import ResumeState, ResumeStore
from ..core.scoring import WorkshopScore
from ..core.session import WorkshopSession
from ..core.timer import StepTimer
from ..core.validate import system_reason
from ..room import changes as ch
from ..room import live, presentation
from ..room.ballots import AnyBallot, BallotOutcome, Source
from .throttle import Throttle

if TYPE_CHECKING:
    from ..charts.radar import RadarData

_NOTE_MERGE_ID = 1001

#: Phone bursts reach the views at most this often (ms).
PHONE_REDRAW_MS = 50

monotonic_ms = live.monotonic_ms


class OperationCommand(QUndoCommand):
    """An undoable step: the operation and the operation that undoes it.

    The controller runs the change (and its undo/redo) *before* telling the
    stack, so a change that cannot be saved never moves the stack's index:
    ``redo()``/``undo()`` here only run when the stack is driven directly.
    """

    def __init__(self, controller: WorkshopController, op: Operation, inverse: Operation,
                 text: str) -> None:
        super().__init__(text)
        self._controller = controller
        self.op = op
        self.inverse = inverse
        self._done_outside = True  # push() calls redo(): the change is already made

    def redo(self) -> None:
        if self._done_outside:
            self._done_outside = False
            return
        self.inverse = self._controller._run(self.op)

    def undo(self) -> None:
        if self._done_outside:
            self._done_outside = False
            return
        self.op = self._controller._run(self.inverse)

    def id(self) -> int:
        return _NOTE_MERGE_ID if isinstance(self.op, SetNote) else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Typing in one note field becomes one undo step."""
        if not isinstance(other, OperationCommand):
            return False
        if not (isinstance(self.op, SetNote) and isinstance(other.op, SetNote)):
            return False
        if self.op.step != other.op.step:
            return False
        self.op = other.op  # keep our inverse (the text before the typing)
        return True


class WorkshopController(QObject):
    """Runs the open workshop for every view of it.

    Signals:
        votes_changed(object): a :class:`~calms_desktop.room.changes.VotesChanged`.
        tally_changed(object): a :class:`~calms_desktop.room.changes.TallyChanged`.
        pillar_state_changed(object): a ``PillarStateChanged``.
        notes_changed(object): a ``NotesChanged``.
        actions_changed(object): an ``ActionsChanged``.
        participants_changed(object): a ``ParticipantsChanged``.
        metrics_changed(object): a ``MetricsChanged`` (delivery metrics, the room's picks).
        fields_changed(object): a ``FieldsChanged``.
        scores_changed(): after a change that affects scores or what is revealed.
        step_changed(str): the room moved to another step.
        statement_changed(str): the current statement changed (id or "").
        metric_on_show_changed(str): the delivery metric the room estimates (id or "").
        entry_mode_changed(object): a pillar's vote entry switched (grid/tally).
        phones_changed(bool): phone voting opened or closed.
        timer_changed(): the timer started, paused, reset or changed step.
        error(str): a change was refused or not saved (message for the user).
    """

    votes_changed = Signal(object)
    tally_changed = Signal(object)
    pillar_state_changed = Signal(object)
    notes_changed = Signal(object)
    actions_changed = Signal(object)
    participants_changed = Signal(object)
    metrics_changed = Signal(object)
    fields_changed = Signal(object)
    scores_changed = Signal()
    step_changed = Signal(str)
    statement_changed = Signal(str)
    metric_on_show_changed = Signal(str)
    entry_mode_changed = Signal(object)
    phones_changed = Signal(bool)
    timer_changed = Signal()
    error = Signal(str)

    def __init__(self, session: WorkshopSession, resume: ResumeStore | None = None,
                 parent: QObject | None = None,
                 clock: Callable[[], int] = monotonic_ms) -> None:
        super().__init__(parent)
        self.room = live.Room(session, resume, clock)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self._save_timer = QTimer(self)  # persist a running timer now and then
        self._save_timer.setInterval(5000)
        self._save_timer.timeout.connect(self.save_resume)
        self._phone_votes: ch.VotesChanged | None = None  # merged, not shown yet
        self._phone_scores = False
        # (stored questionnaire, language) and the questionnaire shown for them
        self._shown_questionnaire: tuple[tuple[Questionnaire, str] | None, Questionnaire] = (
            None, self.room.workshop.questionnaire)
        self._phone_throttle = Throttle(self.show_phone_votes, PHONE_REDRAW_MS, self)
        bus = self.room.changes
        signals: dict[type[ch.Change], Any] = {
            ch.VotesChanged: self.votes_changed,
            ch.TallyChanged: self.tally_changed,
            ch.PillarStateChanged: self.pillar_state_changed,
            ch.NotesChanged: self.notes_changed,
            ch.ActionsChanged: self.actions_changed,
            ch.ParticipantsChanged: self.participants_changed,
            ch.MetricsChanged: self.metrics_changed,
            ch.FieldsChanged: self.fields_changed,
            live.EntryModeChanged: self.entry_mode_changed,
        }
        for kind, signal in signals.items():
            if kind is ch.VotesChanged:
                bus.subscribe(kind, self._votes)
            else:
                bus.subscribe(kind, self._after_phones(signal.emit))
        bus.subscribe(live.StepChanged,
                      self._after_phones(lambda c: self.step_changed.emit(c.step)))
        bus.subscribe(live.StatementChanged, self._after_phones(
            lambda c: self.statement_changed.emit(c.statement_id)))
        bus.subscribe(live.MetricOnShowChanged, self._after_phones(
            lambda c: self.metric_on_show_changed.emit(c.metric_id)))
        bus.subscribe(live.TimerChanged, self._timer_changed)
        bus.subscribe(live.PhoneVotingChanged, self._after_phones(
            lambda c: self.phones_changed.emit(c.open)))

    # -- phone bursts, merged ----------------------------------------------------
    def _votes(self, change: ch.VotesChanged) -> None:
        if not change.from_phones:
            self.show_phone_votes()
            self.votes_changed.emit(change)
            return
        merged = self._phone_votes
        self._phone_votes = change if merged is None else replace(
            merged, statement_ids=merged.statement_ids | change.statement_ids,
            participant_ids=merged.participant_ids | change.participant_ids)
        self._phone_scores = True  # every vote counts in the scores
        self._phone_throttle.request()

    def _after_phones(self, emit: Callable[[Any], None]) -> Callable[[Any], None]:
        """``emit``, after the phone votes not shown yet: views see changes in order."""
        def show(change: Any) -> None:
            self.show_phone_votes()
            emit(change)
        return show

    def _scores_changed(self) -> None:
        self.show_phone_votes()
        self.scores_changed.emit()

    def show_phone_votes(self) -> None:
        """Emit the phone votes merged since the last redraw now (normally on a timer)."""
        if self._phone_votes is None and not self._phone_scores:
            return  # nothing held back: the next burst still shows at once
        self._phone_throttle.ran()
        change, self._phone_votes = self._phone_votes, None
        scores, self._phone_scores = self._phone_scores, False
        if change is not None:
            self.votes_changed.emit(change)
        if scores:
            self.scores_changed.emit()

    # -- the model --------------------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        return self.room.workshop

    def shown_workshop(self) -> Workshop:
        """The workshop as the console and projector show it: a shipped questionnaire in
        the UI's language (a German app shows an English workshop's statements in German);
        one someone wrote or edited as stored. A copy made for each call; votes, notes
        and states are the workshop's own.
        """
        ws = self.room.workshop
        key = (ws.questionnaire, active().language)
        if self._shown_questionnaire[0] != key:
            self._shown_questionnaire = (key, in_language(*key))
        return workshop_in_language(ws, key[1], self._shown_questionnaire[1])

    def baseline(self) -> Workshop | None:
        """The workshop this one is compared with (loaded once, None if missing)."""
        return self.room.baseline()

    def score(self) -> WorkshopScore:
        """Scores of the open workshop against its baseline (cached until a change)."""
        return self.room.score()

    def radar_data(self) -> RadarData:
        """The radar's numbers as the room may see them, on every screen.

        Only revealed pillars are plotted — on the console too, which is often
        mirrored to the room: a live radar would show the first vote as the
        pillar's score. Baseline and targets are always shown.
        """
        from ..charts.radar import radar_data

        return radar_data(self.workshop, self.score(), only_revealed=True)

    def _run(self, op: Operation) -> Operation:
        """Apply + persist + notify, no undo record; raises when refused or not saved."""
        inverse = self.room.execute(op)
        self._after_change(op)
        return inverse

    def _after_change(self, op: Operation) -> None:
        if op.affects_scores:
            self._scores_changed()

    def do(self, op: Operation) -> bool:
        """Run ``op`` as one undoable step. Returns False (and emits ``error``) if refused."""
        try:
            inverse = self.room.execute(op)
        except (CalmsError, KeyError, ValueError, OSError) as exc:
            self.error.emit(_message(exc))
            return False
        self._push(op, inverse)
        self._after_change(op)
        return True

    def _push(self, op: Operation, inverse: Operation) -> None:
        self.undo_stack.push(OperationCommand(self, op, inverse, op.describe(self.workshop)))

    # -- undo / redo: the change is made first; the stack moves only if it was saved --------
    def undo(self) -> bool:
        return self._replay(undo=True)

    def redo(self) -> bool:
        return self._replay(undo=False)

    def _replay(self, *, undo: bool) -> bool:
        """Undo or redo: make the change first; move the stack only once it is saved."""
        index = self.undo_stack.index()
        if (index == 0) if undo else (index >= self.undo_stack.count()):
            return False
        cmd = self.undo_stack.command(index - 1 if undo else index)
        assert isinstance(cmd, OperationCommand)
        run = cmd.inverse if undo else cmd.op
        try:
            back = self.room.execute(run)
        except (CalmsError, KeyError, ValueError, OSError) as exc:
            text = (_("Undo failed, nothing changed: {reason}") if undo
                    else _("Redo failed, nothing changed: {reason}"))
            self.error.emit(text.format(reason=_message(exc)))
            return False
        if undo:
            cmd.op = back
        else:
            cmd.inverse = back
        cmd._done_outside = True
        if undo:
            self.undo_stack.undo()
        else:
            self.undo_stack.redo()
        self._after_change(run)
        return True

    # -- votes (every source takes this path) -------------------------------------
    def submit(self, ballot: AnyBallot, *, confirmed: bool = False) -> BallotOutcome:
        """Hand one ballot to the room; console and tally ballots go on the undo stack."""
        outcome = self.room.submit(ballot, confirmed=confirmed)
        self._record(ballot, outcome)
        return outcome

    def _record(self, ballot: AnyBallot, outcome: BallotOutcome) -> None:
        if not outcome.accepted:
            if ballot.source != Source.PHONE:
                self.error.emit(outcome.reason)
            return
        if ballot.source != Source.PHONE and outcome.op is not None and outcome.undo is not None:
            self._push(outcome.op, outcome.undo)
        self._scores_changed()

    def submit_ballot(self, ballot: AnyBallot) -> bool:
        return self.submit(ballot).accepted

    def submit_many(self, items: Sequence[AnyBallot]) -> list[BallotOutcome]:
        """A burst of ballots (e.g. phones), written once; not on the undo stack."""
        outcomes = self.room.submit_many(items)
        if any(o.accepted for o in outcomes):
            self._scores_changed()
        return outcomes

    def submit_many_deferred(self, items: Sequence[AnyBallot]
                             ) -> tuple[list[BallotOutcome], Future[None] | None]:
        """A burst of phone ballots: in the room at once, written on the writer thread.

        The future resolves once the burst is on disk; if it fails, call
        :meth:`revert_unsaved` on the GUI thread (see ``Room.submit_many_deferred``).
        """
        outcomes, durable = self.room.submit_many_deferred(items)  # scores: see _votes
        return outcomes, durable

    def revert_unsaved(self, why: str) -> None:
        """A burst could not be written: take it back out and tell the facilitator."""
        if self.room.revert_unsaved():
            self._scores_changed()
            self.error.emit(_("Phone votes could not be saved ({reason}); each phone shows "
                              "“Not saved” for them, so their people can answer again.")
                            .format(reason=why))

    def vote(self, statement_id: str, participant_id: str, score: int | None) -> bool:
        """Record (or with None clear) a per-person answer: 1–5 or DONT_KNOW."""
        return self.submit(ballots.Ballot(statement_id, participant_id, score)).accepted

    def tally(self, statement_id: str, hands: Tally, *, confirmed: bool = False) -> BallotOutcome:
        """Record a show-of-hands count: answer -> hands (the outcome says if refused)."""
        return self.submit(ballots.TallyBallot(statement_id, dict(hands)), confirmed=confirmed)

    # -- delivery metrics (Measurement step) ------------------------------------------
    def estimate_metric(self, metric_id: str, participant_id: str, bucket: int | None, *,
                        confirmed: bool = False) -> BallotOutcome:
        """Record (or with None withdraw) one person's bucket for a metric the room estimates
        (refused as ``too-many-hands`` when picks and hands would outnumber the room, unless
        ``confirmed``)."""
        return self.submit(MetricBallot(metric_id, participant_id, bucket), confirmed=confirmed)

    def estimate_metric_hands(self, metric_id: str, hands: dict[int, int], *,
                              confirmed: bool = False) -> BallotOutcome:
        """Record a show of hands on a metric: bucket index -> hands."""
        return self.submit(MetricHandsBallot(metric_id, dict(hands)), confirmed=confirmed)

    def set_metric(self, metric_id: str, record: MetricRecord | None) -> bool:
        """Record what is known of a metric (measured, or typed in), or clear it."""
        return self.do(SetMetric(metric_id, record))

    def record_metrics(self, records: Mapping[str, MetricRecord | None], what: str) -> bool:
        """Several metrics at once (a deployment log's; None clears one), as one undoable
        step."""
        ops = tuple(SetMetric(mid, rec) for mid, rec in records.items())
        return self.do(Batch(ops, what))

    # -- flow -----------------------------------------------------------------------
    def set_pillar_state(self, pillar: Pillar, state: PillarState) -> bool:
        if self.workshop.pillar_states.get(pillar) == state:
            return True
        return self.do(SetPillarState(pillar, state))

    def reveal(self, pillar: Pillar) -> bool:
        """Reveal ``pillar``; the room then looks at the statement to discuss first."""
        if not self.set_pillar_state(pillar, PillarState.REVEALED):
            return False
        if self.step == pillar.value:
            first = presentation.first_to_discuss(self.workshop, self.score(), pillar)
            if first:
                self.set_statement(first)
        return True

    def set_note(self, step: str, text: str) -> bool:
        if self.workshop.notes.get(step, "") == text:
            return True
        return self.do(SetNote(step, text))

    def put_action(self, action: ActionItem) -> bool:
        return self.do(PutAction(action))

    def delete_action(self, action_id: str) -> bool:
        return self.do(DeleteAction(action_id))

    def review_action(self, action_id: str, decision: ReviewDecision | None) -> bool:
        return self.do(SetActionReview(action_id, decision))

    def put_participant(self, participant: Participant) -> bool:
        return self.do(PutParticipant(participant))

    def delete_participant(self, participant_id: str) -> bool:
        return self.do(DeleteParticipant(participant_id))

    def set_fields(self, **changes: object) -> bool:
        changes = {k: v for k, v in changes.items() if getattr(self.workshop, k) != v}
        if not changes:
            return True
        return self.do(SetFields.of(**changes))

    # -- where the room is --------------------------------------------------------------
    @property
    def step(self) -> str:
        return self.room.step

    @property
    def statement_id(self) -> str:
        return self.room.statement_id

    @property
    def timer(self) -> StepTimer:
        return self.room.timer

    def go_to(self, step: str) -> bool:
        """Move the room to a step (not undoable; remembered for resume)."""
        try:
            self.room.go_to(step)
        except live.RoomError as exc:
            self.error.emit(str(exc))
            return False
        if step in {p.value for p in Pillar}:
            self._scores_changed()
        return True

    def next_step(self) -> None:
        step = self.room.step_after(1)
        if step is not None:
            self.go_to(step)

    def previous_step(self) -> None:
        step = self.room.step_after(-1)
        if step is not None:
            self.go_to(step)

    def set_statement(self, statement_id: str) -> None:
        self.room.set_statement(statement_id)

    @property
    def metric_on_show(self) -> str:
        return self.room.metric_on_show

    def set_metric_on_show(self, metric_id: str) -> None:
        """Show this delivery metric on the projector while the room estimates it ("": none)."""
        self.room.set_metric_on_show(metric_id)

    def entry_mode(self, pillar: Pillar) -> str:
        return self.room.entry_mode(pillar)

    def set_entry_mode(self, pillar: Pillar, mode: str) -> None:
        self.room.set_entry_mode(pillar, mode)

    def set_phones_open(self, value: bool, place: dict[str, object] | None = None) -> None:
        """Phone voting opened (where phones join: ``host``, ``port``, ``pin``) or closed."""
        self.room.set_phones_open(value, place)

    def phones_resumed(self) -> dict[str, object]:
        """Phone voting the restored resume file had open (``host``, ``port``, ``pin``)."""
        return self.room.phones_resumed

    # -- the timer ----------------------------------------------------------------------
    def now(self) -> int:
        return self.room.now()

    def toggle_timer(self) -> None:
        self.room.toggle_timer()

    def reset_timer(self) -> None:
        self.room.reset_timer()

    def _timer_changed(self, _change: object = None) -> None:
        if self.room.timer.running:
            self._save_timer.start()
        else:
            self._save_timer.stop()
        self.timer_changed.emit()

    # -- resume -------------------------------------------------------------------------
    def save_resume(self) -> None:
        """Write where the room is now; a failure is told, never raised."""
        try:
            self.room.save_resume()
        except live.RoomError as exc:
            self.error.emit(str(exc))

    def restore(self, state: ResumeState) -> None:
        """Put the room back where a resume file says it was."""
        self.room.restore(state)

    def close(self) -> None:
        """The workshop is closed normally: nothing to resume."""
        self._save_timer.stop()
        self._phone_throttle.ran()
        self._phone_votes, self._phone_scores = None, False
        self.room.close()


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return _("not found: {value}").format(value=exc.args[0] if exc.args else "")
    if isinstance(exc, OSError):
        return _("could not save: {value}").format(value=system_reason(exc))
    return str(exc)
