"""The command layer: every change to the open workshop goes through here.

:class:`WorkshopController` is the one place that

1. turns a user action (a keypress in the vote grid, a tally, a reveal, a
   note, an action, a participant edit) into a core
   :class:`~calms_desktop.core.operations.Operation`,
2. runs it through the :class:`~calms_desktop.core.session.WorkshopSession`,
   which applies it and persists it (fsync) *before* the call returns,
3. records it on the ``QUndoStack`` (Ctrl+Z / Ctrl+Shift+Z), and
4. tells every view by signal.

It also holds where the room is (step, statement, timer); that is saved to
the resume file on every move so a killed app resumes exactly there.

How a vote travels: key "4" in the vote grid → ``controller.vote()`` →
``ballots.to_operation()`` → ``SetVote`` → ``session.execute()`` (apply,
``Library.save``: temp file, fsync, rename, fsync folder) → ``QUndoStack``
→ ``changed`` / ``scores_changed`` signals → grid, radar, projector redraw.
Votes arriving on another thread (phones) are handed to
:meth:`WorkshopController.submit_ballot` through a queued signal, so they
take the same path on the GUI thread.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from ..core import ballots
from ..core.errors import CalmsError, NotFound, ValidationError
from ..core.model import (
    INTRO_STEP,
    STEPS,
    ActionItem,
    Participant,
    Pillar,
    PillarState,
    ReviewDecision,
    Tally,
    Workshop,
)
from ..core.operations import (
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
from ..core.resume import ResumeState, ResumeStore
from ..core.scoring import WorkshopScore, score_workshop
from ..core.session import WorkshopSession
from ..core.timer import StepTimer

_NOTE_MERGE_ID = 1001


def monotonic_ms() -> int:
    return int(time.monotonic() * 1000)


class OperationCommand(QUndoCommand):
    """An undoable step: the operation and the operation that undoes it.

    The operation has already been applied when the command is pushed, so
    the first ``redo()`` (which ``QUndoStack.push`` calls) does nothing.
    """

    def __init__(self, controller: WorkshopController, op: Operation, inverse: Operation,
                 text: str) -> None:
        super().__init__(text)
        self._controller = controller
        self.op = op
        self.inverse = inverse
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            self._applied = False
            return
        self.inverse = self._controller._run(self.op)

    def undo(self) -> None:
        self._controller._run(self.inverse)

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
        changed(object): after any change; the argument is the operation.
        scores_changed(): after a change that affects scores or what is revealed.
        step_changed(str): the room moved to another step.
        statement_changed(str): the current statement changed (id or "").
        timer_changed(): the timer started, paused, reset or changed step.
        error(str): a change was refused (message for the status bar).
        ballot_received(object): thread-safe entry for votes from other threads.
    """

    changed = Signal(object)
    scores_changed = Signal()
    step_changed = Signal(str)
    statement_changed = Signal(str)
    timer_changed = Signal()
    error = Signal(str)
    ballot_received = Signal(object)

    def __init__(self, session: WorkshopSession, resume: ResumeStore | None = None,
                 parent: QObject | None = None, clock=monotonic_ms) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self._resume = resume
        self._clock = clock
        self._baseline: Workshop | None = None
        self._score: WorkshopScore | None = None
        self._baseline_score: tuple[str, WorkshopScore] | None = None  # (id, its score)
        self._step = INTRO_STEP
        self._statement = ""
        self.timer = StepTimer(INTRO_STEP, self._budget_ms(INTRO_STEP))
        self._timers: dict[str, StepTimer] = {INTRO_STEP: self.timer}
        self.ballot_received.connect(self.submit_ballot, Qt.ConnectionType.QueuedConnection)
        self._save_timer = QTimer(self)  # persist a running timer now and then
        self._save_timer.setInterval(5000)
        self._save_timer.timeout.connect(self._save_resume)

    # -- the model --------------------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        return self.session.workshop

    def baseline(self) -> Workshop | None:
        """The workshop this one is compared with (loaded once, None if missing)."""
        wanted = self.workshop.baseline_id
        if self._baseline is not None and self._baseline.id == wanted:
            return self._baseline
        self._baseline = None
        library = self.session.library
        if wanted and library is not None:
            try:
                self._baseline = library.load(wanted)
            except (NotFound, ValidationError):
                self._baseline = None
        return self._baseline

    def score(self) -> WorkshopScore:
        """Scores of the open workshop against its baseline (cached until a change)."""
        if self._score is None:
            baseline = self.baseline()
            if baseline is None:
                self._baseline_score = None
            elif self._baseline_score is None or self._baseline_score[0] != baseline.id:
                self._baseline_score = (baseline.id, score_workshop(baseline))
            base = self._baseline_score[1] if self._baseline_score else None
            self._score = score_workshop(self.workshop, baseline_score=base)
        return self._score

    def radar_data(self, *, only_revealed: bool = False):
        """The radar's numbers for the open workshop (privacy rule applied)."""
        from ..charts.radar import radar_data

        return radar_data(self.workshop, self.score(), only_revealed=only_revealed)

    def _announce(self, op: Operation) -> None:
        if op.affects_scores:
            self._score = None
        self.changed.emit(op)
        if op.affects_scores:
            self.scores_changed.emit()

    def _run(self, op: Operation) -> Operation:
        """Apply + persist + notify (used by commands; no undo record)."""
        inverse = self.session.execute(op)
        self._announce(op)
        return inverse

    def do(self, op: Operation) -> bool:
        """Run ``op`` as one undoable step. Returns False (and emits ``error``) if refused."""
        try:
            inverse = self.session.execute(op)
        except (CalmsError, KeyError, ValueError, OSError) as exc:
            self.error.emit(_message(exc))
            return False
        self.undo_stack.push(OperationCommand(self, op, inverse, op.describe(self.workshop)))
        self._announce(op)
        return True

    # -- votes (every source takes this path) -------------------------------------
    @Slot(object)
    def submit_ballot(self, ballot: ballots.Ballot | ballots.TallyBallot) -> bool:
        try:
            op = ballots.to_operation(self.workshop, ballot)
        except CalmsError as exc:
            self.error.emit(str(exc))
            return False
        return self.do(op)

    def vote(self, statement_id: str, participant_id: str, score: int | None) -> bool:
        """Record (or with None clear) a per-person answer: 1–5 or DONT_KNOW."""
        return self.submit_ballot(ballots.Ballot(statement_id, participant_id, score))

    def tally(self, statement_id: str, hands: Tally) -> bool:
        """Record a show-of-hands count: answer -> hands."""
        return self.submit_ballot(ballots.TallyBallot(statement_id, dict(hands)))

    # -- flow -----------------------------------------------------------------------
    def set_pillar_state(self, pillar: Pillar, state: PillarState) -> bool:
        if self.workshop.pillar_states.get(pillar) == state:
            return True
        return self.do(SetPillarState(pillar, state))

    def reveal(self, pillar: Pillar) -> bool:
        return self.set_pillar_state(pillar, PillarState.REVEALED)

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
        return self._step

    @property
    def statement_id(self) -> str:
        return self._statement

    def go_to(self, step: str) -> None:
        """Move the room to a step (not an undoable change; it is remembered for resume)."""
        if step not in STEPS:
            raise ValueError(step)
        if step == self._step:
            return
        now = self._clock()
        self.timer.pause(now)
        self._step = step
        self.timer = self._timers.setdefault(step, StepTimer(step, self._budget_ms(step)))
        self._statement = ""
        self._save_resume()
        self.step_changed.emit(step)
        self.timer_changed.emit()
        if step in {p.value for p in Pillar} and self.workshop.pillar_states[Pillar(step)] == (
            PillarState.NOT_STARTED
        ):
            self.set_pillar_state(Pillar(step), PillarState.VOTING)

    def next_step(self) -> None:
        i = STEPS.index(self._step)
        if i + 1 < len(STEPS):
            self.go_to(STEPS[i + 1])

    def previous_step(self) -> None:
        i = STEPS.index(self._step)
        if i > 0:
            self.go_to(STEPS[i - 1])

    def set_statement(self, statement_id: str) -> None:
        if statement_id != self._statement:
            self._statement = statement_id
            self._save_resume()
            self.statement_changed.emit(statement_id)

    # -- the timer ----------------------------------------------------------------------
    def _budget_ms(self, step: str) -> int:
        return int(self.workshop.timebox_minutes.get(step, 0)) * 60_000

    def now(self) -> int:
        return self._clock()

    def toggle_timer(self) -> None:
        self.timer.toggle(self._clock())
        self._after_timer_change()

    def reset_timer(self) -> None:
        self.timer.reset()
        self.timer.budget_ms = self._budget_ms(self._step)
        self._after_timer_change()

    def _after_timer_change(self) -> None:
        if self.timer.running:
            self._save_timer.start()
        else:
            self._save_timer.stop()
        self._save_resume()
        self.timer_changed.emit()

    # -- resume -------------------------------------------------------------------------
    def _save_resume(self) -> None:
        if self._resume is None:
            return
        now = self._clock()
        self._resume.save(
            ResumeState(
                workshop_id=self.workshop.id,
                step=self._step,
                statement_id=self._statement,
                timers={k: t.to_dict(now) for k, t in self._timers.items()},
            )
        )

    def restore(self, state: ResumeState) -> None:
        """Put the room back where a resume file says it was."""
        now = self._clock()
        self._timers = {k: StepTimer.from_dict(d, now) for k, d in state.timers.items()}
        step = state.step if state.step in STEPS else INTRO_STEP
        self._step = step
        self.timer = self._timers.setdefault(step, StepTimer(step, self._budget_ms(step)))
        for key, t in self._timers.items():
            if key != step:
                t.pause(now)
        self._statement = state.statement_id
        if self.timer.running:
            self._save_timer.start()
        self.step_changed.emit(step)
        self.statement_changed.emit(self._statement)
        self.timer_changed.emit()

    def close(self) -> None:
        """The workshop is closed normally: nothing to resume."""
        self._save_timer.stop()
        if self._resume is not None:
            self._resume.clear()


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"not found: {exc.args[0] if exc.args else ''}"
    if isinstance(exc, OSError):
        return f"could not save: {exc.strerror or exc}"
    return str(exc)
