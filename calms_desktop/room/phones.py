"""Which phone is whose: device ↔ participant bindings, and join requests.

The phone server issues each device a token; the room decides whom a token
speaks for. :class:`DeviceRegistry` is that decision, Qt-free and owned by
the room's thread:

* **named workshops** — a phone picks a name from the list; a name already
  bound to another device, a name that already has answers (typed on the
  console for someone without a phone, or from a phone that was removed), or a
  newcomer asking to be added, waits for the facilitator (:meth:`approve` /
  :meth:`decline`): a phone is shown its person's answers, so nobody reads or
  changes another's by picking their name;
* **anonymous workshops** — a phone joins without a name. It speaks for the
  next participant on the list no device speaks for yet (no name is shown
  anywhere, and never a place that already has answers), so "n of N" stays
  the size of the room; a workshop without a
  list gives it a participant of its own ("Phone 3"). Making a new device
  costs nothing (a private tab), so a device beyond the room's size, or a
  second new device from one network address, waits for the facilitator —
  one person cannot quietly vote thirty times;
* the facilitator sees every binding and can remove a device.

Bindings are written atomically to ``phones.json`` beside the resume file
before a join is answered, so after a crash phones come back with their
tokens and still speak for the same people. The file is keyed by workshop
(``{workshop_id: {token: participant_id}}``): each workshop keeps its own
phones, and a token never speaks in another workshop — two workshops can
share participant ids (the same file imported twice). The old flat form
(``{token: participant_id}``, before bindings were per workshop) belongs to no
workshop: those phones join again with the PIN.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..core.i18n import _
from ..core.model import Participant, Workshop, new_id
from ..core.participants import MAX_NAME, clean_name
from ..core.storage import atomic_write

PHONE_NAME = "Phone"


class Joined(StrEnum):
    JOINED = "joined"
    PENDING = "pending"
    REFUSED = "refused"


@dataclass(frozen=True)
class JoinAnswer:
    """The room's answer to a join; ``newcomer`` is a participant to add first."""

    status: Joined
    participant_id: str = ""
    code: str = ""
    reason: str = ""
    newcomer: Participant | None = None


@dataclass(frozen=True)
class PendingJoin:
    token: str
    participant_id: str = ""  # a name taken by another device, or that has answers already
    newcomer_name: str = ""  # someone not on the list
    anonymous: bool = False  # an anonymous device over the room's size or from a busy address
    address: str = ""


#: joins waiting for the facilitator at once (more are refused: a flood)
MAX_PENDING = 20


class DeviceRegistry:
    """Device tokens bound to participants, and joins waiting for the facilitator.

    Args:
        path: where bindings are kept (``None``: in memory only).
        workshop_id: whose bindings these are (the file keeps every workshop's).
    """

    def __init__(self, path: Path | None = None, workshop_id: str = "") -> None:
        self.path = path
        self.workshop_id = workshop_id
        self.devices: dict[str, str] = {}
        self.pending: dict[str, PendingJoin] = {}
        #: token -> the address it joined from (this run only)
        self.addresses: dict[str, str] = {}
        if path is not None:
            self.devices = dict(_read(path).get(workshop_id, {}))

    def participant_of(self, token: str) -> str | None:
        return self.devices.get(token)

    def devices_of(self, participant_id: str) -> list[str]:
        return [t for t, pid in self.devices.items() if pid == participant_id]

    def forget_missing(self, ws: Workshop) -> list[str]:
        """Drop bindings to people no longer in the workshop; the tokens dropped."""
        people = {p.id for p in ws.participants}
        gone = [t for t, pid in self.devices.items() if pid not in people]
        for token in gone:
            del self.devices[token]
            self.addresses.pop(token, None)
        if gone:
            self._save()
        return gone

    # -- joins ------------------------------------------------------------------------
    def join(self, ws: Workshop, token: str, participant_id: str = "",
             newcomer_name: str = "", address: str = "") -> JoinAnswer:
        """Bind ``token`` now, ask the facilitator, or refuse (see the module)."""
        if token in self.devices and self.devices[token] in {p.id for p in ws.participants}:
            return JoinAnswer(Joined.JOINED, self.devices[token])
        if token not in self.pending and len(self.pending) >= MAX_PENDING:
            return JoinAnswer(Joined.REFUSED, code="busy",
                              reason=_("too many phones are waiting; ask the facilitator"))
        if ws.is_anonymous:
            if participant_id or newcomer_name:
                return JoinAnswer(Joined.REFUSED, code="wrong_mode",
                                  reason=_("anonymous workshops take no names"))
            free = self._unbound(ws)
            busy = bool(address) and any(
                a == address and t in self.devices for t, a in self.addresses.items())
            if busy or (ws.participants and free is None):
                self.pending[token] = PendingJoin(token, anonymous=True, address=address)
                return JoinAnswer(Joined.PENDING)
            self.addresses[token] = address
            if free is not None:
                return JoinAnswer(Joined.JOINED, free)
            newcomer = self._phone_participant(ws)
            return JoinAnswer(Joined.JOINED, newcomer.id, newcomer=newcomer)
        if newcomer_name.strip():
            name = clean_name(newcomer_name)
            if not name or len(name) > MAX_NAME:
                return JoinAnswer(Joined.REFUSED, code="invalid_name", reason=_(
                    "please type a name of 1 to {max} letters").format(max=MAX_NAME))
            self.pending[token] = PendingJoin(token, newcomer_name=name, address=address)
            return JoinAnswer(Joined.PENDING)
        if not any(p.id == participant_id for p in ws.participants):
            return JoinAnswer(Joined.REFUSED, code="unknown_participant",
                              reason=_("that name is not on the list"))
        if self.devices_of(participant_id) or participant_id in answered(ws):
            self.pending[token] = PendingJoin(token, participant_id=participant_id,
                                              address=address)
            return JoinAnswer(Joined.PENDING)
        self.addresses[token] = address
        return JoinAnswer(Joined.JOINED, participant_id)

    def _unbound(self, ws: Workshop) -> str | None:
        """The first participant no device speaks for (anonymous workshops)."""
        taken = set(self.devices.values()) | answered(ws)
        return next((p.id for p in ws.participants if p.id not in taken), None)

    @staticmethod
    def _phone_participant(ws: Workshop) -> Participant:
        number = 1 + sum(1 for p in ws.participants if p.name.startswith(PHONE_NAME + " "))
        return Participant(new_id(), f"{PHONE_NAME} {number}")

    def bind(self, token: str, participant_id: str) -> None:
        """Record a binding (after the participant exists); written before returning."""
        self.pending.pop(token, None)
        self.devices[token] = participant_id
        self._save()

    def approve(self, ws: Workshop, token: str) -> JoinAnswer:
        """The facilitator grants a pending join (the name moves to this device)."""
        request = self.pending.get(token)
        if request is None:
            return JoinAnswer(Joined.REFUSED, code="declined", reason=_("no such request"))
        self.addresses[token] = request.address
        if request.anonymous:
            free = self._unbound(ws)
            if free is not None:
                return JoinAnswer(Joined.JOINED, free)
            newcomer = self._phone_participant(ws)
            return JoinAnswer(Joined.JOINED, newcomer.id, newcomer=newcomer)
        if request.newcomer_name:
            newcomer = Participant(new_id(), request.newcomer_name)
            return JoinAnswer(Joined.JOINED, newcomer.id, newcomer=newcomer)
        for other in self.devices_of(request.participant_id):
            del self.devices[other]
        return JoinAnswer(Joined.JOINED, request.participant_id)

    def decline(self, token: str) -> None:
        self.pending.pop(token, None)

    def decline_all(self) -> None:
        self.pending.clear()

    def remove(self, token: str) -> None:
        """Unbind a device (its answers stay; it must join again)."""
        self.addresses.pop(token, None)
        if self.devices.pop(token, None) is not None:
            self._save()

    def _save(self) -> None:
        """Write this workshop's bindings beside the other workshops' (read afresh)."""
        if self.path is not None:
            every = _read(self.path)
            if self.devices:
                every[self.workshop_id] = dict(self.devices)
            else:
                every.pop(self.workshop_id, None)
            data = json.dumps(every, sort_keys=True).encode("utf-8")
            atomic_write(self.path, data, mode=0o600)  # tokens: the owner's eyes only


def answered(ws: Workshop) -> set[str]:
    """Everyone the workshop holds an answer of (a vote or a metric pick), in one pass."""
    return ({pid for _sid, pid in ws.votes}
            | {pid for rec in ws.metrics.values() for pid, _bucket in rec.picks})


def _read(path: Path) -> dict[str, dict[str, str]]:
    """Every workshop's bindings from ``path``: workshop id -> token -> participant id.

    Anything unreadable or odd counts as none; a flat ``{token: participant}``
    entry (the old form) belongs to no workshop and is dropped.
    """
    try:
        if not path.is_file() or path.stat().st_size > 10_000_000:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {wid: {k: v for k, v in bindings.items()
                  if isinstance(k, str) and isinstance(v, str) and len(k) <= 200
                  and len(v) <= 200}
            for wid, bindings in data.items()
            if isinstance(wid, str) and len(wid) <= 200 and isinstance(bindings, dict)}
