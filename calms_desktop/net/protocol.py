"""The phone protocol: messages, their checks, error codes and limits.

Every message is one JSON object with a ``type``; ``docs/phone-protocol.md``
describes them all. :func:`parse_client` checks a phone's message against
its schema (exact keys, types, lengths) and returns a typed message or a
:class:`Refusal` with a code from :data:`ERRORS` — the server answers bad
input with that refusal and keeps going; nothing a phone sends can raise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from ..core.i18n import N_, _
from ..core.operations import is_answer

#: Protocol errors (``{"type": "error", "code": …}``) and what they mean.
# Marked here, translated where a message is built (in the room's language).
ERRORS = {
    "bad_json": N_("the message is not a JSON object"),
    "bad_message": N_("the message does not match its schema"),
    "unknown_type": N_("no such message type"),
    "join_first": N_("send join (with the PIN) or resume (with your token) first"),
    "wrong_pin": N_("wrong PIN"),
    "locked_out": N_("too many wrong PINs from this device; wait a minute"),
    "unknown_token": N_("this device is not known here; join again with the PIN"),
    "not_joined": N_("pick your name (or wait for the facilitator) before voting"),
    "already_joined": N_("this device already takes part"),
    "rate_limited": N_("too many messages; slow down"),
    "pdf_unavailable": N_("the summary is not ready yet"),
    "busy": N_("the room cannot answer right now; try again"),
}

#: WebSocket close codes the server uses (besides 1009 "message too big",
#: which aiohttp sends for an oversized frame, and 1001 when it stops).
CLOSE_UNAUTHORIZED = 4001  # wrong PIN too often, unknown token, no join in time
CLOSE_REMOVED = 4003  # the facilitator removed this device
CLOSE_SUPERSEDED = 4009  # the same device connected again elsewhere
CLOSE_FLOODING = 1008  # policy violation: kept sending over the rate limit

PIN_LENGTH = 6
_MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_PIN = re.compile(rf"^[0-9]{{{PIN_LENGTH}}}$")


@dataclass(frozen=True)
class Limits:
    """What one server accepts; the defaults suit a room of up to ~250 phones.

    Attributes:
        max_message_bytes: largest WebSocket message (bigger: closed, 1009).
        rate_per_second, burst: each connection's token bucket; a phone
            answering a whole pillar at once stays well inside it.
        max_rate_refusals: rate-limited messages before the socket is closed.
        max_connections: open WebSockets at once (more: HTTP 503).
        max_per_address: open WebSockets per remote address (None: no cap).
        max_sockets, max_sockets_per_address: open TCP connections of any kind,
            in all and per remote address (None: no cap); more are closed at
            once (see ``net/guard.py``).
        request_seconds: time to send a complete request head after
            connecting (a half-sent request is closed after it).
        keepalive_seconds: how long an idle HTTP connection is kept.
        pin_attempts, pin_lockout_seconds: wrong PINs per address before a
            lockout, and how long it lasts.
        max_devices: tokens remembered (the oldest unbound ones go first).
        handshake_seconds: time to send join/resume after connecting.
        remembered_ids: message ids kept per device to answer resends.
        download_seconds: how long a PDF download link stays valid.
    """

    max_message_bytes: int = 2048
    rate_per_second: float = 20.0
    burst: int = 60
    max_rate_refusals: int = 40
    max_connections: int = 300
    max_per_address: int | None = 16
    max_sockets: int = 400
    max_sockets_per_address: int | None = 24
    request_seconds: float = 10.0
    keepalive_seconds: float = 15.0
    pin_attempts: int = 5
    pin_lockout_seconds: float = 60.0
    max_devices: int = 2000
    handshake_seconds: float = 15.0
    remembered_ids: int = 1000
    download_seconds: float = 120.0


@dataclass(frozen=True)
class Refusal:
    """A message the server refuses: an error code and, when known, its id."""

    code: str
    detail: str = ""
    id: str | None = None

    def to_json(self) -> dict[str, Any]:
        reason = _(ERRORS[self.code]) if self.code in ERRORS else self.code
        out: dict[str, Any] = {
            "type": "error",
            "code": self.code,
            "reason": f"{reason}: {self.detail}" if self.detail else reason,
        }
        if self.id is not None:
            out["id"] = self.id
        return out


@dataclass(frozen=True)
class Join:
    pin: str


@dataclass(frozen=True)
class Resume:
    token: str


@dataclass(frozen=True)
class Pick:
    participant_id: str


@dataclass(frozen=True)
class Newcomer:
    name: str


@dataclass(frozen=True)
class VoteMessage:
    id: str
    statement_id: str
    score: int | None


@dataclass(frozen=True)
class PdfRequest:
    pass


@dataclass(frozen=True)
class Ping:
    pass


ClientMessage = Join | Resume | Pick | Newcomer | VoteMessage | PdfRequest | Ping

# type -> {field: checker}; a checker returns an error text or "".
_Checker = Any


def _text(max_len: int, pattern: re.Pattern[str] | None = None) -> _Checker:
    def check(value: Any) -> str:
        if not isinstance(value, str):
            return _("must be text")
        if not value.strip() or len(value) > max_len:
            return _("must be 1–{n} characters").format(n=max_len)
        if pattern is not None and not pattern.match(value):
            return _("has the wrong form")
        return ""

    return check


def _score(value: Any) -> str:
    if value is None or is_answer(value):
        return ""
    return _("must be 1–5, 0 for don't know, or null to withdraw")


SCHEMAS: dict[str, dict[str, _Checker]] = {
    "join": {"pin": _text(PIN_LENGTH, _PIN)},
    "resume": {"token": _text(100, _TOKEN)},
    "pick": {"participant_id": _text(100)},
    "newcomer": {"name": _text(80)},
    "vote": {"id": _text(64, _MESSAGE_ID), "statement_id": _text(100), "score": _score},
    "pdf": {},
    "ping": {},
}


def parse_client(text: str | bytes) -> ClientMessage | Refusal:
    """Check one message from a phone; a typed message or the refusal to send."""
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        return Refusal("bad_json")
    if not isinstance(data, dict):
        return Refusal("bad_json")
    mid = data.get("id") if isinstance(data.get("id"), str) else None
    if mid is not None and not _MESSAGE_ID.match(mid):
        mid = None
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in SCHEMAS:
        return Refusal("unknown_type", str(kind)[:40], mid)
    schema = SCHEMAS[kind]
    extra = sorted(set(data) - set(schema) - {"type"})
    if extra:
        unexpected = _("unexpected field {name}").format(name=repr(extra[0][:40]))
        return Refusal("bad_message", unexpected, mid)
    for name, check in schema.items():
        if name not in data:
            return Refusal("bad_message", _("{name} is missing").format(name=name), mid)
        problem = check(data[name])
        if problem:
            problem = _("{name} {problem}").format(name=name, problem=problem)
            return Refusal("bad_message", problem, mid)
    if kind == "join":
        return Join(data["pin"])
    if kind == "resume":
        return Resume(data["token"])
    if kind == "pick":
        return Pick(data["participant_id"])
    if kind == "newcomer":
        return Newcomer(" ".join(data["name"].split()))
    if kind == "vote":
        return VoteMessage(data["id"], data["statement_id"], data["score"])
    if kind == "pdf":
        return PdfRequest()
    return Ping()


def dumps(message: dict[str, Any]) -> str:
    """A server message as compact JSON text."""
    return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
