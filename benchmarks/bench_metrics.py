"""Delivery metrics: a year of deployments every working hour (2,340 rows) and the
largest log the app accepts (1 MB, ~25,000 rows) measured from CSV; goal ≤ 0.3 s for
the year and ≤ 1 s for the largest log (the import runs on the GUI thread, with the
room waiting)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from benchmarks.common import Result, median_ms
from calms_desktop.core import deploylog

GOAL_YEAR_S = 0.3
GOAL_LARGEST_S = 1.0


def _log(max_bytes: int | None = None, rows: int | None = None) -> bytes:
    out = ["deployed_at,committed_at,failed,restored_at"]
    at = datetime(2026, 1, 5, 9)
    size = len(out[0]) + 1
    n = 0
    while (rows is None or n < rows):
        failed = n % 17 == 0
        line = (f"{at:%Y-%m-%dT%H:%M},{at - timedelta(hours=20 + n % 30):%Y-%m-%dT%H:%M},"
                f"{'yes' if failed else 'no'},"
                f"{(at + timedelta(hours=2)).strftime('%Y-%m-%dT%H:%M') if failed else ''}")
        if max_bytes is not None and size + len(line) + 1 > max_bytes:
            break
        out.append(line)
        size += len(line) + 1
        n += 1
        at += timedelta(hours=1)
        if at.hour > 17:
            at = at.replace(hour=9) + timedelta(days=1 if at.weekday() < 4 else 3)
    return ("\n".join(out) + "\n").encode()


def run() -> list[Result]:
    year = _log(rows=9 * 5 * 52)
    largest = _log(max_bytes=deploylog.MAX_LOG_BYTES)
    year_s = median_ms(lambda: deploylog.measure(year, "year.csv"), repeat=5, warmup=1) / 1000
    t0 = time.perf_counter()
    deploylog.measure(largest, "largest.csv")
    largest_s = time.perf_counter() - t0
    rows = largest.count(b"\n") - 1
    return [
        Result(f"measure a year of hourly deployments ({9 * 5 * 52:,} rows)", year_s, "s",
               f"≤ {GOAL_YEAR_S} s", year_s <= GOAL_YEAR_S),
        Result(f"measure the largest accepted log (1 MB, {rows:,} rows)", largest_s, "s",
               f"≤ {GOAL_LARGEST_S} s", largest_s <= GOAL_LARGEST_S),
    ]
