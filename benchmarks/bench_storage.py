"""The library at 1 and at 1,000 workshops: persisting a vote, listing, first open.

Also (issue "A library that always opens …", section 4): a vote on the
largest workshop the app accepts — the most participants, every statement
voted by everyone, notes filling the file up to the size limit — saves
within the same 15 ms budget; and a library folder holding one of every
entry of the hostile corpus (``tests/hostile/corpus.py``) next to the
good workshops opens, setting them aside, within a second.

Goals (issue "Foundation", section 4): persisting one vote through
``WorkshopSession.submit`` (fsync included) takes at most 15 ms and at most
1.2× as long with 1,000 stored workshops as with 1; listing 1,000 workshops
takes at most 200 ms.

Each workshop has 30 participants × the default questionnaire (25
statements), every statement voted by everyone. The libraries are written
quickly (the output of ``fileformat.dumps`` for one workshop, with the id
and title changed per copy), then opened once so the index is built. Vote
timings of the two libraries are taken in alternation so that a busy
machine slows both alike.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from calms_desktop.core import fileformat
from calms_desktop.core.ballots import Ballot
from calms_desktop.core.model import ActionItem, Participant, Vote, Workshop
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library

from .common import Result

PEOPLE = 30
VOTES = 200  # persisted votes measured per library
LISTS = 15  # list timings
TEMPLATE_ID = "00000000-0000-4000-8000-00000000beef"
TEMPLATE_TITLE = "Benchmark template workshop"


def _template() -> Workshop:
    ws = Workshop(
        id=TEMPLATE_ID,
        title=TEMPLATE_TITLE,
        organisation="Benchmark Org",
        team="Team",
        date="2026-03-31",
        questionnaire=builtin(),
        participants=[Participant(f"p{i:02d}", f"Participant {i}", "Dev") for i in range(PEOPLE)],
    )
    for si, s in enumerate(ws.questionnaire.statements):
        for pi, p in enumerate(ws.participants):
            ws.votes[(s.id, p.id)] = Vote(
                s.id, p.id, 1 + (si + pi) % 5, "console", "2026-03-31T10:00:00+00:00"
            )
    return ws


def build_library(folder: Path, count: int) -> float:
    """Write ``count`` fully voted workshops; returns the first open (index build) in ms."""
    text = fileformat.dumps(_template())
    workshops = folder / "workshops"
    workshops.mkdir(parents=True)
    for i in range(count):
        wid = f"00000000-0000-4000-8000-{i:012d}"
        copy = text.replace(TEMPLATE_ID, wid).replace(TEMPLATE_TITLE, f"Workshop {i}")
        (workshops / f"{wid}.json").write_text(copy, encoding="utf-8")
    t0 = time.perf_counter()
    library = Library(folder)
    elapsed = (time.perf_counter() - t0) * 1000
    assert len(library) == count and not library.problems
    library.close()
    return elapsed


def _ballots(ws: Workshop):
    """An endless stream of ballots that each change a vote."""
    statements = [s.id for s in ws.questionnaire.statements]
    people = [p.id for p in ws.participants]
    n = 0
    while True:
        sid = statements[n % len(statements)]
        pid = people[(n // len(statements)) % len(people)]
        old = ws.votes[(sid, pid)].score
        yield Ballot(sid, pid, 1 + old % 5)
        n += 1


def measure_votes(small: Path, large: Path) -> tuple[float, float]:
    """Median ms of one persisted vote in each library, measured in alternation."""
    sessions = []
    for folder in (small, large):
        library = Library(folder)
        wid = library.summaries()[0]["id"]
        session = WorkshopSession(library.load(wid), library)
        sessions.append((library, session, _ballots(session.workshop)))
    times: list[list[float]] = [[], []]
    try:
        for round_ in range(VOTES + 5):
            for k, (_, session, ballots) in enumerate(sessions):
                ballot = next(ballots)
                t0 = time.perf_counter()
                session.submit(ballot)
                elapsed = (time.perf_counter() - t0) * 1000
                if round_ >= 5:  # warm-up
                    times[k].append(elapsed)
    finally:
        for library, _, _ in sessions:
            library.close()
    return statistics.median(times[0]), statistics.median(times[1])


def measure_list(folder: Path) -> float:
    times = []
    for _ in range(LISTS):
        t0 = time.perf_counter()
        library = Library(folder, read_only=True)
        rows = library.summaries()
        times.append((time.perf_counter() - t0) * 1000)
        library.close()
        assert len(rows) == 1000
    return statistics.median(times)


def largest_workshop() -> Workshop:
    """The largest workshop the file format accepts: every limit reached at once."""
    from calms_desktop.core import validate as v
    from calms_desktop.core.model import STEPS

    ws = _template()
    ws.participants = [Participant(f"p{i:03d}", f"Participant number {i}", "Developer")
                       for i in range(v.MAX_PARTICIPANTS)]
    ws.votes = {}
    for si, s in enumerate(ws.questionnaire.statements):
        for pi, p in enumerate(ws.participants):
            ws.votes[(s.id, p.id)] = Vote(s.id, p.id, 1 + (si + pi) % 5, "console",
                                          "2026-03-31T10:00:00+00:00")
    room = v.MAX_FILE_BYTES - len(Library.encode(ws)) - 4096
    for step in STEPS:  # notes in every step, up to the file's size limit
        take = min(room, v.MAX_TEXT)
        if take <= 0:
            break
        ws.notes[step] = "Ä note of the room. " * (take // 22)
        room -= len(ws.notes[step].encode("utf-8")) + 20
    n = 0
    while room > 200:  # then actions, up to the same limit
        take = min(room - 200, v.MAX_TEXT)
        ws.actions.append(ActionItem(f"action-{n}", "x" * take, "Owner", "2026-05-01"))
        room -= take + 200
        n += 1
    assert len(Library.encode(ws)) <= v.MAX_FILE_BYTES
    return ws


def measure_largest(folder: Path) -> tuple[float, int]:
    """Median ms of one persisted vote on the largest accepted workshop, and its size."""
    library = Library(folder)
    try:
        ws = largest_workshop()
        library.save(ws)
        size = library.path_of(ws.id).stat().st_size
        session = WorkshopSession(library.load(ws.id), library)
        ballots = _ballots(session.workshop)
        times = []
        for i in range(VOTES // 4 + 5):
            ballot = next(ballots)
            t0 = time.perf_counter()
            session.submit(ballot)
            if i >= 5:
                times.append((time.perf_counter() - t0) * 1000)
    finally:
        library.close()
    return statistics.median(times), size


def measure_hostile(folder: Path) -> tuple[float, float, int]:
    """ms to list a library holding the corpus (a reader), then to open it as the writer."""
    from tests.hostile.corpus import ALL, valid_workshop

    with Library(folder) as library:
        for n in range(10):
            library.save(valid_workshop(f"good-{n}"))
    for n, case in enumerate(ALL):
        case.make(folder / "workshops" / f"hostile-{n}.json")
    t0 = time.perf_counter()  # a reader first (``list``): it reports, moves nothing
    with Library(folder, read_only=True) as reader:
        listed = (time.perf_counter() - t0) * 1000
        assert len(reader) == 10 and len(reader.problems) == len(ALL)
    t0 = time.perf_counter()
    library = Library(folder)
    opened = (time.perf_counter() - t0) * 1000
    set_aside = len(library.problems)
    assert len(library) == 10 and set_aside == len(ALL)
    library.close()
    return opened, listed, set_aside


def run() -> list[Result]:
    root = Path(tempfile.mkdtemp(prefix="calms-bench-"))
    try:
        small, large = root / "one", root / "thousand"
        build_library(small, 1)
        first_open = build_library(large, 1000)
        list_ms = measure_list(large)
        one, thousand = measure_votes(small, large)
        largest, largest_size = measure_largest(root / "largest")
        hostile_open, hostile_list, hostile_n = measure_hostile(root / "hostile")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    ratio = thousand / one
    return [
        Result("persist one vote, 1 workshop (fsync incl.)", one, "ms"),
        Result("persist one vote, 1,000 workshops (fsync incl.)", thousand, "ms",
               "≤ 15 ms", thousand <= 15),
        Result("vote at 1,000 / vote at 1", ratio, "x", "≤ 1.2×", ratio <= 1.2),
        Result("open read-only + list 1,000 workshops (index built)", list_ms, "ms",
               "≤ 200 ms", list_ms <= 200),
        Result("first open of 1,000 workshops, no index (builds it)", first_open, "ms"),
        Result(f"persist one vote, largest accepted workshop ({largest_size / 1e6:.1f} MB)",
               largest, "ms", "≤ 15 ms", largest <= 15),
        Result(f"open a library with {hostile_n} hostile entries (sets them aside)",
               hostile_open, "ms", "≤ 1,000 ms", hostile_open <= 1000),
        Result("list it read-only first (reports them)", hostile_list, "ms", "≤ 1,000 ms",
               hostile_list <= 1000),
    ]
