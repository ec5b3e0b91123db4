"""Telling a screen reader what changed: announcements, and names for Designer forms.

A screen reader reads the widget that has focus; a vote counted while the
facilitator's focus stays in the grid would go unheard. :class:`Announcer`
sends a polite :class:`QAccessibleAnnouncementEvent` (Qt ≥ 6.8) for such a
change — the count of votes on the current statement — and says it again
through its ``said`` signal, so tests (and a log) can follow.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent
from PySide6.QtWidgets import QWidget


class Announcer(QObject):
    """Announces changes that happen away from the focus, on behalf of one widget.

    Signals:
        said(str): a text was announced.

    Args:
        widget: the widget the announcement comes from (its window is the context).
    """

    said = Signal(str)

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget
        self._last = ""

    def announce(self, text: str) -> None:
        """Announce ``text`` politely (after what the reader is saying); a repeat is skipped."""
        if not text or text == self._last:
            return
        self._last = text
        event = QAccessibleAnnouncementEvent(self._widget, text)
        event.setPoliteness(QAccessible.AnnouncementPoliteness.Polite)
        QAccessible.updateAccessibility(event)
        self.said.emit(text)

    def forget(self) -> None:
        """The next announcement is made even if it repeats the last one."""
        self._last = ""
