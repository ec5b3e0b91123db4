"""200 phones on loopback, each answering 25 statements over WebSocket.

Goals (issue "Phones vote over the room's own network", Tests and benchmarks):
**0 lost or doubled votes**, and **p99 time from send to acknowledgement
≤ 100 ms**. The acknowledgement comes only once the vote is durable on disk.

Set-up: a named workshop of 200 participants on the default questionnaire
(5 pillars × 5 statements) in a fresh library; the phone server
(:class:`~calms_desktop.net.server.PhoneServer`) in this process on
127.0.0.1 with the test room (:class:`~calms_desktop.net.testing.FakeRoom`:
each burst is one ``Batch`` through ``WorkshopSession``, one fsynced write,
on a worker thread that stands in for the GUI thread). The 200 phones run
in a child process (real phones are other machines; they do not share this
process's interpreter lock), one WebSocket each.

The workshop is run twice over (two rounds of the five pillars; the second
round changes every answer):

* **room pace** (the goal): when the facilitator opens a pillar, each phone
  sends each of its five answers at a random moment within the next
  :data:`PACE_SECONDS` (3 s) — about 330 ballots a second, several times what
  a room of 200 people tapping produces;
* **all at once** (context): every phone sends its five answers at the same
  moment (1,000 ballots in a few milliseconds) — the harshest case.

In the third pillar of each round one phone in ten loses its connection
right after its last answer, reconnects with its token and sends again
whatever was not acknowledged (the Wi-Fi hiccup); those ballots' time
from the first send to the ack, reconnection included, is reported on
its own line, the latency goals are over all the other ballots. After
each round the workshop file is read back from disk and compared with
what every phone sent: every vote there once, with its score, and every
message acknowledged exactly once (a resend is answered "duplicate",
never stored again).

Context figures: p50, the number of writes and ballots per write, the
CPU time this process (server and room, not the phones) spent per ballot —
a figure a busy machine changes less than latency — the longest time the
stand-in GUI thread spent on one burst (apply + save),
and how long after the last acknowledgement every phone had the final
"n of N have voted".
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import PILLARS, Participant, Workshop
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library
from calms_desktop.net.protocol import Limits
from calms_desktop.net.server import PhoneServer
from calms_desktop.net.testing import FakeRoom

from .common import Result

PHONES = 200
PIN = "135790"
HICCUP_PILLAR = 2  # index: the third pillar
HICCUP_EVERY = 10  # one phone in ten
PACE_SECONDS = 3.0
MODES = ("paced", "burst")


def score_of(phone: int, statement_index: int, round_: int) -> int:
    """What phone ``phone`` answers to the ``statement_index``-th statement (0 = don't know)."""
    return (phone * 7 + statement_index * 3 + round_) % 6


# -- the phones (child process) -------------------------------------------------
class _Phone:
    def __init__(self, session: Any, url: str, index: int) -> None:
        self.session, self.url, self.index = session, url, index
        self.ws: Any = None
        self.token = ""
        self.sent: dict[str, float] = {}  # message id -> first send time
        self.pending: dict[str, dict[str, Any]] = {}  # unacknowledged messages
        self.acks: dict[str, int] = {}  # message id -> acks received
        self.latencies: list[float] = []
        self.refused: list[dict[str, Any]] = []
        self.duplicates = 0
        self.voted_seen: tuple[int, float] = (0, 0.0)  # last "voted" count and when
        self.all_acked = asyncio.Event()
        self.reader: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        self.ws = await self.session.ws_connect(
            self.url.replace("http://", "ws://") + "ws", origin=self.url.rstrip("/"),
            max_msg_size=4 * 1024 * 1024)

    async def join(self) -> None:
        await self.connect()
        await self.ws.send_str(json.dumps({"type": "join", "pin": PIN}))
        await self._until("welcome")
        await self.ws.send_str(json.dumps({"type": "pick", "participant_id": f"p{self.index}"}))
        await self._until("joined")
        self.reader = asyncio.ensure_future(self.read())

    async def _until(self, kind: str) -> dict[str, Any]:
        while True:
            msg = await self.ws.receive(timeout=30)
            data: dict[str, Any] = json.loads(msg.data)
            if data["type"] == "welcome":
                self.token = data["token"]
            if data["type"] == kind:
                return data

    async def read(self) -> None:
        async for msg in self.ws:
            now = time.perf_counter()
            data = json.loads(msg.data)
            if data["type"] == "ack":
                mid = data["id"]
                self.acks[mid] = self.acks.get(mid, 0) + 1
                if data.get("duplicate"):
                    self.duplicates += 1
                if mid in self.pending:
                    del self.pending[mid]
                    self.latencies.append((now - self.sent[mid]) * 1000)
                    if not data["accepted"]:
                        self.refused.append(data)
                if not self.pending:
                    self.all_acked.set()
            elif data["type"] == "progress":
                self.voted_seen = (data["voted"], now)

    async def send_answers(self, statements: list[str], first: int, round_: int,
                           paced: bool, hiccup: bool) -> None:
        self.all_acked.clear()
        rng = random.Random(self.index * 1000 + first + round_)
        moments = sorted(rng.uniform(0, PACE_SECONDS) if paced else 0.0 for _ in statements)
        start = time.perf_counter()
        for k, (sid, moment) in enumerate(zip(statements, moments, strict=True)):
            wait = moment - (time.perf_counter() - start)
            if wait > 0:
                await asyncio.sleep(wait)
            mid = f"r{round_}v{first + k}"
            message = {"type": "vote", "id": mid, "statement_id": sid,
                       "score": score_of(self.index, first + k, round_)}
            self.pending[mid] = message
            self.all_acked.clear()  # set by an earlier ack; this one is not acked yet
            self.sent[mid] = time.perf_counter()
            await self.ws.send_str(json.dumps(message))
        if hiccup:
            await self.ws.close()  # the Wi-Fi drops …
            if self.reader is not None:
                await self.reader
            await self.connect()  # … and the phone comes back with its token
            await self.ws.send_str(json.dumps({"type": "resume", "token": self.token}))
            await self._until("welcome")
            self.reader = asyncio.ensure_future(self.read())
            for message in list(self.pending.values()):
                await self.ws.send_str(json.dumps(message))
        if not self.pending:
            self.all_acked.set()


async def _phones_main(url: str) -> None:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        phones = [_Phone(session, url, i) for i in range(PHONES)]
        for start in range(0, PHONES, 20):
            await asyncio.gather(*(p.join() for p in phones[start:start + 20]))
        _say({"joined": PHONES})
        loop = asyncio.get_running_loop()
        while True:
            order = json.loads(await loop.run_in_executor(None, sys.stdin.readline))
            if "report" in order:
                break
            first, round_, paced = order["first"], order["round"], order["mode"] == "paced"
            for p in phones:
                p.latencies = []
            dropped = [order["hiccup"] and p.index % HICCUP_EVERY == 0 for p in phones]
            await asyncio.gather(*(
                p.send_answers(order["statements"], first, round_, paced, drop)
                for p, drop in zip(phones, dropped, strict=True)))
            await asyncio.wait_for(asyncio.gather(*(p.all_acked.wait() for p in phones)), 60)
            last_ack = time.perf_counter()
            # Every phone's "n of N have voted" reaches the final count.
            deadline = time.perf_counter() + 10
            while (any(p.voted_seen[0] != PHONES for p in phones)
                   and time.perf_counter() < deadline):
                await asyncio.sleep(0.002)
            counted = max(p.voted_seen[1] for p in phones)
            _say({"last_ack": last_ack,
                  "latencies": [x for p, d in zip(phones, dropped, strict=True)
                                if not d for x in p.latencies],
                  "reconnected": [x for p, d in zip(phones, dropped, strict=True)
                                  if d for x in p.latencies],
                  "count_after_last_ack_ms": max(0.0, (counted - last_ack) * 1000),
                  "all_counted": all(p.voted_seen[0] == PHONES for p in phones)})
        _say({
            "acks": {str(p.index): p.acks for p in phones},
            "refused": [r for p in phones for r in p.refused][:5],
            "duplicates": sum(p.duplicates for p in phones),
        })
        for p in phones:
            await p.ws.close()


def _say(data: dict[str, Any]) -> None:
    print(json.dumps(data), flush=True)


# -- the room (this process) ------------------------------------------------------
class _TimedRoom(FakeRoom):
    """The test room, timing each burst on its stand-in GUI thread."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.burst_ms: list[float] = []

    def _apply(self, ballots):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return super()._apply(ballots)
        finally:
            self.burst_ms.append((time.perf_counter() - t0) * 1000)


def measure(folder: Path) -> dict[str, Any]:
    library = Library(folder)
    ws = new_workshop(builtin(), title="Bench: 200 phones",
                      participants=[Participant(f"p{i}", f"Person {i}") for i in range(PHONES)])
    library.save(ws)
    room = _TimedRoom(WorkshopSession(ws, library))
    # 200 phones share 127.0.0.1 here, so no per-address cap; the rest as shipped.
    server = PhoneServer(room, "127.0.0.1", 0, pin=PIN,
                         limits=Limits(max_per_address=None, max_sockets_per_address=None))
    room.connect(server.publish)
    server.start()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_phones", "--phones", server.url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1], env={**os.environ},
    )
    assert child.stdin is not None and child.stdout is not None
    lost = 0
    results: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    try:
        assert "joined" in json.loads(child.stdout.readline())
        bursts_before = len(server.bursts)
        room.burst_ms.clear()
        cpu_before = _cpu_seconds()
        for round_, mode in enumerate(MODES):
            for index, pillar in enumerate(PILLARS):
                room.open_pillar(pillar)
                statements = [s.id for s in ws.questionnaire.section(pillar).statements]
                order = {"statements": statements, "first": index * len(statements),
                         "round": round_, "mode": mode, "hiccup": index == HICCUP_PILLAR}
                child.stdin.write(json.dumps(order) + "\n")
                child.stdin.flush()
                results[mode].append(json.loads(child.stdout.readline()))
            lost += _missing_on_disk(folder, ws, round_)
        cpu = _cpu_seconds() - cpu_before
        child.stdin.write(json.dumps({"report": True}) + "\n")
        child.stdin.flush()
        report = json.loads(child.stdout.readline())
        child.wait(60)
    finally:
        if child.poll() is None:
            child.kill()
        server.stop()
        room.close()
        library.close()
    acks = report["acks"]
    sent = PHONES * len(ws.questionnaire.statements) * len(MODES)
    unacked = sent - sum(len(a) for a in acks.values())
    acked_twice = sum(n - 1 for a in acks.values() for n in a.values()) - report["duplicates"]
    return {
        "results": results,
        "lost": lost + unacked + len(report["refused"]),
        "doubled": max(0, acked_twice),
        "bursts": list(server.bursts)[bursts_before:],
        "server_ack_ms": list(server.ack_ms),
        "burst_ms": room.burst_ms,
        "sent": sent,
        "cpu_ms_per_ballot": cpu * 1000 / sent,
    }


def measure_app(folder: Path) -> dict[str, Any]:
    """The same phones against the REAL app: main window (offscreen), room, projector,
    phones panel. Measures the GUI thread's longest stall (a 5 ms heartbeat) and when
    the projector showed "200 of 200" after the last acknowledgement."""
    import queue
    import threading

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from calms_desktop.gui.app import create_window

    library = Library(folder)
    ws = new_workshop(builtin(), title="Bench: 200 phones, real app",
                      participants=[Participant(f"p{i}", f"Person {i}") for i in range(PHONES)])
    library.save(ws)
    library.close()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = create_window(folder, phone_port=0)
    window.resize(1366, 768)
    window.show()
    window.open_workshop(ws.id)
    window.toggle_projector()
    projector = window.projector
    window.toggle_phones()
    panel = window.phones
    # 200 phones share 127.0.0.1 here
    panel.limits = Limits(max_per_address=None, max_sockets_per_address=None)
    assert panel.open_voting("127.0.0.1", PIN)
    gaps: list[float] = []
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        gaps.append((now - last[0]) * 1000)
        last[0] = now

    heart = QTimer()
    heart.setInterval(5)
    heart.timeout.connect(beat)
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.bench_phones", "--phones", panel.server.url],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        cwd=Path(__file__).resolve().parents[1], env={**os.environ},
    )
    assert child.stdin is not None and child.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = child.stdout
    threading.Thread(target=lambda: [lines.put(x) for x in stdout], daemon=True).start()

    def next_line(timeout: float = 120) -> dict[str, Any]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            app.processEvents()
            try:
                return dict(json.loads(lines.get(timeout=0.002)))
            except queue.Empty:
                continue
        raise TimeoutError("the phones did not answer")

    latencies: list[float] = []
    stalls: list[float] = []
    projector_ms: list[float] = []
    report: dict[str, Any] = {}
    try:
        assert "joined" in next_line()
        want = f"{PHONES} of {PHONES}"
        for index, pillar in enumerate(PILLARS):
            window.go_to(pillar.value)
            for _ in range(20):
                app.processEvents()
            statements = [st.id for st in ws.questionnaire.section(pillar).statements]
            gaps.clear()
            last[0] = time.perf_counter()
            heart.start()
            seen: list[float] = []

            def watch(seen: list[float] = seen) -> None:
                if not seen and projector.ui.progressCount.text() == want:
                    seen.append(time.perf_counter())

            watcher = QTimer()
            watcher.setInterval(1)
            watcher.timeout.connect(watch)
            watcher.start()
            order = {"statements": statements, "first": index * len(statements),
                     "round": 0, "mode": "paced", "hiccup": False}
            child.stdin.write(json.dumps(order) + "\n")
            child.stdin.flush()
            result = next_line()
            end = time.monotonic() + 5
            while not seen and time.monotonic() < end:
                app.processEvents()
            watcher.stop()
            heart.stop()
            latencies += result["latencies"]
            stalls.append(max(gaps, default=0.0))
            if seen:
                projector_ms.append(max(0.0, (seen[0] - result["last_ack"]) * 1000))
            else:
                projector_ms.append(float("inf"))
        child.stdin.write(json.dumps({"report": True}) + "\n")
        child.stdin.flush()
        report = next_line()
        child.wait(60)
    finally:
        if child.poll() is None:
            child.kill()
        panel.close_voting()
        projector.close()
        window.close()
        app.processEvents()
    stored = Library(folder, read_only=True).load(ws.id)
    expected = {(st.id, f"p{i}"): score_of(i, k, 0)
                for k, st in enumerate(ws.questionnaire.statements) for i in range(PHONES)}
    wrong = sum(1 for key, score in expected.items()
                if (v := stored.votes.get(key)) is None or v.score != score)
    return {"latencies": latencies, "stalls": stalls, "projector_ms": projector_ms,
            "wrong": wrong + len(set(stored.votes) - set(expected)),
            "refused": report.get("refused", [])}


def _cpu_seconds() -> float:
    """CPU time of this process (server and room; the phones run elsewhere)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _missing_on_disk(folder: Path, ws: Workshop, round_: int) -> int:
    """Votes that are not on disk as sent, plus any vote nobody sent."""
    stored = Library(folder, read_only=True).load(ws.id)
    expected = {
        (s.id, f"p{i}"): score_of(i, k, round_)
        for k, s in enumerate(ws.questionnaire.statements) for i in range(PHONES)
    }
    on_disk = {key: vote.score for key, vote in stored.votes.items()}
    wrong = sum(1 for key, score in expected.items() if on_disk.get(key) != score)
    return wrong + len(set(on_disk) - set(expected))


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def run() -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="calms-bench-phones-"))
    try:
        m = measure(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    paced = [x for r in m["results"]["paced"] for x in r["latencies"]]
    burst = [x for r in m["results"]["burst"] for x in r["latencies"]]
    again = [x for rs in m["results"].values() for r in rs for x in r["reconnected"]]
    p99 = _p99(paced)
    bad = m["lost"] + m["doubled"]
    counted = [r["count_after_last_ack_ms"] for rs in m["results"].values() for r in rs]
    all_counted = all(r["all_counted"] for rs in m["results"].values() for r in rs)
    return [
        Result(f"phone votes lost or doubled ({m['sent']:,} sent, 1 in 10 reconnect)",
               bad, "votes", "= 0", bad == 0),
        Result("phone send → durable ack p99, 200 phones × 25, room pace", p99, "ms",
               "≤ 100 ms", p99 <= 100),
        Result("phone send → durable ack median, room pace", statistics.median(paced), "ms"),
        Result("phone send → durable ack p99, all 1,000 at once", _p99(burst), "ms"),
        Result("phone send → durable ack median, all 1,000 at once",
               statistics.median(burst), "ms"),
        Result("phone send → ack across a reconnect (1 in 10 phones, once), max",
               max(again), "ms"),
        Result("phone ballots per disk write (mean)", m["sent"] / max(1, len(m["bursts"])),
               "ballots"),
        Result("app-side CPU per phone ballot (server + room, incl. writes)",
               m["cpu_ms_per_ballot"], "ms"),
        Result("stand-in GUI thread, longest burst (apply + save)", max(m["burst_ms"]), "ms"),
        Result("every phone's 'n of N' final, after the last ack" +
               ("" if all_counted else " (NOT all reached it)"), max(counted), "ms"),
        *run_app(),
    ]


def run_app() -> list[Result]:
    """The real app's figures (GUI thread, projector), 200 phones at room pace."""
    root = Path(tempfile.mkdtemp(prefix="calms-bench-phones-app-"))
    try:
        a = measure_app(root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    stall, shown = max(a["stalls"]), max(a["projector_ms"])
    p99 = _p99(a["latencies"])
    return [
        Result("[real app] votes lost or wrong on disk (200 × 25)", a["wrong"], "votes", "= 0",
               a["wrong"] == 0),
        Result("[real app] phone send → durable ack p99, room pace", p99, "ms", "≤ 100 ms",
               p99 <= 100),
        Result("[real app] GUI thread's longest stall during the bursts", stall, "ms",
               "≤ 50 ms", stall <= 50),
        Result("[real app] projector 'n of N' after the last ack", shown, "ms", "≤ 100 ms",
               shown <= 100),
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--phones"]:
        asyncio.run(_phones_main(sys.argv[2]))
    else:
        for r in run():
            print(r)
