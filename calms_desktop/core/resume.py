"""Where the room was, so a killed app resumes exactly there.

``session.json`` in the data folder names the open workshop, the step, the
statement, the timers, and while phone voting is open its address, port and
join PIN. It is written (atomically) on every move and
every few seconds while a timer runs, and removed when the workshop is
closed normally; finding one at start-up means the app did not close
cleanly, and the console offers to resume. The votes themselves are in the
workshop file, saved before each one was acknowledged.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .storage import atomic_write


@dataclass(frozen=True)
class ResumeState:
    workshop_id: str
    step: str
    statement_id: str = ""
    timers: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: pillar id -> "grid" or "tally": how votes were being entered there
    entry_modes: dict[str, str] = field(default_factory=dict)
    #: where the projector window was: {"open": bool, "screen": name, "full_screen": bool}
    projector: dict[str, Any] = field(default_factory=dict)
    #: phone voting while it is open: {"open": True, "host": str, "port": int, "pin": str}
    #: (empty when closed), so a resumed workshop reopens it where phones reconnect
    phones: dict[str, Any] = field(default_factory=dict)


class ResumeStore:
    """Reads and writes ``session.json`` in a data folder."""

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "session.json"

    def save(self, state: ResumeState) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # the owner's eyes only: while phone voting is open it holds the join PIN
        atomic_write(self.path, json.dumps(asdict(state), ensure_ascii=False).encode("utf-8"),
                     mode=0o600)

    def load(self) -> ResumeState | None:
        """The interrupted session, or None (also for an unreadable or odd file)."""
        from .errors import ValidationError
        from .validate import loads, read_limited

        try:
            d = loads(read_limited(self.path, max_bytes=1_000_000), str(self.path))
            if not isinstance(d, dict):
                return None
            return ResumeState(
                workshop_id=str(d["workshop_id"]),
                step=str(d.get("step", "intro")),
                statement_id=str(d.get("statement_id", "")),
                timers={str(k): dict(v) for k, v in dict(d.get("timers", {})).items()},
                entry_modes={str(k): str(v)
                             for k, v in dict(d.get("entry_modes", {})).items()},
                projector=dict(d.get("projector", {})),
                phones=dict(d.get("phones", {})),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError, ValidationError,
                RecursionError):
            return None

    def clear(self) -> None:
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
