"""Run every ``benchmarks/bench_*.py`` (each in its own process) and print a table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = """
import json, sys, dataclasses, importlib
mod = importlib.import_module(sys.argv[1])
print("@@RESULTS@@" + json.dumps([dataclasses.asdict(r) for r in mod.run()]))
"""


def main() -> int:
    only = sys.argv[1:]
    modules = sorted(p.stem for p in HERE.glob("bench_*.py"))
    if only:
        modules = [m for m in modules if any(o in m for o in only)]
    failed = 0
    print(f"{'benchmark':58} {'value':>12}  goal")
    for mod in modules:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, f"benchmarks.{mod}"],
            capture_output=True, text=True, cwd=HERE.parent,
        )
        line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("@@RESULTS@@")), None)
        if proc.returncode != 0 or line is None:
            print(f"{mod}: FAILED\n{proc.stderr[-2000:]}")
            failed += 1
            continue
        for r in json.loads(line[len("@@RESULTS@@"):]):
            mark = {True: "ok", False: "MISSED", None: ""}[r["ok"]]
            value = f"{r['value']:.2f} {r['unit']}"
            print(f"{r['name'][:58]:58} {value:>12}  {r['goal']} {mark}".rstrip())
            failed += r["ok"] is False
    print(f"\n{failed} goal(s) missed" if failed else "\nall goals met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
