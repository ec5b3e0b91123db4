"""kill -9 the app while phones vote: every acknowledged vote is on disk after
the restart, and the phones reconnect with their tokens and carry on.

The app's phone side runs in a child process: the test room over a library
(``phone_crash_child.py``), and the whole real app — main window, room,
phones panel, server — which resumes the workshop after each kill and opens
phone voting again on the same port (``phone_app_child.py``). Three phones
in this process each keep one vote in flight at a time. At a random moment
the child is killed with SIGKILL and started again on the same port. The
workshop file must then hold every acknowledged vote (or, for the one in
flight, that vote); each phone resumes with its token — bound to the same
person, without the PIN — sends its unacknowledged vote again and gets it
acknowledged.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from calms_desktop.core.model import Pillar
from calms_desktop.core.storage import Library
from calms_desktop.net.testing import PhoneClient

from .conftest import PIN, joined_phone, run

CHILDREN = {"test-room": Path(__file__).with_name("phone_crash_child.py"),
            "real-app": Path(__file__).with_name("phone_app_child.py")}
KILLS = 3
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(kind: str, data_dir: Path, workshop_id: str, port: int,
           bindings: Path) -> subprocess.Popen:
    args = [str(data_dir), workshop_id, str(port), PIN]
    if kind == "test-room":
        args.append(str(bindings))
    child = subprocess.Popen(
        [sys.executable, str(CHILDREN[kind]), *args],
        stdout=subprocess.PIPE, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line == b"ready\n", line
    return child


class _Voter:
    """A phone that keeps one vote in flight and remembers what was acknowledged."""

    def __init__(self, phone: PhoneClient, participant_id: str, statements: list[str],
                 rng: random.Random) -> None:
        self.phone, self.pid, self.statements, self.rng = phone, participant_id, statements, rng
        self.acked: dict[str, int] = {}
        self.in_flight: dict | None = None
        self.count = 0

    async def vote_until_cut(self) -> None:
        """Vote until the server goes away (then the last vote is in flight)."""
        while True:
            if self.in_flight is None:
                self.count += 1
                self.in_flight = {"type": "vote", "id": f"{self.pid}-{self.count}",
                                  "statement_id": self.rng.choice(self.statements),
                                  "score": self.rng.randint(0, 5)}
            try:
                await self.phone.send(self.in_flight)
                ack = await self.phone.expect("ack", timeout=10)
            except (ConnectionError, RuntimeError, OSError):
                return
            assert ack["accepted"] and ack["id"] == self.in_flight["id"], ack
            self.acked[self.in_flight["statement_id"]] = self.in_flight["score"]
            self.in_flight = None


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(CHILDREN))
def test_acknowledged_phone_votes_survive_kill_9_and_phones_resume(room, data_dir, tmp_path,
                                                                   kind):
    workshop_id = room.workshop.id
    statements = [s.id for s in room.workshop.questionnaire.section(Pillar.CULTURE).statements]
    room.close()
    room.session.library.close()  # the child is the writer from now on
    port, bindings = _free_port(), tmp_path / "bindings.json"
    rng = random.Random(20261201)
    child = _start(kind, data_dir, workshop_id, port, bindings)
    url = f"http://127.0.0.1:{port}/"

    class Server:  # what joined_phone needs to know
        pass

    server = Server()
    server.url = url  # type: ignore[attr-defined]

    async def scenario(session):
        nonlocal child
        voters = []
        for pid in ("p-ana", "p-bo", "p-zoe"):
            phone = await joined_phone(session, server, pid)
            voters.append(_Voter(phone, pid, statements, rng))
        for kill in range(KILLS):
            tasks = [asyncio.ensure_future(v.vote_until_cut()) for v in voters]
            await asyncio.sleep(rng.uniform(0.05, 0.4))
            os.kill(child.pid, signal.SIGKILL)
            child.wait(10)
            await asyncio.wait_for(asyncio.gather(*tasks), 30)
            assert sum(v.count for v in voters) > 3 * (kill + 1), "no votes before the kill"

            stored = Library(data_dir, read_only=True).load(workshop_id)
            for v in voters:
                on_disk = {sid: vote.score for (sid, pid), vote in stored.votes.items()
                           if pid == v.pid}
                for sid, score in v.acked.items():
                    flying = v.in_flight and v.in_flight["statement_id"] == sid
                    allowed = {score, v.in_flight["score"]} if flying else {score}
                    assert on_disk.get(sid) in allowed, (kill, v.pid, sid)

            child = _start(kind, data_dir, workshop_id, port, bindings)
            for v in voters:
                await v.phone.close()
                welcome = await v.phone.resume()  # the token, no PIN
                assert welcome["status"] == "joined" and welcome["participant_id"] == v.pid
                if v.in_flight is not None:  # the phone sends its unacknowledged vote again
                    await v.phone.send(v.in_flight)
                    ack = await v.phone.expect("ack")
                    assert ack["accepted"] and ack["id"] == v.in_flight["id"]
                    v.acked[v.in_flight["statement_id"]] = v.in_flight["score"]
                    v.in_flight = None
        for v in voters:
            await v.phone.close()
        return voters

    try:
        voters = run(scenario, timeout=120)
    finally:
        child.kill()
        child.wait(10)
    stored = Library(data_dir, read_only=True).load(workshop_id)
    for v in voters:
        assert {sid: vote.score for (sid, pid), vote in stored.votes.items()
                if pid == v.pid} == v.acked
