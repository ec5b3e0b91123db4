"""Raw TCP connections, before aiohttp sees them: a cap and a deadline for the request.

The WebSocket caps (:class:`~calms_desktop.net.protocol.Limits` ``max_connections``
and ``max_per_address``) count only sockets that got as far as a WebSocket.
Someone on the room's network can instead open hundreds of plain TCP
connections and send half a request head on each: every one holds a file
descriptor of the facilitator's app, until phones are refused and the app
itself cannot open a file or a window. So every accepted connection is
counted here — per remote address and in all — and closed at once when over
the cap, and a connection that has not sent a complete request head within
``Limits.request_seconds`` is closed (a browser sends it in milliseconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import resource
from collections.abc import Callable
from typing import Any

from .protocol import Limits

#: file descriptors the app keeps for itself (windows, fonts, the library, PDFs)
RESERVED_FDS = 256


def raise_open_file_limit(wanted: int = 4096) -> int:
    """Raise this process's soft limit of open files towards ``wanted`` (≤ the hard limit).

    Desktop sessions often start apps with 1,024 (Linux) or 256 (macOS) —
    tight for a server that a room of phones connects to. Returns the soft
    limit in force afterwards.
    """
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    except (OSError, ValueError):
        return 1024
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
    return int(soft) if soft != resource.RLIM_INFINITY else wanted


class ConnectionGuard:
    """Counts open TCP connections per remote address and in all."""

    def __init__(self, limits: Limits, open_file_limit: int | None = None) -> None:
        self.limits = limits
        total = limits.max_sockets
        if open_file_limit is not None:
            total = max(16, min(total, open_file_limit - RESERVED_FDS))
        self.max_total = total
        self.total = 0
        self.per_address: dict[str, int] = {}
        self.refused = 0

    def admit(self, address: str) -> bool:
        cap = self.limits.max_sockets_per_address
        if self.total >= self.max_total or (
                cap is not None and self.per_address.get(address, 0) >= cap):
            self.refused += 1
            return False
        self.total += 1
        self.per_address[address] = self.per_address.get(address, 0) + 1
        return True

    def release(self, address: str) -> None:
        self.total -= 1
        n = self.per_address.get(address, 0) - 1
        if n > 0:
            self.per_address[address] = n
        else:
            self.per_address.pop(address, None)


class GuardedProtocol(asyncio.Protocol):
    """Stands in front of one aiohttp request handler: admits, times, forwards."""

    def __init__(self, inner: asyncio.Protocol, guard: ConnectionGuard,
                 loop: asyncio.AbstractEventLoop) -> None:
        self._inner = inner
        self._guard = guard
        self._loop = loop
        self._address = "?"
        self._admitted = False
        self._head_done = False
        self._tail = b""
        self._timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self._address = str(peer[0]) if peer else "?"
        if not self._guard.admit(self._address):
            _abort(transport)  # not handed on: aiohttp never sees it
            return
        self._admitted = True
        self._timer = self._loop.call_later(self._guard.limits.request_seconds,
                                            self._too_slow, transport)
        self._inner.connection_made(transport)

    def _too_slow(self, transport: asyncio.BaseTransport) -> None:
        self._timer = None
        if not self._head_done:
            _abort(transport)

    def data_received(self, data: bytes) -> None:
        if not self._admitted:
            return
        if not self._head_done:
            seen = self._tail + data
            if b"\r\n\r\n" in seen:
                self._head_done = True
                if self._timer is not None:
                    self._timer.cancel()
                    self._timer = None
            self._tail = seen[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        return self._inner.eof_received() if self._admitted else None

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._admitted:
            return
        self._admitted = False
        self._guard.release(self._address)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


def _abort(transport: asyncio.BaseTransport) -> None:
    """Close at once, without waiting to flush (a TCP transport has ``abort``)."""
    abort = getattr(transport, "abort", None)
    if abort is not None:
        abort()
    else:
        transport.close()


def guarded(factory: Callable[[], Any], guard: ConnectionGuard,
            loop: asyncio.AbstractEventLoop) -> Callable[[], GuardedProtocol]:
    """A protocol factory for ``loop.create_server`` that guards ``factory``'s handlers."""
    return lambda: GuardedProtocol(factory(), guard, loop)
