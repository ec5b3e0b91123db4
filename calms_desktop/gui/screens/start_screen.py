"""The start screen: recent workshops, a new one, the demo, the library.

Deleting moves a workshop to the library's trash; the screen offers to undo
that at once and lists the trash (``Trash…``) so any deleted workshop can be
restored later. Every edit goes through the window's
:class:`~calms_desktop.gui.library_actions.LibraryActions`, so a failure is
shown here as a sentence and the list re-reads the library.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import privacy
from ...core.i18n import N_, _, format_date, format_datetime, pgettext
from ...core.model import PILLARS
from ...core.storage import Library
from ..form_types import StartScreenForm
from ..forms import load_form
from ..library_actions import LibraryActions
from .base import Screen, ask

#: The start screen lists this many workshops; the library shows them all.
MAX_RECENT = 200
_ID = Qt.ItemDataRole.UserRole
_FILE = Qt.ItemDataRole.UserRole + 1  # a trash row's file (ids may repeat in the trash)

Confirm = Callable[[str, str], bool]


def who_of(row: dict[str, Any]) -> str:
    """"Organisation / team" of a library summary (either may be empty)."""
    return " / ".join(x for x in (row.get("organisation", ""), row.get("team", "")) if x) or "—"


def progress_of(row: dict[str, Any]) -> str:
    """How far a workshop got, e.g. "3/5 pillars revealed" or "complete"."""
    states = row.get("pillar_states") or {}
    shown = sum(1 for p in PILLARS if privacy.shows_results(states.get(p.value)))
    done = sum(1 for p in PILLARS if states.get(p.value) == "done")
    if done == len(PILLARS):
        return _("complete")
    if shown == 0:
        started = any(states.get(p.value) == "voting" for p in PILLARS)
        return _("voting started") if started else _("not started")
    return _('{shown}/{n} pillars revealed').format(shown=shown, n=len(PILLARS))


_ask = ask


class StartScreen(Screen):
    """Recent workshops and the ways to start one.

    Signals:
        open_requested(str): open the workshop with this id.
        new_requested(): set up a new workshop.
        reassess_requested(str): a new workshop for the same team as this one.
        demo_requested(): open the demo workshops.
        library_requested(): show the library browser.

    Args:
        actions: the library edits (shared with the library browser).

    Attributes:
        confirm: ``confirm(title, text) -> bool`` asks before deleting
            (a message box; tests replace it).
        trash_dialog: the open trash dialog, if any.
    """

    title = N_("Start")

    open_requested = Signal(str)
    new_requested = Signal()
    reassess_requested = Signal(str)
    demo_requested = Signal()
    library_requested = Signal()

    def __init__(self, actions: LibraryActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library_actions = actions
        self.library: Library = actions.library
        self.confirm: Confirm = lambda title, text: _ask(self, title, text)
        self.trash_dialog: TrashDialog | None = None
        self._last_deleted: str | None = None
        self.ui = load_form("start_screen", self, StartScreenForm)
        ui = self.ui
        tree: QTreeWidget = ui.workshopList
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col in (2, 3, 4):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        tree.itemDoubleClicked.connect(lambda *_args: self.open_selected())
        tree.currentItemChanged.connect(lambda *_args: self._update_buttons())
        tree.installEventFilter(self)

        ui.openButton.clicked.connect(self.open_selected)
        ui.reassessButton.clicked.connect(self.reassess_selected)
        ui.deleteButton.clicked.connect(self.delete_selected)
        ui.trashButton.clicked.connect(self.show_trash)
        ui.undoDeleteButton.clicked.connect(self.undo_delete)
        ui.newButton.clicked.connect(self.new_requested.emit)
        ui.demoButton.clicked.connect(self.demo_requested.emit)
        ui.libraryButton.clicked.connect(self.library_requested.emit)
        ui.messageFrame.hide()

        for text, slot in ((pgettext("verb", "Open"), self.open_selected),
                           (_("Re-assess this team…"), self.reassess_selected),
                           (_("Move to trash…"), self.delete_selected)):
            action = QAction(text, tree)
            action.triggered.connect(lambda _c=False, s=slot: s())
            tree.addAction(action)
        actions.changed.connect(self.load)
        self.load()

    # -- Screen -------------------------------------------------------------------------
    def load(self) -> None:
        """Re-read the library's summaries (keeps the selection where it can)."""
        tree: QTreeWidget = self.ui.workshopList
        keep = self.selected_id()
        rows = self.library.summaries()
        tree.clear()
        items = []
        for row in rows[:MAX_RECENT]:
            item = QTreeWidgetItem([
                row.get("title") or _("Untitled workshop"),
                who_of(row),
                format_date(row.get("date"), "short", empty="—"),
                str(row.get("participants", 0)),
                progress_of(row),
            ])
            item.setData(0, _ID, row["id"])
            item.setToolTip(0, item.text(0))
            item.setToolTip(1, item.text(1))
            items.append(item)
        tree.addTopLevelItems(items)
        has_rows = bool(items)
        tree.setVisible(has_rows)
        self.ui.emptyLabel.setVisible(not has_rows)
        more = len(rows) - len(items)
        self.ui.moreLabel.setText(
            _("Showing the {n} most recent of {total} workshops; the library (Ctrl+L) lists "
              "them all.").format(n=len(items), total=len(rows)) if more > 0 else ""
        )
        self.ui.moreLabel.setVisible(more > 0)
        self.ui.trashButton.setEnabled(_has_trash(self.library))
        if has_rows:
            self.select(keep or items[0].data(0, _ID))
        self._update_buttons()

    def focus_first(self) -> None:
        tree: QTreeWidget = self.ui.workshopList
        if tree.topLevelItemCount():
            first = tree.topLevelItem(0)
            if tree.currentItem() is None and first is not None:
                tree.setCurrentItem(first)
            tree.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.ui.newButton.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- selection ------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        item = self.ui.workshopList.currentItem()
        return item.data(0, _ID) if item is not None else None

    def select(self, workshop_id: str) -> bool:
        tree: QTreeWidget = self.ui.workshopList
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            assert item is not None  # i < topLevelItemCount()
            if item.data(0, _ID) == workshop_id:
                tree.setCurrentItem(item)
                tree.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)
                return True
        if (first := tree.topLevelItem(0)) is not None:
            tree.setCurrentItem(first)
        return False

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for name in ("openButton", "reassessButton", "deleteButton"):
            getattr(self.ui, name).setEnabled(has)
        for action in self.ui.workshopList.actions():
            action.setEnabled(has)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.ui.workshopList and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            key, mods = event.key(), event.modifiers()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods & (
                Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
            ):
                self.open_selected()
                return True
            if key == Qt.Key.Key_Delete and not mods:
                self.delete_selected()
                return True
        return super().eventFilter(watched, event)

    # -- actions -----------------------------------------------------------------------
    def open_selected(self) -> None:
        wid = self.selected_id()
        if wid:
            self.open_requested.emit(wid)

    def reassess_selected(self) -> None:
        wid = self.selected_id()
        if wid:
            self.reassess_requested.emit(wid)

    def _open_workshop_id(self) -> str | None:
        controller = getattr(self.window(), "controller", None)
        workshop = getattr(controller, "workshop", None)
        return getattr(workshop, "id", None)

    def delete_selected(self) -> bool:
        """Ask, then move the selected workshop to the trash. True if it was moved."""
        item = self.ui.workshopList.currentItem()
        if item is None:
            return False
        wid = item.data(0, _ID)
        # the quotation marks are the language's ("„…“" in German): inside the message
        name = _("“{title}” ({organisation}, {team})").format(
            title=item.text(0), organisation=item.text(1), team=item.text(2))
        if wid == self._open_workshop_id():
            self._show_message(_(
                "{name} is open. Close it first (Ctrl+W), then delete it.").format(
                name=name),
                               undo=False)
            return False
        if not self.confirm(_("Move to trash"),
                            _("Move {name} to the trash?\n\nYou can restore it from "
                              "Trash….").format(name=name)):
            return False
        below = self.ui.workshopList.itemBelow(item) or self.ui.workshopList.itemAbove(item)
        next_id = below.data(0, _ID) if below is not None else None
        if not self.library_actions.trash(wid):  # the list re-read the library either way
            self._show_message(f"{self.library_actions.last_error} ({name}).", undo=False)
            return False
        self._last_deleted = wid
        if next_id:
            self.select(next_id)
        self._show_message(_('Moved {name} to the trash.').format(name=name), undo=True)
        self._status(_('Moved {name} to the trash — Trash… (Alt+T) restores it.').format(name=name))
        self.focus_first()
        return True

    def undo_delete(self) -> bool:
        """Restore the workshop deleted last. True if it is back."""
        wid = self._last_deleted
        if wid is None:
            return False
        if self.restore(wid):
            self._last_deleted = None
            return True
        return False

    def restore(self, workshop_id: str, file: str | None = None) -> bool:
        """Bring a workshop back from the trash (this copy of it, if given) and select it."""
        if not self.library_actions.restore(workshop_id, file):
            self._show_message(f"{self.library_actions.last_error}.", undo=False)
            return False
        if self._last_deleted == workshop_id:
            self._last_deleted = None
        self.select(workshop_id)
        item = self.ui.workshopList.currentItem()
        title = item.text(0) if item is not None else _("the workshop")
        self._show_message(_('Restored “{title}”.').format(title=title), undo=False)
        self._status(_('Restored “{title}” from the trash.').format(title=title))
        self.ui.workshopList.setFocus()
        return True

    def show_trash(self) -> TrashDialog:
        """Open the trash (window-modal); Restore brings a workshop back."""
        if self.trash_dialog is not None:
            self.trash_dialog.close()
            self.trash_dialog.deleteLater()
        dialog = TrashDialog(self.library, self)
        dialog.restore_requested.connect(self._restore_from_dialog)
        dialog.finished.connect(lambda _r: self._trash_closed(dialog))
        self.trash_dialog = dialog
        dialog.open()
        return dialog

    def _restore_from_dialog(self, workshop_id: str, file: str) -> None:
        if self.restore(workshop_id, file or None) and self.trash_dialog is not None:
            self.trash_dialog.load()

    def _trash_closed(self, dialog: TrashDialog) -> None:
        if self.trash_dialog is dialog:
            self.trash_dialog = None
        dialog.deleteLater()
        self.ui.workshopList.setFocus()

    # -- messages ------------------------------------------------------------------------
    def _show_message(self, text: str, undo: bool) -> None:
        self.ui.messageLabel.setText(text)
        self.ui.undoDeleteButton.setVisible(undo)
        self.ui.messageFrame.show()

    def show_notice(self, text: str) -> None:
        """Tell the facilitator something under the list (e.g. a damaged file set aside)."""
        self._show_message(text, undo=False)

    def message(self) -> str:
        """The message shown under the list ("" when none)."""
        return self.ui.messageLabel.text() if self.ui.messageFrame.isVisibleTo(self) else ""

    def _status(self, text: str) -> None:
        window = self.window()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 10000)


def _has_trash(library: Library) -> bool:
    try:
        return any(library.trash_dir.glob("*.json"))
    except OSError:
        return False


class TrashDialog(QDialog):
    """The library's trash: deleted workshops, most recent first, with Restore.

    Signals:
        restore_requested(str, str): restore the workshop with this id, from this
            file of the trash (two deleted workshops may share an id).
    """

    restore_requested = Signal(str, str)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle(_("Trash — CALMS Workshop"))
        self.resize(760, 420)
        layout = QVBoxLayout(self)
        label = QLabel(_("&Deleted workshops (restore one to bring it back to the list):"), self)
        layout.addWidget(label)
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([_("Title"), _("Organisation / team"), _("Date"), _("Deleted")])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setAccessibleName(_("Deleted workshops"))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        label.setBuddy(self.tree)
        self.tree.itemDoubleClicked.connect(lambda *_args: self.restore_selected())
        self.tree.currentItemChanged.connect(lambda *_args: self._update())
        layout.addWidget(self.tree, 1)
        self.empty_label = QLabel(_("The trash is empty."), self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.empty_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.restore_button = QPushButton(_("&Restore"), self)
        self.restore_button.setToolTip(_("Bring the selected workshop back (Enter)"))
        self.restore_button.setDefault(True)
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.restore_button.clicked.connect(self.restore_selected)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.load()

    def load(self) -> None:
        self.tree.clear()
        for row in self.library.trash():
            deleted = format_datetime(datetime.fromtimestamp(row["deleted"]))
            item = QTreeWidgetItem([row.get("title") or _("Untitled workshop"), who_of(row),
                                    format_date(row.get("date"), "short", empty="—"), deleted])
            item.setData(0, _ID, row["id"])
            item.setData(0, _FILE, row.get("file", ""))
            self.tree.addTopLevelItem(item)
        has = self.tree.topLevelItemCount() > 0
        self.tree.setVisible(has)
        self.empty_label.setVisible(not has)
        if (first := self.tree.topLevelItem(0)) is not None:
            self.tree.setCurrentItem(first)
            self.tree.setFocus()
        self._update()

    def ids(self) -> list[str]:
        return [item.data(0, _ID) for i in range(self.tree.topLevelItemCount())
                if (item := self.tree.topLevelItem(i)) is not None]

    def _update(self) -> None:
        self.restore_button.setEnabled(self.tree.currentItem() is not None)

    def restore_selected(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self.restore_requested.emit(item.data(0, _ID), item.data(0, _FILE) or "")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.InsertParagraphSeparator) or event.key() in (
            Qt.Key.Key_Return, Qt.Key.Key_Enter
        ):
            self.restore_selected()
            return
        super().keyPressEvent(event)
