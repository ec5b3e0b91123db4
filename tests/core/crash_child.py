"""Helper for ``test_crash_safety.py``: a zygote that forks workers to kill.

Run as ``python crash_child.py DATA_DIR WORKSHOP_ID [MODE ARG]``. MODE is
``votes`` (the default, below), ``import FOLDER`` (each round retitles every
file of FOLDER and imports them all, keeping both copies on a clash, and prints ``try import``
and ``ack import N`` with the library's size after it) or ``export TARGET``
(exports one of two workshops to TARGET, alternately, printing
``try export ID`` and ``ack export ID``).

In ``votes`` mode: For each ``go SEED``
line on stdin it forks a worker and waits for it; the worker prints
``pid N``, opens the library as its writer and records random ballots
through :meth:`WorkshopSession.submit` for ever, printing
``try <statement> <participant> <score>`` before and
``ack <statement> <participant> <score>`` after each one (score ``none``
withdraws the vote, ``0`` is don't know). The parent kills the worker with
SIGKILL; the zygote then prints ``dead N STATUS``. Forking from a process
that has already imported the app keeps each kill cheap.
"""

from __future__ import annotations

import os
import random
import sys
import traceback

from calms_desktop.core.ballots import Ballot
from calms_desktop.core.model import DONT_KNOW
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library


def say(line: str) -> None:
    """One line in one write(2): a kill cannot leave half of it in the pipe."""
    os.write(1, f"{line}\n".encode())


def worker(data_dir: str, workshop_id: str, seed: int) -> None:
    say(f"pid {os.getpid()}")
    rng = random.Random(seed)
    library = Library(data_dir)
    ws = library.load(workshop_id)
    session = WorkshopSession(ws, library)
    statements = [s.id for s in ws.questionnaire.statements]
    people = [p.id for p in ws.participants]
    while True:
        sid = rng.choice(statements)
        pid = rng.choice(people)
        r = rng.random()
        score = None if r < 0.05 else DONT_KNOW if r < 0.15 else rng.randint(1, 5)
        shown = "none" if score is None else str(score)
        say(f"try {sid} {pid} {shown}")
        session.submit(Ballot(sid, pid, score))
        say(f"ack {sid} {pid} {shown}")


def import_worker(data_dir: str, folder: str) -> None:
    from pathlib import Path

    from calms_desktop.core import fileformat
    from calms_desktop.core.merge import import_files
    from calms_desktop.core.storage import atomic_write

    say(f"pid {os.getpid()}")
    library = Library(data_dir)
    files = sorted(Path(folder).glob("*.json"))
    while True:
        # A new title each round, so every file clashes (and is kept as a copy) rather
        # than being skipped as identical.
        for f in files:
            ws = fileformat.read_file(f)
            ws.title = f"{ws.title.split(' #')[0]} #{os.getpid()}-{random.random()}"
            atomic_write(f, fileformat.dumps(ws).encode("utf-8"))  # a kill here tears nothing
        say("try import")
        report = import_files(library, [folder], lambda clash: "keep-both",
                              lambda done, total: say(f"progress {done} {total}") or True)
        assert report.failed is None and not report.problems, report
        say(f"ack import {len(library)}")


def export_worker(data_dir: str, target: str, seed: int) -> None:
    from pathlib import Path

    from calms_desktop.core import fileformat
    from calms_desktop.core.storage import atomic_write

    say(f"pid {os.getpid()}")
    rng = random.Random(seed)
    library = Library(data_dir, read_only=True)
    workshops = {r["id"]: library.load(r["id"]) for r in library.summaries()[:2]}
    while True:
        wid = rng.choice(sorted(workshops))
        say(f"try export {wid}")
        atomic_write(Path(target), (fileformat.dumps(workshops[wid]) + "\n").encode("utf-8"))
        say(f"ack export {wid}")


def main() -> None:
    data_dir, workshop_id = sys.argv[1], sys.argv[2]
    mode, arg = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("votes", "")
    say("ready")
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        if command[0] == "go":
            child = os.fork()
            if child == 0:
                try:
                    if mode == "import":
                        import_worker(data_dir, arg)
                    elif mode == "export":
                        export_worker(data_dir, arg, int(command[1]))
                    else:
                        worker(data_dir, workshop_id, int(command[1]))
                except BaseException:
                    traceback.print_exc()
                finally:
                    os._exit(1)
            _, status = os.waitpid(child, 0)
            say(f"dead {child} {status}")


if __name__ == "__main__":
    main()
