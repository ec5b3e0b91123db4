"""The "Paste names" dialog of the set-up screen."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from ..core.participants import describe_paste, parse_names


class PasteNamesDialog(QDialog):
    """Paste a list of names, one per line (a role may follow after a Tab)."""

    def __init__(self, existing: Iterable[str], text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._existing = list(existing)
        self.setWindowTitle(_("Paste names — CALMS Workshop"))
        self.resize(460, 420)
        layout = QVBoxLayout(self)
        label = QLabel(_("&Names, one per line (add a role after a Tab, e.g. pasted from a "
                       "spreadsheet). Duplicates and empty lines are skipped."), self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.edit = QPlainTextEdit(self)
        self.edit.setTabChangesFocus(False)
        self.edit.setAccessibleName(_("Names"))
        self.edit.setPlaceholderText(_("Ana Silva\nBo Berg\t(role)\n…"))
        label.setBuddy(self.edit)
        layout.addWidget(self.edit, 1)
        self.preview = QLabel(self)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.preview)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(_("&Add names"))
        self.ok_button.setToolTip(_("Add the names (Ctrl+Enter)"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.edit.textChanged.connect(self._update_preview)
        self.edit.setPlainText(text)
        self._update_preview()

    def text(self) -> str:
        return self.edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.edit.setPlainText(text)

    def _update_preview(self) -> None:
        parsed = parse_names(self.text(), self._existing)
        text = describe_paste(parsed)  # capitalize() would lower every other letter (Namen)
        self.preview.setText(text[:1].upper() + text[1:] + ".")
        self.ok_button.setEnabled(bool(parsed.names))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            if self.ok_button.isEnabled():
                self.accept()
            return
        super().keyPressEvent(event)
