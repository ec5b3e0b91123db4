"""The phone server: aiohttp HTTP + WebSocket on its own thread and event loop.

:class:`PhoneServer` serves the phone page and one WebSocket per phone on
the one address it is given, only between :meth:`~PhoneServer.start` and
:meth:`~PhoneServer.stop`. It never touches a workshop: ballots go to the
:class:`~calms_desktop.net.gateway.RoomGateway` (several phones' ballots
that arrive together in one ``submit`` call, so one disk write), and what
phones see comes from the latest :class:`~calms_desktop.net.gateway.RoomView`
the GUI side hands to :meth:`~PhoneServer.publish`. A phone gets each
ballot's outcome only once the gateway says it is durable.

Security (see ``docs/phone-protocol.md``): a join PIN (rotatable), a
server-issued unguessable token per device, a Host allow-list (against DNS
rebinding), an Origin check on the WebSocket handshake, no state-changing
HTTP endpoint at all (so no form can be forged), message size and rate
limits, a connection cap, schema-checked messages answered with error codes,
and each device receives only the public part of the view plus its own
participant's answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import secrets
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from aiohttp import WSMsgType, web

from ..core.i18n import ENGLISH, Translator, _, ngettext, set_active
from . import protocol as p
from .gateway import (
    BallotOutcome,
    JoinOutcome,
    JoinRequest,
    JoinStatus,
    PhoneBallot,
    RoomGateway,
    RoomView,
)
from .guard import ConnectionGuard, guarded, raise_open_file_limit
from .phone_strings import localise_page, strings_script

log = logging.getLogger(__name__)

#: Files of the phone page (``calms_desktop/net/static``) and their types.
STATIC_FILES = {
    "index.html": "text/html; charset=utf-8",
    "app.js": "text/javascript; charset=utf-8",
    "style.css": "text/css; charset=utf-8",
}
MAX_BATCH = 5000  # ballots in one gateway.submit
STOP_SECONDS = 5.0

_Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


#: seconds to tell each phone phone voting is paused before its socket closes
PAUSE_NOTICE_S = 1.0

def new_pin() -> str:
    """A fresh join PIN: :data:`~calms_desktop.net.protocol.PIN_LENGTH` random digits."""
    return "".join(secrets.choice("0123456789") for _ in range(p.PIN_LENGTH))


def _host_with_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class _Device:
    """A phone the server gave a token to."""

    token: str
    participant_id: str = ""
    status: str = "unbound"  # unbound | pending | joined
    socket: web.WebSocketResponse | None = None
    # message id -> outcome (or None while it is being saved)
    seen: OrderedDict[str, BallotOutcome | None] = field(default_factory=OrderedDict)
    sent_private: str = ""
    # The answers this phone already knows it has (from its accepted acks):
    # a private message that would tell it nothing new is not sent.
    #: the answers the page shows, as far as the server knows (None: not known — a page
    #: that just (re)connected or changed person may show another person's answers)
    known: dict[str, int] | None = None
    created: float = field(default_factory=time.monotonic)
    address: str = ""  # where it last connected from (the room's rules for new devices)


@dataclass
class _Bucket:
    """A token bucket: ``burst`` messages at once, ``rate`` a second after that."""

    rate: float
    burst: float
    level: float = 0.0
    stamp: float = field(default_factory=time.monotonic)
    refusals: int = 0

    def __post_init__(self) -> None:
        self.level = self.burst

    def take(self) -> bool:
        now = time.monotonic()
        self.level = min(self.burst, self.level + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.level >= 1:
            self.level -= 1
            return True
        self.refusals += 1
        return False


@dataclass
class _Failures:
    count: int = 0
    since: float = field(default_factory=time.monotonic)
    locked_until: float = 0.0


@dataclass
class _Queued:
    device: _Device
    message_id: str
    ballot: PhoneBallot
    received: float = field(default_factory=time.perf_counter)


class PhoneServer:
    """HTTP + WebSocket server for the phones of one room.

    Args:
        gateway: the room (see :class:`~calms_desktop.net.gateway.RoomGateway`).
        host: the one address to listen on (an interface's IP address, e.g.
            from :func:`calms_desktop.net.addresses.preferred`); never a
            wildcard such as ``0.0.0.0``.
        port: the port, or 0 to pick a free one (see :attr:`port`).
        pin: the join PIN; a random one when omitted (see :meth:`rotate_pin`).
        limits: message, rate and connection limits.
        allowed_hosts: further host names phones may use in the URL (e.g. a
            name the hotspot hands out); the address itself is always allowed.

    All public methods may be called from any thread.
    """

    def __init__(
        self,
        gateway: RoomGateway,
        host: str,
        port: int = 0,
        *,
        pin: str | None = None,
        limits: p.Limits | None = None,
        allowed_hosts: Iterable[str] = (),
        translator: Translator = ENGLISH,
    ) -> None:
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            raise ValueError(f"listen on an interface's IP address, not {host!r}") from None
        if address.is_unspecified:
            raise ValueError(f"{host} listens on every interface; choose one address")
        self.gateway = gateway
        #: the room's language: the page's words and the server's own messages
        self.translator = translator
        self.host = str(address)
        self._port = port
        self.limits = limits or p.Limits()
        self._extra_hosts = tuple(h.lower() for h in allowed_hosts)
        self._pin = pin if pin is not None else new_pin()
        if len(self._pin) != p.PIN_LENGTH or not self._pin.isdigit():
            raise ValueError(f"a PIN is {p.PIN_LENGTH} digits")
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.Server | None = None
        self.guard: ConnectionGuard | None = None  # open TCP connections (while running)
        self._start_error: BaseException | None = None
        self._next_view: RoomView | None = None
        self._flush_scheduled = False
        # Owned by the server's loop from here on.
        self._view: RoomView | None = None
        self._sent: dict[str, str] = {}  # "view" / "progress" / "participants" -> JSON sent
        self._devices: dict[str, _Device] = {}
        self._sockets: set[web.WebSocketResponse] = set()
        self._per_address: dict[str, int] = {}
        self._failures: dict[str, _Failures] = {}
        self._downloads: dict[str, tuple[bytes, float]] = {}
        self._queue: asyncio.Queue[_Queued] | None = None
        self._batcher: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._static: dict[str, bytes] = {}
        self._allowed: frozenset[str] = frozenset()
        self._origins: frozenset[str] = frozenset()
        #: The latest bursts handed to the gateway: their sizes, and for each
        #: ballot the time from its arrival to its ack being sent (ms).
        self.bursts: deque[int] = deque(maxlen=100_000)
        self.ack_ms: deque[float] = deque(maxlen=100_000)

    # -- life cycle (any thread) ---------------------------------------------
    @property
    def port(self) -> int:
        """The port listened on (the chosen one once started with port 0)."""
        return self._port

    @property
    def url(self) -> str:
        """The URL phones open, e.g. ``http://192.168.1.20:8765/``."""
        return f"http://{_host_with_port(self.host, self._port)}/"

    @property
    def pin(self) -> str:
        return self._pin

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def rotate_pin(self) -> str:
        """Draw a new join PIN and return it. Devices that joined keep their token."""
        self._pin = new_pin()
        return self._pin

    def start(self, timeout: float = 10.0) -> None:
        """Listen (on its own thread); returns once listening.

        Raises:
            OSError: the address cannot be listened on (in use, not ours).
            RuntimeError: already started.
        """
        if self._thread is not None:
            raise RuntimeError("the phone server is already running")
        ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ready,), name="phone-server", daemon=True
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise RuntimeError("the phone server did not start in time")
        if self._start_error is not None:
            self._thread.join(timeout)
            self._thread = None
            raise self._start_error

    def stop(self, *, notice: bool = True) -> None:
        """Close every phone's connection and stop listening; returns promptly.

        Args:
            notice: first tell each phone that voting is paused (``paused``);
                False closes them as a lost network would (tests of reconnection).
        """
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        with contextlib.suppress(Exception):
            asyncio.run_coroutine_threadsafe(self._shutdown(notice), loop).result(STOP_SECONDS)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(STOP_SECONDS)
        self._thread = None

    def publish(self, view: RoomView) -> None:
        """Hand the server what phones may see now (thread-safe, never blocks).

        Views published in quick succession are coalesced: phones get the
        latest. Each device receives the public part when it changed and its
        own participant's answers when they changed.
        """
        with self._lock:
            self._next_view = view
            if self._flush_scheduled or self._loop is None:
                return
            self._flush_scheduled = True
            loop = self._loop
        with contextlib.suppress(RuntimeError):  # the loop has just closed
            loop.call_soon_threadsafe(self._start_flush)

    def connected(self) -> int:
        """How many sockets are open now (joined or not)."""
        return len(self._sockets)

    def online(self) -> frozenset[str]:
        """Tokens of the devices connected now (for the console's device list)."""
        return frozenset(t for t, d in list(self._devices.items()) if d.socket is not None)

    # -- the loop --------------------------------------------------------------
    def _run(self, ready: threading.Event) -> None:
        set_active(self.translator)  # this thread's own context: the room's language
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._startup())
        except BaseException as exc:  # reported to start()
            self._start_error = exc
            ready.set()
            loop.close()
            return
        with self._lock:
            self._loop = loop
            pending = self._next_view is not None
            self._flush_scheduled = pending
        if pending:
            loop.call_soon(self._start_flush)
        ready.set()
        try:
            loop.run_forever()
        finally:
            with self._lock:
                self._loop = None
                self._flush_scheduled = False
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        package = resources.files("calms_desktop.net") / "static"
        self._static = {name: (package / name).read_bytes() for name in STATIC_FILES}
        # The page carries its words in the room's language (net/phone_strings.py).
        lang = self.translator.language.encode()
        self._static["index.html"] = (
            localise_page(self._static["index.html"], self.translator)
            .replace(b'<html lang="en">', b'<html lang="' + lang + b'">')
            .replace(b"<!-- strings -->", strings_script(self.translator)))
        app = web.Application(
            middlewares=[self._guard], client_max_size=self.limits.max_message_bytes
        )
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static_file)
        app.router.add_get("/ws", self._websocket)
        app.router.add_get("/download/{ticket}/{filename}", self._download)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0,
                               keepalive_timeout=self.limits.keepalive_seconds)
        await runner.setup()
        loop = asyncio.get_running_loop()
        self.guard = ConnectionGuard(self.limits, raise_open_file_limit())
        assert runner.server is not None  # set up above
        try:
            # Not a TCPSite: every connection passes the guard before aiohttp sees it.
            self._listener = await loop.create_server(
                guarded(runner.server, self.guard, loop), self.host, self._port,
                reuse_address=True, backlog=128)
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = int(self._listener.sockets[0].getsockname()[1])
        hosts = {_host_with_port(self.host, self._port)}
        hosts |= {_host_with_port(h, self._port) for h in self._extra_hosts}
        if self._port == 80:
            hosts |= {self.host if ":" not in self.host else f"[{self.host}]"}
            hosts |= set(self._extra_hosts)
        self._allowed = frozenset(h.lower() for h in hosts)
        self._origins = frozenset(f"http://{h}" for h in self._allowed)
        self._queue = asyncio.Queue()
        self._batcher = asyncio.get_running_loop().create_task(self._run_batches())

    async def _shutdown(self, notice: bool = True) -> None:
        if self._batcher is not None:
            self._batcher.cancel()
        if notice:
            # Said before the socket closes, so a phone shows "paused by the facilitator"
            # and takes no taps, rather than "reconnecting" with answers queued.
            paused = p.dumps({"type": "paused"})
            await asyncio.gather(*(asyncio.wait_for(self._send_text(ws, paused), PAUSE_NOTICE_S)
                                   for ws in list(self._sockets)), return_exceptions=True)
        closing = [ws.close(code=1001, message=b"server stopping") for ws in list(self._sockets)]
        await asyncio.gather(*closing, return_exceptions=True)
        for task in list(self._tasks):
            task.cancel()
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    def _spawn(self, coro: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- HTTP ------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: _Handler) -> web.StreamResponse:
        """Host allow-list, GET only, and headers that keep the page to itself."""
        host = (request.headers.get("Host") or "").lower()
        if host not in self._allowed:
            # DNS rebinding: a page of another site resolving its name to us.
            return web.Response(status=421, text=_("This server answers only to its own address."))
        if request.method not in ("GET", "HEAD"):
            # No state changes over plain HTTP at all: nothing for a forged form to do.
            return web.Response(status=405, text=_("Only GET here; phones talk over /ws."),
                                headers={"Allow": "GET, HEAD"})
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # 404 and friends: answered with our headers
            text = exc.text
            if exc.status == 404 and text == f"{exc.status}: {exc.reason}":
                # aiohttp's own English "404: Not Found" (a mistyped address): ours instead
                text = _("There is no such page here. Open the address shown on the "
                         "projector, with nothing after it.")
            response = web.Response(status=exc.status, text=text)
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' ws://{host}; base-uri 'none'; form-action 'none'; "
            "frame-ancestors 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Cache-Control"] = "no-store"
        return response

    async def _index(self, request: web.Request) -> web.Response:
        return web.Response(body=self._static["index.html"],
                            content_type="text/html", charset="utf-8")

    async def _static_file(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in STATIC_FILES or name == "index.html":
            raise web.HTTPNotFound()
        kind, _, charset = STATIC_FILES[name].partition("; charset=")
        return web.Response(body=self._static[name], content_type=kind, charset=charset)

    async def _download(self, request: web.Request) -> web.Response:
        now = time.monotonic()
        for ticket, (_pdf, expires) in list(self._downloads.items()):
            if expires < now:
                del self._downloads[ticket]
        entry = self._downloads.get(request.match_info["ticket"])
        if entry is None:
            raise web.HTTPNotFound(text=_("This download link has expired; ask again."))
        return web.Response(
            body=entry[0], content_type="application/pdf",
            headers={"Content-Disposition": 'attachment; filename="calms-summary.pdf"'},
        )

    # -- WebSocket -------------------------------------------------------------
    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Origin", "").lower() not in self._origins:
            # A page of another origin (or no browser at all) is not one of ours.
            return web.Response(status=403, text=_("Wrong Origin for this server."))
        address = request.remote or "?"
        cap = self.limits.max_per_address
        if len(self._sockets) >= self.limits.max_connections or (
            cap is not None and self._per_address.get(address, 0) >= cap
        ):
            return web.Response(status=503, text=_("Too many connections; try again shortly."))
        ws = web.WebSocketResponse(max_msg_size=self.limits.max_message_bytes,
                                   compress=False, heartbeat=20.0)
        await ws.prepare(request)
        self._sockets.add(ws)
        self._per_address[address] = self._per_address.get(address, 0) + 1
        bucket = _Bucket(self.limits.rate_per_second, self.limits.burst)
        device: _Device | None = None
        try:
            device = await self._handshake(ws, address, bucket)
            if device is not None:
                await self._serve(ws, device, bucket)
        finally:
            self._sockets.discard(ws)
            self._per_address[address] -= 1
            if not self._per_address[address]:
                del self._per_address[address]
            if device is not None and device.socket is ws:
                device.socket = None
            if not ws.closed:
                await ws.close()
        return ws

    async def _receive(self, ws: web.WebSocketResponse, timeout: float | None = None,
                       ) -> str | None:
        """The next text message, or None once the socket is closed or broken."""
        while True:
            try:
                msg = await ws.receive(timeout=timeout)
            except TimeoutError:
                return None
            if msg.type == WSMsgType.TEXT:
                return str(msg.data)
            if msg.type == WSMsgType.BINARY:
                await self._send(ws, p.Refusal("bad_json", _("send text frames")).to_json())
                continue
            return None  # CLOSE, CLOSING, CLOSED, ERROR (e.g. message too big)

    async def _send(self, ws: web.WebSocketResponse | None, message: dict[str, Any]) -> None:
        await self._send_text(ws, p.dumps(message))

    async def _send_text(self, ws: web.WebSocketResponse | None, text: str) -> None:
        if ws is None or ws.closed:
            return
        with contextlib.suppress(ConnectionError, RuntimeError):
            await ws.send_str(text)

    async def _over_rate(self, ws: web.WebSocketResponse, bucket: _Bucket,
                         message_id: str | None = None) -> bool:
        if bucket.take():
            return False
        if bucket.refusals > self.limits.max_rate_refusals:
            await ws.close(code=p.CLOSE_FLOODING, message=b"too many messages")
        else:
            await self._send(ws, p.Refusal("rate_limited", id=message_id).to_json())
        return True

    async def _handshake(self, ws: web.WebSocketResponse, address: str,
                         bucket: _Bucket) -> _Device | None:
        """Wait for join (PIN) or resume (token); the device, or None when refused."""
        deadline = time.monotonic() + self.limits.handshake_seconds
        while True:
            text = await self._receive(ws, max(0.01, deadline - time.monotonic()))
            if text is None:
                if not ws.closed:
                    await ws.close(code=p.CLOSE_UNAUTHORIZED, message=b"join in time")
                return None
            if await self._over_rate(ws, bucket):
                if ws.closed:
                    return None
                continue
            msg = p.parse_client(text)
            if isinstance(msg, p.Refusal):
                await self._send(ws, msg.to_json())
                continue
            if isinstance(msg, p.Join):
                device = await self._check_pin(ws, address, msg.pin)
                if device is None:
                    if ws.closed:
                        return None
                    continue
            elif isinstance(msg, p.Resume):
                device = self._resume(msg.token)
                if device is None:
                    await self._send(ws, p.Refusal("unknown_token").to_json())
                    await ws.close(code=p.CLOSE_UNAUTHORIZED, message=b"unknown token")
                    return None
            elif isinstance(msg, p.Ping):
                await self._send(ws, {"type": "pong"})
                continue
            else:
                await self._send(ws, p.Refusal("join_first").to_json())
                continue
            device.address = address
            await self._attach(ws, device)
            return device

    async def _check_pin(self, ws: web.WebSocketResponse, address: str,
                         pin: str) -> _Device | None:
        now = time.monotonic()
        failures = self._failures.setdefault(address, _Failures())
        if failures.locked_until > now:
            await self._send(ws, p.Refusal("locked_out").to_json())
            await ws.close(code=p.CLOSE_UNAUTHORIZED, message=b"locked out")
            return None
        if secrets.compare_digest(pin.encode(), self._pin.encode()):
            self._failures.pop(address, None)
            return self._new_device()
        if now - failures.since > self.limits.pin_lockout_seconds:
            failures.count, failures.since = 0, now
        failures.count += 1
        if failures.count >= self.limits.pin_attempts:
            failures.locked_until = now + self.limits.pin_lockout_seconds
            await self._send(ws, p.Refusal("locked_out").to_json())
            await ws.close(code=p.CLOSE_UNAUTHORIZED, message=b"locked out")
            return None
        left = self.limits.pin_attempts - failures.count
        await self._send(ws, p.Refusal("wrong_pin", ngettext(
            "{n} more try", "{n} more tries", left).format(n=left)).to_json())
        return None

    def _new_device(self) -> _Device:
        if len(self._devices) >= self.limits.max_devices:
            # Forget the oldest devices that never took part (and are gone).
            idle = sorted((d for d in self._devices.values()
                           if d.status == "unbound" and d.socket is None),
                          key=lambda d: d.created)
            for d in idle[: max(1, len(idle) // 2)]:
                del self._devices[d.token]
        token = secrets.token_urlsafe(32)
        device = _Device(token)
        self._devices[token] = device
        return device

    def _resume(self, token: str) -> _Device | None:
        device = self._devices.get(token)
        if device is not None:
            return device
        view = self._view
        if view is None:
            return None
        # A device the room knows from before this server started (a restart).
        if token in view.devices:
            device = _Device(token, view.devices[token], "joined")
        elif token in view.pending:
            device = _Device(token, status="pending")
        else:
            return None
        self._devices[token] = device
        return device

    async def _attach(self, ws: web.WebSocketResponse, device: _Device) -> None:
        old = device.socket
        device.socket = ws
        device.sent_private = ""
        device.known = None  # whatever the page shows, it is told the room's answers
        if old is not None and old is not ws and not old.closed:
            # said in a message too: a close code can be lost (the page then sees 1006,
            # reconnects and takes the token back — two tabs fighting)
            await self._send(old, {"type": "superseded"})
            await old.close(code=p.CLOSE_SUPERSEDED, message=b"connected elsewhere")
        view = self._view
        welcome: dict[str, Any] = {
            "type": "welcome",
            "token": device.token,
            "status": device.status,
            "participant_id": device.participant_id,
        }
        if view is not None:
            welcome["anonymous"] = view.anonymous
            welcome["participants"] = view.participants_json()
        await self._send(ws, welcome)
        if view is not None:
            await self._send(ws, {"type": "view", "view": view.public_json()})
            await self._send(ws, {"type": "progress", **view.progress_json()})
            await self._send_private(device)
        if device.status == "unbound" and view is not None and view.anonymous:
            self._spawn(self._join(device, JoinRequest(device.token, address=device.address)))

    async def _serve(self, ws: web.WebSocketResponse, device: _Device, bucket: _Bucket) -> None:
        while True:
            text = await self._receive(ws)
            if text is None:
                return
            msg = p.parse_client(text)
            if await self._over_rate(ws, bucket, getattr(msg, "id", None)):
                if ws.closed:
                    return
                continue
            if device.socket is not ws:
                return  # the device has connected again elsewhere
            if isinstance(msg, p.Refusal):
                await self._send(ws, msg.to_json())
            elif isinstance(msg, p.VoteMessage):
                await self._vote(ws, device, msg)
            elif isinstance(msg, p.Pick):
                if device.status == "joined":
                    await self._send(ws, p.Refusal("already_joined").to_json())
                else:
                    self._spawn(self._join(device, JoinRequest(
                        device.token, participant_id=msg.participant_id,
                        address=device.address)))
            elif isinstance(msg, p.Newcomer):
                if device.status == "joined":
                    await self._send(ws, p.Refusal("already_joined").to_json())
                else:
                    self._spawn(self._join(device, JoinRequest(
                        device.token, newcomer_name=msg.name, address=device.address)))
            elif isinstance(msg, p.PdfRequest):
                self._spawn(self._pdf(device))
            elif isinstance(msg, p.Ping):
                await self._send(ws, {"type": "pong"})
            else:  # join / resume again on a live connection
                await self._send(ws, p.Refusal("already_joined").to_json())

    # -- joining ---------------------------------------------------------------
    async def _join(self, device: _Device, request: JoinRequest) -> None:
        try:
            outcome: JoinOutcome = await asyncio.wrap_future(self.gateway.join(request))
        except Exception:
            log.exception("the room could not answer a join")
            await self._send(device.socket, p.Refusal("busy").to_json())
            return
        if device.token not in self._devices:
            return  # removed meanwhile
        if outcome.status == JoinStatus.JOINED:
            await self._bind(device, outcome.participant_id)
        elif outcome.status == JoinStatus.PENDING:
            device.status = "pending"
            await self._send(device.socket, {"type": "join_pending"})
        else:
            await self._send(device.socket, {
                "type": "join_refused", "code": outcome.code, "reason": outcome.reason})

    async def _bind(self, device: _Device, participant_id: str) -> None:
        changed = device.participant_id != participant_id or device.status != "joined"
        device.participant_id, device.status = participant_id, "joined"
        if changed:
            device.sent_private = ""
            device.known = None  # another person: the page is told this one's answers
            await self._send(device.socket, {"type": "joined", "participant_id": participant_id})
        await self._send_private(device)

    # -- voting ----------------------------------------------------------------
    async def _vote(self, ws: web.WebSocketResponse, device: _Device,
                    msg: p.VoteMessage) -> None:
        if device.status != "joined":
            await self._send(ws, p.Refusal("not_joined", id=msg.id).to_json())
            return
        if msg.id in device.seen:
            outcome = device.seen[msg.id]
            if outcome is not None:  # saved before: say so again, change nothing
                await self._send(ws, _ack(msg.id, outcome, duplicate=True))
            return  # still being saved: its ack goes to this (the current) socket
        device.seen[msg.id] = None
        while len(device.seen) > self.limits.remembered_ids:
            device.seen.popitem(last=False)
        assert self._queue is not None
        ballot = PhoneBallot(device.token, device.participant_id, msg.statement_id, msg.score)
        self._queue.put_nowait(_Queued(device, msg.id, ballot))

    async def _run_batches(self) -> None:
        """Hand whatever ballots have arrived to the gateway in one call, ack each."""
        assert self._queue is not None
        while True:
            batch = [await self._queue.get()]
            while not self._queue.empty() and len(batch) < MAX_BATCH:
                batch.append(self._queue.get_nowait())
            self.bursts.append(len(batch))
            failed = False
            try:
                future = self.gateway.submit([q.ballot for q in batch])
                outcomes = await asyncio.wrap_future(future)
                if len(outcomes) != len(batch):
                    raise RuntimeError(f"{len(outcomes)} outcomes for {len(batch)} ballots")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("the room could not save %d phone ballots", len(batch))
                failed = True
                outcomes = [BallotOutcome.refused("save_failed")] * len(batch)
            sends = []
            for queued, outcome in zip(batch, outcomes, strict=True):
                device = queued.device
                if failed or outcome.code == "save_failed":
                    device.seen.pop(queued.message_id, None)  # not stored: a resend tries again
                elif queued.message_id in device.seen:
                    device.seen[queued.message_id] = outcome
                if outcome.accepted and device.known is not None:
                    ballot = queued.ballot
                    if ballot.score is None:
                        device.known.pop(ballot.statement_id, None)
                    else:
                        device.known[ballot.statement_id] = ballot.score
                sends.append(self._send(device.socket, _ack(queued.message_id, outcome)))
            await asyncio.gather(*sends)
            done = time.perf_counter()
            self.ack_ms.extend((done - q.received) * 1000 for q in batch)

    # -- the summary PDF -------------------------------------------------------
    async def _pdf(self, device: _Device) -> None:
        try:
            data = await asyncio.wrap_future(self.gateway.attendee_pdf())
        except Exception:
            log.exception("the room could not make the summary PDF")
            data = None
        if not data:
            await self._send(device.socket, p.Refusal("pdf_unavailable").to_json())
            return
        ticket = secrets.token_urlsafe(24)
        self._downloads[ticket] = (data, time.monotonic() + self.limits.download_seconds)
        await self._send(device.socket, {
            "type": "pdf_ready", "url": f"/download/{ticket}/calms-summary.pdf"})

    # -- publishing ------------------------------------------------------------
    def _start_flush(self) -> None:
        self._spawn(self._flush())

    async def _flush(self) -> None:
        with self._lock:
            view, self._next_view = self._next_view, None
            self._flush_scheduled = False
        if view is None:
            return
        old, self._view = self._view, view
        sends: list[Awaitable[None]] = []
        for token, device in list(self._devices.items()):
            sends.extend(self._reconcile(old, view, token, device))
        texts = {
            "view": p.dumps({"type": "view", "view": view.public_json()}),
            "progress": p.dumps({"type": "progress", **view.progress_json()}),
            "participants": p.dumps({"type": "participants",
                                     "participants": view.participants_json()}),
        }
        for part, text in texts.items():
            if self._sent.get(part) == text:
                continue
            self._sent[part] = text
            for device in self._devices.values():
                if part == "participants" and device.status == "joined":
                    continue
                sends.append(self._send_text(device.socket, text))
        await asyncio.gather(*sends)
        await asyncio.gather(*(self._send_private(d) for d in list(self._devices.values())))

    def _reconcile(self, old: RoomView | None, view: RoomView, token: str,
                   device: _Device) -> list[Awaitable[None]]:
        """Follow the room's bindings: approvals, declines, removals."""
        bound = view.devices.get(token)
        if bound:
            if device.status != "joined" or device.participant_id != bound:
                return [self._bind(device, bound)]
            return []
        if token in view.pending:
            if device.status != "pending":
                device.status = "pending"
                return [self._send(device.socket, {"type": "join_pending"})]
            return []
        if old is not None and token in old.devices:
            del self._devices[token]  # the facilitator removed this device
            return [self._remove(device)]
        if old is not None and token in old.pending and device.status == "pending":
            device.status = "unbound"
            return [self._send(device.socket, {
                "type": "join_refused", "code": "declined",
                "reason": _("the facilitator declined; pick again or ask them")})]
        return []

    async def _remove(self, device: _Device) -> None:
        ws = device.socket
        await self._send(ws, {"type": "removed"})
        if ws is not None and not ws.closed:
            await ws.close(code=p.CLOSE_REMOVED, message=b"removed by the facilitator")

    async def _send_private(self, device: _Device) -> None:
        view = self._view
        if view is None or device.status != "joined" or device.socket is None:
            return
        private = view.private_json(device.participant_id)
        text = p.dumps({"type": "private", **private})
        if text == device.sent_private:
            return
        device.sent_private = text
        if device.known is not None and private["answers"] == device.known:
            return  # its own acks already told it all of this
        device.known = dict(private["answers"])
        await self._send_text(device.socket, text)


def _ack(message_id: str, outcome: BallotOutcome, duplicate: bool = False) -> dict[str, Any]:
    ack: dict[str, Any] = {"type": "ack", "id": message_id, "accepted": outcome.accepted}
    if not outcome.accepted:
        ack["code"], ack["reason"] = outcome.code, outcome.reason
    if duplicate:
        ack["duplicate"] = True
    return ack
