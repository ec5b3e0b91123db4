"""The intro: agenda, what the questionnaire assesses, who is in the room,
the review of the earlier workshop's open actions, and intro notes.

Reviewing an earlier action is one undo step: "carry over" both adds the
action to this workshop (``carried_from`` = the old id) and records the
decision; "mark done" and "undecided" record the decision and take back a
carried copy if there was one.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...charts import style as chart_style
from ...core.i18n import N_, _, format_date, ngettext
from ...core.model import (
    INTRO_STEP,
    STEPS,
    SUMMARY_STEP,
    ActionItem,
    ActionStatus,
    Pillar,
    PillarState,
    ReviewDecision,
    Workshop,
    new_id,
)
from ...core.operations import (
    Batch,
    DeleteAction,
    Operation,
    PutAction,
    SetActionReview,
)
from ..commands import WorkshopController
from ..form_types import IntroScreenForm
from ..forms import load_form
from ..widgets.notes_edit import IDLE_COMMIT_MS, NotesEdit
from .base import Screen, columns_direction

_ID = Qt.ItemDataRole.UserRole
#: Below this width the columns stack (the screen scrolls instead).
STATE_NAMES = {
    PillarState.NOT_STARTED: N_("not started"),
    PillarState.VOTING: N_("voting"),
    PillarState.REVEALED: N_("revealed"),
    PillarState.DONE: N_("done"),
}
DECISION_NAMES = {
    ReviewDecision.DONE: N_("✓ Done"),
    ReviewDecision.CARRIED: N_("→ Carried over"),
    None: N_("— undecided"),
}


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _minutes(total: int) -> str:
    hours, minutes = divmod(total, 60)
    return _(
        "{hours} h {minutes:02d} min").format(
        hours=hours,
        minutes=minutes) if hours else _(
        "{minutes} min").format(
        minutes=minutes)


def open_baseline_actions(baseline: Workshop | None) -> list[ActionItem]:
    """The earlier workshop's actions the room reviews (those still open)."""
    return [a for a in baseline.actions if a.is_open] if baseline is not None else []


class IntroScreen(Screen):
    """The intro step.

    Args:
        controller: the open workshop's command layer.
        parent: the owning widget.
        idle_ms: commit notes after this long without typing (0: only on focus-out).

    Attributes:
        notes: the intro notes editor.
    """

    title = N_("Intro")

    def __init__(self, controller: WorkshopController, parent: QWidget | None = None,
                 idle_ms: int = IDLE_COMMIT_MS) -> None:
        super().__init__(parent)
        self.controller = controller
        self._dirty = True
        self.ui = load_form("intro_screen", self, IntroScreenForm)
        ui = self.ui

        agenda: QTreeWidget = ui.agendaList
        header = agenda.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        agenda.itemActivated.connect(lambda item, _c: self.go_to_step(item.data(0, _ID)))

        table: QTableWidget = ui.reviewTable
        h = table.horizontalHeader()
        h.setStretchLastSection(False)
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col in (1, 2, 3, 4):
            h.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
        table.installEventFilter(self)
        table.itemSelectionChanged.connect(self._update_buttons)
        ui.doneButton.clicked.connect(lambda: self._decide_selected(ReviewDecision.DONE))
        ui.carryButton.clicked.connect(lambda: self._decide_selected(ReviewDecision.CARRIED))
        ui.undecidedButton.clicked.connect(lambda: self._decide_selected(None))

        self.notes = NotesEdit(controller, INTRO_STEP, ui.notesHost, idle_ms=idle_ms)
        self.notes.setPlaceholderText(_("Notes from the intro…"))
        self.notes.setAccessibleName(_("Intro notes"))
        notes_box = ui.notesHost.layout()
        assert isinstance(notes_box, QVBoxLayout)  # notesHostLayout in intro_screen.ui
        notes_box.addWidget(self.notes)
        ui.notesLabel.setBuddy(self.notes)
        QWidget.setTabOrder(ui.undecidedButton, self.notes)
        columns = ui.root.findChild(QBoxLayout, "columnsLayout")
        left = ui.root.findChild(QBoxLayout, "leftColumn")
        assert columns is not None and left is not None  # in intro_screen.ui
        self._columns: QBoxLayout = columns
        self._left: QBoxLayout = left

        for signal in (controller.fields_changed, controller.participants_changed,
                       controller.actions_changed, controller.pillar_state_changed):
            signal.connect(self._model_changed)
        self.load()

    @property
    def workshop(self) -> Workshop:
        """The open workshop as the room sees it (shipped questionnaire in the UI's language)."""
        return self.controller.shown_workshop()

    # -- Screen -------------------------------------------------------------------------
    def load(self) -> None:
        self._load_agenda()
        self._load_purpose()
        self._load_review()
        self.notes.load()
        self._dirty = False

    def commit(self) -> bool:
        return self.notes.commit()

    def focus_first(self) -> None:
        table: QTableWidget = self.ui.reviewTable
        if table.isVisibleTo(self) and table.rowCount():
            if table.currentRow() < 0:
                table.selectRow(0)
            table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.ui.agendaList.setFocus(Qt.FocusReason.OtherFocusReason)


    def fit_width(self, narrow: bool) -> None:
        """Agenda beside the review when there is room; above it when narrow."""
        stacked = narrow
        wanted = columns_direction(narrow)
        if self._columns.direction() == wanted:
            return
        self._columns.setDirection(wanted)
        self._left.setDirection(QBoxLayout.Direction.LeftToRight if stacked
                                else QBoxLayout.Direction.TopToBottom)
        self._left.setStretch(0, 1 if stacked else 0)
        self._left.setStretch(1, 1)
        self.notes.setMinimumHeight(140 if stacked else 60)
        self._fit_review_height()

    @property
    def stacked(self) -> bool:
        """Are the columns stacked (a narrow window)?"""
        return self._columns.direction() == QBoxLayout.Direction.TopToBottom

    def _fit_review_height(self) -> None:
        table: QTableWidget = self.ui.reviewTable
        rows = min(max(table.rowCount(), 3), 8)
        height = (table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                  + rows * table.verticalHeader().defaultSectionSize() + 2)
        table.setMinimumHeight(height)

    def _model_changed(self, _change: object = None) -> None:
        # nothing here shows votes; the notes editor follows its own notes
        if not self.isVisible():
            self._dirty = True
            return
        self.load()

    # -- agenda -------------------------------------------------------------------------
    def _load_agenda(self) -> None:
        ws = self.workshop
        agenda: QTreeWidget = self.ui.agendaList
        current = selected.data(0, _ID) if (selected := agenda.currentItem()) else None
        agenda.clear()
        total = 0
        for step in STEPS:
            minutes = int(ws.timebox_minutes.get(step, 0))
            total += minutes
            if step == INTRO_STEP:
                name, count, state = _("Intro: agenda, earlier actions"), "", ""
            elif step == SUMMARY_STEP:
                name, count, state = _("Summary — results and actions"), "", ""
            else:
                pillar = Pillar(step)
                section = ws.questionnaire.section(pillar)
                name = section.name
                count = str(len(section.statements))
                state = _(STATE_NAMES[ws.pillar_states.get(pillar, PillarState.NOT_STARTED)])
            item = QTreeWidgetItem([name, count, _(
                "{minutes} min").format(
                minutes=minutes) if minutes else "—", state])
            item.setData(0, _ID, step)
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setToolTip(0, _('Go to {name} (Enter)').format(name=name))
            agenda.addTopLevelItem(item)
            if step == current:
                agenda.setCurrentItem(item)
        first = agenda.topLevelItem(0)
        if agenda.currentItem() is None and first is not None:
            agenda.setCurrentItem(first)
        rows = agenda.topLevelItemCount()
        height = agenda.header().sizeHint().height() + 2 * agenda.frameWidth()
        height += sum(agenda.sizeHintForRow(i) for i in range(rows)) if rows else 0
        agenda.setFixedHeight(height + 2)
        self.ui.agendaTotal.setText(_('Planned in total: {value}').format(value=_minutes(total)))
        self.ui.workshopLabel.setText(ws.display_name)

    def go_to_step(self, step: str) -> None:
        """Move the room to a step of the agenda (the main window follows)."""
        if step and step in STEPS and step != INTRO_STEP:
            self.commit()
            self.controller.go_to(step)

    # -- purpose and room ---------------------------------------------------------------
    def _load_purpose(self) -> None:
        ws = self.workshop
        q = ws.questionnaire
        self.ui.questionnaireTitle.setText(q.title)
        self.ui.purposeLabel.setText(q.description or "")
        self.ui.purposeLabel.setVisible(bool(q.description))
        scale = " · ".join(f"{lv.level} {lv.name}" for lv in q.levels)
        self.ui.scaleLabel.setText(_("Scale: {scale} · ? don't know").format(scale=scale))
        n = len(ws.participants)
        people = ngettext("{n} participant", "{n} participants", n).format(n=n)
        mode = (_("anonymous voting: results of fewer than 3 answers stay hidden")
                if ws.is_anonymous else _("named voting"))
        statements = ngettext("{n} statement", "{n} statements", len(q.statements)).format(
            n=len(q.statements))
        pillars = ngettext("in {n} pillar", "in {n} pillars", len(q.sections)).format(
            n=len(q.sections))
        self.ui.roomLabel.setText(f"{people} · {mode} · {statements} {pillars}")
        self.ui.roomLabel.setToolTip("\n".join(p.name for p in ws.participants[:40]))

    # -- review of the earlier workshop ---------------------------------------------------
    def review_actions(self) -> list[ActionItem]:
        """The earlier workshop's open actions, in its order."""
        return open_baseline_actions(self.controller.baseline())

    def decision(self, action_id: str) -> ReviewDecision | None:
        return self.workshop.action_reviews.get(action_id)

    def carried_copy(self, action_id: str) -> ActionItem | None:
        """This workshop's action carried over from ``action_id``, if any."""
        return next((a for a in self.workshop.actions if a.carried_from == action_id), None)

    def _load_review(self) -> None:
        table: QTableWidget = self.ui.reviewTable
        baseline = self.controller.baseline()
        actions = open_baseline_actions(baseline)
        keep = table.currentRow()
        ws = self.workshop
        if baseline is None:
            info = (_("This workshop is not compared with an earlier one, so there are no "
                    "earlier actions to review. Choose one in Set-up (Ctrl+,)."))
            if ws.baseline_id:
                info = (_("The earlier workshop this one is compared with is no longer in the "
                        "library. Choose another in Set-up (Ctrl+,)."))
        elif not actions:
            info = (_(
                "“{title}” ({date}) left no open actions to review.").format(
                title=baseline.title,
                date=format_date(baseline.date)))
        else:
            info = (_(
                "Open actions of “{title}” ({date}). Decide for each: done, or carried over "
                "into this workshop.").format(
                title=baseline.title,
                date=format_date(baseline.date)))
        self.ui.reviewInfo.setText(info)
        has = bool(actions)
        for w in (table, self.ui.doneButton, self.ui.carryButton, self.ui.undecidedButton,
                  self.ui.reviewSummary):
            w.setVisible(has)
        table.setRowCount(len(actions))
        counts = {ReviewDecision.DONE: 0, ReviewDecision.CARRIED: 0, None: 0}
        for row, a in enumerate(actions):
            decision = ws.action_reviews.get(a.id)
            counts[decision] = counts.get(decision, 0) + 1
            cells = [
                " ".join(a.text.split()),
                a.owner or "—",
                format_date(a.due, "short", empty="—"),
                a.pillar.title if a.pillar else "—",
                _(DECISION_NAMES[decision]),
            ]
            for col, text in enumerate(cells):
                item = table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    table.setItem(row, col, item)
                item.setText(text)
                item.setData(_ID, a.id)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if col == 0:
                    item.setToolTip(a.text)
            decision_item = table.item(row, 4)
            assert decision_item is not None  # set in the loop above
            colours: dict[ReviewDecision | None, str] = {ReviewDecision.DONE: chart_style.GREEN,
                                                         ReviewDecision.CARRIED: chart_style.BLUE}
            colour = colours.get(decision)
            decision_item.setForeground(QBrush(QColor(colour)) if colour else QBrush())
        if has:
            table.selectRow(min(max(keep, 0), len(actions) - 1))
        self.ui.reviewSummary.setText(
            _("{done} done · {carried} carried over · {undecided} undecided").format(
                done=counts[ReviewDecision.DONE], carried=counts[ReviewDecision.CARRIED],
                undecided=counts[None])
        )
        self._fit_review_height()
        self._update_buttons()

    def _selected_action(self) -> ActionItem | None:
        table: QTableWidget = self.ui.reviewTable
        row = table.currentRow()
        actions = self.review_actions()
        if 0 <= row < len(actions) and table.selectionModel().isRowSelected(row):
            return actions[row]
        return None

    def _update_buttons(self) -> None:
        action = self._selected_action()
        decision = self.decision(action.id) if action else None
        self.ui.doneButton.setEnabled(action is not None and decision != ReviewDecision.DONE)
        self.ui.carryButton.setEnabled(action is not None and decision != ReviewDecision.CARRIED)
        self.ui.undecidedButton.setEnabled(action is not None and decision is not None)

    def _decide_selected(self, decision: ReviewDecision | None) -> bool:
        action = self._selected_action()
        if action is None:
            return False
        ok = self.decide(action.id, decision)
        self.ui.reviewTable.setFocus()
        return ok

    def decide(self, action_id: str, decision: ReviewDecision | None) -> bool:
        """Record the room's decision on an earlier action, as one undo step.

        ``CARRIED`` adds a copy of the action to this workshop; ``DONE`` and
        ``None`` (undecided) remove a copy made earlier.
        """
        old = next((a for a in self.review_actions() if a.id == action_id), None)
        if old is None:
            return False
        previous = self.decision(action_id)
        copy = self.carried_copy(action_id)
        if previous == decision and (decision != ReviewDecision.CARRIED or copy is not None):
            return True
        ops: list[Operation] = []
        if decision == ReviewDecision.CARRIED:
            if copy is None:
                ops.append(PutAction(self._carried(old)))
            text = _('carry over “{value}”').format(value=_short(old.text, 30))
        else:
            if copy is not None:
                ops.append(DeleteAction(copy.id))
            text = (_(
                "mark “{value}” done").format(
                value=_short(old.text, 30)) if decision == ReviewDecision.DONE
                    else _('undecide “{value}”').format(value=_short(old.text, 30)))
        ops.append(SetActionReview(action_id, decision))
        return self.controller.do(Batch(tuple(ops), text))

    def _carried(self, old: ActionItem) -> ActionItem:
        ws = self.workshop
        due = old.due if old.due and ws.date and old.due >= ws.date else ""
        status = old.status if old.is_open else ActionStatus.OPEN
        return ActionItem(id=new_id(), text=old.text, owner=old.owner, due=due,
                          pillar=old.pillar, status=status, carried_from=old.id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.ui.reviewTable and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):
            decision: ReviewDecision | str | None = {
                Qt.Key.Key_D: ReviewDecision.DONE,
                Qt.Key.Key_C: ReviewDecision.CARRIED,
            }.get(Qt.Key(event.key()), "none")
            if event.key() in (Qt.Key.Key_U, Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                decision = None
            if decision != "none":
                self._decide_selected(decision)  # type: ignore[arg-type]
                return True
        return super().eventFilter(watched, event)
