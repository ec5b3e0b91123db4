"""The facilitator console: start → first window painted, and a vote → chart updated.

Goals (issue "Facilitator console", Speed):

1. **Start → first window painted** within 1.5× the time a bare PySide6
   window takes, measured in the same run. Each start is a fresh process
   (offscreen), timed from the first line of a tiny script to the end of the
   window's first paint; bare and app starts alternate so a busy machine
   slows both alike; median of 5 each. "Start" is launching the process,
   as a user does: the Python interpreter's own start-up counts for both.
   The ratio from the script's first line (without the interpreter) is
   printed as well.

   The bare window the goal compares with shows one line of text (a
   ``QLabel``): Qt initialises its font system on the first text it paints
   (about 40 ms here), which every real window pays and an empty one does
   not. The ratio against an empty ``QMainWindow`` is printed as well.
2. **A vote → chart updated** in at most one 60 Hz frame (16.7 ms) median,
   for 30 participants on the default questionnaire (with a baseline and
   targets): from ``controller.vote()`` (which persists, fsync included) to
   the live radar (800×600 canvas, shown) having blitted the new numbers.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from .common import Result

STARTS = 5
VOTES = 60
PEOPLE = 30
ROOT = Path(__file__).resolve().parents[1]

_PAINT_WAIT = """
from PySide6.QtCore import QEvent, QObject

class _FirstPaint(QObject):
    painted = False

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType() and obj.window() is window:
            _FirstPaint.painted = True
        return False

_filter = _FirstPaint()
app.installEventFilter(_filter)
window.show()
while not _FirstPaint.painted:
    app.processEvents()
app.processEvents()  # finish the paint pass the first paint belongs to
elapsed = (time.perf_counter() - T0) * 1000
print(f"@@MS@@{elapsed:.3f}")
print(f"@@WALL@@{time.time():.6f}")
print(f"@@MPL@@{int('matplotlib' in sys.modules)}")
"""

BARE = """
import time
T0 = time.perf_counter()
import sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("CALMS Workshop")
window.resize(1366, 768)
if len(sys.argv) > 1:  # the bare window that paints text
    from PySide6.QtWidgets import QLabel
    window.setCentralWidget(QLabel("CALMS Workshop"))
""" + _PAINT_WAIT

APP = """
import time
T0 = time.perf_counter()
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
from calms_desktop.gui.app import create_window
app = QApplication(sys.argv[:1])
window = create_window(Path(sys.argv[1]))
""" + _PAINT_WAIT


def _start_ms(script: str, pycache: Path, data_dir: Path | None = None,
              display: str | None = None) -> tuple[float, float, bool]:
    """One start in a fresh process: (ms from launching the process to the first
    paint, ms from the script's first line to it, whether matplotlib was loaded).

    With ``display`` the window is a real X11 window on that (Xvfb) display.
    """
    # An installed app starts from bytecode: let the children cache it (outside the tree),
    # even where PYTHONDONTWRITEBYTECODE is set.
    platform = {"QT_QPA_PLATFORM": "xcb", "DISPLAY": display} if display else {
        "QT_QPA_PLATFORM": "offscreen"}
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONPYCACHEPREFIX=str(pycache), **platform)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    args = [sys.executable, "-c", textwrap.dedent(script)]
    if data_dir is not None:
        args.append(str(data_dir))
    launched = time.time()
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    ms = mpl = wall = None
    for line in proc.stdout.splitlines():
        if line.startswith("@@WALL@@"):
            wall = float(line[8:])
        elif line.startswith("@@MS@@"):
            ms = float(line[6:])
        elif line.startswith("@@MPL@@"):
            mpl = line[7:] == "1"
    if proc.returncode != 0 or ms is None or wall is None:
        raise RuntimeError(f"start-up run failed:\n{proc.stderr[-2000:]}")
    return (wall - launched) * 1000, ms, bool(mpl)


class _Xvfb:
    """A private Xvfb display for the start-up runs (None when Xvfb is not installed)."""

    def __enter__(self) -> str | None:
        self.proc = None
        exe = shutil.which("Xvfb")
        if exe is None:
            return None
        read, write = os.pipe()
        self.proc = subprocess.Popen(
            [exe, "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        with os.fdopen(read) as f:
            number = f.readline().strip()
        return f":{number}" if number else None

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def bench_start() -> list[Result]:
    results: list[Result] = []
    with _Xvfb() as display:
        for where, disp in (("X11 (Xvfb)", display), ("offscreen", None)):
            if where.startswith("X11") and disp is None:
                results.append(Result("start-up under X11: Xvfb not installed", 0, ""))
                continue
            results += _bench_start_on(where, disp)
    return results


def _bench_start_on(where: str, display: str | None) -> list[Result]:
    runs: dict[str, list[tuple[float, float]]] = {"empty": [], "bare": [], "app": []}
    matplotlib_at_start = False
    tmp = Path(tempfile.mkdtemp(prefix="calms-bench-start-"))
    try:
        cache = tmp / "pycache"
        _start_ms(BARE, cache, display=display)  # warm the file and bytecode caches
        _start_ms(APP, cache, tmp / "warm", display=display)
        for i in range(STARTS):  # alternately, so a busy machine slows both alike
            runs["empty"].append(_start_ms(BARE, cache, display=display)[:2])
            runs["bare"].append(_start_ms(BARE, cache, tmp / "text", display=display)[:2])
            launch, script, mpl = _start_ms(APP, cache, tmp / f"run{i}", display=display)
            runs["app"].append((launch, script))
            matplotlib_at_start |= mpl
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    def med(kind: str, part: int) -> float:
        return statistics.median(r[part] for r in runs[kind])

    bare, app = med("bare", 0), med("app", 0)
    bare_s, app_s = med("bare", 1), med("app", 1)
    goal = "≤ 1.5" if display else ""
    ok = (app / bare <= 1.5) if display else None
    return [
        Result(f"[{where}] launch → painted: bare window with a label", bare, "ms"),
        Result(f"[{where}] launch → painted: CALMS main window", app, "ms"),
        Result(f"[{where}] launch → painted: CALMS / bare", app / bare, "x", goal, ok),
        Result("  same, from the script's first line (no interpreter)", app_s / bare_s, "x"),
        Result("  CALMS / empty QMainWindow, from launch (context)", app / med("empty", 0), "x"),
        Result(f"[{where}] matplotlib imported at start (1 = yes)", float(matplotlib_at_start),
               "", "= 0", not matplotlib_at_start),
    ]


def _workshops(library):
    from calms_desktop.core import questionnaire as qmod
    from calms_desktop.core.factory import new_workshop
    from calms_desktop.core.model import PILLARS, Participant, Vote

    rng = random.Random(7)
    q = qmod.builtin()
    people = [Participant(f"p{i:02d}", f"Participant {i}") for i in range(PEOPLE)]
    baseline = new_workshop(q, title="Baseline", organisation="Bench", team="Team",
                            participants=list(people))
    for s in q.statements:
        for p in people:
            baseline.votes[(s.id, p.id)] = Vote(s.id, p.id, rng.randint(1, 5))
    library.save(baseline)
    ws = new_workshop(q, title="Bench", organisation="Bench", team="Team",
                      participants=list(people), baseline_id=baseline.id,
                      targets={p: 4 for p in PILLARS})
    for s in q.statements[:20]:  # most of the room has voted on most statements
        for p in people:
            ws.votes[(s.id, p.id)] = Vote(s.id, p.id, rng.randint(1, 5))
    library.save(ws)
    return ws


def bench_vote_to_chart() -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from calms_desktop.core.session import WorkshopSession
    from calms_desktop.core.storage import Library
    from calms_desktop.gui.commands import WorkshopController
    from calms_desktop.gui.widgets.radar_canvas import RadarPanel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="calms-bench-vote-"))
    library = Library(tmp)
    try:
        from calms_desktop.core.model import PILLARS, PillarState

        ws = _workshops(library)
        # Revealed: the radar plots revealed pillars only, so a vote on a pillar still
        # voting moves nothing on it (and the chart rightly does not redraw).
        ws.pillar_states = {p: PillarState.REVEALED for p in PILLARS}
        library.save(ws)
        controller = WorkshopController(WorkshopSession(library.load(ws.id), library))
        panel = RadarPanel()
        panel.set_controller(controller)
        panel.resize(800, 600)
        panel.show()
        deadline = time.monotonic() + 20
        while (panel.canvas is None or panel.frames < 1) and time.monotonic() < deadline:
            app.processEvents()
        canvas = panel.canvas
        extra = 800 - canvas.width(), 600 - canvas.height()
        panel.resize(800 + extra[0], 600 + extra[1])  # the canvas itself at 800×600
        for _ in range(200):  # let resize and fitting draws settle
            app.processEvents()
        size = (canvas.width(), canvas.height())

        rng = random.Random(11)
        statements = [s.id for s in ws.questionnaire.statements]
        people = [p.id for p in ws.participants]
        total, vote_only, chart_only = [], [], []
        blits_before = panel.blits
        measured = 0
        for i in range(40 * VOTES):
            if measured >= VOTES + 3:
                break
            sid, pid = rng.choice(statements), people[i % len(people)]
            before = controller.workshop.vote(sid, pid)
            score = rng.choice([x for x in range(1, 6) if before is None or x != before.score])
            shown = controller.radar_data()
            frames = panel.frames
            t0 = time.perf_counter()
            controller.vote(sid, pid, score)  # another answer: the pillar's mean moves
            t1 = time.perf_counter()
            if controller.radar_data() == shown:
                continue  # the radar plots one decimal: this vote moved nothing on it
            i = measured  # noqa: PLW2901 (the warm-up counts measured votes)
            measured += 1
            until = time.monotonic() + 10
            while panel.frames == frames:
                app.processEvents()
                if time.monotonic() > until:
                    raise RuntimeError("the chart did not redraw after a vote")
            t2 = time.perf_counter()
            if i >= 3:  # warm-up
                total.append((t2 - t0) * 1000)
                vote_only.append((t1 - t0) * 1000)
                chart_only.append((t2 - t1) * 1000)
        blitted = panel.blits - blits_before
        # A full draw at the same size, for comparison.
        full = []
        for _ in range(10):
            t0 = time.perf_counter()
            canvas.draw()
            full.append((time.perf_counter() - t0) * 1000)
        median = statistics.median(total)
        panel.close()
        panel.deleteLater()
        controller.close()
        app.processEvents()
    finally:
        library.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return [
        Result(f"vote → radar updated, {PEOPLE} people, {size[0]}×{size[1]}", median, "ms",
               "≤ 16.7 ms", median <= 16.7),
        Result("  of which the vote (apply + persist + signals)", statistics.median(vote_only),
               "ms"),
        Result("  of which scores + chart update + blit", statistics.median(chart_only), "ms"),
        Result("  updates drawn by blitting", 100.0 * blitted / (VOTES + 3), "%"),
        Result("  (a full matplotlib draw, for comparison)", statistics.median(full), "ms"),
    ]


def bench_vote_to_room() -> list[Result]:
    """A vote → console grid, projector and both radars updated, in the real main window
    (1366×768) with the projector open (1280×720), 30 people; before and after a reveal."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from calms_desktop.core.model import Pillar
    from calms_desktop.core.storage import Library
    from calms_desktop.gui.app import create_window

    app = QApplication.instance() or QApplication(sys.argv[:1])
    tmp = Path(tempfile.mkdtemp(prefix="calms-bench-room-"))
    try:
        library = Library(tmp)
        ws = _workshops(library)
        library.close()
        window = create_window(tmp)
        window.resize(1366, 768)
        window.show()
        window.open_workshop(ws.id)
        window.toggle_projector()
        projector = window.projector
        projector.showNormal()
        projector.resize(1280, 720)
        c = window.controller
        pillar = Pillar.SHARING  # its statements have no votes yet in the bench workshop
        window.go_to(pillar.value)
        for _ in range(200):
            app.processEvents()
        panel = window._radar_dock.widget()
        statements = [st.id for st in ws.questionnaire.section(pillar).statements]
        people = [p.id for p in ws.participants]
        rng = random.Random(5)

        def settle_until(done) -> None:
            deadline = time.monotonic() + 5
            while not done() and time.monotonic() < deadline:
                app.processEvents()
            app.processEvents()

        voting: list[float] = []
        sid = statements[-1]  # not voted on yet in the bench workshop
        c.set_statement(sid)
        for i, pid in enumerate(people):
            t0 = time.perf_counter()
            c.vote(sid, pid, rng.randint(1, 5))
            want = f"{i + 1} of {len(people)}"
            settle_until(lambda w=want: projector.ui.progressCount.text() == w)
            voting.append((time.perf_counter() - t0) * 1000)
        for other in statements[:-1]:
            for pid in people:
                if c.workshop.vote(other, pid) is None:
                    c.vote(other, pid, rng.randint(1, 5))
        c.reveal(pillar)
        for _ in range(200):
            app.processEvents()
        revealed: list[float] = []
        for i in range(40):
            frames = panel.frames
            t0 = time.perf_counter()
            c.vote(rng.choice(statements), people[i % len(people)], rng.randint(1, 5))
            settle_until(lambda f=frames: panel.frames != f and not panel._coalesce.isActive())
            revealed.append((time.perf_counter() - t0) * 1000)
        projector.close()
        window.close()
        app.processEvents()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    a, b = statistics.median(voting[3:]), statistics.median(revealed[3:])
    return [
        Result("vote → grid + projector 'n of N', voting, 30 people", a, "ms", "≤ 16.7 ms",
               a <= 16.7),
        Result("vote → grid, results, projector + radars, revealed", b, "ms", "≤ 16.7 ms",
               b <= 16.7),
    ]


def run() -> list[Result]:
    return [*bench_start(), *bench_vote_to_chart(), *bench_vote_to_room()]


if __name__ == "__main__":
    for r in run():
        mark = {True: "ok", False: "MISSED", None: ""}[r.ok]
        print(f"{r.name[:58]:58} {r.value:10.2f} {r.unit:3} {r.goal} {mark}")
