"""What a benchmark reports."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Result:
    """One measurement and its goal.

    Attributes:
        name: what was measured ("persist one vote, 1,000 workshops").
        value: the measurement (in ``unit``).
        unit: "ms", "s", "MiB", "x" …
        goal: the text of the goal ("≤ 15 ms"), or "" for context numbers.
        ok: whether the goal is met (None for context numbers).
    """

    name: str
    value: float
    unit: str
    goal: str = ""
    ok: bool | None = None


def median_ms(fn: Callable[[], object], repeat: int = 50, warmup: int = 3) -> float:
    """Median wall time of ``fn()`` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)
