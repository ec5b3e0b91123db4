"""Per-person vote entry: participants × the pillar's statements, from the keyboard.

Type ``1``–``5`` (or ``0``/``?`` for "don't know") and the vote is recorded
for the person under the cursor, which moves down to the next person — and
at the bottom to the top of the next statement, so a facilitator can read
out a whole column without touching the mouse. Before the reveal the cursor
skips cells that already hold an answer (phones answered them, or an earlier
pass): they cannot be typed over, so a digit never waits on a cell that
would refuse it, and a phoneless person's answers typed in a row fill that
person's next empty cells. Delete or Backspace clears a vote; arrows and
Tab move. A digit typed on an answered cell (chosen by mouse or arrows) is
refused where the facilitator looks: the grid's ``refused`` signal (the
pillar screen shows it under the grid, and a screen reader hears it).

Before the reveal a cell shows only *that* someone voted (✓), never *what*:
the console is often seen by the room. After the reveal a named workshop
shows the values; an anonymous one keeps showing ✓.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ...core import privacy
from ...core.ballots import parse_answer
from ...core.i18n import _
from ...core.model import DONT_KNOW, Pillar, Statement, Vote, Workshop
from ...room.changes import FieldsChanged, PillarStateChanged, VotesChanged

if TYPE_CHECKING:
    from ..commands import WorkshopController

VOTED = "✓"
#: Roles a test (or an accessibility tool) might read; none may leak a hidden vote.
TEXT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,
    Qt.ItemDataRole.AccessibleTextRole,
    Qt.ItemDataRole.StatusTipRole,
    Qt.ItemDataRole.WhatsThisRole,
)


#: The invisible root of a table model (a shared default argument).
_ROOT = QModelIndex()

class VoteGridModel(QAbstractTableModel):
    """Rows are participants, columns the pillar's statements.

    Args:
        controller: the workshop controller (read only here).
        pillar: whose statements are the columns.
    """

    def __init__(self, controller: WorkshopController, pillar: Pillar, parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self.statements: tuple[Statement, ...] = ()
        self.participant_ids: list[str] = []
        self.reload()

    @property
    def workshop(self) -> Workshop:
        return self.controller.workshop

    def reload(self) -> None:
        self.beginResetModel()
        ws = self.workshop
        shown = self.controller.shown_workshop().questionnaire  # in the UI's language
        self.statements = shown.section(self.pillar).statements
        self.participant_ids = [p.id for p in ws.participants]
        self.endResetModel()

    @property
    def revealed(self) -> bool:
        return privacy.results_visible(self.workshop, self.pillar)

    @property
    def shows_values(self) -> bool:
        """Values show only after the reveal, and only in a named workshop."""
        return self.revealed and not self.workshop.is_anonymous

    def column_of(self, statement_id: str) -> int:
        for i, s in enumerate(self.statements):
            if s.id == statement_id:
                return i
        return -1

    def row_of(self, participant_id: str) -> int:
        try:
            return self.participant_ids.index(participant_id)
        except ValueError:
            return -1

    def voted_count(self, column: int) -> int:
        voters = self.workshop.voters_for(self.statements[column].id)
        return sum(1 for pid in self.participant_ids if pid in voters)

    # -- Qt model --------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.participant_ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.statements)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _vote(self, index: QModelIndex | QPersistentModelIndex) -> Vote | None:
        sid = self.statements[index.column()].id
        return self.workshop.vote(sid, self.participant_ids[index.row()])

    def cell_text(self, index: QModelIndex | QPersistentModelIndex) -> str:
        vote = self._vote(index)
        if vote is None:
            return ""
        if not self.shows_values:
            return VOTED
        return "?" if vote.score == DONT_KNOW else str(vote.score)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            name = self.workshop.participant(self.participant_ids[index.row()]).name
            text = self.cell_text(index)
            if not text:
                state = _("not voted yet")
            elif text == VOTED:
                state = "voted"
            else:
                state = _("don't know") if text == "?" else _('voted {text}').format(text=text)
            return _(
                "{name}, statement {value}: {state}").format(
                name=name,
                value=index.column() + 1,
                state=state)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._vote(index) is not None:
                return QBrush(QColor(0, 158, 115, 40))  # a light green tint: "voted"
            return None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if section >= len(self.statements):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                code = self.workshop.questionnaire.codes(self.pillar)[section]
                return f"{code}\n{self.voted_count(section)}/{len(self.participant_ids)}"
            if role == Qt.ItemDataRole.ToolTipRole:
                s = self.statements[section]
                return (_(
                    "Statement {value}: {text}\n{value2} of {n} voted").format(
                    value=section + 1,
                    text=s.text,
                    value2=self.voted_count(section),
                    n=len(self.participant_ids)))
            return None
        if section >= len(self.participant_ids):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            p = self.workshop.participant(self.participant_ids[section])
            if role == Qt.ItemDataRole.ToolTipRole and p.role:
                return f"{p.name} — {p.role}"
            return p.name
        return None

    # -- changes -----------------------------------------------------------------------
    def votes_changed(self, change: VotesChanged) -> set[int]:
        """Repaint the cells of changed votes.

        Returns:
            the columns whose "n/N voted" header text changed. The view
            repaints those header sections itself: ``headerDataChanged``
            would make a table view repaint its whole viewport on every vote.
        """
        counts: set[int] = set()
        rows = [self.row_of(pid) for pid in change.participant_ids]
        for sid in change.statement_ids:
            col = self.column_of(sid)
            if col < 0:
                continue
            counts.add(col)
            for row in rows:
                if row >= 0:
                    cell = self.index(row, col)
                    self.dataChanged.emit(cell, cell)
        return counts

    def repaint_all(self) -> None:
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(self.rowCount() - 1, self.columnCount() - 1))

    def first_empty(self, from_column: int = 0) -> tuple[int, int] | None:
        """The first cell without an answer, from ``from_column`` on (row, column)."""
        ws = self.workshop
        for col in range(max(0, from_column), len(self.statements)):
            voters = ws.voters_for(self.statements[col].id)
            for row, pid in enumerate(self.participant_ids):
                if pid not in voters:
                    return row, col
        return None


class VoteGrid(QTableView):
    """The keyboard-fast per-person vote grid of one pillar.

    Signals:
        statement_selected(str): the cursor moved to another statement's column.
        refused(str): a typed answer was refused (why, in words); ``""`` when
            the next answer was taken.

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        pillar: the pillar whose statements are the columns.
        parent: the owning widget.
    """

    statement_selected = Signal(str)
    refused = Signal(str)

    def __init__(self, controller: WorkshopController, pillar: Pillar,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self.setObjectName("voteGrid")
        self.grid_model = VoteGridModel(controller, pillar, self)
        self.setModel(self.grid_model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setTabKeyNavigation(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setAccessibleName(_('{title} votes: participants by statements').format(
            title=pillar.title))
        self.setToolTip(_("Type 1–5, or 0 / ? for don't know; the cursor moves to the next "
                        "person. Delete clears a vote."))
        normal = QFont(self.font())
        normal.setBold(False)  # explicitly set, so the headers do not inherit the bold below
        normal.setPointSizeF(normal.pointSizeF())
        font = QFont(normal)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.setFont(font)
        header = self.horizontalHeader()
        header.setFont(normal)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("888") + 16)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        vheader = self.verticalHeader()
        vheader.setFont(normal)
        vheader.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vheader.setDefaultSectionSize(max(26, self.fontMetrics().height() + 8))
        vheader.setMaximumWidth(240)
        vheader.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.selectionModel().currentChanged.connect(self._current_moved)
        self.grid_model.modelReset.connect(self._after_reset)
        controller.votes_changed.connect(self._votes_changed)
        controller.participants_changed.connect(self._rebuild)
        controller.fields_changed.connect(self._fields_changed)
        controller.pillar_state_changed.connect(self._state_changed)
        self._moving = False
        self._after_reset()

    # -- cursor --------------------------------------------------------------------
    def current_statement_id(self) -> str:
        index = self.currentIndex()
        if not index.isValid():
            return ""
        return self.grid_model.statements[index.column()].id

    def current_participant_id(self) -> str:
        index = self.currentIndex()
        if not index.isValid():
            return ""
        return self.grid_model.participant_ids[index.row()]

    def set_statement(self, statement_id: str) -> None:
        """Move the cursor to a statement's column: its next empty cell from the row on."""
        col = self.grid_model.column_of(statement_id)
        if col < 0 or col == self.currentIndex().column():
            return
        row = max(0, self.currentIndex().row())
        self._move_to(row, col)
        self.settle_cursor()

    def _move_to(self, row: int, col: int) -> None:
        if not (0 <= row < self.grid_model.rowCount() and 0 <= col < self.grid_model.columnCount()):
            return
        index = self.grid_model.index(row, col)
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)

    def _current_moved(self, current: QModelIndex, previous: QModelIndex) -> None:
        if current.isValid() and current.column() != previous.column():
            self.statement_selected.emit(self.grid_model.statements[current.column()].id)

    def _after_reset(self) -> None:
        """Put the cursor on the next empty cell of the room's statement (else its top)."""
        sid = self.controller.statement_id
        col = max(0, self.grid_model.column_of(sid))
        empty = self.grid_model.first_empty(col)
        if empty is not None and empty[1] == col:
            self._move_to(*empty)
        else:
            self._move_to(0, col)

    def _rebuild(self, _change: object = None) -> None:
        keep = (self.current_participant_id(), self.current_statement_id())
        self.grid_model.reload()
        row = max(0, self.grid_model.row_of(keep[0]))
        col = max(0, self.grid_model.column_of(keep[1]))
        self._move_to(row, col)

    def _fields_changed(self, change: FieldsChanged) -> None:
        if change.names & {"questionnaire", "voting_mode"}:
            self._rebuild()

    def _state_changed(self, change: PillarStateChanged) -> None:
        if self.pillar in change.pillars:
            self.grid_model.repaint_all()
            self.settle_cursor()  # e.g. after undoing a reveal

    def _votes_changed(self, change: VotesChanged) -> None:
        header = self.horizontalHeader()
        for col in self.grid_model.votes_changed(change):
            x = header.sectionViewportPosition(col)
            header.viewport().update(x, 0, header.sectionSize(col), header.height())

    # -- voting ----------------------------------------------------------------------
    def vote_here(self, score: int | None) -> bool:
        """Record ``score`` (None clears) for the cell under the cursor.

        Before the reveal a cell shows only ✓, so typing over an answer would
        change it without anyone seeing what was there: that is refused (the
        facilitator clears the cell with Delete first), and the cursor moves
        to the next empty cell.
        """
        index = self.currentIndex()
        if not index.isValid():
            return False
        sid = self.grid_model.statements[index.column()].id
        pid = self.grid_model.participant_ids[index.row()]
        if (score is not None and not self.grid_model.shows_values
                and self.controller.workshop.vote(sid, pid) is not None):
            name = _("this person") if self.controller.workshop.is_anonymous else (
                self.controller.workshop.participant(pid).name)
            code = self.controller.workshop.questionnaire.codes(self.pillar)[index.column()]
            text = _("Not recorded: {name} has already answered {code}; press Delete to "
                     "clear the answer first (it is hidden until the reveal).").format(
                name=name, code=code)
            self._say_refused(text)
            # The cursor stays: moving it would put the next digit in another cell
            # than the facilitator chose.
            return False
        ok = self.controller.vote(sid, pid, score)
        if ok:
            self.refused.emit("")
        return ok

    def _say_refused(self, text: str) -> None:
        """Where the facilitator looks: under the grid (``refused``) and the status bar."""
        self.controller.error.emit(text)
        self.refused.emit(text)

    def settle_cursor(self) -> None:
        """Off an answered cell: to the next empty one in the column, else the pillar."""
        index = self.currentIndex()
        ws = self.controller.workshop
        model = self.grid_model
        if not model.rowCount() or not model.columnCount():
            return
        col = max(0, index.column())
        row = max(0, index.row())
        if index.isValid() and ws.vote(model.statements[col].id,
                                       model.participant_ids[row]) is None:
            return
        voters = ws.voters_for(model.statements[col].id)
        for r in (*range(row, model.rowCount()), *range(0, row)):
            if model.participant_ids[r] not in voters:
                self._move_to(r, col)
                return
        empty = model.first_empty(col)
        if empty is not None:
            self._move_to(*empty)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self.settle_cursor()

    def advance(self) -> None:
        """Down to the next person; after the last, the top of the next statement.

        Before the reveal answered cells are skipped (they cannot be typed
        over); when no empty cell follows, the cursor stays.
        """
        index = self.currentIndex()
        if not index.isValid():
            return
        model = self.grid_model
        skip_answered = not model.shows_values
        ws = self.controller.workshop
        row, col = index.row(), index.column()
        while True:
            row += 1
            if row >= model.rowCount():
                if col + 1 >= model.columnCount():
                    return  # nothing left to type in after this cell: stay
                row, col = 0, col + 1
            if not skip_answered or ws.vote(model.statements[col].id,
                                            model.participant_ids[row]) is None:
                self._move_to(row, col)
                return

    def keyPressEvent(self, event: QKeyEvent) -> None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if mods in (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.ShiftModifier):
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.vote_here(None)
                return
            answer = parse_answer(event.text()) if event.text() else None
            if answer is not None:
                if self.vote_here(answer):
                    self.advance()
                return
        super().keyPressEvent(event)
