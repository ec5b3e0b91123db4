"""Set-up: the workshop's details, questionnaire, participants, voting and plan.

Every field is committed through the
:class:`~calms_desktop.gui.commands.WorkshopController` when the
facilitator finishes editing it (Enter or leaving the field, never per
keystroke), so each edit is one undo step; when the model changes (undo,
redo), the form reloads from it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHeaderView,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from ...core import privacy
from ...core import questionnaire as qmod
from ...core.errors import ValidationError
from ...core.i18n import _, format_date, ngettext
from ...core.model import (
    PILLARS,
    STEPS,
    Participant,
    Pillar,
    Questionnaire,
    VotingMode,
    Workshop,
    new_id,
)
from ...core.operations import (
    Batch,
    DeleteParticipant,
    PutParticipant,
)
from ...core.participants import PastedNames, describe_paste, parse_names
from ...core.storage import Library
from ..commands import WorkshopController
from ..form_types import SetupScreenForm
from ..forms import load_form
from ..paste_names import PasteNamesDialog
from ..widgets import no_wheel_unless_focused
from .base import Screen, ask, columns_direction

#: Below this width the two columns of the form stack (it scrolls instead).
_ID = Qt.ItemDataRole.UserRole
_TEXT_FIELDS = ("title", "organisation", "team", "location", "facilitator")
ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: palette(placeholder-text);"

OpenFile = Callable[[QWidget, str, str, str], tuple[str, str]]


def is_iso_day(text: str) -> bool:
    """Is ``text`` a real calendar day written as YYYY-MM-DD?"""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return False
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _open_file(parent: QWidget, caption: str, folder: str, filters: str) -> tuple[str, str]:
    return QFileDialog.getOpenFileName(parent, caption, folder, filters)


class SetupScreen(Screen):
    """The workshop's set-up form.

    Args:
        controller: the open workshop's command layer.
        library: for the list of earlier workshops to compare with.

    Attributes:
        open_file: ``open_file(parent, caption, folder, filters) -> (path, filter)``
            picks a questionnaire file (a file dialog; tests replace it).
        paste_dialog: the open "Paste names" dialog, if any.
    """

    title = "Set-up"

    def __init__(self, controller: WorkshopController, library: Library | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.library = library
        self.open_file: OpenFile = _open_file
        self.paste_dialog: PasteNamesDialog | None = None
        self._loading = False
        self._dirty = True
        self._custom: dict[str, Questionnaire] = {}
        self._builtins: dict[str, Questionnaire] = {}
        self.ui = load_form("setup_screen", self, SetupScreenForm)
        ui = self.ui

        for name in _TEXT_FIELDS:
            edit: QLineEdit = getattr(ui, f"{name}Edit")
            edit.editingFinished.connect(lambda n=name: self._commit_text(n))
        ui.titleEdit.textEdited.connect(lambda t: self._show_title_problem(not t.strip()))
        ui.dateEdit.editingFinished.connect(self._commit_date)
        #: asks (title, text) -> bool before a change that rewrites revealed results
        self.confirm: Callable[[str, str], bool] = self._ask

        ui.questionnaireCombo.activated.connect(lambda _i: self._questionnaire_chosen())
        ui.browseButton.clicked.connect(self.browse_questionnaire)
        ui.questionnaireError.setStyleSheet(ERROR_STYLE)
        ui.titleError.setStyleSheet(ERROR_STYLE)

        ui.anonymousRadio.toggled.connect(lambda _on: self._commit_voting_mode())

        ui.baselineCombo.currentIndexChanged.connect(lambda _i: self._baseline_chosen())
        no_wheel_unless_focused(ui.baselineCombo)
        no_wheel_unless_focused(ui.questionnaireCombo)
        ui.useSuggestionButton.clicked.connect(self.use_suggestion)

        table: QTableWidget = ui.participantsTable
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        table.itemChanged.connect(self._participant_edited)
        table.itemSelectionChanged.connect(self._update_participant_buttons)
        table.installEventFilter(self)
        ui.newNameEdit.returnPressed.connect(self.add_typed_name)
        ui.newNameEdit.installEventFilter(self)  # a pasted list of names adds them all
        ui.addButton.clicked.connect(self.add_typed_name)
        ui.removeButton.clicked.connect(self.remove_selected)
        ui.pasteButton.clicked.connect(self.show_paste_dialog)

        for p in PILLARS:
            combo = self._target_combo(p)
            no_wheel_unless_focused(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._commit_targets())
        for step in STEPS:
            spin = self._timebox_spin(step)
            no_wheel_unless_focused(spin)
            spin.setMaximumWidth(spin.fontMetrics().horizontalAdvance("no timebox") + 60)
            spin.editingFinished.connect(self._commit_timeboxes)
            spin.valueChanged.connect(lambda _v: self._update_total())
        grid = ui.planGroup.layout()
        assert isinstance(grid, QGridLayout)  # planGrid in setup_screen.ui
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        columns = ui.root.findChild(QBoxLayout, "columnsLayout")
        assert columns is not None  # in setup_screen.ui
        self._columns: QBoxLayout = columns
        self.show_message("")

        controller.fields_changed.connect(self._setup_changed)
        controller.participants_changed.connect(self._setup_changed)
        controller.votes_changed.connect(self._answers_changed)
        controller.tally_changed.connect(self._answers_changed)
        controller.error.connect(self._refused)
        self.load()

    # -- widgets by key ----------------------------------------------------------------
    def _target_combo(self, pillar: Pillar) -> QComboBox:
        return getattr(self.ui, f"target{pillar.value.capitalize()}")

    def _timebox_spin(self, step: str) -> QSpinBox:
        return getattr(self.ui, f"timebox{step.capitalize()}")

    @property
    def workshop(self) -> Workshop:
        return self.controller.workshop

    # -- Screen -----------------------------------------------------------------------
    def load(self) -> None:
        """Fill every field from the model (pending edits in a field are kept)."""
        self._loading = True
        try:
            self._load_fields()
            self._load_questionnaire()
            self._load_participants()
            self._load_plan()
            self._load_baseline()
        finally:
            self._loading = False
        self._dirty = False
        self._show_title_problem(not self.ui.titleEdit.text().strip())

    def _load_fields(self) -> None:
        ws = self.workshop
        for name in _TEXT_FIELDS:
            edit: QLineEdit = getattr(self.ui, f"{name}Edit")
            value = getattr(ws, name)
            if not edit.isModified() and edit.text() != value:
                edit.setText(value)
                edit.setCursorPosition(0)
        if not self.ui.dateEdit.hasFocus():
            self.ui.dateEdit.setText(ws.date)
        self.ui.namedRadio.setChecked(ws.voting_mode == VotingMode.NAMED)
        self.ui.anonymousRadio.setChecked(ws.voting_mode == VotingMode.ANONYMOUS)

    def validate(self) -> list[str]:
        problems = []
        if not self.ui.titleEdit.text().strip():
            problems.append(_("A workshop needs a title."))
        self._show_title_problem(bool(problems))
        return problems

    def commit(self) -> bool:
        """Commit every field that still has an edit pending."""
        for name in _TEXT_FIELDS:
            self._commit_text(name)
        self._commit_date()
        self._commit_timeboxes()
        return not self.validate()

    def focus_first(self) -> None:
        self.ui.titleEdit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ui.titleEdit.selectAll()


    def fit_width(self, narrow: bool) -> None:
        """Two columns side by side when there is room, stacked when narrow."""
        direction = columns_direction(narrow)
        if self._columns.direction() != direction:
            self._columns.setDirection(direction)
            self.ui.participantsTable.setMinimumHeight(260 if narrow else 150)

    @property
    def stacked(self) -> bool:
        """Are the form's columns stacked (a narrow window)?"""
        return self._columns.direction() == QBoxLayout.Direction.TopToBottom

    # -- the model changed -------------------------------------------------------------
    def _setup_changed(self, _change: object = None) -> None:
        if self.isVisible():
            self.load()
        else:
            self._dirty = True

    def _answers_changed(self, _change: object = None) -> None:
        self._update_questionnaire_lock()
        if self.isVisible():
            self._update_answer_counts()
        else:
            self._dirty = True

    def _refused(self, message: str) -> None:
        if self.isVisible():
            self.show_message(_('Not changed: {message}').format(message=message), error=True)

    def show_message(self, text: str, error: bool = False) -> None:
        """A line at the top of the form (errors in red)."""
        self.ui.messageLabel.setText(text)
        self.ui.messageLabel.setStyleSheet(ERROR_STYLE if error else "")
        self.ui.messageLabel.setVisible(bool(text))

    def message(self) -> str:
        return self.ui.messageLabel.text() if self.ui.messageLabel.isVisibleTo(self) else ""

    # -- details ------------------------------------------------------------------------
    def _show_title_problem(self, show: bool) -> None:
        self.ui.titleError.setVisible(show)
        self.ui.titleEdit.setStyleSheet("QLineEdit { border: 2px solid #b3261e; }" if show else "")

    def _commit_text(self, name: str) -> None:
        if self._loading:
            return
        edit: QLineEdit = getattr(self.ui, f"{name}Edit")
        value = edit.text().strip()
        if name == "title" and not value:
            self._show_title_problem(True)
            return
        if name == "title":
            self._show_title_problem(False)
        if value != getattr(self.workshop, name):
            if not self.controller.set_fields(**{name: value}):
                return
        edit.setModified(False)
        if edit.text() != value:
            edit.setText(value)

    def _commit_date(self) -> None:
        """Take the date exactly as typed (YYYY-MM-DD), or refuse it and say why.

        Never "fixed": a spin-style date field would turn 2026-02-30 into
        another day without a word.
        """
        if self._loading:
            return
        edit: QLineEdit = self.ui.dateEdit
        typed = edit.text().strip()
        if typed == self.workshop.date:
            return
        if not is_iso_day(typed):
            current = self.workshop.date
            self.show_message(_(
                "“{typed}” is not a date (YYYY-MM-DD, e.g. 2026-03-14); the date is still "
                "{value}.").format(
                typed=typed,
                value=format_date(current) or _('not set')), error=True)
            edit.setText(current)
            return
        if self.controller.set_fields(date=typed):
            self.show_message("")

    def _ask(self, title: str, text: str) -> bool:
        return ask(self, title, text)

    def _commit_voting_mode(self) -> None:
        if self._loading:
            return
        mode = VotingMode.ANONYMOUS if self.ui.anonymousRadio.isChecked() else VotingMode.NAMED
        self.controller.set_fields(voting_mode=mode)

    # -- questionnaire ------------------------------------------------------------------
    def _builtin(self, qid: str) -> Questionnaire | None:
        if qid not in self._builtins:
            try:
                self._builtins[qid] = qmod.builtin(qid)
            except ValidationError:
                return None
        return self._builtins[qid]

    def _questionnaire_key(self, q: Questionnaire) -> str:
        if self._builtin(q.id) == q:
            return q.id
        key = f"file:{q.id}"
        self._custom[key] = q
        return key

    def _load_questionnaire(self) -> None:
        combo: QComboBox = self.ui.questionnaireCombo
        current = self._questionnaire_key(self.workshop.questionnaire)
        combo.clear()
        for qid in sorted(qmod.builtin_ids(), key=lambda i: (i != qmod.DEFAULT_ID, i)):
            q = self._builtin(qid)
            if q is None:
                continue
            n = len(q.statements)
            text = (_("{title} (default) — {statements}") if qid == qmod.DEFAULT_ID
                    else '{title} — {statements}')
            combo.addItem(text.format(title=q.title, statements=ngettext(
                "{n} statement", "{n} statements", n).format(n=n)), qid)
        for key, q in self._custom.items():
            n = len(q.statements)
            combo.addItem(_("{title} — from a file, {statements}").format(
                title=q.title,
                statements=ngettext("{n} statement", "{n} statements", n).format(n=n)), key)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        q = self.workshop.questionnaire
        self.ui.questionnaireInfo.setText(q.description or q.title)
        self._update_questionnaire_lock()

    def _has_answers(self) -> bool:
        ws = self.workshop
        return bool(ws.votes or ws.tallies)

    def _update_questionnaire_lock(self) -> None:
        locked = self._has_answers()
        self.ui.questionnaireCombo.setEnabled(not locked)
        self.ui.browseButton.setEnabled(not locked)
        if locked:
            self.ui.questionnaireError.setText(
                _("Locked: answers are recorded, and the questionnaire cannot change once "
                "votes exist. Start a new workshop to use another questionnaire.")
            )
            self.ui.questionnaireError.setStyleSheet("")
        elif self.ui.questionnaireError.text().startswith("Locked:"):
            self.ui.questionnaireError.setText("")
        self.ui.questionnaireError.setVisible(bool(self.ui.questionnaireError.text()))

    def _resolve(self, key: str) -> Questionnaire | None:
        return self._custom.get(key) or self._builtin(key)

    def _questionnaire_chosen(self) -> None:
        key = self.ui.questionnaireCombo.currentData()
        q = self._resolve(key) if key else None
        if q is not None:
            self.set_questionnaire(q)

    def set_questionnaire(self, q: Questionnaire) -> bool:
        """Use ``q`` (refused by the core once votes exist; the refusal is shown)."""
        if q == self.workshop.questionnaire:
            return True
        errors: list[str] = []

        def note(message: str) -> None:
            errors.append(message)

        self.controller.error.connect(note)
        try:
            ok = self.controller.set_fields(questionnaire=q)
        finally:
            self.controller.error.disconnect(note)
        if not ok:
            self._loading = True
            try:
                self._load_questionnaire()
            finally:
                self._loading = False
            self._show_questionnaire_error(
                _("The questionnaire was not changed: {problem}").format(
                    problem=errors[0] if errors else _("refused"))
            )
            return False
        self._show_questionnaire_error("")
        return True

    def _show_questionnaire_error(self, text: str) -> None:
        self.ui.questionnaireError.setText(text)
        self.ui.questionnaireError.setStyleSheet(ERROR_STYLE)
        self.ui.questionnaireError.setVisible(bool(text))

    def questionnaire_error(self) -> str:
        label = self.ui.questionnaireError
        return label.text() if label.isVisibleTo(self) else ""

    def browse_questionnaire(self) -> None:
        path, _filter = self.open_file(
            self, _("Load a questionnaire"), str(Path.home()),
            _("Questionnaires (*.json);;All files (*)"),
        )
        if path:
            self.load_questionnaire_file(path)

    def load_questionnaire_file(self, path: str | Path) -> bool:
        """Validate a questionnaire file and use it; problems are shown under the combo."""
        try:
            q = qmod.load_file(path)
        except ValidationError as exc:
            self._show_questionnaire_error(
                _("{name} is not a questionnaire this app can use.\nAt {where}: {problem}").format(
                    name=Path(path).name, where=exc.where, problem=exc.problem)
            )
            return False
        self._custom[f"file:{q.id}"] = q
        if not self.set_questionnaire(q):
            return False
        self._loading = True
        try:
            self._load_questionnaire()
        finally:
            self._loading = False
        return True

    # -- participants -------------------------------------------------------------------
    def _answer_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for _sid, pid in self.workshop.votes:
            counts[pid] = counts.get(pid, 0) + 1
        return counts

    def _load_participants(self) -> None:
        """Update the table in place (it may be called from inside its own edit)."""
        table: QTableWidget = self.ui.participantsTable
        people = self.workshop.participants
        counts = self._answer_counts()
        table.blockSignals(True)
        try:
            table.setRowCount(len(people))
            for row, p in enumerate(people):
                self._set_cell(row, 0, p.name, p.id, editable=True)
                self._set_cell(row, 1, p.role, p.id, editable=True)
                self._set_cell(row, 2, str(counts.get(p.id, 0)), p.id, editable=False)
        finally:
            table.blockSignals(False)
        self._update_count_label()
        self._update_participant_buttons()

    def _set_cell(self, row: int, col: int, text: str, pid: str, editable: bool) -> None:
        table: QTableWidget = self.ui.participantsTable
        item = table.item(row, col)
        if item is None:
            item = QTableWidgetItem()
            table.setItem(row, col, item)
        if item.text() != text:
            item.setText(text)
        item.setData(_ID, pid)
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
        if editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        else:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        item.setFlags(flags)
        if col == 0:
            item.setToolTip(text)

    def _update_answer_counts(self) -> None:
        table: QTableWidget = self.ui.participantsTable
        counts = self._answer_counts()
        table.blockSignals(True)
        try:
            for row in range(table.rowCount()):
                item = table.item(row, 2)
                if item is not None:
                    item.setText(str(counts.get(item.data(_ID), 0)))
        finally:
            table.blockSignals(False)

    def _update_count_label(self) -> None:
        n = len(self.workshop.participants)
        text = ngettext("{n} participant", "{n} participants", n).format(n=n)
        if n == 0:
            text = _("0 participants — add people, or count hands with show-of-hands tallies")
        self.ui.participantCount.setText(text)

    def _update_participant_buttons(self) -> None:
        self.ui.removeButton.setEnabled(bool(self._selected_ids()))

    def _selected_ids(self) -> list[str]:
        table: QTableWidget = self.ui.participantsTable
        rows = sorted({i.row() for i in table.selectedIndexes()})
        ids = []
        for row in rows:
            item = table.item(row, 0)
            if item is not None:
                ids.append(item.data(_ID))
        return ids

    def _participant_edited(self, item: QTableWidgetItem) -> None:
        if self._loading or item.column() not in (0, 1):
            return
        pid = item.data(_ID)
        try:
            current = self.workshop.participant(pid)
        except KeyError:
            return
        table: QTableWidget = self.ui.participantsTable
        row = item.row()
        name_item, role_item = table.item(row, 0), table.item(row, 1)
        assert name_item is not None and role_item is not None  # every row has both
        name = " ".join(name_item.text().split())
        role = " ".join(role_item.text().split())
        if not name:
            self.show_message(_("A participant needs a name; the name was kept."), error=True)
            self._load_participants()
            return
        if (name, role) != (current.name, current.role):
            if self.controller.put_participant(Participant(pid, name, role)):
                self.show_message("")
        # the model may have refused or normalised the text: show what it holds
        self._load_participants()

    def add_typed_name(self) -> bool:
        """Add the name typed in the box above the table."""
        edit: QLineEdit = self.ui.newNameEdit
        name = " ".join(edit.text().split())
        if not name:
            edit.setFocus()
            return False
        if name.casefold() in {p.name.casefold() for p in self.workshop.participants}:
            self.show_message(_('{name} is already a participant.').format(name=name), error=True)
            edit.selectAll()
            return False
        if self.controller.put_participant(Participant(new_id(), name)):
            edit.clear()
            self.show_message("")
            self._select_row(len(self.workshop.participants) - 1)
            edit.setFocus()
            return True
        return False

    def _select_row(self, row: int) -> None:
        table: QTableWidget = self.ui.participantsTable
        if 0 <= row < table.rowCount():
            table.setCurrentCell(row, 0)
            if (item := table.item(row, 0)) is not None:
                table.scrollToItem(item)

    def remove_selected(self) -> bool:
        """Remove the selected participants (and their answers) as one undo step."""
        ids = self._selected_ids()
        if not ids:
            return False
        ws = self.workshop
        names = [ws.participant(pid).name for pid in ids]
        answers = sum(1 for (_s, pid) in ws.votes if pid in ids)
        shown = sorted({ws.questionnaire.statement(sid).pillar for (sid, pid) in ws.votes
                        if pid in ids and ws.questionnaire.has_statement(sid)
                        and privacy.results_visible(ws, ws.questionnaire.statement(sid).pillar)},
                       key=PILLARS.index)
        answers_text = ngettext("{n} answer", "{n} answers", answers).format(n=answers)
        if len(names) == 1:
            who = names[0]
        else:
            who = ngettext("{n} participant", "{n} participants", len(names)).format(n=len(names))
        if shown:
            titles = ", ".join(p.title for p in shown)
            text = ngettext(
                "{who} answered in pillars whose results the room has seen ({titles}). "
                "Removing this person removes {answers} and changes those results.\n\n"
                "Undo (Ctrl+Z) brings everything back. Remove anyway?",
                "{who} answered in pillars whose results the room has seen ({titles}). "
                "Removing them removes {answers} and changes those results.\n\n"
                "Undo (Ctrl+Z) brings everything back. Remove anyway?",
                len(names)).format(who=who, titles=titles, answers=answers_text)
            if not self.confirm(_("Remove a participant with revealed answers?"), text):
                return False
        table: QTableWidget = self.ui.participantsTable
        first_row = min(i.row() for i in table.selectedIndexes())
        if len(ids) == 1:
            ok = self.controller.delete_participant(ids[0])
        else:
            ok = self.controller.do(Batch(tuple(DeleteParticipant(pid) for pid in ids),
                                          ngettext("remove {n} participant",
                                                   "remove {n} participants",
                                                   len(ids)).format(n=len(ids))))
        if not ok:
            return False
        self.show_message(
            (_("Removed {who} and {answers}. Undo (Ctrl+Z) brings them back.") if answers
             else _("Removed {who}. Undo (Ctrl+Z) brings them back.")).format(
                who=who, answers=answers_text))
        self._select_row(min(first_row, table.rowCount() - 1))
        table.setFocus()
        return True

    def add_names(self, text: str) -> PastedNames:
        """Add a pasted list of names (one undo step); returns what was read."""
        parsed = parse_names(text, (p.name for p in self.workshop.participants))
        if parsed.names:
            ops = tuple(PutParticipant(Participant(new_id(), name, role))
                        for name, role in parsed.names)
            if not self.controller.do(Batch(ops, ngettext("paste {n} name", "paste {n} names",
                                                          len(ops)).format(n=len(ops)))):
                return PastedNames()
            self._select_row(len(self.workshop.participants) - 1)
        self.show_message(_("Added {what}.").format(what=describe_paste(parsed)))
        return parsed

    def show_paste_dialog(self) -> PasteNamesDialog:
        """Open the "Paste names" dialog (window-modal); OK adds the names."""
        if self.paste_dialog is not None:
            self.paste_dialog.close()
        existing = [p.name for p in self.workshop.participants]
        clip = QGuiApplication.clipboard().text() if QGuiApplication.clipboard() else ""
        dialog = PasteNamesDialog(existing, clip if "\n" in clip.strip() else "", self)
        dialog.accepted.connect(lambda: self.add_names(dialog.text()))
        dialog.finished.connect(lambda _r: self._paste_closed(dialog))
        self.paste_dialog = dialog
        dialog.open()
        return dialog

    def _paste_closed(self, dialog: PasteNamesDialog) -> None:
        if self.paste_dialog is dialog:
            self.paste_dialog = None
        dialog.deleteLater()
        self.ui.participantsTable.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.ui.newNameEdit and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Paste)):
            text = QGuiApplication.clipboard().text()
            if len(parse_names(text, ()).names) > 1:
                self.add_names(text)  # a list: add every name, not one long line
                return True
        table = self.ui.participantsTable
        if (watched is table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and table.state() != QTableWidget.State.EditingState):
            if event.key() in (Qt.Key.Key_Delete,) and not event.modifiers():
                self.remove_selected()
                return True
        return super().eventFilter(watched, event)

    # -- targets and timeboxes ------------------------------------------------------------
    def _load_plan(self) -> None:
        ws = self.workshop
        q = ws.questionnaire
        for p in PILLARS:
            combo = self._target_combo(p)
            combo.clear()
            combo.addItem(_("no target"), 0)
            for level in range(1, 6):
                combo.addItem(f"{level} — {q.level_name(level)}", level)
            combo.setCurrentIndex(max(0, combo.findData(ws.targets.get(p, 0))))
        for step in STEPS:
            spin = self._timebox_spin(step)
            if not spin.hasFocus():
                spin.setValue(int(ws.timebox_minutes.get(step, 0)))
        self._update_total()

    def _update_total(self) -> None:
        total = sum(self._timebox_spin(s).value() for s in STEPS)
        hours, minutes = divmod(total, 60)
        text = (_("{hours} h {minutes:02d} min").format(hours=hours, minutes=minutes) if hours
                else _("{minutes} min").format(minutes=minutes))
        self.ui.totalLabel.setText(_('Planned in total: {text}').format(text=text))

    def _commit_targets(self) -> None:
        if self._loading:
            return
        targets = {}
        for p in PILLARS:
            level = self._target_combo(p).currentData()
            if level:
                targets[p] = int(level)
        if targets != self.workshop.targets:
            self.controller.set_fields(targets=targets)

    def _commit_timeboxes(self) -> None:
        if self._loading:
            return
        timebox = dict(self.workshop.timebox_minutes)
        for step in STEPS:
            spin = self._timebox_spin(step)
            spin.interpretText()
            timebox[step] = spin.value()
        if timebox != self.workshop.timebox_minutes:
            self.controller.set_fields(timebox_minutes=timebox)

    # -- the earlier workshop -------------------------------------------------------------
    def suggested_baseline(self) -> dict | None:
        """The latest earlier workshop of the same organisation and team, if any."""
        ws = self.workshop
        if self.library is None or not (ws.organisation.strip() or ws.team.strip()):
            return None
        rows = [r for r in self.library.team_workshops(ws.organisation, ws.team)
                if r["id"] != ws.id and (r.get("date") or "") <= (ws.date or "9999")]
        return rows[-1] if rows else None

    def _load_baseline(self) -> None:
        ws = self.workshop
        combo: QComboBox = self.ui.baselineCombo
        combo.clear()
        combo.addItem(_("None — don't compare"), "")
        suggestion = self.suggested_baseline()
        rows = self.library.summaries() if self.library is not None else []
        same_team = ws.team_key()
        for row in rows:
            if row["id"] == ws.id:
                continue
            key = (row["organisation"].strip().casefold(), row["team"].strip().casefold())
            who = ("" if key == same_team
                   else " / ".join(x for x in (row["organisation"], row["team"]) if x))
            label = " — ".join(x for x in (row["title"] or _("Untitled workshop"), who,
                                           format_date(row.get("date"))) if x)
            if suggestion is not None and row["id"] == suggestion["id"]:
                label += "  " + _("(suggested)")
            combo.addItem(label, row["id"])
            combo.setItemData(combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        if ws.baseline_id and combo.findData(ws.baseline_id) < 0:
            combo.addItem(_("A workshop that is no longer in the library"), ws.baseline_id)
        combo.setCurrentIndex(max(0, combo.findData(ws.baseline_id or "")))
        self._update_suggestion(suggestion)

    def _update_suggestion(self, suggestion: dict | None) -> None:
        ws = self.workshop
        button = self.ui.useSuggestionButton
        label = self.ui.suggestionLabel
        if ws.baseline_id and (suggestion is None or suggestion["id"] != ws.baseline_id):
            row = self.library.summary(ws.baseline_id) if self.library is not None else None
            if row is None:
                label.setText(_("Compared with a workshop that is no longer in the library."))
            else:
                label.setText(_('Compared with “{value}” of {value2}.').format(
                    value=row.get('title') or _('Untitled workshop'),
                    value2=format_date(row.get('date'))))
            if suggestion is None:
                button.hide()
            else:
                button.show()
        elif suggestion is None:
            text = (_("No earlier workshop of this team in the library.")
                    if ws.organisation.strip() or ws.team.strip()
                    else _("Fill in organisation and team to find this team's earlier "
                           "workshops."))
            label.setText(text)
            button.hide()
        elif suggestion["id"] == ws.baseline_id:
            label.setText(_("Compared with the latest earlier workshop of this team."))
            button.hide()
        else:
            label.setText(_("Suggested: “{title}” of {date}, the latest earlier workshop of "
                            "this team.").format(title=suggestion["title"],
                                                 date=format_date(suggestion.get("date"))))
            button.show()

    def _baseline_chosen(self) -> None:
        if self._loading:
            return
        wanted = self.ui.baselineCombo.currentData() or None
        if wanted != self.workshop.baseline_id:
            self.controller.set_fields(baseline_id=wanted)

    def use_suggestion(self) -> bool:
        suggestion = self.suggested_baseline()
        if suggestion is None:
            return False
        ok = self.controller.set_fields(baseline_id=suggestion["id"])
        self.ui.baselineCombo.setFocus()
        return ok
