"""File → Report branding…: who prepared the reports, their logo and a confidentiality label.

The dialog edits a :class:`~calms_desktop.reports.branding.Branding` and
saves it in the settings (:meth:`Settings.set_report_branding`); both PDFs,
from the app and from ``calms-desktop export``, carry it. A logo that is not
a readable PNG, JPEG or SVG file is refused with the reason, and nothing is
saved until the facilitator fixes or clears it. An SVG logo whose text cannot
print as typed (Arabic or Indic text: a drawing's text is not shaped) is
accepted with a warning as soon as it is chosen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.i18n import _
from ..reports.branding import MAX_LABEL, Branding, check_logo, usable
from .settings import Settings


class BrandingDialog(QDialog):
    """Edits the report branding kept in ``settings``.

    Args:
        settings: the app's settings (read now, written on OK).
        parent: the window.
    """

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(_("Report branding"))
        current = settings.report_branding()
        self.consultant = QLineEdit(current.consultant)
        self.company = QLineEdit(current.company)
        self.contact = QLineEdit(current.contact)
        self.logo = QLineEdit(str(current.logo) if current.logo else "")
        self.logo.setPlaceholderText(_("PNG, JPEG or SVG file"))
        self.label = QLineEdit()
        # the limit, said under the field; a longer label saved before is kept whole
        self.label.setMaxLength(max(MAX_LABEL, len(current.confidentiality)))
        self.label.setText(current.confidentiality)
        self.label.setPlaceholderText(_("e.g. Confidential — for the client only"))
        self.label_hint = QLabel()
        self.label_hint.setWordWrap(True)
        self.label_hint.setStyleSheet("color: palette(placeholder-text)")
        self.label.textChanged.connect(self._show_label_length)
        self._show_label_length(self.label.text())
        browse = QPushButton(_("Choose…"))
        browse.clicked.connect(self._choose_logo)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Consultant"), self.consultant)
        form.addRow(_("Company"), self.company)
        form.addRow(_("Contact"), self.contact)
        form.addRow(_("Logo"), logo_row)
        form.addRow(_("Confidentiality label"), self.label)
        form.addRow("", self.label_hint)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #c0392b")
        self.problem.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        hint = QLabel(_("Printed on the cover and the footer of both PDF reports; the label on "
                      "every page."))
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def branding(self) -> Branding:
        """What the fields say now."""
        logo = self.logo.text().strip()
        return Branding(consultant=self.consultant.text().strip(),
                        company=self.company.text().strip(),
                        contact=self.contact.text().strip(),
                        logo=Path(logo).expanduser() if logo else None,
                        confidentiality=self.label.text().strip())

    def _show_label_length(self, text: str) -> None:
        self.label_hint.setText(
            _("{count} of {limit} characters. Printed as typed at the top of every page; "
              "shortened with “…” if it does not fit.").format(count=len(text),
                                                             limit=self.label.maxLength()))

    def _choose_logo(self) -> None:
        path, _unused = QFileDialog.getOpenFileName(self, _("Choose a logo"), self.logo.text(),
                                              _("Images (*.png *.jpg *.jpeg *.svg)"))
        if path:
            self.logo.setText(path)
            self._warn_about_logo(Path(path))

    def _warn_about_logo(self, path: Path) -> None:
        """Say at once when a usable logo will not print quite as drawn (an SVG whose text
        is Arabic or Indic: a drawing's text is not shaped); the choice still stands."""
        if path.suffix.lower() != ".svg" or check_logo(path):
            self.problem.hide()  # (a logo that cannot be used at all is refused on OK)
            return
        _unused, warning = usable(Branding(logo=path))
        if warning:
            self.problem.setText(warning[0].upper() + warning[1:] + ".")
            self.problem.show()
        else:
            self.problem.hide()

    def accept(self) -> None:
        branding = self.branding()
        problem = check_logo(branding.logo) if branding.logo else None
        if problem:
            self.problem.setText(_('{problem}. Choose another file, or clear the field.').format(
                problem=problem))
            self.problem.show()
            self.logo.setFocus()
            return
        self.settings.set_report_branding(branding)
        super().accept()
