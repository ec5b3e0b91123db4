"""The live workshop: one owner of where the room is and what it may change.

:class:`Room` wraps the :class:`~calms_desktop.core.session.WorkshopSession`
(apply, persist, roll back on failure) and owns everything else about the
workshop being run: the current step and statement, the per-pillar
vote-entry mode (grid or tally), the step timers, whether phones may vote,
the resume file, and the scores. It lives on one thread (the GUI's); other
threads hand ballots to the GUI side, which calls :meth:`Room.submit` here.

Listeners get typed changes (:mod:`calms_desktop.room.changes` for the
workshop, the ``Room*`` classes below for the room) through
:attr:`Room.changes`. The Qt command layer (``gui/commands.py``) is a
``QUndoStack`` and signals over this class, nothing more.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field, replace

from ..core import ballots as core_ballots
from ..core import privacy
from ..core.errors import CalmsError, NotFound, ValidationError
from ..core.i18n import _
from ..core.model import INTRO_STEP, PILLARS, STEPS, Pillar, PillarState, Workshop
from ..core.operations import Batch, Operation
from ..core.resume import ResumeState, ResumeStore
from ..core.scoring import (
    Stats,
    WorkshopScore,
    score_workshop,
    statement_distribution,
    stats_of,
)
from ..core.session import WorkshopSession
from ..core.timer import StepTimer
from .ballots import AnyBallot, BallotOutcome, Refusal, check_source_rules
from .changes import (
    Change,
    ChangeBus,
    FieldsChanged,
    ParticipantsChanged,
    TallyChanged,
    VotesChanged,
    changes_of,
)

GRID, TALLY = "grid", "tally"
ENTRY_MODES = (GRID, TALLY)


@dataclass(frozen=True)
class StepChanged(Change):
    step: str


@dataclass(frozen=True)
class StatementChanged(Change):
    statement_id: str


@dataclass(frozen=True)
class MetricOnShowChanged(Change):
    """The delivery metric the room is estimating (on the projector), or ""."""

    metric_id: str


@dataclass(frozen=True)
class TimerChanged(Change):
    step: str


@dataclass(frozen=True)
class EntryModeChanged(Change):
    pillar: Pillar
    mode: str


@dataclass(frozen=True)
class PhoneVotingChanged(Change):
    open: bool


@dataclass(frozen=True)
class ProjectorChanged(Change):
    """Where the projector window is (for resume): open, screen, full screen."""

    placement: dict[str, object] = field(default_factory=dict)


def monotonic_ms() -> int:
    return int(time.monotonic() * 1000)


class RoomError(CalmsError):
    """A room change that could not be made (the message says why)."""


class Room:
    """The workshop being run.

    Args:
        session: applies and persists every workshop change.
        resume: where the room's position is saved (None: not saved).
        clock: monotonic milliseconds (tests pass a fake).
    """

    def __init__(self, session: WorkshopSession, resume: ResumeStore | None = None,
                 clock: Callable[[], int] = monotonic_ms) -> None:
        self.session = session
        self.changes = ChangeBus()
        self._resume = resume
        self._clock = clock
        self._step = INTRO_STEP
        self._statement = ""
        self._metric_on_show = ""  # the delivery metric the room estimates (Measurement)
        self._timers: dict[str, StepTimer] = {INTRO_STEP: StepTimer(INTRO_STEP,
                                                                    self._budget_ms(INTRO_STEP))}
        self._entry: dict[Pillar, str] = {}
        self._phones_open = False
        #: where phones join while voting is open: {"host", "port", "pin"} (for resume)
        self._phones_place: dict[str, object] = {}
        #: phone voting as the resume file found it (reopened by the console)
        self._phones_resumed: dict[str, object] = {}
        self._projector: dict[str, object] = {}
        self._score: WorkshopScore | None = None
        #: statement id -> its stats, kept across changes that do not touch it
        self._stats: dict[str, Stats] = {}
        self._baseline: Workshop | None = None
        self._baseline_score: tuple[str, WorkshopScore] | None = None

    # -- the workshop and its scores -----------------------------------------------------
    @property
    def workshop(self) -> Workshop:
        return self.session.workshop

    def baseline(self) -> Workshop | None:
        """The workshop this one is compared with (loaded once; None if missing)."""
        wanted = self.workshop.baseline_id
        if self._baseline is not None and self._baseline.id == wanted:
            return self._baseline
        self._baseline = None
        library = self.session.library
        if wanted and library is not None:
            try:
                self._baseline = library.load(wanted)
            except (NotFound, ValidationError, OSError):
                self._baseline = None
        return self._baseline

    def score(self) -> WorkshopScore:
        """Scores of the open workshop against its baseline (cached until a change)."""
        if self._score is None:
            baseline = self.baseline()
            if baseline is None:
                self._baseline_score = None
            elif self._baseline_score is None or self._baseline_score[0] != baseline.id:
                # what the baseline's room saw: never an unrevealed or withheld result
                self._baseline_score = (baseline.id, privacy.shown_score(baseline))
            base = self._baseline_score[1] if self._baseline_score else None
            ws = self.workshop
            for s in ws.questionnaire.statements:
                if s.id not in self._stats:
                    self._stats[s.id] = stats_of(statement_distribution(ws, s.id))
            self._score = score_workshop(ws, baseline_score=base, stats=self._stats)
        return self._score

    # -- changes -------------------------------------------------------------------------
    def execute(self, op: Operation) -> Operation:
        """Apply, persist and announce ``op``; return its inverse.

        Raises:
            CalmsError, KeyError, ValueError, OSError: refused or not saved;
                nothing changed, in memory or on disk.
        """
        if self.session.write_failed:
            self.revert_unsaved()
        inverse = self.session.execute(op)
        self._announce(op)
        return inverse

    def _announce(self, op: Operation, *, from_phones: bool = False) -> None:
        changes = changes_of(op)
        if from_phones:
            changes = tuple(replace(c, from_phones=True) if isinstance(c, VotesChanged) else c
                            for c in changes)
        if any(c.scores for c in changes):
            self._score = None
            self._forget_stats(changes)
        self.changes.publish(changes)

    def revert_unsaved(self) -> bool:
        """A deferred write failed: take its changes back out and announce it.

        Returns:
            Whether anything was taken back.
        """
        undone = self.session.revert_unsaved()
        for inverse in undone:
            self._announce(inverse)
        return bool(undone)

    def _forget_stats(self, changes: Sequence[Change]) -> None:
        """Drop the cached stats of the statements a change touched (all, if unsure)."""
        for change in changes:
            if isinstance(change, VotesChanged | TallyChanged):
                for sid in change.statement_ids:
                    self._stats.pop(sid, None)
            elif isinstance(change, ParticipantsChanged | FieldsChanged):
                self._stats.clear()

    def submit(self, ballot: AnyBallot, *, confirmed: bool = False) -> BallotOutcome:
        """Record one ballot from any source; the outcome says whether and why not."""
        return self.submit_many([ballot], confirmed=confirmed)[0]

    def submit_many(self, ballots: Sequence[AnyBallot], *,
                    confirmed: bool = False) -> list[BallotOutcome]:
        """Record ballots that arrived together, with ONE write for all accepted ones.

        Each ballot is checked on its own; the accepted ones are applied as a
        single batch and saved once, so a burst of phone votes costs one file
        write. If the write fails, every one of them is refused (not saved).
        """
        return self._submit(ballots, confirmed=confirmed, deferred=False)[0]

    def submit_many_deferred(self, ballots: Sequence[AnyBallot]
                             ) -> tuple[list[BallotOutcome], Future[None] | None]:
        """As :meth:`submit_many`, but written on the session's writer thread.

        The accepted ballots are in the room (and announced) at once; the
        future resolves once they are on disk — tell a phone only then. If it
        fails, call :meth:`revert_unsaved` (on this thread): the burst is taken
        back out and its ballots count as refused (not saved).

        Returns:
            The outcomes, and the durability future (None: nothing accepted).
        """
        return self._submit(ballots, confirmed=False, deferred=True)

    def _submit(self, ballots: Sequence[AnyBallot], *, confirmed: bool, deferred: bool
                ) -> tuple[list[BallotOutcome], Future[None] | None]:
        outcomes: list[BallotOutcome | None] = []
        ops: list[Operation] = []
        trial: list[Operation] = []  # inverses of the trial application, to unwind
        if self.session.write_failed:
            self.revert_unsaved()
        ws = self.workshop
        try:
            for ballot in ballots:
                refusal = check_source_rules(ws, ballot, phones_open=self._phones_open,
                                             confirmed=confirmed)
                if refusal is None:
                    try:
                        op = core_ballots.to_operation(ws, ballot)
                        # applied on trial so a later ballot of the burst sees it
                        trial.append(op.apply(ws))
                    except CalmsError as exc:
                        code = Refusal.FINISHED if "finished" in str(exc) else Refusal.INVALID
                        refusal = BallotOutcome.refused(code, str(exc))
                    else:
                        ops.append(op)
                outcomes.append(refusal)
        finally:
            for inverse in reversed(trial):
                inverse.apply(ws)
        if not ops:
            return [o if o is not None else BallotOutcome(True) for o in outcomes], None
        batch = ops[0] if len(ops) == 1 else Batch(tuple(ops), _("votes"))
        durable: Future[None] | None = None
        try:
            if deferred:
                undo, durable = self.session.apply_deferred(batch)
                self._announce(batch, from_phones=True)
            else:
                undo = self.execute(batch)
        except (CalmsError, KeyError, ValueError, OSError) as exc:
            failed = BallotOutcome.refused(
                Refusal.NOT_SAVED, _("not saved: {reason}").format(reason=_why(exc)))
            return [failed if o is None else o for o in outcomes], None
        return ([BallotOutcome(True, op=batch, undo=undo) if o is None else o
                 for o in outcomes], durable)

    # -- where the room is -----------------------------------------------------------------
    @property
    def step(self) -> str:
        return self._step

    @property
    def statement_id(self) -> str:
        return self._statement

    @property
    def timer(self) -> StepTimer:
        return self._timers.setdefault(self._step, StepTimer(self._step,
                                                             self._budget_ms(self._step)))

    def now(self) -> int:
        return self._clock()

    def go_to(self, step: str) -> None:
        """Move the room to ``step``; a pillar not started opens for voting.

        Raises:
            ValueError: not a step.
            RoomError: where the room is could not be saved (the room stays).
        """
        if step not in STEPS:
            raise ValueError(step)
        if step == self._step:
            return
        # A pillar not started opens for voting first: if that cannot be saved,
        # the room does not move (step, screen and navigator stay together).
        opened: Operation | None = None  # undoes opening voting, if the move fails
        if step in {p.value for p in PILLARS}:
            pillar = Pillar(step)
            if self.workshop.pillar_states.get(pillar) == PillarState.NOT_STARTED:
                from ..core.operations import SetPillarState

                try:
                    opened = self.execute(SetPillarState(pillar, PillarState.VOTING))
                except (CalmsError, OSError) as exc:
                    raise RoomError(_("could not open voting: {reason}").format(
                        reason=_why(exc))) from exc
        now = self._clock()
        old_step, old_statement = self._step, self._statement
        was_running = self.timer.running
        self.timer.pause(now)
        self._step, self._statement = step, ""
        try:
            self.save_resume()
        except RoomError:
            self._step, self._statement = old_step, old_statement
            if was_running:
                self.timer.start(now)
            if opened is not None:
                with contextlib.suppress(CalmsError, OSError):
                    self.execute(opened)
            raise
        changes: list[Change] = [StepChanged(step), TimerChanged(step)]
        if self._metric_on_show:  # a metric is estimated in Measurement only
            self._metric_on_show = ""
            changes.append(MetricOnShowChanged(""))
        self.changes.publish(changes)

    def step_after(self, delta: int) -> str | None:
        """The step ``delta`` steps from the room's (None past either end)."""
        i = STEPS.index(self._step) + delta
        return STEPS[i] if 0 <= i < len(STEPS) else None

    def set_statement(self, statement_id: str) -> None:
        if statement_id == self._statement:
            return
        self._statement = statement_id
        try:
            self.save_resume()
        except RoomError:
            pass  # the statement is a cursor; the step and votes are what resume needs
        self.changes.publish([StatementChanged(statement_id)])

    @property
    def metric_on_show(self) -> str:
        """The delivery metric the room is estimating ("" when none): the projector shows
        its question and buckets instead of the current statement."""
        return self._metric_on_show

    def set_metric_on_show(self, metric_id: str) -> None:
        """Show ``metric_id`` ("" for none) while the room estimates it (Measurement only;
        elsewhere it is ignored). A cursor, like the statement: not saved for resume."""
        if metric_id and self._step != Pillar.MEASUREMENT.value:
            metric_id = ""
        if metric_id == self._metric_on_show:
            return
        self._metric_on_show = metric_id
        self.changes.publish([MetricOnShowChanged(metric_id)])

    # -- vote entry: grid or show-of-hands tally, per pillar ---------------------------------
    def entry_mode(self, pillar: Pillar) -> str:
        """How votes are entered on ``pillar``: ``grid`` (per person) or ``tally``.

        A pillar not set yet takes the mode its recorded answers show (tallies
        only → tally), else the grid: a mode never carries over from another
        pillar.
        """
        if pillar in self._entry:
            return self._entry[pillar]
        ws = self.workshop
        ids = [s.id for s in ws.questionnaire.section(pillar).statements]
        tallied = any(sid in ws.tallies for sid in ids)
        voted = any(ws.voters_for(sid) for sid in ids)
        return TALLY if tallied and not voted else GRID

    def set_entry_mode(self, pillar: Pillar, mode: str) -> None:
        if mode not in ENTRY_MODES:
            raise ValueError(mode)
        if self.entry_mode(pillar) == mode and pillar in self._entry:
            return
        self._entry[pillar] = mode
        try:
            self.save_resume()
        except RoomError:
            pass
        self.changes.publish([EntryModeChanged(pillar, mode)])

    # -- phones ----------------------------------------------------------------------------
    @property
    def phones_open(self) -> bool:
        return self._phones_open

    def set_phones_open(self, value: bool, place: dict[str, object] | None = None) -> None:
        """Phone voting opened or closed.

        Args:
            value: open.
            place: where phones join while it is open (``host``, ``port``,
                ``pin``): remembered in the resume file, so a killed app
                reopens phone voting there and phones reconnect by themselves.
        """
        place = dict(place or {}) if value else {}
        changed = value != self._phones_open
        if not changed and place == self._phones_place:
            return
        self._phones_open = value
        self._phones_place = place
        self._phones_resumed = {}
        try:
            self.save_resume()
        except RoomError:
            pass  # phone voting works; only a resume would not reopen it
        if changed:
            self.changes.publish([PhoneVotingChanged(value)])

    @property
    def phones_resumed(self) -> dict[str, object]:
        """Phone voting as the restored resume file had it open (``host``, ``port``,
        ``pin``), or empty: checked, so ``port`` is an int and ``pin`` digits."""
        return dict(self._phones_resumed)

    # -- the projector's placement (remembered for resume) ------------------------------------
    @property
    def projector(self) -> dict[str, object]:
        return dict(self._projector)

    def set_projector(self, placement: dict[str, object]) -> None:
        if placement != self._projector:
            self._projector = dict(placement)
            try:
                self.save_resume()
            except RoomError:
                pass
            self.changes.publish([ProjectorChanged(dict(placement))])

    # -- timers ------------------------------------------------------------------------------
    def _budget_ms(self, step: str) -> int:
        return int(self.workshop.timebox_minutes.get(step, 0)) * 60_000

    def toggle_timer(self) -> None:
        self.timer.toggle(self._clock())
        self._timer_changed()

    def reset_timer(self) -> None:
        self.timer.reset()
        self.timer.budget_ms = self._budget_ms(self._step)
        self._timer_changed()

    def _timer_changed(self) -> None:
        try:
            self.save_resume()
        except RoomError:
            pass
        self.changes.publish([TimerChanged(self._step)])

    # -- resume ------------------------------------------------------------------------------
    def resume_state(self) -> ResumeState:
        now = self._clock()
        return ResumeState(
            workshop_id=self.workshop.id,
            step=self._step,
            statement_id=self._statement,
            timers={k: t.to_dict(now) for k, t in self._timers.items()},
            entry_modes={p.value: m for p, m in self._entry.items()},
            projector=dict(self._projector),
            phones={"open": True, **self._phones_place} if self._phones_open else {},
        )

    def save_resume(self) -> None:
        """Write where the room is.

        Raises:
            RoomError: the resume file could not be written.
        """
        if self._resume is None:
            return
        try:
            self._resume.save(self.resume_state())
        except OSError as exc:
            raise RoomError(_("could not save where the room is: {reason}").format(
                reason=_why(exc))) from exc

    def restore(self, state: ResumeState) -> None:
        """Put the room back where a resume file says it was."""
        now = self._clock()
        self._timers = {}
        for key, d in state.timers.items():
            if key not in STEPS:
                continue
            try:
                self._timers[key] = StepTimer.from_dict(d, now)
            except (ValueError, TypeError, KeyError, OverflowError, AttributeError):
                continue  # a damaged timer starts again; the votes are in the workshop file
        step = state.step if state.step in STEPS else INTRO_STEP
        self._step = step
        for key, t in self._timers.items():
            if key != step:
                t.pause(now)
        self._statement = state.statement_id
        self._entry = {}
        for key, mode in state.entry_modes.items():
            if key in {p.value for p in PILLARS} and mode in ENTRY_MODES:
                self._entry[Pillar(key)] = mode
        self._projector = dict(state.projector)
        self._phones_resumed = _phones_place(state.phones)
        self.changes.publish([StepChanged(step), StatementChanged(self._statement),
                              TimerChanged(step)])

    def flush(self, timeout: float | None = 30) -> bool:
        """Wait for the writes of phone bursts still on their way to disk."""
        return self.session.flush(timeout)

    def close(self) -> None:
        """The workshop is closed normally: pending writes finish, nothing to resume."""
        self.session.close()
        if self.session.write_failed:
            self.revert_unsaved()
        if self._resume is not None:
            try:
                self._resume.clear()
            except OSError:
                pass


def _why(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if isinstance(exc, KeyError):
        return _("not found: {what}").format(what=exc.args[0] if exc.args else "")
    return str(exc)


def _phones_place(d: dict[str, object]) -> dict[str, object]:
    """Phone voting from a resume file, if it was open and reads well; else empty."""
    host, port, pin = d.get("host"), d.get("port"), d.get("pin")
    if (d.get("open") is not True or not isinstance(host, str) or not host
            or isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536
            or not isinstance(pin, str) or not (pin.isascii() and pin.isdigit())):
        return {}
    return {"host": host, "port": port, "pin": pin}
