"""A named and an anonymous room over a real library, and a phone server for them."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import Participant, VotingMode
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.session import WorkshopSession
from calms_desktop.net.server import PhoneServer
from calms_desktop.net.testing import FakeRoom, PhoneClient
from calms_desktop.reports.attendee import build_attendee_pdf

PIN = "424242"
PEOPLE = [("p-ana", "Ana"), ("p-bo", "Bo"), ("p-zoe", "Zoë Müller")]


def _room(library, mode: VotingMode) -> FakeRoom:
    people = [Participant(pid, name) for pid, name in PEOPLE] if mode == VotingMode.NAMED else []
    ws = new_workshop(builtin(), title="Phones in the room", voting_mode=mode,
                      participants=people)
    library.save(ws)
    return FakeRoom(WorkshopSession(ws, library), pdf=build_attendee_pdf)


@pytest.fixture
def room(library):
    room = _room(library, VotingMode.NAMED)
    yield room
    room.close()


@pytest.fixture
def anonymous_room(library):
    room = _room(library, VotingMode.ANONYMOUS)
    yield room
    room.close()


def _server(room: FakeRoom, **kwargs: Any):
    server = PhoneServer(room, "127.0.0.1", 0, pin=PIN, **kwargs)
    room.connect(server.publish)
    server.start()
    return server


@pytest.fixture
def make_server():
    """``make_server(room, **kwargs)``: a started server on 127.0.0.1, stopped after."""
    started: list[PhoneServer] = []

    def make(room: FakeRoom, **kwargs: Any) -> PhoneServer:
        server = _server(room, **kwargs)
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def server(room, make_server):
    return make_server(room)


Scenario = Callable[[aiohttp.ClientSession], Awaitable[Any]]


def run(scenario: Scenario, timeout: float = 30.0) -> Any:
    """Run ``scenario(session)`` on a fresh event loop, bounded in time."""

    async def main() -> Any:
        async with aiohttp.ClientSession() as session:
            return await asyncio.wait_for(scenario(session), timeout)

    return asyncio.run(main())


async def joined_phone(session: aiohttp.ClientSession, server: PhoneServer,
                       participant_id: str | None = "p-ana") -> PhoneClient:
    """A phone that entered the PIN and (named rooms) picked ``participant_id``."""
    phone = PhoneClient(session, server.url)
    welcome = await phone.join(PIN)
    if participant_id is not None and not welcome["anonymous"]:
        await phone.send({"type": "pick", "participant_id": participant_id})
    await phone.expect("joined")
    return phone
