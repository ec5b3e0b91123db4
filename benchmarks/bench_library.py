"""Library speed goals (issue 6).

* The library view is populated within 300 ms with 1,000 workshops
  (``LibraryScreen`` constructor + ``load()`` until the model has 1,000 rows).
* A team trend chart with 20 workshops within 200 ms
  (``TeamProgressScreen.set_team`` → chart drawn; files read and scored cold).

Context numbers: the same trend warm (cached points), and the portfolio of
the whole library computed by its worker.
"""

from __future__ import annotations

import os
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks.common import Result

N_WORKSHOPS = 1_000
TREND_WORKSHOPS = 20
TREND_ORG, TREND_TEAM = "Bench Logistics", "Trend Team"
PEOPLE = 10


def make_workshops(n: int = N_WORKSHOPS, seed: int = 6) -> list:
    """``n`` finished workshops (10 people × the built-in questionnaire's statements).

    ``TREND_WORKSHOPS`` of them belong to one team, a quarter apart; the rest
    are spread over 40 organisations of 5 teams each.
    """
    from calms_desktop.core import questionnaire as qmod
    from calms_desktop.core.model import (
        PILLARS,
        Participant,
        PillarState,
        Vote,
        Workshop,
    )

    rng = random.Random(seed)
    q = qmod.builtin()
    start = date(2019, 1, 7)
    out = []
    for i in range(n):
        if i < TREND_WORKSHOPS:
            org, team = TREND_ORG, TREND_TEAM
            day = start + timedelta(days=91 * i)
        else:
            org = f"Client {(i * 7) % 40:02d} GmbH"
            team = f"Team {(i * 3) % 5}"
            day = start + timedelta(days=rng.randrange(0, 2500))
        wid = f"bench-{i:05d}"
        people = [Participant(f"{wid}-p{k}", f"Person {k}") for k in range(PEOPLE)]
        ws = Workshop(
            id=wid, title=f"CALMS assessment {i}", organisation=org, team=team,
            date=day.isoformat(), questionnaire=q, participants=people,
            pillar_states={p: PillarState.DONE for p in PILLARS},
            created=f"{day.isoformat()}T09:00:00+00:00",
            updated=f"{day.isoformat()}T12:00:00+00:00",
        )
        level = 1.5 + rng.random() * 2.5
        for st in q.statements:
            for p in people:
                score = max(1, min(5, round(level + rng.gauss(0, 0.8))))
                ws.votes[(st.id, p.id)] = Vote(st.id, p.id, score)
        out.append(ws)
    return out


def build_library(folder: Path, n: int = N_WORKSHOPS) -> None:
    """Write ``n`` workshop files straight into ``folder/workshops`` (the library indexes them)."""
    from calms_desktop.core import fileformat

    target = folder / "workshops"
    target.mkdir(parents=True, exist_ok=True)
    for ws in make_workshops(n):
        (target / f"{ws.id}.json").write_text(fileformat.dumps(ws), encoding="utf-8")


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def run() -> list[Result]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from calms_desktop.core.storage import Library

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="calms-bench-library-"))
    results: list[Result] = []
    try:
        build_library(folder)
        library = Library(folder)
        assert len(library) == N_WORKSHOPS, len(library)

        from calms_desktop.gui.library.browser import LibraryScreen
        from calms_desktop.gui.library.portfolio import PortfolioScreen
        from calms_desktop.gui.library.progress import TeamProgressScreen
        from calms_desktop.gui.library_actions import LibraryActions

        times = []
        for i in range(7):
            t0 = time.perf_counter()
            screen = LibraryScreen(LibraryActions(library))
            screen.load()
            rows = screen.proxy.rowCount()
            elapsed = time.perf_counter() - t0
            assert rows == N_WORKSHOPS, rows
            if i:  # the first run pays for one-off imports
                times.append(elapsed)
            screen.deleteLater()
            app.processEvents()
        value = _median_ms(times)
        results.append(Result(f"library view populated, {N_WORKSHOPS:,} workshops", value,
                              "ms", "≤ 300 ms", value <= 300))

        cold, warm = [], []
        for i in range(6):
            screen = TeamProgressScreen(library)
            screen.resize(1366, 700)
            screen.show()
            app.processEvents()
            t0 = time.perf_counter()
            screen.set_team(TREND_ORG, TREND_TEAM)  # reads, scores and draws
            elapsed = time.perf_counter() - t0
            assert screen.trend is not None and len(screen.trend.points) == TREND_WORKSHOPS
            if i:
                cold.append(elapsed)
            t0 = time.perf_counter()
            screen.load()  # same team again: cached points, drawn again
            warm.append(time.perf_counter() - t0)
            screen.close()
            screen.deleteLater()
            app.processEvents()
        value = _median_ms(cold)
        results.append(Result(f"team trend chart, {TREND_WORKSHOPS} workshops (files read cold)",
                              value, "ms", "≤ 200 ms", value <= 200))
        results.append(Result(f"team trend chart, {TREND_WORKSHOPS} workshops (cached)",
                              _median_ms(warm), "ms"))

        screen = PortfolioScreen(library)
        t0 = time.perf_counter()
        screen.load()
        while screen.busy and time.perf_counter() - t0 < 120:
            app.processEvents()
            time.sleep(0.002)
        results.append(Result(f"portfolio of {N_WORKSHOPS:,} workshops (worker thread)",
                              (time.perf_counter() - t0) * 1000, "ms"))
        screen.deleteLater()
        app.processEvents()
        library.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


if __name__ == "__main__":
    for r in run():
        print(r)
