"""kill -9 at random moments: every acknowledged vote survives, the library opens.

A child process (``crash_child.py``) records ballots through
``WorkshopSession.submit`` and prints an acknowledgement after each; we kill
it with SIGKILL at random moments — while it opens the library, writes a
workshop file, fsyncs, replaces it, or prints — hundreds of times on the
same, growing library. After every kill the library must open cleanly and
hold exactly the acknowledged votes (the one ballot in flight at the kill may
or may not have landed, nothing else may differ).

The same is done while a folder is imported (each import is all of the
folder or none of it, and leaves no staging folder or temporary file) and
while a workshop is exported (the export is the old file or the new one,
and a killed export's temporary file is removed by the next).

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

    child, errors = _zygote(data_dir)
    failed = True
    try:
        _kill_repeatedly(child, LineReader(child.stdout), data_dir, rng, about)
        failed = False
    finally:
        _stop(child, errors, failed)


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


# -- kill during import of a folder, and during export ---------------------------------------

IMPORT_KILLS = 30
EXPORT_KILLS = 60
FOLDER_FILES = 4


def _zygote(data_dir: Path, *mode: str):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    errors = tempfile.TemporaryFile()
    child = subprocess.Popen(
        [sys.executable, str(HERE / "crash_child.py"), str(data_dir), WORKSHOP_ID, *mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, cwd=ROOT, env=env,
    )
    return child, errors


def _stop(child, errors, failed: bool) -> None:
    if failed:
        errors.seek(0)
        sys.stderr.write(errors.read().decode("utf-8", "replace")[-4000:])
    if child.poll() is None:
        child.stdin.close()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    errors.close()


def _kill_one(child, lines: LineReader, rng: random.Random, about: str,
              window: float, focus: str = "") -> tuple[list[str], str]:
    """Start a worker, kill it at a random moment; returns its acks and its last ``try``.

    ``window`` is about how long one import or export takes: the kill comes
    that long at most after a ``try`` line — or, half the time when ``focus``
    is given, a sixth of that after the first line starting with ``focus``
    (the moment before the commit, which is short).
    """
    child.stdin.write(f"go {rng.randrange(1 << 30)}\n".encode())
    child.stdin.flush()
    first = lines.next()
    assert first.startswith("pid "), first
    pid = int(first.split()[1])
    acks: list[str] = []
    last_try = ""
    if rng.random() < 0.9:  # mostly inside an import/export: after its "try" line
        wanted = rng.randint(0, 2)
        while len(acks) < wanted or not last_try:
            line = lines.next()
            assert not line.startswith("dead"), f"the worker died early {about}"
            if line.startswith("ack"):
                acks.append(line)
                last_try = ""
            elif line.startswith("try"):
                last_try = line
        if focus and rng.random() < 0.5:
            while not (line := lines.next()).startswith(focus):
                assert not line.startswith("dead"), f"the worker died early {about}"
                if line.startswith("ack"):
                    acks.append(line)
                    last_try = ""
                elif line.startswith("try"):
                    last_try = line
            window /= 6
        time.sleep(rng.uniform(0, window))
    else:  # sometimes while it opens the library
        time.sleep(rng.uniform(0, 0.02))
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    while True:
        line = lines.next()
        if line.startswith("dead"):
            status = int(line.split()[2])
            assert os.WIFSIGNALED(status), f"the worker died on its own {about}"
            return acks, last_try
        if line.startswith("ack"):
            acks.append(line)
        elif line.startswith("try"):
            last_try = line


def _odd_files(data_dir: Path) -> list[str]:
    odd = [p.name for p in data_dir.iterdir() if p.name.startswith(".staging-")]
    odd += [str(p.relative_to(data_dir)) for p in data_dir.rglob("*.tmp")]
    return odd + [p.name for p in (data_dir / "damaged").iterdir()]


def _seeded() -> tuple[random.Random, str]:
    seed = int(os.environ.get("CALMS_CRASH_SEED", time.time_ns() % 10**9))
    return random.Random(seed), f"(replay with CALMS_CRASH_SEED={seed})"


def _incoming_folder(tmp_path: Path) -> Path:
    from calms_desktop.core import fileformat
    from calms_desktop.core.model import Vote

    folder = tmp_path / "incoming"
    folder.mkdir()
    for n in range(FOLDER_FILES):
        ws = Workshop(id=f"incoming-{n}", title=f"Incoming {n}", organisation="Org",
                      team="Team", date="2026-03-31", questionnaire=builtin(),
                      participants=[Participant(f"p{i:02d}", f"Person {i}")
                                    for i in range(PEOPLE)])
        for s in ws.questionnaire.statements:
            for p in ws.participants:
                ws.votes[(s.id, p.id)] = Vote(s.id, p.id, 3)
        (folder / f"{n}.json").write_text(fileformat.dumps(ws), encoding="utf-8")
    return folder


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_a_killed_folder_import_is_all_or_nothing(tmp_path):
    rng, about = _seeded()
    data_dir = tmp_path / "library"
    with Library(data_dir) as library:
        library.save(Workshop(id=WORKSHOP_ID, title="Mine", organisation="Org", team="Team",
                              date="2026-03-31", questionnaire=builtin()))
    folder = _incoming_folder(tmp_path)
    child, errors = _zygote(data_dir, "import", str(folder))
    failed = True
    try:
        lines = LineReader(child.stdout)
        assert lines.next() == "ready"
        known = 1
        staged = 0  # kills that left a staging folder behind (rolled back or forward)
        for kill in range(IMPORT_KILLS):
            acks, _last = _kill_one(child, lines, rng, about, window=0.12,
                                    focus=f"progress {FOLDER_FILES} ")  # about to store
            if acks:
                known = int(acks[-1].split()[2])
            staged += any(p.name.startswith(".staging-") for p in data_dir.iterdir())
            with Library(data_dir) as library:  # the writer finishes or drops the staging
                size = len(library)
                assert library.problems == [], f"kill {kill} {about}"
            assert _odd_files(data_dir) == [], f"after kill {kill} {about}"
            # All of the folder or none of it: the in-flight import is whole or absent.
            assert size in (known, known + FOLDER_FILES), (
                f"kill {kill}: {size} workshops, acknowledged {known} {about}")
            known = size
        assert known > 1 + FOLDER_FILES, f"no import ever completed {about}"
        assert staged > 0, f"no kill landed inside an import {about}"
        failed = False
    finally:
        _stop(child, errors, failed)


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")
def test_a_killed_export_leaves_the_old_or_the_new_file(tmp_path):
    import json

    from calms_desktop.core.storage import atomic_write

    rng, about = _seeded()
    data_dir = tmp_path / "library"
    with Library(data_dir) as library:
        for n in range(2):
            library.save(Workshop(
                id=f"export-{n}", title=f"Export {n}", organisation="Org", team="Team",
                date=f"2026-03-3{n}", questionnaire=builtin(),
                participants=[Participant(f"p{i:02d}", f"P {i}") for i in range(PEOPLE)]))
    out = tmp_path / "out"
    out.mkdir()
    target = out / "export.json"
    child, errors = _zygote(data_dir, "export", str(target))
    failed = True
    try:
        lines = LineReader(child.stdout)
        assert lines.next() == "ready"
        known: str | None = None
        for kill in range(EXPORT_KILLS):
            acks, last = _kill_one(child, lines, rng, about, window=0.004)
            if acks:
                known = acks[-1].split()[2]
            if target.exists():
                on_disk = json.loads(target.read_text(encoding="utf-8"))["workshop"]["id"]
                tried = last.split()[2] if last else None
                assert on_disk in (known, tried), f"kill {kill}: {on_disk} {about}"
                known = on_disk
            leftovers = [p.name for p in out.iterdir() if p.suffix == ".tmp"]
            assert len(leftovers) <= 1, f"kill {kill}: leftovers {leftovers} {about}"
        failed = False
    finally:
        _stop(child, errors, failed)
    atomic_write(target, target.read_bytes())  # the next export sweeps a killed one's file
    assert [p.name for p in out.iterdir()] == ["export.json"]
