"""kill -9 at random moments: every acknowledged vote survives, the library opens.

A child process (``crash_child.py``) records ballots through
``WorkshopSession.submit`` and prints an acknowledgement after each; we kill
it with SIGKILL at random moments — while it opens the library, writes a
workshop file, fsyncs, replaces it, or prints — hundreds of times on the
same, growing library. After every kill the library must open cleanly and
hold exactly the acknowledged votes (the one ballot in flight at the kill may
or may not have landed, nothing else may differ).

Set ``CALMS_CRASH_SEED`` to replay a run.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import pytest

from calms_desktop.core.model import Participant, Workshop
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.storage import Library

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
KILLS = 300
PEOPLE = 30
WORKSHOP_ID = "crash-test-workshop"
TIMEOUT = 30.0  # seconds to wait for any one line: a hang, not a slow run


class LineReader:
    """Lines from a pipe, with a timeout (a hung child fails the test, not the run)."""

    def __init__(self, stream) -> None:
        self.fd = stream.fileno()
        self.buffer = b""
        self.lines: deque[str] = deque()

    def next(self) -> str:
        deadline = time.monotonic() + TIMEOUT
        while not self.lines:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no output from the crash child")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    raise EOFError("the crash child closed its output")
                self.buffer += chunk
                *complete, self.buffer = self.buffer.split(b"\n")
                self.lines.extend(x.decode("utf-8") for x in complete)
        return self.lines.popleft()


def _score(text: str) -> int | None:
    return None if text == "none" else int(text)


def _on_disk(data_dir: Path) -> dict[tuple[str, str], int]:
    with Library(data_dir) as library:  # as the writer: it may tidy up after the kill
        assert library.problems == [], library.problems
        assert len(library) == 1
        ws = library.load(WORKSHOP_ID)
    return {key: vote.score for key, vote in ws.votes.items()}


def _leftovers(data_dir: Path) -> list[str]:
    odd = [p.name for p in (data_dir / "damaged").iterdir()]
    odd += [str(p.relative_to(data_dir)) for p in data_dir.rglob("*.tmp")]
    return odd


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_acknowledged_votes_survive_kill_9(tmp_path):
    seed = int(os.environ.get("CALMS_CRASH_SEED", time.time_ns() % 10**9))
    rng = random.Random(seed)
    about = f"(replay with CALMS_CRASH_SEED={seed})"
    data_dir = tmp_path / "library"
    with Library(data_dir) as library:
        library.save(
            Workshop(
                id=WORKSHOP_ID, title="Crash test", organisation="Org", team="Team",
                date="2026-03-31", questionnaire=builtin(),
                participants=[Participant(f"p{i:02d}", f"Person {i}") for i in range(PEOPLE)],
            )
        )

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(
            [sys.executable, str(HERE / "crash_child.py"), str(data_dir), WORKSHOP_ID],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, cwd=ROOT, env=env,
        )
        try:
            _kill_repeatedly(child, LineReader(child.stdout), data_dir, rng, about)
        except BaseException:
            errors.seek(0)
            sys.stderr.write(errors.read().decode("utf-8", "replace")[-4000:])
            raise
        finally:
            if child.poll() is None:
                child.stdin.close()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()


class Round:
    """What one worker said before it was killed."""

    def __init__(self, worker: int, known: dict, about: str) -> None:
        self.worker = worker
        self.known = known  # updated in place with every acknowledgement
        self.about = about
        self.in_flight: tuple[tuple[str, str], int | None] | None = None
        self.acks = 0

    def take(self, line: str) -> bool:
        """Track one line of output; True for the zygote's "dead" line."""
        kind, *rest = line.split()
        if kind == "dead":
            status = int(rest[1])
            assert int(rest[0]) == self.worker
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, (
                f"the worker died on its own (status {status}) {self.about}"
            )
            return True
        key = (rest[0], rest[1])
        if kind == "try":
            self.in_flight = (key, _score(rest[2]))
        elif kind == "ack":
            self.known[key] = _score(rest[2])
            self.in_flight = None
            self.acks += 1
        return False


def _kill_repeatedly(child, lines: LineReader, data_dir: Path, rng: random.Random,
                     about: str) -> None:
    assert lines.next() == "ready"
    known: dict[tuple[str, str], int | None] = {}  # what the disk holds after each check
    total_acks = 0
    for kill in range(KILLS):
        child.stdin.write(f"go {rng.randrange(1 << 30)}\n".encode())
        child.stdin.flush()
        first = lines.next()
        assert first.startswith("pid "), first
        round_ = Round(int(first.split()[1]), known, about)

        # Kill at a random moment: mostly after a few acknowledgements (inside a
        # save), sometimes while the worker is still opening the library.
        if rng.random() < 0.15:
            time.sleep(rng.uniform(0, 0.03))
        else:
            wanted = rng.randint(1, 6)
            while round_.acks < wanted:
                assert not round_.take(lines.next()), f"the worker died early {about}"
            time.sleep(rng.uniform(0, 0.006))
        try:
            os.kill(round_.worker, signal.SIGKILL)
        except ProcessLookupError:
            pass
        while not round_.take(lines.next()):
            pass
        total_acks += round_.acks

        disk = _on_disk(data_dir)
        assert _leftovers(data_dir) == [], f"after kill {kill} {about}"
        in_flight = round_.in_flight
        for key in set(known) | set(disk):
            if in_flight is not None and key == in_flight[0]:
                continue
            assert disk.get(key) == known.get(key), (
                f"kill {kill}: {key} on disk {disk.get(key)!r}, acknowledged "
                f"{known.get(key)!r} {about}"
            )
        if in_flight is not None:
            key, tried = in_flight
            assert disk.get(key) in (known.get(key), tried), (
                f"kill {kill}: in-flight {key} is {disk.get(key)!r}, expected "
                f"{known.get(key)!r} or {tried!r} {about}"
            )
            known[key] = disk.get(key)  # now settled, either way

    child.stdin.write(b"quit\n")
    child.stdin.flush()
    assert child.wait(timeout=30) == 0
    # The run exercised what it claims to: many acknowledged votes, a growing file.
    assert total_acks >= KILLS, about
    assert sum(1 for v in known.values() if v is not None) > 200, about
