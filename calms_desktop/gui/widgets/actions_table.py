"""Action items, edited in place: text, owner, due date, pillar, status.

:class:`ActionsTable` shows the actions of one pillar (the pillar screen) or
of the whole workshop (the summary screen, with a pillar column). Every edit
is one ``controller.put_action`` (so it is persisted and undoable);
Ctrl+Enter adds an action, Delete removes the selected one.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QRegularExpressionValidator,
    QShortcut,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...charts import style as st
from ...core.i18n import N_, NC_, _, format_date, iso_date_hint, pgettext
from ...core.model import PILLARS, ActionItem, ActionStatus, Pillar, new_id
from ...room.changes import ActionsChanged

if TYPE_CHECKING:
    from ..commands import WorkshopController

#: An action's status is an adjective ("Open" is "Offen", not the verb "Öffnen").
STATUS_NAMES = {
    ActionStatus.OPEN: NC_("action status", "Open"),
    ActionStatus.IN_PROGRESS: NC_("action status", "In progress"),
    ActionStatus.DONE: NC_("action status", "Done"),
    ActionStatus.DROPPED: NC_("action status", "Dropped"),
}
NEW_ACTION_TEXT = N_("New action")

TEXT, OWNER, DUE, PILLAR, STATUS = range(5)
HEADERS = {TEXT: N_("Action"), OWNER: N_("Owner"), DUE: N_("Due"), PILLAR: N_("Pillar"),
           STATUS: N_("Status")}
TIPS = {
    TEXT: N_("What the team will do"),
    OWNER: N_("Who makes sure it happens"),
    DUE: N_("Due date, as YYYY-MM-DD (empty: none)"),
    PILLAR: N_("The pillar it improves"),
    STATUS: N_("Open, in progress, done or dropped"),
}


#: The invisible root of a table model (a shared default argument).
_ROOT = QModelIndex()

class ActionsModel(QAbstractTableModel):
    """The workshop's actions (optionally one pillar's) as a table.

    Args:
        controller: the workshop controller; edits go through ``put_action``.
        pillar: show only this pillar's actions; None shows all of them.
    """

    def __init__(self, controller: WorkshopController, pillar: Pillar | None,
                 parent=None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self._rows: list[ActionItem] = []
        self.reload()

    # -- reading -------------------------------------------------------------------
    def reload(self) -> None:
        self.beginResetModel()
        self._rows = [a for a in self.controller.workshop.actions
                      if self.pillar is None or a.pillar == self.pillar]
        self.endResetModel()

    def action_at(self, row: int) -> ActionItem:
        return self._rows[row]

    def row_of(self, action_id: str) -> int:
        for i, a in enumerate(self._rows):
            if a.id == action_id:
                return i
        return -1

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return 0 if parent.isValid() else 5

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return _(HEADERS[section])
            if role == Qt.ItemDataRole.ToolTipRole:
                return _(TIPS[section])
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable)

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == TEXT:
                return a.text.replace("\n", " ")
            if col == OWNER:
                return a.owner
            if col == DUE:  # shown in the UI language; edited (EditRole) as ISO
                return format_date(a.due, "short")
            if col == PILLAR:
                return a.pillar.title if a.pillar else "—"
            if col == STATUS:
                return pgettext("action status", STATUS_NAMES[a.status])
        if role == Qt.ItemDataRole.EditRole:
            return {TEXT: a.text, OWNER: a.owner, DUE: a.due,
                    PILLAR: a.pillar.value if a.pillar else "", STATUS: a.status.value}[col]
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == TEXT:
                tip = a.text
                if a.carried_from:
                    tip += _("\n(carried over from the earlier workshop)")
                return tip
            if col == DUE and self._overdue(a):
                return _('{due} — overdue').format(due=format_date(a.due))
            return _(TIPS[col])
        if role == Qt.ItemDataRole.ForegroundRole and col == DUE and self._overdue(a):
            return QBrush(QColor(st.VERMILION))
        return None

    @staticmethod
    def _overdue(a: ActionItem) -> bool:
        if not a.due or not a.is_open:
            return False
        try:
            return date.fromisoformat(a.due) < date.today()
        except ValueError:
            return False

    # -- editing ---------------------------------------------------------------------
    def setData(self, index: QModelIndex | QPersistentModelIndex, value,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        a = self._rows[index.row()]
        col = index.column()
        text = "" if value is None else str(value)
        if col == TEXT:
            if not text.strip():
                self.controller.error.emit(_("An action needs some text; kept the old text."))
                return False
            new = dataclasses.replace(a, text=text)
        elif col == OWNER:
            new = dataclasses.replace(a, owner=text.strip())
        elif col == DUE:
            text = text.strip()
            if text:
                try:
                    date.fromisoformat(text)
                except ValueError:
                    self.controller.error.emit(_(
                        "Not a date: {text!r} (use YYYY-MM-DD)").format(
                        text=text))
                    return False
            new = dataclasses.replace(a, due=text)
        elif col == PILLAR:
            new = dataclasses.replace(a, pillar=Pillar(text) if text else None)
        elif col == STATUS:
            new = dataclasses.replace(a, status=ActionStatus(text))
        else:
            return False
        if new == a:
            return True
        return self.controller.put_action(new)

    def actions_changed(self, change: ActionsChanged) -> bool:
        """Reflect changed actions; returns True when the rows were rebuilt."""
        if change.reviews and not (change.action_ids & {a.id for a in self._rows}):
            return False
        ws = self.controller.workshop
        rebuild = False
        for action_id in change.action_ids:
            row = self.row_of(action_id)
            try:
                action = ws.action(action_id)
            except KeyError:
                rebuild = rebuild or row >= 0  # deleted
                continue
            keep = self.pillar is None or action.pillar == self.pillar
            if row >= 0 and keep:
                self._rows[row] = action
                self.dataChanged.emit(self.index(row, 0), self.index(row, 4))
            else:
                rebuild = rebuild or row >= 0 or keep
        if rebuild:
            self.reload()
        return rebuild


class _ActionDelegate(QStyledItemDelegate):
    """Editors per column: text, owner (with the participants' names), date, combos."""

    def __init__(self, model: ActionsModel, parent=None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        col = index.column()
        if col in (PILLAR, STATUS):
            combo = QComboBox(parent)
            if col == PILLAR:
                combo.addItem("—", "")
                for p in PILLARS:
                    combo.addItem(p.title, p.value)
            else:
                for s, name in STATUS_NAMES.items():
                    combo.addItem(pgettext("action status", name), s.value)
            return combo
        edit = QLineEdit(parent)
        edit.setFrame(False)
        if col == DUE:
            edit.setPlaceholderText(_("YYYY-MM-DD"))
            edit.setToolTip(iso_date_hint())
            edit.setValidator(QRegularExpressionValidator(
                QRegularExpression(r"\d{0,4}(-\d{0,2}(-\d{0,2})?)?"), edit))
        elif col == OWNER:
            names = [p.name for p in self._model.controller.workshop.participants]
            completer = QCompleter(names, edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            edit.setCompleter(completer)
        return edit

    def setEditorData(self, editor: QWidget,
                      index: QModelIndex | QPersistentModelIndex) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(value)))
        elif isinstance(editor, QLineEdit):
            editor.setText("" if value is None else str(value))
            editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,
                     index: QModelIndex | QPersistentModelIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class _ActionsView(QTableView):
    """The table: Delete removes the selected action; an empty table says how to add one."""

    delete_requested = Signal()

    def commit_editor(self) -> None:
        """Commit and close an open cell editor (the screen is being left)."""
        if self.state() != QAbstractItemView.State.EditingState:
            return
        # The open editor is the focused widget inside the viewport (it need not
        # sit at the current index: Return moves editing on to the next cell).
        editor = QApplication.focusWidget()
        while editor is not None and editor.parentWidget() is not self.viewport():
            editor = editor.parentWidget()
        if editor is None:
            index = self.currentIndex()
            editor = self.indexWidget(index) if index.isValid() else None
        if editor is not None and editor.hasFocus():
            # Taking the focus away is the delegate's own way to commit and
            # close; doing both by hand as well makes its focus-out commit
            # again, on an editor the view has already let go of.
            self.setFocus(Qt.FocusReason.OtherFocusReason)
        if editor is not None and self.state() == QAbstractItemView.State.EditingState:
            self.commitData(editor)
            self.closeEditor(editor, QStyledItemDelegate.EndEditHint.NoHint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and self.state() != QAbstractItemView.State.EditingState
                and event.modifiers() == Qt.KeyboardModifier.NoModifier):
            self.delete_requested.emit()
            return
        super().keyPressEvent(event)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(self.viewport().rect().adjusted(8, 8, -8, -8),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                             _("No actions yet. Add one with Ctrl+Enter."))
            painter.end()


class ActionsTable(QWidget):
    """Action items edited in place.

    Args:
        controller: the :class:`~calms_desktop.gui.commands.WorkshopController`.
        pillar: show (and add to) this pillar's actions; None shows every
            action with a pillar column (the summary screen).
        parent: the owning widget.
        title: the caption above the table.
        shortcut_scope: Ctrl+Enter adds an action while the focus is anywhere
            in this widget (e.g. the whole screen, so it works from the notes
            too); the table itself by default.
    """

    def __init__(self, controller: WorkshopController, pillar: Pillar | None,
                 parent: QWidget | None = None,
                 title: str = "Actions", shortcut_scope: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.pillar = pillar
        self.setObjectName("actionsTable")
        self.model = ActionsModel(controller, pillar, self)

        self.view = _ActionsView(self)
        self.view.setObjectName("actionsView")
        self.view.setModel(self.model)
        self.view.setItemDelegate(_ActionDelegate(self.model, self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.setAccessibleName(title)
        self.view.setAccessibleDescription(_("The actions agreed: text, owner, due date and "
                                             "status; type to edit a cell, Delete removes"))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for col in (OWNER, DUE, PILLAR, STATUS):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
        fm = self.view.fontMetrics()

        def fits(col: int, *texts: str, pad: int) -> int:
            """Wide enough for ``texts`` and the column's heading ("Verantwortlich")."""
            heading = header.fontMetrics().horizontalAdvance(_(HEADERS[col])) + 24
            return max(heading, *(fm.horizontalAdvance(t) + pad for t in texts))

        # a whole typical name: German's heading and the demo's owners were cut
        self.view.setColumnWidth(OWNER, fits(OWNER, "Priya Raghunathan", pad=16))
        self.view.setColumnWidth(DUE, max(fm.horizontalAdvance(t) for t in (
            "2026-12-31", format_date(date(2026, 12, 31), "short"))) + 24)
        self.view.setColumnWidth(PILLAR,
                                 max(fm.horizontalAdvance(p.title) for p in PILLARS) + 24)
        self.view.setColumnWidth(STATUS, fits(STATUS, *(
            pgettext("action status", n) for n in STATUS_NAMES.values()), pad=34))
        self.view.setColumnHidden(PILLAR, pillar is not None)
        self.view.delete_requested.connect(self.delete_selected)

        self.title_label = QLabel(title, self)
        self.title_label.setObjectName("actionsTitle")
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.add_button = QPushButton(_("&Add action"), self)
        self.add_button.setObjectName("addActionButton")
        self.add_button.setToolTip(_("Add an action (Ctrl+Enter)"))
        self.add_button.clicked.connect(self.add_action)
        self.delete_button = QPushButton(_("Delete"), self)
        self.delete_button.setObjectName("deleteActionButton")
        self.delete_button.setToolTip(
            _("Delete the selected action (Delete); Ctrl+Z brings it back"))
        self.delete_button.clicked.connect(self.delete_selected)
        self.title_label.setBuddy(self.view)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.delete_button)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(4)
        box.addLayout(top)
        box.addWidget(self.view, 1)

        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            sc = QShortcut(QKeySequence(keys), shortcut_scope or self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(self.add_action)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        controller.actions_changed.connect(self._changed)
        self._update_buttons()

    # -- reading ---------------------------------------------------------------------
    def load(self) -> None:
        """Redraw from the model, keeping the selected action selected."""
        keep = self.current_action_id()
        self.model.reload()
        self.select_action(keep)

    def _changed(self, change: ActionsChanged) -> None:
        keep = self.current_action_id()
        col = max(0, self.view.currentIndex().column())
        if self.model.actions_changed(change):
            self.select_action(keep, col)

    def current_action_id(self) -> str | None:
        index = self.view.currentIndex()
        if not index.isValid() or not self.view.selectionModel().isRowSelected(index.row()):
            return None
        return self.model.action_at(index.row()).id

    def select_action(self, action_id: str | None, column: int = TEXT) -> bool:
        row = self.model.row_of(action_id) if action_id else -1
        if row < 0:
            return False
        self.view.setCurrentIndex(self.model.index(row, column))
        self.view.selectRow(row)
        self.view.setCurrentIndex(self.model.index(row, column))
        return True

    def _update_buttons(self, *_args: object) -> None:
        self.delete_button.setEnabled(self.current_action_id() is not None)

    # -- changing --------------------------------------------------------------------
    def add_action(self) -> str | None:
        """Add an action (to this pillar) and start editing its text. Returns its id."""
        action = ActionItem(id=new_id(), text=_(NEW_ACTION_TEXT), pillar=self.pillar)
        if not self.controller.put_action(action):
            return None
        self.select_action(action.id, TEXT)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        self.view.edit(self.model.index(self.model.row_of(action.id), TEXT))
        return action.id

    def delete_selected(self) -> bool:
        """Delete the selected action (undoable)."""
        action_id = self.current_action_id()
        if action_id is None:
            return False
        row = self.model.row_of(action_id)
        ok = self.controller.delete_action(action_id)
        if ok and self.model.rowCount():
            row = min(row, self.model.rowCount() - 1)
            self.view.selectRow(row)
        self._update_buttons()
        return ok
