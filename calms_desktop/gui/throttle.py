"""Run a redraw at most a few times a second while changes pour in (a room of phones)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Throttle(QObject):
    """Call ``action`` at once when it has not run for ``interval_ms``, else once later.

    The first change after a quiet spell shows at once; a burst of changes
    shows at most every ``interval_ms`` and its last change always shows
    (at most ``interval_ms`` late). Call :meth:`ran` when ``action`` ran for
    another reason, so a pending call is dropped.
    """

    def __init__(self, action: Callable[[], None], interval_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self._interval = interval_ms
        self._last = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._fire)

    def request(self) -> None:
        if self._timer.isActive():
            return
        wait_ms = self._interval - (time.monotonic() - self._last) * 1000
        if wait_ms <= 0:
            self._fire()
        else:
            self._timer.start(max(1, round(wait_ms)))

    def ran(self) -> None:
        self._timer.stop()
        self._last = time.monotonic()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def _fire(self) -> None:
        self._action()  # the action calls ran() (or the time is set here)
        self._last = time.monotonic()
