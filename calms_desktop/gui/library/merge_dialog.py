"""Asking what to do when an imported workshop's id is already in the library.

Replace, keep both (the import gets a new id) or skip; "do the same for the
other conflicts" answers the rest of a folder import at once. The dialog
suggests the newer copy: Replace when the file was changed later, Skip when
the library's copy was.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ...core.i18n import _, format_date, format_datetime, ngettext
from ...core.model import Workshop
from ...core.storage import Conflict
from ..form_types import LibraryMergeForm
from ..forms import load_form


def _when(iso: str) -> str:
    """A save time in local time, as the UI language writes it."""
    return format_datetime(iso, empty="—")


def _who(ws: Workshop) -> str:
    return " / ".join(x for x in (ws.organisation, ws.team) if x) or "—"


class MergeDialog(QDialog):
    """Replace, keep both or skip a workshop whose id is already in the library.

    Args:
        incoming: the workshop read from the file.
        existing: the library's workshop with the same id.
        source: the file it came from (shown).
        remaining: conflicts still to come in this import (0: no "apply to all").
        can_replace: False when the library's copy must not be replaced
            (it is open in the console); Replace is then disabled.

    Attributes:
        choice: ``"replace"``, ``"keep-both"``, ``"skip"``, or None (cancel the import).
        apply_all: give the same answer to the remaining conflicts.
    """

    def __init__(self, incoming: Workshop, existing: Workshop, *, source: str = "",
                 remaining: int = 0, can_replace: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Workshop already in the library"))
        self.choice: Conflict | None = None
        self.ui = load_form("library_merge", self, LibraryMergeForm)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.setContentsMargins(16, 14, 16, 14)
        u = self.ui
        name = " ".join(incoming.title.split()) or _("Untitled workshop")
        if len(name) > 80:
            name = name[:79] + "…"
        u.questionLabel.setTextFormat(u.fileLabel.textFormat())  # plain text: user's title
        u.questionLabel.setText(
            _("“{name}” is already in the library. What should the import do?").format(name=name))
        u.fileLabel.setText(_('File: {source}').format(source=source) if source else "")
        u.fileLabel.setVisible(bool(source))
        for side, ws in (("library", existing), ("file", incoming)):
            getattr(u, f"{side}Title").setText(ws.title or _("Untitled workshop"))
            getattr(u, f"{side}Team").setText(_who(ws))
            getattr(u, f"{side}Date").setText(format_date(ws.date, empty="—"))
            getattr(u, f"{side}People").setText(str(len(ws.participants)))
            getattr(u, f"{side}Updated").setText(_when(ws.updated))
        if incoming.updated > existing.updated:
            advice, default = _("The file's copy was changed more recently."), "replace"
        elif incoming.updated < existing.updated:
            advice, default = _("The library's copy was changed more recently."), "skip"
        else:
            advice, default = _("Both copies were last changed at the same time."), "keep-both"
        if not can_replace:
            u.replaceButton.setEnabled(False)
            advice += " " + _("Replace is not available: this workshop is open in the console "
                              "(close it first to replace it).")
            if default == "replace":
                default = "keep-both"
        u.adviceLabel.setText(advice)
        u.applyAllCheck.setVisible(remaining > 0)
        if remaining > 0:
            u.applyAllCheck.setText(ngettext(
                "Do the sa&me for the other conflict in this import",
                "Do the sa&me for the other {n} conflicts in this import",
                remaining).format(n=remaining))
        buttons = {"replace": u.replaceButton, "keep-both": u.keepBothButton,
                   "skip": u.skipButton}
        for key, button in buttons.items():
            button.setAutoDefault(True)
            button.clicked.connect(lambda _checked=False, k=key: self._choose(k))
        u.cancelButton.setAutoDefault(False)
        u.cancelButton.clicked.connect(self.reject)
        buttons[default].setDefault(True)
        buttons[default].setFocus()
        self.resize(max(560, self.sizeHint().width()), self.sizeHint().height())

    @property
    def apply_all(self) -> bool:
        return not self.ui.applyAllCheck.isHidden() and self.ui.applyAllCheck.isChecked()

    def _choose(self, choice: Conflict) -> None:
        self.choice = choice
        self.accept()

    def reject(self) -> None:
        self.choice = None
        super().reject()


def ask_conflict(parent: QWidget | None, incoming: Workshop, existing: Workshop, *,
                 source: str = "", remaining: int = 0,
                 can_replace: bool = True) -> tuple[Conflict | None, bool]:
    """Show a :class:`MergeDialog` and return (choice, apply to all)."""
    dialog = MergeDialog(incoming, existing, source=source, remaining=remaining,
                         can_replace=can_replace, parent=parent)
    try:
        dialog.exec()
        return dialog.choice, dialog.apply_all
    finally:
        dialog.deleteLater()
