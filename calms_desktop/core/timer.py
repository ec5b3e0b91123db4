"""The per-step timebox, as plain arithmetic over a clock (no Qt).

The console ticks a :class:`StepTimer` from a ``QTimer`` and persists its
:meth:`StepTimer.to_dict` so a resumed workshop continues where it stopped.
Times are in milliseconds of a monotonic clock passed in by the caller,
which keeps tests deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: Warn when this share of the timebox is left (or 2 minutes, whichever is less).
WARN_SHARE = 0.2
WARN_MAX_MS = 120_000


@dataclass
class StepTimer:
    """A countdown for one step that can be paused and resumed.

    Attributes:
        step: the step it times (``intro``, a pillar id, ``summary``).
        budget_ms: the timebox; 0 means no timebox (the timer counts up).
        elapsed_ms: time run before the current stretch.
        running_since: clock value when the current stretch started, or None.
    """

    step: str
    budget_ms: int
    elapsed_ms: int = 0
    running_since: int | None = None

    @property
    def running(self) -> bool:
        return self.running_since is not None

    def elapsed(self, now: int) -> int:
        extra = now - self.running_since if self.running_since is not None else 0
        return self.elapsed_ms + max(0, extra)

    def remaining(self, now: int) -> int:
        """Milliseconds left (negative when over time)."""
        return self.budget_ms - self.elapsed(now)

    def start(self, now: int) -> None:
        if self.running_since is None:
            self.running_since = now

    def pause(self, now: int) -> None:
        if self.running_since is not None:
            self.elapsed_ms = self.elapsed(now)
            self.running_since = None

    def toggle(self, now: int) -> None:
        if self.running:
            self.pause(now)
        else:
            self.start(now)

    def reset(self) -> None:
        self.elapsed_ms = 0
        self.running_since = None

    def phase(self, now: int) -> str:
        """``"ok"``, ``"warn"`` (near the end) or ``"over"``; ``"ok"`` without a budget."""
        if self.budget_ms <= 0:
            return "ok"
        left = self.remaining(now)
        if left < 0:
            return "over"
        if left <= min(self.budget_ms * WARN_SHARE, WARN_MAX_MS):
            return "warn"
        return "ok"

    def text(self, now: int) -> str:
        """``12:34`` left, ``+01:05`` over time, or elapsed without a budget."""
        ms = self.remaining(now) if self.budget_ms > 0 else self.elapsed(now)
        sign = "+" if ms < 0 else ""
        secs = abs(ms) // 1000 if ms >= 0 else (abs(ms) + 999) // 1000
        if ms >= 0 and self.budget_ms > 0:
            secs = (ms + 999) // 1000  # show 00:01 until the very end
        return f"{sign}{secs // 60:02d}:{secs % 60:02d}"

    # -- persistence (the running stretch is folded in at save time) ---------
    def to_dict(self, now: int) -> dict[str, Any]:
        return {
            "step": self.step,
            "budget_ms": self.budget_ms,
            "elapsed_ms": self.elapsed(now),
            "running": self.running,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any], now: int) -> StepTimer:
        t = cls(str(d.get("step", "")), int(d.get("budget_ms", 0)), int(d.get("elapsed_ms", 0)))
        if d.get("running"):
            t.start(now)
        return t
