"""The library browser: every workshop at hand, and its trash.

A model/view table (:mod:`.table`: :class:`RowsModel` behind a
:class:`WorkshopFilter` proxy) so a thousand workshops list at once: every
cell's text and sort key is computed once when the library is (re)loaded.
Search matches organisation, team and title, ignoring case and accents;
dates filter from/to; any column sorts.

Actions: open (Enter or double-click), re-assess, team progress, rename
(F2 edits the title in place, saved through :meth:`Library.rename`),
delete to the trash (with Undo; the Trash tab restores), export a workshop
file, import files or a folder (also by dropping ``.json`` files or folders
on this screen). An imported workshop whose id is already in the library
asks Replace / Keep both / Skip (:mod:`.merge_dialog`).

**The workshop open in the console** cannot be renamed or deleted here
(the console would write its own copy back); the screen says so and points
to Set-up or to closing it first. Replacing it by an import is refused the
same way (Keep both and Skip remain).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QListWidgetItem,
    QProgressDialog,
    QTableView,
    QWidget,
)

from ...core import fileformat
from ...core.errors import CalmsError
from ...core.i18n import N_, _, active, ngettext
from ...core.merge import Clash, ImportReport
from ...core.model import Workshop
from ...core.storage import Conflict, Library, atomic_write
from ..form_types import LibraryBrowserForm
from ..forms import load_form
from ..i18n import show_dates_in
from ..library_actions import LibraryActions
from ..screens.base import Screen
from . import merge_dialog
from .table import (
    DATE,
    ID_ROLE,
    SORT_ROLE,
    TITLE,
    TRASH_COLUMNS,
    WORKSHOP_COLUMNS,
    Row,
    RowsModel,
    WorkshopFilter,
    one_line,
    tooltip_text,
)


def suggested_file_name(row: Row) -> str:
    """A file name for an exported workshop: organisation, team, date, title."""
    parts = [row.get("organisation") or "", row.get("team") or "", row.get("date") or "",
             row.get("title") or ""]
    name = " ".join(p for p in (one_line(x) for x in parts) if p) or "workshop"
    name = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", name).strip(" .-")[:120] or "workshop"
    return f"{name}.json"


def is_importable(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() == ".json"


class LibraryScreen(Screen):
    """Every workshop in the library: find, open, re-assess, rename, delete, export, import.

    Args:
        actions: the library edits (shared with the start screen); its
            library is the one shown.
        parent: the main window (its ``controller`` tells which workshop is open).

    Attributes:
        is_open: ``is_open(id)`` says whether a workshop is open in the console
            (default: asks the parent's ``controller``).
        ask_conflict: ``ask_conflict(clash, can_replace) -> (choice, apply to all)``
            (default: the merge dialog; tests replace it).

    Signals:
        open_requested(str): open this workshop in the console.
        reassess_requested(str): start a re-assessment with this workshop as baseline.
        progress_requested(str, str): show this organisation's team's progress.
    """

    open_requested = Signal(str)
    reassess_requested = Signal(str)
    progress_requested = Signal(str, str)

    title = N_("Library")

    def __init__(self, actions: LibraryActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library_actions = actions
        self.library: Library = actions.library
        self._host = parent
        self.is_open: Callable[[str], bool] = self._open_in_console
        self.ask_conflict: Callable[[Clash, bool], tuple[Conflict | None, bool]] = (
            self._ask_with_dialog)
        self._problems_shown = 0
        self._undo_id: str | None = None
        self._trash_loaded = False
        self.ui = load_form("library_browser", self, LibraryBrowserForm)
        u = self.ui

        self.model = RowsModel(WORKSHOP_COLUMNS, rename=self._rename, parent=self)
        self.proxy = WorkshopFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table: QTableView = u.workshopTable
        self.table.setModel(self.proxy)
        self.table.sortByColumn(DATE, Qt.SortOrder.DescendingOrder)
        self._size_columns(self.table, (0, 160, 150, 95, 100, 190))
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        self.table.installEventFilter(self)
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_args: self._update_buttons())
        self.proxy.modelReset.connect(self._after_filter)
        self.proxy.rowsInserted.connect(self._after_filter)
        self.proxy.rowsRemoved.connect(self._after_filter)
        self.proxy.layoutChanged.connect(self._after_filter)

        self.trash_model = RowsModel(TRASH_COLUMNS, parent=self)
        self.trash_proxy = QSortFilterProxyModel(self)
        self.trash_proxy.setSortRole(SORT_ROLE)
        self.trash_proxy.setSourceModel(self.trash_model)
        self.trash_table: QTableView = u.trashTable
        self.trash_table.setModel(self.trash_proxy)
        self.trash_table.sortByColumn(4, Qt.SortOrder.DescendingOrder)
        self._size_columns(self.trash_table, (0, 160, 150, 95, 150))
        self.trash_table.verticalHeader().setVisible(False)
        self.trash_table.installEventFilter(self)
        self.trash_table.doubleClicked.connect(lambda _i: self.restore_selected())
        self.trash_table.selectionModel().currentRowChanged.connect(
            lambda *_args: self._update_buttons())

        u.searchEdit.textChanged.connect(self.proxy.set_query)
        u.searchEdit.installEventFilter(self)
        today = QDate.currentDate()
        u.fromDate.setDate(today.addYears(-1))
        u.toDate.setDate(today)
        for check, edit in ((u.fromCheck, u.fromDate), (u.toCheck, u.toDate)):
            show_dates_in(edit, active())
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self._apply_dates())
            edit.dateChanged.connect(lambda _d: self._apply_dates())

        u.openButton.clicked.connect(self.open_selected)
        u.reassessButton.clicked.connect(self.reassess_selected)
        u.progressButton.clicked.connect(self.progress_selected)
        u.renameButton.clicked.connect(self.rename_selected)
        u.deleteButton.clicked.connect(self.delete_selected)
        u.exportButton.clicked.connect(self.export_selected)
        u.importButton.clicked.connect(self.import_files_dialog)
        u.importFolderButton.clicked.connect(self.import_folder_dialog)
        u.restoreButton.clicked.connect(self.restore_selected)
        u.undoButton.clicked.connect(self._undo_delete)
        u.dismissButton.clicked.connect(self.hide_message)
        u.tabs.currentChanged.connect(self._tab_changed)
        u.messageFrame.hide()

        self._add_action(_("Search"), "Ctrl+F", self.focus_first, self)
        # No Ctrl+R here: it reveals results in a pillar, and in the library it once
        # made a new workshop at once, which the projector then showed. The button
        # (Alt+A) re-assesses the selected workshop.
        self._add_action(_("Team progress"), "Ctrl+G", self.progress_selected, self)
        self._add_action(_("Export"), "Ctrl+E", self.export_selected, self)
        self._add_action(_("Import files"), "Ctrl+I", self.import_files_dialog, self)
        self._add_action(_("Import a folder"), "Ctrl+Shift+I", self.import_folder_dialog, self)
        self._add_action(_("Rename"), "F2", self.rename_selected, self.table,
                         Qt.ShortcutContext.WidgetShortcut)
        self._add_action(_("Delete"), QKeySequence.StandardKey.Delete, self.delete_selected,
                         self.table, Qt.ShortcutContext.WidgetShortcut)
        self.setAcceptDrops(True)
        self._renaming = False
        actions.changed.connect(self._library_changed)
        self._update_buttons()

    def _library_changed(self) -> None:
        """Any screen changed the library: re-read it (a rename here updates its own row)."""
        if self._renaming:
            return
        self.load()
        if self._trash_loaded:
            self.load_trash()

    # -- set-up helpers ----------------------------------------------------------------------
    def _add_action(self, text: str, shortcut: Any, slot: Callable[[], object],
                    owner: QWidget,
                    context: Qt.ShortcutContext = Qt.ShortcutContext.WidgetWithChildrenShortcut,
                    ) -> QAction:
        action = QAction(text, owner)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(context)
        action.triggered.connect(lambda _checked=False: slot())
        owner.addAction(action)
        return action

    @staticmethod
    def _size_columns(table: QTableView, widths: Sequence[int]) -> None:
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        scale = max(1.0, table.fontMetrics().averageCharWidth() / 7)
        for col, width in enumerate(widths):
            if width:
                table.setColumnWidth(col, int(width * scale))

    # -- Screen --------------------------------------------------------------------------
    def load(self) -> None:
        """Re-read the library (the index; cheap) and keep the selection."""
        current = self.selected_id()
        self.model.set_rows(self.library.summaries())
        days = [r["date"] for r in self.model.rows if r.get("date")]
        if days and not self.ui.fromCheck.isChecked():
            first = QDate.fromString(min(days), "yyyy-MM-dd")
            if first.isValid():
                self.ui.fromDate.blockSignals(True)
                self.ui.fromDate.setDate(first)
                self.ui.fromDate.blockSignals(False)
        if not (current and self.select(current)) and self.proxy.rowCount():
            self.table.selectRow(0)  # Enter opens right away
        self._trash_loaded = False
        if self.ui.tabs.currentWidget() is self.ui.trashTab:
            self.load_trash()
        self._report_library_problems()
        self._after_filter()

    def focus_first(self) -> None:
        self.ui.tabs.setCurrentWidget(self.ui.workshopsTab)
        self.ui.searchEdit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.ui.searchEdit.selectAll()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._focus_if_lost)

    def _focus_if_lost(self) -> None:
        focus = self.focusWidget()
        if self.isVisible() and (focus is None or not focus.isVisible()):
            self.focus_first()

    # -- selection -------------------------------------------------------------------------
    def selected_id(self) -> str | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(
                index.row(), QModelIndex()):
            return None
        return self.proxy.data(index.siblingAtColumn(TITLE), ID_ROLE)

    def selected_row(self) -> Row | None:
        wid = self.selected_id()
        i = self.model.row_of(wid) if wid else None
        return self.model.rows[i] if i is not None else None

    def select(self, workshop_id: str) -> bool:
        """Select (and scroll to) a workshop if it is listed."""
        i = self.model.row_of(workshop_id)
        if i is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(i, TITLE))
        if not index.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            index, self.table.selectionModel().SelectionFlag.ClearAndSelect
            | self.table.selectionModel().SelectionFlag.Rows)
        self.table.scrollTo(index)
        return True

    def visible_ids(self) -> list[str]:
        """Ids in the order the table shows them (for tests and keyboard users)."""
        return [self.proxy.data(self.proxy.index(r, TITLE), ID_ROLE)
                for r in range(self.proxy.rowCount())]

    def _update_buttons(self) -> None:
        has = self.selected_id() is not None
        for name in ("openButton", "reassessButton", "progressButton", "renameButton",
                     "deleteButton", "exportButton"):
            getattr(self.ui, name).setEnabled(has)
        index = self.trash_table.currentIndex()
        self.ui.restoreButton.setEnabled(index.isValid())

    def _after_filter(self, *_args: object) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        tr = active()
        if not total:
            count = _("No workshops")
        elif shown == total:
            count = ngettext("{n} workshop", "{n} workshops", total).format(
                n=tr.format_integer(total))
        else:
            count = ngettext("{shown} of {n} workshop shown", "{shown} of {n} workshops shown",
                             total).format(shown=tr.format_integer(shown),
                                           n=tr.format_integer(total))
        self.ui.countLabel.setText(count)
        if not total:
            empty = _("No workshops yet. Start one from the start screen, import workshop "
                      "files (Ctrl+I), or drop .json files or a folder here.")
        elif not shown:
            empty = _("No workshop matches the search and dates.")
        else:
            empty = ""
        self.ui.emptyLabel.setText(empty)
        self.ui.emptyLabel.setVisible(bool(empty))
        if shown and self.selected_id() is None and self.table.hasFocus():
            self.table.selectRow(0)
        self._update_buttons()

    def _apply_dates(self) -> None:
        u = self.ui
        start = u.fromDate.date().toString("yyyy-MM-dd") if u.fromCheck.isChecked() else ""
        end = u.toDate.date().toString("yyyy-MM-dd") if u.toCheck.isChecked() else ""
        self.proxy.set_dates(start, end)

    def set_date_range(self, start: date | None, end: date | None) -> None:
        """Filter by dates (None: no limit), as the From/To controls do."""
        u = self.ui
        for check, edit, day in ((u.fromCheck, u.fromDate, start), (u.toCheck, u.toDate, end)):
            if day is not None:
                edit.setDate(QDate(day.year, day.month, day.day))
            check.setChecked(day is not None)
        self._apply_dates()

    # -- keyboard ------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            enter = key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and event.modifiers() in (
                Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
            if watched is self.table and enter:
                self.open_selected()
                return True
            if watched is self.trash_table and enter:
                self.restore_selected()
                return True
            if watched is self.ui.searchEdit:
                if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                    if self.proxy.rowCount():
                        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                        if self.selected_id() is None:
                            self.table.selectRow(0)
                    return True
                if key == Qt.Key.Key_Escape and self.ui.searchEdit.text():
                    self.ui.searchEdit.clear()
                    return True
        return super().eventFilter(watched, event)

    # -- actions on the selected workshop ------------------------------------------------
    def open_selected(self) -> None:
        wid = self.selected_id()
        if wid:
            self.open_requested.emit(wid)

    def reassess_selected(self) -> None:
        wid = self.selected_id()
        if wid and self.ui.tabs.currentWidget() is self.ui.workshopsTab:
            self.reassess_requested.emit(wid)

    def progress_selected(self) -> None:
        row = self.selected_row()
        if row and self.ui.tabs.currentWidget() is self.ui.workshopsTab:
            self.progress_requested.emit(row.get("organisation") or "", row.get("team") or "")

    def rename_selected(self) -> None:
        """Edit the selected workshop's title in place (Enter saves, Esc cancels)."""
        index = self.table.currentIndex()
        if index.isValid() and self.selected_id():
            self.table.setCurrentIndex(index.siblingAtColumn(TITLE))
            self.table.edit(index.siblingAtColumn(TITLE))

    def rename(self, workshop_id: str, title: str) -> bool:
        """Rename a workshop through the library; False (with a message) if refused."""
        i = self.model.row_of(workshop_id)
        if i is None:
            return False
        return self.model.setData(self.model.index(i, TITLE), title)

    def _rename(self, workshop_id: str, title: str) -> Row | None:
        if not title.strip():
            self.show_message(_("A workshop needs a title; the old one was kept."))
            return None
        if self.is_open(workshop_id):
            self.show_message(_("This workshop is open in the console: change its title in "
                              "Set-up (Ctrl+,), or close it first (Ctrl+W)."))
            return None
        self._renaming = True
        try:
            renamed = self.library_actions.rename(workshop_id, title.strip())
        finally:
            self._renaming = False
        if not renamed:
            self.show_message(_(
                "{last_error}. The old title was kept.").format(
                last_error=self.library_actions.last_error))
            return None
        self.hide_message()
        return self.library.summary(workshop_id)

    def delete_selected(self) -> None:
        """Move the selected workshop to the trash (Undo brings it back)."""
        row = self.selected_row()
        if row is None or self.ui.tabs.currentWidget() is not self.ui.workshopsTab:
            return
        wid = row["id"]
        if self.is_open(wid):
            self.show_message(_("This workshop is open in the console; close it first (Ctrl+W) "
                              "to delete it."))
            return
        proxy_row = self.table.currentIndex().row()
        if not self.library_actions.trash(wid):  # the table re-read the library either way
            self.show_message(f"{self.library_actions.last_error}.")
            return
        if self.proxy.rowCount():
            self.table.selectRow(min(proxy_row, self.proxy.rowCount() - 1))
        name = one_line(row.get("title") or "") or _("Untitled workshop")
        self.show_message(_(
            "Moved “{value}” to the trash.").format(
            value=_short(name)), undo_id=wid)

    def _undo_delete(self) -> None:
        if self._undo_id:
            wid = self._undo_id
            if self._restore(wid):
                self.select(wid)

    # -- trash -------------------------------------------------------------------------
    def _tab_changed(self, _index: int) -> None:
        if self.ui.tabs.currentWidget() is self.ui.trashTab and not self._trash_loaded:
            self.load_trash()
        self._update_buttons()

    def load_trash(self) -> None:
        current = self.trash_table.currentIndex()
        wid = self.trash_proxy.data(current.siblingAtColumn(0), ID_ROLE) if current.isValid() \
            else None
        self.trash_model.set_rows(self.library.trash())
        self._trash_loaded = True
        i = self.trash_model.row_of(wid) if wid else None
        if i is None and self.trash_model.rows:
            self.trash_table.selectRow(0)
        elif i is not None:
            self.trash_table.selectRow(self.trash_proxy.mapFromSource(
                self.trash_model.index(i, 0)).row())
        self._update_buttons()

    def trash_ids(self) -> list[str]:
        return [self.trash_proxy.data(self.trash_proxy.index(r, 0), ID_ROLE)
                for r in range(self.trash_proxy.rowCount())]

    def restore_selected(self) -> None:
        index = self.trash_table.currentIndex()
        if not index.isValid():
            return
        source = self.trash_proxy.mapToSource(index)
        row = self.trash_model.rows[source.row()]
        self._restore(row["id"], row.get("file"))  # this copy: deleted ids may repeat

    def _restore(self, workshop_id: str, file: str | None = None) -> bool:
        if not self.library_actions.restore(workshop_id, file):
            self.show_message(f"{self.library_actions.last_error}.")
            return False
        row = self.library.summary(workshop_id) or {}
        name = one_line(row.get("title") or "") or _("Untitled workshop")
        self.show_message(_('Restored “{value}” to the library.').format(value=_short(name)))
        return True

    # -- export / import -------------------------------------------------------------------
    def export_selected(self) -> None:
        row = self.selected_row()
        if row is None or self.ui.tabs.currentWidget() is not self.ui.workshopsTab:
            return
        start = str(Path.home() / suggested_file_name(row))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export workshop"), start, _("Workshop files (*.json);;All files (*)"))
        if path:
            if not Path(path).suffix:
                path += ".json"
            self.export_workshop(row["id"], path)

    def export_workshop(self, workshop_id: str, path: str | Path) -> bool:
        """Write a workshop file (atomically); False (with a message) on failure."""
        try:
            ws = self.library.load(workshop_id)
            atomic_write(Path(path), (fileformat.dumps(ws) + "\n").encode("utf-8"))
        except (CalmsError, OSError) as exc:
            self.show_message(_('Could not export the workshop: {exc}').format(exc=exc))
            return False
        self.show_message(_(
            "Exported “{value}” to {path}.").format(
            value=_short(one_line(ws.title) or _('Untitled workshop')),
            path=path))
        return True

    def import_files_dialog(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self, _("Import workshop files"), str(Path.home()),
            _("Workshop files (*.json);;All files (*)"))
        if paths:
            self.import_paths(paths)

    def import_folder_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Import every workshop file in a folder"), str(Path.home()))
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: Sequence[str | Path]) -> ImportReport | None:
        """Import files and folders in one step, asking about clashing ids.

        Malformed files are listed (file, place, problem) and left untouched;
        the valid ones are imported. Returns the report (None if the library
        could not be written).
        """
        remembered: list[Conflict | None] = []  # "do the same for the others"

        def decide(clash: Clash) -> Conflict | None:
            can_replace = not self.is_open(clash.incoming.id)
            if remembered and (remembered[0] != "replace" or can_replace):
                return remembered[0]
            choice, apply_all = self.ask_conflict(clash, can_replace)
            if choice == "replace" and not can_replace:
                choice = "keep-both"
            if apply_all and choice is not None:
                remembered[:] = [choice]
            return choice

        progress = QProgressDialog(_("Importing workshop files…"), _("Cancel"), 0, 100, self)
        progress.setWindowTitle(_("Import"))
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(500)
        progress.setAutoReset(False)
        progress.setAutoClose(False)

        def step(done: int, total: int) -> bool:
            progress.setMaximum(max(1, total))
            progress.setValue(done)
            return not progress.wasCanceled()

        try:
            report = self.library_actions.import_paths(paths, decide, step)
        finally:
            progress.close()
            progress.deleteLater()
        if report is None:
            self.show_message(f"{self.library_actions.last_error}.")
            return None
        self.load()
        first = next(iter(report.imported + report.replaced + report.copied), None)
        if first is not None:
            self.ui.tabs.setCurrentWidget(self.ui.workshopsTab)
            if not self.select(first.workshop_id) and self.proxy.filtering:
                self.ui.searchEdit.clear()
                self.set_date_range(None, None)
                self.select(first.workshop_id)
        problems = [f"{Path(p.source).name or p.source} — {p.where}: {p.problem}  ({p.source})"
                    for p in report.problems]
        text = report.summary()
        if report.problems:
            text += " " + _("Files that could not be read are listed below; "
                            "they were not changed.")
        self.show_message(text, problems)
        return report

    def _ask_with_dialog(self, clash: Clash, can_replace: bool) -> tuple[Conflict | None, bool]:
        try:
            existing: Workshop = self.library.load(clash.incoming.id)
        except CalmsError:
            existing = clash.incoming  # the library's copy just went missing: compare as same
        return merge_dialog.ask_conflict(self, clash.incoming, existing, source=clash.file,
                                         remaining=clash.remaining, can_replace=can_replace)

    # -- drag and drop -------------------------------------------------------------------
    @staticmethod
    def _dropped_paths(event: QDragEnterEvent | QDropEvent) -> list[Path]:
        mime = event.mimeData()
        if not mime.hasUrls():
            return []
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        return [p for p in paths if is_importable(p)]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_paths(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: Any) -> None:
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_paths(event)
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        # Import after the drop returns: the drag source must not wait on our dialogs.
        QTimer.singleShot(0, lambda: self.import_paths(paths))

    # -- messages ------------------------------------------------------------------------
    def show_message(self, text: str, problems: Sequence[str] = (),
                     undo_id: str | None = None) -> None:
        """Show a message above the table (plain text), optionally with a list and Undo."""
        u = self.ui
        u.messageLabel.setText(text)
        u.problemList.clear()
        for p in problems:
            item = QListWidgetItem(tooltip_text(p))
            item.setToolTip(tooltip_text(p))
            u.problemList.addItem(item)
        if problems:
            rows = min(len(problems), 6)
            u.problemList.setFixedHeight(rows * (u.problemList.fontMetrics().height() + 6)
                                         + 2 * u.problemList.frameWidth() + 4)
        u.problemList.setVisible(bool(problems))
        self._undo_id = undo_id
        u.undoButton.setVisible(undo_id is not None)
        u.messageFrame.show()

    def hide_message(self) -> None:
        self.ui.messageFrame.hide()
        self._undo_id = None

    @property
    def message(self) -> str:
        """The message shown ("" when none)."""
        frame = self.ui.messageFrame
        return self.ui.messageLabel.text() if not frame.isHidden() else ""

    def problems_shown(self) -> list[str]:
        lst = self.ui.problemList
        return [lst.item(i).text() for i in range(lst.count())] if not lst.isHidden() else []

    def _report_library_problems(self) -> None:
        problems = self.library.problems
        if len(problems) <= self._problems_shown:
            return
        new = problems[self._problems_shown:]
        self._problems_shown = len(problems)
        self.show_message(
            ngettext("{n} damaged workshop file could not be read and was set aside "
                     "(nothing was deleted):",
                     "{n} damaged workshop files could not be read and were set aside "
                     "(nothing was deleted):", len(new)).format(n=len(new)),
            [f"{p.file}: {p.message}" + (f" → {p.moved_to}" if p.moved_to else "")
             for p in new])

    # -- the open workshop ---------------------------------------------------------------
    def _open_in_console(self, workshop_id: str) -> bool:
        controller = getattr(self._host, "controller", None)
        ws = getattr(controller, "workshop", None)
        return getattr(ws, "id", None) == workshop_id


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"

