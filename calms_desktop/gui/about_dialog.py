"""Help → About CALMS Workshop: version, where the library lives, what the app is made of.

The fonts and libraries with their licences come from
:mod:`calms_desktop.core.about` (the installed distributions' metadata and
the shipped font folder); in the bundle a third group lists every bundled
shared library with its Debian package or wheel (the list written at build
time), and outside one it says the system's libraries are used. The filter
field narrows every group; choosing a row shows its full licence text where
the app carries one. Everything is reachable by keyboard: Tab moves between
the library folder, its button, the table and the licence text.
"""

from __future__ import annotations

import platform
from collections.abc import Iterator
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import __version__
from ..appdata import APPLICATION
from ..core import about
from ..core.about import Component
from ..core.i18n import _
from ..core.validate import system_reason

TITLE = APPLICATION
#: Item data role: the path of the licence text shown for a row ("" for none).
LICENCE_FILE = Qt.ItemDataRole.UserRole


#: The name, version and licence columns' starting widths (px); the last column takes the rest.
NAME_COLUMN_WIDTH = 270
VERSION_COLUMN_WIDTH = 110
LICENCE_COLUMN_WIDTH = 200


class AboutDialog(QDialog):
    """The About box.

    Args:
        library_folder: the folder of the open library.
        parent: the main window.
    """

    def __init__(self, library_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("About {app}").format(app=TITLE))
        self.setObjectName("aboutDialog")
        self.resize(880, 600)  # within a 1366 × 768 screen, with the four columns in view
        layout = QVBoxLayout(self)

        purpose = _("Facilitate a live CALMS assessment: Culture, Automation, Lean, "
                    "Measurement, Sharing.")
        versions = (f"Python {platform.python_version()} · Qt {qVersion()} · "
                    f"PySide6 {pyside_version}")  # names and numbers, not words
        heading = QLabel(f"<h2>{TITLE} {__version__}</h2><p>{purpose}</p><p>{versions}</p>")
        heading.setObjectName("aboutHeading")
        heading.setWordWrap(True)
        heading.setAccessibleName(_("{app} version {version}").format(app=TITLE,
                                                                        version=__version__))
        layout.addWidget(heading)

        row = QHBoxLayout()
        label = QLabel(_("Your &library:"))
        self.folder = QLineEdit(str(library_folder))
        self.folder.setObjectName("libraryFolder")
        self.folder.setReadOnly(True)
        self.folder.setAccessibleName(_("Library folder"))
        self.folder.setAccessibleDescription(_("Where this app keeps its workshops"))
        label.setBuddy(self.folder)
        self.open_folder = QPushButton(_("&Open folder"))
        self.open_folder.setAccessibleDescription(
            _("Show the library folder in the file manager"))
        self.open_folder.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(library_folder))))
        row.addWidget(label)
        row.addWidget(self.folder, 1)
        row.addWidget(self.open_folder)
        layout.addLayout(row)

        parts = QLabel(_("&Fonts and libraries it ships with (choose one for its licence):"))
        layout.addWidget(parts)
        find = QHBoxLayout()
        find_label = QLabel(_("Filt&er:"))
        self.filter = QLineEdit()
        self.filter.setObjectName("aboutFilter")
        self.filter.setClearButtonEnabled(True)
        self.filter.setPlaceholderText(_("name, package or licence"))
        self.filter.setAccessibleName(_("Filter fonts and libraries"))
        find_label.setBuddy(self.filter)
        find.addWidget(find_label)
        find.addWidget(self.filter, 1)
        layout.addLayout(find)
        self.components = QTreeWidget()
        self.components.setObjectName("aboutComponents")
        self.components.setAccessibleName(_("Fonts and libraries"))
        self.components.setAccessibleDescription(
            _("Each font and library with its version and licence"))
        self.components.setHeaderLabels([_("Name"), _("Version"), _("Licence"),
                                          _("Provided by")])
        self.components.setRootIsDecorated(True)
        self.components.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # A bundle's library paths are long: the name column keeps a fixed share
        # (the user may drag it), elides in the middle and shows the whole name as
        # a tooltip, so the licence and its source stay in view without scrolling.
        self.components.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        header = self.components.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.resizeSection(0, NAME_COLUMN_WIDTH)
        header.resizeSection(1, VERSION_COLUMN_WIDTH)
        header.resizeSection(2, LICENCE_COLUMN_WIDTH)
        parts.setBuddy(self.components)
        for group, items in ((_("Fonts"), about.fonts()),
                             (_("Libraries"), about.libraries())):
            top = QTreeWidgetItem(self.components, [group])
            for c in items:
                self._add(top, c)
            top.setExpanded(True)
        self._add_shared_libraries()
        self.filter.textChanged.connect(self._filter)
        layout.addWidget(self.components, 2)

        self.licence = QPlainTextEdit()
        self.licence.setObjectName("licenceText")
        self.licence.setReadOnly(True)
        self.licence.setAccessibleName(_("Licence text"))
        self.licence.setPlaceholderText(
            _("Choose a font or library above to read its licence."))
        layout.addWidget(self.licence, 1)
        self.components.currentItemChanged.connect(self._show_licence)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _add_shared_libraries(self) -> None:
        """The bundle's shared libraries, or a line saying the system's are used."""
        top = QTreeWidgetItem(self.components, [_("Bundled shared libraries")])
        try:
            found = about.shared_libraries()
        except about.SharedLibraryListError as exc:
            QTreeWidgetItem(top, [str(exc)])
            found = []
        if found is None:
            QTreeWidgetItem(top, [_("None: this installation uses the system's shared "
                                    "libraries (Qt's come with PySide6)")])
        for c in found or []:
            self._add(top, c)
        top.setExpanded(True)

    def _filter(self, text: str) -> None:
        """Show only the rows whose columns contain ``text`` (any case)."""
        needle = text.strip().casefold()
        for top, item in self._items():
            shown = not needle or any(needle in item.text(k).casefold() for k in range(4))
            item.setHidden(not shown)
            if needle:
                top.setExpanded(True)

    def _items(self) -> Iterator[tuple[QTreeWidgetItem, QTreeWidgetItem]]:
        """Every row under its group: (group item, row item)."""
        for i in range(self.components.topLevelItemCount()):
            top = self.components.topLevelItem(i)
            assert top is not None
            for j in range(top.childCount()):
                item = top.child(j)
                assert item is not None
                yield top, item

    def _add(self, parent: QTreeWidgetItem, c: Component) -> None:
        item = QTreeWidgetItem(parent, [c.name, c.version, c.licence, c.source])
        for column, text in enumerate((c.name, c.version, c.licence, c.source)):
            item.setToolTip(column, text)
        item.setData(0, LICENCE_FILE, str(c.licence_file) if c.licence_file else "")

    def _show_licence(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        path = item.data(0, LICENCE_FILE) if item is not None else ""
        if not path:
            text = "" if item is None or item.childCount() else (
                _("{name}: {licence}. The app carries no copy of this licence's text; see "
                  "the project's own pages.").format(name=item.text(0), licence=item.text(2)))
            self.licence.setPlainText(text)
            return
        try:
            self.licence.setPlainText(Path(path).read_text(encoding="utf-8", errors="replace"))
        except OSError as exc:
            self.licence.setPlainText(_("Cannot read {path}: {reason}").format(
                path=path, reason=system_reason(exc)))

    def rows(self) -> list[tuple[str, str, str, str]]:
        """Every listed component as (group, name, version, licence) — what the table shows."""
        return [(top.text(0), item.text(0), item.text(1), item.text(2))
                for top, item in self._items()]
