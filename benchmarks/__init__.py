"""``make bench``: speed and memory goals from the issues, measured, never asserted in tests.

Each ``benchmarks/bench_*.py`` module has ``run() -> list[Result]``; the
runner runs each module in its own process (so one's imports do not warm up
another's start-up) and prints every measurement against its goal.
"""
