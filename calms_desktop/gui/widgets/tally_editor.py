"""Show-of-hands entry: how many hands went up for each level of one statement.

Type a number, Tab to the next level, Enter records the tally (one undoable
change) and moves to the next statement. Pending counts are never dropped:
moving to another statement or leaving the screen records them too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.i18n import _, ngettext
from ...core.model import DONT_KNOW, SCORES, Pillar, PillarState, Statement
from ...room.ballots import Refusal
from ...room.changes import FieldsChanged, PillarStateChanged, TallyChanged, VotesChanged
from . import no_wheel_unless_focused

if TYPE_CHECKING:
    from ..commands import WorkshopController

#: The answers a tally counts, in the order of the fields.
TALLY_ANSWERS: tuple[int, ...] = (*SCORES, DONT_KNOW)
MAX_HANDS = 999


class TallyEditor(QWidget):
    """Hands per answer for the current statement of a pillar.

    Signals:
        advance_requested(str): after Enter recorded a tally, the id of the
            statement to move to next ("" at the last statement).

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        pillar: the pillar whose statements it counts.
        parent: the owning widget.
    """

    advance_requested = Signal(str)

    def __init__(self, controller: WorkshopController, pillar: Pillar,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self.statement_id = ""
        self._loading = False
        self._dirty = False
        self.setObjectName("tallyEditor")

        self.statement_label = QLabel(self)
        self.statement_label.setObjectName("tallyStatement")
        self.statement_label.setTextFormat(Qt.TextFormat.PlainText)
        self.statement_label.setWordWrap(True)
        font = self.statement_label.font()
        font.setBold(True)
        self.statement_label.setFont(font)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        self.spins: dict[int, QSpinBox] = {}
        levels = controller.shown_workshop().questionnaire.levels
        for i, answer in enumerate(TALLY_ANSWERS):
            spin = QSpinBox(self)
            spin.setObjectName(f"tally{answer}")
            spin.setRange(0, MAX_HANDS)
            spin.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.PlusMinus)
            spin.setAlignment(Qt.AlignmentFlag.AlignRight)
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("999") + 48)
            spin.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            spin.setKeyboardTracking(True)
            if answer == DONT_KNOW:
                text = _("&0  Don't know (?)")
                spin.setAccessibleName(_("Hands for don't know"))
            else:
                name = next((lv.name for lv in levels if lv.level == answer), "")
                text = f"&{answer}  {name}"
                spin.setAccessibleName(_('Hands for level {answer} {name}').format(
                    answer=answer, name=name))
            label = QLabel(text, self)
            label.setBuddy(spin)
            spin.valueChanged.connect(self._edited)
            # Typing replaces the count shown: a digit appended to "2" would
            # record 23 hands nobody counted.
            spin.lineEdit().installEventFilter(self)
            no_wheel_unless_focused(spin)  # scrolling past must not count hands
            grid.addWidget(label, i, 0)
            grid.addWidget(spin, i, 1)
            self.spins[answer] = spin
        grid.setColumnStretch(2, 1)

        self.total_label = QLabel(self)
        self.total_label.setWordWrap(True)  # "… · not recorded yet" beside the button
        self.total_label.setObjectName("tallyTotal")
        self.total_label.setTextFormat(Qt.TextFormat.PlainText)
        self.record_button = QPushButton(_("Re&cord tally"), self)
        self.record_button.setObjectName("recordTallyButton")
        self.record_button.setToolTip(
            _("Record these counts (Enter), then go to the next statement"))
        self.record_button.clicked.connect(lambda: self.commit(advance=True))
        self.hint_label = QLabel(
            _("Type the hands for each level; Tab to the next; Enter records and moves on."), self)
        self.hint_label.setObjectName("tallyHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.setEnabled(False)  # a quiet, greyed hint

        bottom = QHBoxLayout()
        bottom.addWidget(self.total_label, 1)
        bottom.addWidget(self.record_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 6, 6, 6)
        box.addWidget(self.statement_label)
        box.addLayout(grid)
        box.addLayout(bottom)
        box.addWidget(self.hint_label)
        box.addStretch(1)
        controller.tally_changed.connect(self._tally_changed)
        controller.votes_changed.connect(self._votes_changed)
        controller.pillar_state_changed.connect(self._state_changed)
        controller.fields_changed.connect(self._fields_changed)
        #: asks the facilitator to confirm a count above the room (tests replace it)
        self.confirm_hands = self._ask_hands
        self.set_statement(controller.statement_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            QTimer.singleShot(0, watched.selectAll)  # type: ignore[attr-defined]
            # a click that gave the focus places the cursor after our selectAll:
            # select again once the click is done
            watched.setProperty("selectOnRelease", True)
        elif kind == QEvent.Type.MouseButtonRelease and watched.property("selectOnRelease"):
            watched.setProperty("selectOnRelease", False)
            QTimer.singleShot(0, watched.selectAll)  # type: ignore[attr-defined]
        elif kind == QEvent.Type.FocusOut:
            watched.setProperty("selectOnRelease", False)
        return super().eventFilter(watched, event)

    def _ask_hands(self, message: str) -> bool:
        answer = QMessageBox.warning(
            self, _("More hands than people"), _('{message}.\n\nRecord this count anyway?').format(
                message=message),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    # -- which statement ---------------------------------------------------------------
    @property
    def statements(self) -> tuple[Statement, ...]:
        return self.controller.shown_workshop().questionnaire.section(self.pillar).statements

    def set_statement(self, statement_id: str) -> None:
        """Count for another statement (recording pending counts of the current one)."""
        ids = [s.id for s in self.statements]
        if statement_id not in ids:
            statement_id = ids[0] if ids else ""
        if statement_id == self.statement_id:
            return
        self.commit()
        self.statement_id = statement_id
        self._dirty = False
        self.load()

    def load(self, keep_typed: bool = False) -> None:
        """Show the recorded tally of the current statement.

        Args:
            keep_typed: keep counts typed but not yet recorded.
        """
        typed = self.hands() if keep_typed and self._dirty else None
        ws = self.controller.workshop
        statements = self.statements
        index = next((i for i, s in enumerate(statements) if s.id == self.statement_id), 0)
        if statements:
            s = statements[index]
            self.statement_label.setText(_('Statement {value} of {n}: {text}').format(
                value=index + 1, n=len(statements), text=s.text))
        tally = ws.tallies.get(self.statement_id, {}) if typed is None else typed
        self._loading = True
        try:
            for answer, spin in self.spins.items():
                spin.setValue(int(tally.get(answer, 0)))
        finally:
            self._loading = False
        self._dirty = typed is not None
        locked = ws.pillar_states.get(self.pillar) == PillarState.DONE
        for spin in self.spins.values():
            spin.setReadOnly(locked)
        self.record_button.setEnabled(not locked)
        self._update_total()

    # -- editing ---------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return self._dirty

    def hands(self) -> dict[int, int]:
        """The counts as typed (answers with no hands left out)."""
        return {a: s.value() for a, s in self.spins.items() if s.value()}

    def _edited(self, *_args: object) -> None:
        if not self._loading:
            self._dirty = True
        self._update_total()

    def _update_total(self) -> None:
        total = sum(s.value() for s in self.spins.values())
        ws = self.controller.workshop
        people = len(ws.participants)
        text = ngettext("{n} hand", "{n} hands", total).format(n=total)
        if people:
            text += " · " + _("{n} in the room").format(n=people)
        votes = len(ws.voters_for(self.statement_id)) if self.statement_id else 0
        if votes:
            text += " · " + ngettext("plus {n} per-person vote", "plus {n} per-person votes",
                                     votes).format(n=votes)
        if self._dirty:
            text += " · " + _("not recorded yet")
        self.total_label.setText(text)

    def commit(self, advance: bool = False) -> bool:
        """Record the typed counts (if changed). With ``advance``, ask for the next statement."""
        ok = True
        if self._dirty and self.statement_id:
            for spin in self.spins.values():
                spin.interpretText()
            outcome = self.controller.tally(self.statement_id, self.hands())
            if outcome.code == Refusal.TOO_MANY_HANDS and self.confirm_hands(outcome.reason):
                outcome = self.controller.tally(self.statement_id, self.hands(), confirmed=True)
            ok = outcome.accepted
            if ok:
                self._dirty = False
                self._update_total()
        if ok and advance:
            ids = [s.id for s in self.statements]
            i = ids.index(self.statement_id) if self.statement_id in ids else -1
            self.advance_requested.emit(ids[i + 1] if 0 <= i < len(ids) - 1 else "")
        return ok

    def focus_first(self) -> None:
        spin = self.spins[TALLY_ANSWERS[0]]
        spin.setFocus(Qt.FocusReason.TabFocusReason)
        spin.selectAll()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # A spin box passes Enter on to its parent (after taking the typed text).
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit(advance=True)
            return
        super().keyPressEvent(event)

    def _tally_changed(self, change: TallyChanged) -> None:
        if self.statement_id in change.statement_ids:
            self.load()  # our own commit, an undo or a redo: the model wins

    def _votes_changed(self, change: VotesChanged) -> None:
        if self.statement_id in change.statement_ids:
            self._update_total()

    def _state_changed(self, change: PillarStateChanged) -> None:
        if self.pillar in change.pillars:
            self.load(keep_typed=True)

    def _fields_changed(self, change: FieldsChanged) -> None:
        self.load(keep_typed=True)
