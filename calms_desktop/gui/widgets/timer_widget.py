"""The step timer in the toolbar: time left, a warning near the end, pause/resume.

The arithmetic lives in :class:`calms_desktop.core.timer.StepTimer`; this
widget only shows ``controller.timer`` and ticks a ``QTimer`` while the
timer runs (a paused timer costs nothing).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from ...charts import style as st
from ...core.i18n import _

if TYPE_CHECKING:
    from ..commands import WorkshopController

#: How often a running timer redraws (ms).
TICK_MS = 250

#: Words for the phases; colour is never the only cue.
PHASE_COLOURS = {"ok": "", "warn": "#a65f00", "over": st.VERMILION}


def _set_text(widget, text: str) -> None:
    """Set a label's or button's text only when it changes (the timer ticks 4× a second)."""
    if widget.text() != text:
        widget.setText(text)


def _warn_text(remaining_ms: int) -> str:
    minutes = -(-remaining_ms // 60_000)  # ceiling
    if remaining_ms <= 60_000:
        return _("under 1 min left")
    return _('{minutes} min left').format(minutes=minutes)


class TimerWidget(QWidget):
    """Shows the current step's timebox from the controller.

    ``00:00`` counts down the step's timebox; near the end the time turns
    amber with "2 min left"; over time it shows ``+mm:ss`` in red with
    "over time". Without a timebox it counts up ("elapsed").

    Args:
        parent: the owning widget (the main window's toolbar).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepTimer")
        self._controller: WorkshopController | None = None
        self._shown_running: bool | None = None
        self._shown_phase: str | None = None
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self.refresh)

        row = QHBoxLayout(self)
        row.setContentsMargins(6, 0, 6, 0)
        row.setSpacing(6)
        self.time_label = QLabel("--:--", self)
        self.time_label.setObjectName("timerTime")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setFamilies(["DejaVu Sans Mono", "Consolas", "Menlo", "monospace"])
        self.time_label.setFont(font)
        self.time_label.setTextFormat(Qt.TextFormat.PlainText)
        width = self.time_label.fontMetrics().horizontalAdvance("+88:88")
        self.time_label.setMinimumWidth(width + 4)
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.phase_label = QLabel("", self)
        self.phase_label.setObjectName("timerPhase")
        self.phase_label.setTextFormat(Qt.TextFormat.PlainText)
        self.phase_label.setMinimumWidth(self.phase_label.fontMetrics().horizontalAdvance(
            _("under 1 min left")) + 4)
        self.play_button = QToolButton(self)
        self.play_button.setObjectName("timerPlay")
        self.play_button.setAutoRaise(True)
        self.play_button.clicked.connect(self._toggle)
        self.reset_button = QToolButton(self)
        self.reset_button.setObjectName("timerReset")
        self.reset_button.setText("↺")
        self.reset_button.setAutoRaise(True)
        self.reset_button.setToolTip(_("Reset the timer (Ctrl+Shift+T)"))
        self.reset_button.setAccessibleName(_("Reset timer"))
        self.reset_button.clicked.connect(self._reset)
        for w in (self.play_button, self.time_label, self.phase_label, self.reset_button):
            row.addWidget(w)
        self.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.refresh()

    # -- wiring ------------------------------------------------------------------
    def set_controller(self, controller: WorkshopController | None) -> None:
        """Show this controller's timer (or nothing with None)."""
        old = self._controller
        if old is not None:
            for signal, slot in ((old.timer_changed, self.refresh),
                                 (old.step_changed, self.refresh),
                                 (old.destroyed, self._controller_gone)):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):  # already gone
                    pass
        self._controller = controller
        if controller is not None:
            controller.timer_changed.connect(self.refresh)
            controller.step_changed.connect(self.refresh)
            controller.destroyed.connect(self._controller_gone)
        self.refresh()

    def _controller_gone(self, *_args: object) -> None:
        self._controller = None
        self.refresh()

    def _toggle(self) -> None:
        if self._controller is not None:
            self._controller.toggle_timer()

    def _reset(self) -> None:
        if self._controller is not None:
            self._controller.reset_timer()

    # -- drawing -------------------------------------------------------------------
    @property
    def phase(self) -> str:
        """``"none"`` (no workshop), ``"ok"``, ``"warn"`` or ``"over"``."""
        c = self._controller
        return "none" if c is None else c.timer.phase(c.now())

    def refresh(self, *_args: object) -> None:
        """Redraw from the controller's timer; tick only while it runs."""
        c = self._controller
        enabled = c is not None
        if self.play_button.isEnabled() != enabled:
            self.play_button.setEnabled(enabled)
            self.reset_button.setEnabled(enabled)
        if c is None:
            self._tick.stop()
            _set_text(self.time_label, "--:--")
            _set_text(self.phase_label, "")
            self._set_play(False)
            self._colour("ok")
            self.setToolTip(_("The step timer (open a workshop)"))
            return
        timer = c.timer
        now = c.now()
        phase = timer.phase(now)
        _set_text(self.time_label, timer.text(now))
        if timer.budget_ms <= 0:
            words = _("elapsed")
        elif phase == "over":
            words = _("over time")
        elif phase == "warn":
            words = _warn_text(timer.remaining(now))
        elif timer.running:
            words = ""
        else:
            words = _("paused") if timer.elapsed(now) else _("not started")
        _set_text(self.phase_label, words)
        self._colour(phase)
        self._set_play(timer.running)
        budget = _(
            "{value} min timebox").format(
            value=timer.budget_ms // 60000) if timer.budget_ms > 0 else _(
            "no timebox")
        tip = _(
            "Time for this step ({budget}). Start/pause: Ctrl+T, reset: Ctrl+Shift+T").format(
            budget=budget)
        if self.toolTip() != tip:
            self.setToolTip(tip)
        if timer.running and not self._tick.isActive():
            self._tick.start()
        elif not timer.running:
            self._tick.stop()

    @property
    def ticking(self) -> bool:
        """Is the redraw timer running (only while the step timer runs)?"""
        return self._tick.isActive()

    def _set_play(self, running: bool) -> None:
        if self._shown_running == running:
            return
        self._shown_running = running
        self.play_button.setText("⏸" if running else "▶")
        tip = _("Pause the timer (Ctrl+T)") if running else _("Start the timer (Ctrl+T)")
        self.play_button.setToolTip(tip)
        self.play_button.setAccessibleName(_("Pause timer") if running else _("Start timer"))

    def _colour(self, phase: str) -> None:
        if self._shown_phase == phase:
            return
        self._shown_phase = phase
        colour = PHASE_COLOURS.get(phase, "")
        sheet = f"color: {colour};" if colour else ""
        self.time_label.setStyleSheet(sheet)
        self.phase_label.setStyleSheet(sheet + (" font-weight: bold;" if colour else ""))
