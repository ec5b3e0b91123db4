"""Reports: attendee summary ≤ 0.5 s, facilitator report ≤ 1.5 s (30 people × 25 statements).

The workshops are the report tests' team (``tests/reports/world.py``): a name
in every script the reports print (Devanagari, Bengali, Tamil, Thai, Arabic,
Hebrew, CJK …, shaped with HarfBuzz), an 80-character organisation and a
60-character Arabic team, branding on every page, and a history of earlier
assessments for the facilitator report's progress section.

Measured in-process. "first" is the first build in a fresh process (font
registration, first chart conversion included, imports excluded); "warm" is
the median of later builds of *different* workshops of the same size, so no
chart conversion is reused from a cache.
"""

from __future__ import annotations

import copy
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import Result
from calms_desktop.core.model import Workshop
from calms_desktop.core.progress import point_of
from calms_desktop.reports.branding import Branding
from tests.reports.conftest import long_note
from tests.reports.world import world_workshop

PEOPLE = 30
GOAL_ATTENDEE = 0.5
GOAL_FACILITATOR = 1.5
#: The whole ``export --csv`` process may take at most this many times ``export --json``.
GOAL_CSV_RATIO = 1.5
BRANDING = Branding("Mara Lindholm", "Lindholm Agile Consulting", "mara@lindholm.example", None,
                    "Confidential — client only")


def big_workshop(seed: int, baseline: Workshop | None = None) -> Workshop:
    """30 participants (names in every script) answering the 25 default statements."""
    return world_workshop(seed, people=PEOPLE, baseline=baseline,
                          day=date(2026, 11, 19) + timedelta(days=seed))


def _export_processes(repeat: int = 5) -> tuple[float, float]:
    """Median wall time of the ``export --csv`` and ``export --json`` processes (demo library)."""
    from calms_desktop.core.demo import install_demo
    from calms_desktop.core.storage import Library

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "lib"
        with Library(folder) as lib:
            _, ws = install_demo(lib)

        def run(flag: str) -> float:
            cmd = [sys.executable, "-m", "calms_desktop", "export", ws.id, flag,
                   str(Path(tmp) / f"out{flag}"), "--data-dir", str(folder)]
            return _time(lambda: subprocess.run(cmd, check=True, capture_output=True))

        run("--json")  # warm the file cache
        csv_times = [run("--csv") for _ in range(repeat)]
        json_times = [run("--json") for _ in range(repeat)]
    return statistics.median(csv_times), statistics.median(json_times)


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[Result]:
    from calms_desktop.reports import build_attendee_pdf, build_facilitator_pdf

    base = big_workshop(0)
    history = [point_of(world_workshop(100 + k, people=PEOPLE,
                                       day=date(2025, 11, 19) + timedelta(weeks=13 * k)))
               for k in range(3)] + [point_of(base)]
    workshops = [big_workshop(seed, base) for seed in range(1, 6)]

    def attendee(w: Workshop) -> bytes:
        return build_attendee_pdf(w, base, branding=BRANDING)

    def facilitator(w: Workshop) -> bytes:
        return build_facilitator_pdf(w, base, branding=BRANDING, history=history)

    first_a = _time(lambda: attendee(workshops[0]))
    first_f = _time(lambda: facilitator(workshops[0]))
    warm_a = statistics.median(_time(lambda w=w: attendee(w)) for w in workshops[1:])
    warm_f = statistics.median(_time(lambda w=w: facilitator(w)) for w in workshops[1:])
    # the same workshops with a 10,000-character note (every script, markup) on each pillar
    noted = []
    for w in workshops:
        w = copy.deepcopy(w)
        w.notes = {key: long_note(10_000) for key in w.notes}
        noted.append(w)
    attendee(noted[0])
    facilitator(noted[0])
    notes_a = statistics.median(_time(lambda w=w: attendee(w)) for w in noted[1:])
    notes_f = statistics.median(_time(lambda w=w: facilitator(w)) for w in noted[1:])
    csv_s, json_s = _export_processes()
    return [
        Result("export --csv process / export --json process", csv_s / json_s, "x",
               f"≤ {GOAL_CSV_RATIO} x", csv_s / json_s <= GOAL_CSV_RATIO),
        Result("export --csv, whole process", csv_s, "s"),
        Result("export --json, whole process", json_s, "s"),
        Result("attendee summary PDF, 30×25, first build", first_a, "s",
               f"≤ {GOAL_ATTENDEE} s", first_a <= GOAL_ATTENDEE),
        Result("attendee summary PDF, 30×25, warm", warm_a, "s",
               f"≤ {GOAL_ATTENDEE} s", warm_a <= GOAL_ATTENDEE),
        Result("facilitator report PDF, 30×25, first build", first_f, "s",
               f"≤ {GOAL_FACILITATOR} s", first_f <= GOAL_FACILITATOR),
        Result("facilitator report PDF, 30×25, warm", warm_f, "s",
               f"≤ {GOAL_FACILITATOR} s", warm_f <= GOAL_FACILITATOR),
        Result("attendee summary PDF, 30×25, 10,000-char notes, warm", notes_a, "s",
               f"≤ {GOAL_ATTENDEE} s", notes_a <= GOAL_ATTENDEE),
        Result("facilitator report PDF, 30×25, 10,000-char notes, warm", notes_f, "s",
               f"≤ {GOAL_FACILITATOR} s", notes_f <= GOAL_FACILITATOR),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r.name:50} {r.value:6.2f} {r.unit}  {r.goal}  {'ok' if r.ok else 'MISSED'}")
