"""Reports: attendee summary ≤ 0.5 s, facilitator report ≤ 1.5 s (30 people × 25 statements).

Measured in-process. "first" is the first build in a fresh process (font
registration, first chart conversion included, imports excluded); "warm" is
the median of later builds of *different* workshops of the same size, so no
chart conversion is reused from a cache.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date, timedelta

from benchmarks.common import Result
from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.model import (
    DONT_KNOW,
    PILLARS,
    ActionItem,
    Participant,
    PillarState,
    Vote,
    Workshop,
)

PEOPLE = 30
GOAL_ATTENDEE = 0.5
GOAL_FACILITATOR = 1.5


def big_workshop(seed: int, baseline: Workshop | None = None) -> Workshop:
    """A workshop of 30 participants answering the 25 statements of the default questionnaire."""
    rng = random.Random(seed)
    q = qmod.builtin()
    day = date(2026, 11, 19) + timedelta(days=seed)
    ws = Workshop(
        id=f"bench-{seed:04d}", title="CALMS re-assessment", organisation="Nordlicht Logistics",
        team="Payments Platform", date=day.isoformat(), questionnaire=q,
        location="Hamburg", facilitator="Mara Lindholm",
        participants=[Participant(f"p{i:02d}", f"Person {i:02d} Müller", "Developer")
                      for i in range(PEOPLE)],
        pillar_states={p: PillarState.DONE for p in PILLARS},
        targets={p: 4 for p in PILLARS},
        baseline_id=baseline.id if baseline else None,
    )
    for s in q.statements:
        centre = rng.uniform(1.5, 4.5)
        for person in ws.participants:
            score = DONT_KNOW if rng.random() < 0.05 else max(1, min(5, round(
                rng.gauss(centre, 0.9))))
            ws.votes[(s.id, person.id)] = Vote(s.id, person.id, score)
    for i, p in enumerate(PILLARS):
        ws.notes[p.value] = f"Notes on {p.title}: " + "the room discussed this at length. " * 6
        ws.actions.append(ActionItem(f"a{i}", f"Improve {p.title.lower()} practice step {i}",
                                     owner=f"Person {i:02d} Müller",
                                     due=(day + timedelta(days=30)).isoformat(), pillar=p))
    return ws


def _time(fn) -> float:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def run() -> list[Result]:
    from calms_desktop.reports import build_attendee_pdf, build_facilitator_pdf

    base = big_workshop(0)
    workshops = [big_workshop(seed, base) for seed in range(1, 6)]
    first_a = _time(lambda: build_attendee_pdf(workshops[0], base))
    first_f = _time(lambda: build_facilitator_pdf(workshops[0], base))
    warm_a = statistics.median(_time(lambda w=w: build_attendee_pdf(w, base))
                               for w in workshops[1:])
    warm_f = statistics.median(_time(lambda w=w: build_facilitator_pdf(w, base))
                               for w in workshops[1:])
    return [
        Result("attendee summary PDF, 30×25, first build", first_a, "s",
               f"≤ {GOAL_ATTENDEE} s", first_a <= GOAL_ATTENDEE),
        Result("attendee summary PDF, 30×25, warm", warm_a, "s",
               f"≤ {GOAL_ATTENDEE} s", warm_a <= GOAL_ATTENDEE),
        Result("facilitator report PDF, 30×25, first build", first_f, "s",
               f"≤ {GOAL_FACILITATOR} s", first_f <= GOAL_FACILITATOR),
        Result("facilitator report PDF, 30×25, warm", warm_f, "s",
               f"≤ {GOAL_FACILITATOR} s", warm_f <= GOAL_FACILITATOR),
    ]


if __name__ == "__main__":
    for r in run():
        print(f"{r.name:50} {r.value:6.2f} {r.unit}  {r.goal}  {'ok' if r.ok else 'MISSED'}")
