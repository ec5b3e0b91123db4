"""A room for tests and benchmarks: the gateway over a real core session.

:class:`FakeRoom` implements :class:`~calms_desktop.net.gateway.RoomGateway`
the way the GUI side does, minus the GUI: every call runs on one worker
thread (standing in for the GUI thread, where the real gateway queues its
calls), ballots of a burst are applied as **one**
:class:`~calms_desktop.core.operations.Batch` through
:class:`~calms_desktop.core.session.WorkshopSession` — one durable write to
the :class:`~calms_desktop.core.storage.Library` — and a fresh
:class:`~calms_desktop.net.gateway.RoomView` is published after every change.

The room's rules here are the ones phones must meet in the real app: a
ballot counts only from a bound device, on the current pillar while it is
voting and phone voting is open; after the reveal answers are closed. The
results in the view follow the projector's privacy rule
(:func:`calms_desktop.core.privacy.can_show`).

The facilitator's side (open a pillar, reveal, approve a device …) is a
method each; they block until done, which keeps tests simple.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import aiohttp

from ..core.ballots import Ballot, to_operation
from ..core.errors import OperationError
from ..core.model import (
    SUMMARY_STEP,
    Participant,
    Pillar,
    PillarState,
    Workshop,
    new_id,
)
from ..core.operations import Batch, Operation, PutParticipant, SetPillarState
from ..core.scoring import WorkshopScore, score_workshop
from ..core.session import WorkshopSession
from ..core.storage import atomic_write
from .gateway import (
    ACCEPTED,
    BallotOutcome,
    JoinOutcome,
    JoinRequest,
    JoinStatus,
    ParticipantChoice,
    ParticipantPrivate,
    PhoneBallot,
    PillarView,
    RoomView,
    Step,
)

T = TypeVar("T")
PUBLISH_EVERY = 0.1  # seconds: the most a stream of ballots delays the next view
PdfMaker = Callable[[Workshop], bytes]


class FakeRoom:
    """The room's side of the phone server, over a real session.

    Args:
        session: the workshop's session (with a library: real durable writes).
        pdf: makes the attendee summary PDF of a workshop (tests pass
            :func:`calms_desktop.reports.attendee.build_attendee_pdf`);
            ``None``: no PDF is offered.
        bindings: a JSON file that keeps the device ↔ participant bindings
            across a crash (written atomically before a join is answered),
            so phones resume with their tokens after a restart; ``None``
            keeps them in memory only.

    Attributes:
        writes: how many times the workshop was saved (one per burst).
        published: how many views were published.
    """

    def __init__(self, session: WorkshopSession, *, pdf: PdfMaker | None = None,
                 bindings: Path | None = None) -> None:
        self.session = session
        self._pdf = pdf
        self._bindings = bindings
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="fake-gui")
        self._publish: Callable[[RoomView], None] | None = None
        self.step = "intro"
        self.voting_open = False
        self.devices: dict[str, str] = {}  # device token -> participant id
        if bindings is not None and bindings.exists():
            self.devices = dict(json.loads(bindings.read_text(encoding="utf-8")))
        self.pending: dict[str, JoinRequest] = {}
        self.writes = 0
        self.published = 0
        self._last_publish = 0.0
        self._publish_timer: threading.Timer | None = None

    @property
    def workshop(self) -> Workshop:
        return self.session.workshop

    def close(self) -> None:
        timer = self._publish_timer
        if timer is not None:
            timer.cancel()
        self._worker.shutdown(wait=True)

    # -- the gateway (any thread) ---------------------------------------------
    def submit(self, ballots: Sequence[PhoneBallot]) -> Future[list[BallotOutcome]]:
        return self._worker.submit(self._apply, list(ballots))

    def join(self, request: JoinRequest) -> Future[JoinOutcome]:
        return self._worker.submit(self._join, request)

    def attendee_pdf(self) -> Future[bytes | None]:
        return self._worker.submit(self._make_pdf)

    # -- the facilitator (blocking; any thread but the worker) ----------------
    def connect(self, publish: Callable[[RoomView], None]) -> None:
        """Publish every new view through ``publish`` (``PhoneServer.publish``)."""
        self._call(lambda: self._connect(publish))

    def open_pillar(self, pillar: Pillar) -> None:
        """Go to ``pillar``, open its voting and phone voting."""
        def go() -> None:
            self.step, self.voting_open = pillar.value, True
            self._execute(SetPillarState(pillar, PillarState.VOTING))
        self._call(go)

    def set_phone_voting(self, is_open: bool) -> None:
        def go() -> None:
            self.voting_open = is_open
            self._publish_view()
        self._call(go)

    def reveal(self, pillar: Pillar) -> None:
        self._call(lambda: self._execute(SetPillarState(pillar, PillarState.REVEALED)))

    def finish(self, pillar: Pillar) -> None:
        self._call(lambda: self._execute(SetPillarState(pillar, PillarState.DONE)))

    def go_to_summary(self) -> None:
        def go() -> None:
            self.step, self.voting_open = SUMMARY_STEP, False
            self._publish_view()
        self._call(go)

    def approve(self, token: str) -> str:
        """Grant a pending join; returns the participant id bound."""
        return self._call(lambda: self._approve(token))

    def decline(self, token: str) -> None:
        def go() -> None:
            self.pending.pop(token)
            self._publish_view()
        self._call(go)

    def remove_device(self, token: str) -> None:
        def go() -> None:
            self.devices.pop(token)
            self._save_bindings()
            self._publish_view()
        self._call(go)

    def publish_now(self) -> None:
        self._call(self._publish_view)

    # -- on the worker ("GUI") thread -------------------------------------------
    def _call(self, fn: Callable[[], T]) -> T:
        return self._worker.submit(fn).result(timeout=30)

    def _connect(self, publish: Callable[[RoomView], None]) -> None:
        self._publish = publish
        self._publish_view()

    def _execute(self, op: Operation, publish: bool = True) -> None:
        self.session.execute(op)
        self.writes += 1
        if publish:
            self._publish_view()

    def _bind(self, token: str, participant_id: str) -> None:
        self.devices[token] = participant_id
        self._save_bindings()

    def _save_bindings(self) -> None:
        if self._bindings is not None:
            atomic_write(self._bindings, json.dumps(self.devices).encode("utf-8"))

    def _current_pillar(self) -> Pillar | None:
        try:
            return Pillar(self.step)
        except ValueError:
            return None

    def _refusal(self, ballot: PhoneBallot, pillars: dict[str, Pillar]) -> BallotOutcome | None:
        ws = self.workshop
        if self.devices.get(ballot.device_token) != ballot.participant_id:
            return BallotOutcome.refused("unknown_participant")
        pillar = pillars.get(ballot.statement_id)
        if pillar is None:
            return BallotOutcome.refused("unknown_statement")
        state = ws.pillar_states.get(pillar, PillarState.NOT_STARTED)
        if state in (PillarState.REVEALED, PillarState.DONE):
            return BallotOutcome.refused("revealed")
        if pillar != self._current_pillar():
            return BallotOutcome.refused("not_current")
        if not self.voting_open or state != PillarState.VOTING:
            return BallotOutcome.refused("voting_closed")
        return None

    def _apply(self, ballots: list[PhoneBallot]) -> list[BallotOutcome]:
        outcomes: list[BallotOutcome | None] = []
        ops: list[Operation] = []
        pillars = {s.id: s.pillar for s in self.workshop.questionnaire.statements}
        for ballot in ballots:
            refusal = self._refusal(ballot, pillars)
            if refusal is None:
                try:
                    ops.append(to_operation(self.workshop, Ballot(
                        ballot.statement_id, ballot.participant_id, ballot.score, "phone")))
                except OperationError as exc:
                    refusal = BallotOutcome.refused("invalid_score", str(exc))
            outcomes.append(refusal)
        if ops:
            try:
                self._execute(Batch(tuple(ops), "phone votes"), publish=False)
            except Exception as exc:  # every ballot learns it was not saved
                failed = BallotOutcome.refused("save_failed", f"not saved: {exc}")
                return [o or failed for o in outcomes]
            # Acknowledge first (the future resolves when this returns), then
            # show the room the new count, queued behind on this thread.
            self._worker.submit(self._publish_after_votes)
        return [o or ACCEPTED for o in outcomes]

    def _join(self, request: JoinRequest) -> JoinOutcome:
        ws = self.workshop
        token = request.device_token
        if token in self.devices:
            return JoinOutcome(JoinStatus.JOINED, self.devices[token])
        if ws.is_anonymous:
            if request.participant_id or request.newcomer_name:
                return JoinOutcome(JoinStatus.REFUSED, code="wrong_mode",
                                   reason="anonymous workshops take no names")
            number = sum(1 for p in ws.participants if p.name.startswith("Phone ")) + 1
            participant = Participant(new_id(), f"Phone {number}")
            self._execute(PutParticipant(participant), publish=False)
            self._bind(token, participant.id)
            self._publish_view()
            return JoinOutcome(JoinStatus.JOINED, participant.id)
        if request.newcomer_name:
            self.pending[token] = request
            self._publish_view()
            return JoinOutcome(JoinStatus.PENDING)
        pid = request.participant_id or ""
        if not any(p.id == pid for p in ws.participants):
            return JoinOutcome(JoinStatus.REFUSED, code="unknown_participant",
                               reason="that name is not on the list")
        if pid in self.devices.values():
            self.pending[token] = request  # the name is taken: the facilitator decides
            self._publish_view()
            return JoinOutcome(JoinStatus.PENDING)
        self._bind(token, pid)
        self._publish_view()
        return JoinOutcome(JoinStatus.JOINED, pid)

    def _approve(self, token: str) -> str:
        request = self.pending.pop(token)
        if request.newcomer_name:
            participant = Participant(new_id(), request.newcomer_name)
            self._execute(PutParticipant(participant), publish=False)
            self._bind(token, participant.id)
            self._publish_view()
            return participant.id
        pid = request.participant_id or ""
        for other, bound in list(self.devices.items()):
            if bound == pid:  # the name moves to this device
                del self.devices[other]
        self._bind(token, pid)
        self._publish_view()
        return pid

    def _make_pdf(self) -> bytes | None:
        if self._pdf is None or self.step != SUMMARY_STEP:
            return None
        return self._pdf(self.workshop)

    def _publish_after_votes(self) -> None:
        """Publish the new count at most every :data:`PUBLISH_EVERY` seconds.

        Under a stream of bursts the writes come first and the view (scores
        and answers of everyone) follows at most 100 ms later, as a display
        that redraws so often would; the last burst is always published.
        """
        if self._publish_timer is not None:
            return  # one is coming
        wait = self._last_publish + PUBLISH_EVERY - time.monotonic()
        if wait <= 0:
            self._publish_view()
            return

        def later() -> None:
            with contextlib.suppress(RuntimeError):  # the room was closed meanwhile
                self._worker.submit(self._timed_publish)

        self._publish_timer = threading.Timer(wait, later)
        self._publish_timer.daemon = True
        self._publish_timer.start()

    def _timed_publish(self) -> None:
        self._publish_timer = None
        self._publish_view()

    def _publish_view(self) -> None:
        if self._publish is not None:
            self._last_publish = time.monotonic()
            self._publish(self.view())
            self.published += 1

    # -- the view ----------------------------------------------------------------
    def view(self) -> RoomView:
        """What phones may see now (call on the worker thread)."""
        ws = self.workshop
        # Scores only once something is revealed: before, phones see none,
        # and scoring 200 people's answers on every new count is not free.
        revealed = any(state in (PillarState.REVEALED, PillarState.DONE)
                       for state in ws.pillar_states.values())
        score = score_workshop(ws) if revealed else None
        current = self._current_pillar()
        if current is not None:
            step = Step.PILLAR
            statements = ws.questionnaire.section(current).statements
            everyone = [p.id for p in ws.participants]
            voted = sum(1 for pid in everyone
                        if all((s.id, pid) in ws.votes for s in statements))
        else:
            step = Step.SUMMARY if self.step == SUMMARY_STEP else Step.INTRO
            voted = 0
        taken = set(self.devices.values())
        mine: dict[str, dict[str, int]] = {pid: {} for pid in taken}
        for (sid, pid), vote in ws.votes.items():
            if pid in mine:
                mine[pid][sid] = vote.score
        return RoomView(
            title=ws.title,
            anonymous=ws.is_anonymous,
            step=step,
            current=current.value if current else "",
            pillars=tuple(_pillar_view(ws, score, sec.pillar)
                          for sec in ws.questionnaire.sections),
            voting_open=self.voting_open and current is not None,
            voted=voted,
            expected=len(ws.participants),
            participants=() if ws.is_anonymous else tuple(
                ParticipantChoice(p.id, p.name, p.id in taken) for p in ws.participants),
            pdf_available=self._pdf is not None and self.step == SUMMARY_STEP,
            private={pid: ParticipantPrivate(answers) for pid, answers in mine.items()},
            devices=dict(self.devices),
            pending=frozenset(self.pending),
        )


def _pillar_view(ws: Workshop, score: WorkshopScore | None, pillar: Pillar) -> PillarView:
    """One pillar for phones, exactly as the app builds it (:mod:`.room_view`)."""
    from .room_view import pillar_view

    return pillar_view(ws, score, pillar)


class PhoneClient:
    """A scripted phone over a real WebSocket (tests and the bench).

    Args:
        session: an ``aiohttp.ClientSession``.
        url: the server's URL (``PhoneServer.url``).
        origin: the Origin header to send (the server's own by default).

    Messages the phone receives are kept in :attr:`inbox` in order;
    :meth:`expect` takes the oldest of a type not taken yet.
    """

    def __init__(self, session: Any, url: str, origin: str | None = None) -> None:
        self.session = session
        self.url = url.rstrip("/")
        self.origin = origin if origin is not None else self.url
        self.ws: Any = None
        self.inbox: list[dict[str, Any]] = []
        self.token = ""
        self.close_code: int | None = None  # from the server's close frame
        self._taken: set[int] = set()

    async def connect(self) -> None:
        self.close_code = None
        self.ws = await self.session.ws_connect(
            self.url.replace("http://", "ws://") + "/ws", origin=self.origin)

    async def send(self, message: dict[str, Any]) -> None:
        await self.ws.send_str(json.dumps(message))

    async def receive(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The next message, or None once the socket is closed."""
        msg = await self.ws.receive(timeout=timeout)
        if msg.type == aiohttp.WSMsgType.CLOSE:
            # The code in the server's close frame: aiohttp's own close_code
            # can turn into 1006 when the server drops the connection right
            # after that frame, which a browser still reports as this code.
            self.close_code = int(msg.data)
        if msg.type != aiohttp.WSMsgType.TEXT:
            return None
        data: dict[str, Any] = json.loads(msg.data)
        self.inbox.append(data)
        return data

    async def expect(self, kind: str, timeout: float = 5.0) -> dict[str, Any]:
        """The oldest message of type ``kind`` not taken yet, waiting for one if need be."""
        for i, data in enumerate(self.inbox):
            if i not in self._taken and data["type"] == kind:
                self._taken.add(i)
                return data
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            left = deadline - asyncio.get_running_loop().time()
            received = await self.receive(max(0.01, left))
            if received is None:
                raise ConnectionError(f"closed ({self.ws.close_code}) waiting for {kind}")
            if received["type"] == kind:
                self._taken.add(len(self.inbox) - 1)
                return received

    async def closed(self, timeout: float = 5.0) -> int | None:
        """Read (and keep) messages until the server closes; its close code."""
        while await self.receive(timeout) is not None:
            pass
        code: int | None = self.close_code or self.ws.close_code
        return code

    async def join(self, pin: str) -> dict[str, Any]:
        await self.connect()
        await self.send({"type": "join", "pin": pin})
        welcome = await self.expect("welcome")
        self.token = welcome["token"]
        return welcome

    async def resume(self) -> dict[str, Any]:
        await self.connect()
        await self.send({"type": "resume", "token": self.token})
        return await self.expect("welcome")

    async def vote(self, message_id: str, statement_id: str, score: int | None) -> None:
        await self.send({"type": "vote", "id": message_id, "statement_id": statement_id,
                         "score": score})

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
