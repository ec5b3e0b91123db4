"""File → Report branding…: saved in settings.ini, read back by the CLI, bad logos refused."""

from __future__ import annotations

import zlib
from pathlib import Path

from calms_desktop.gui.branding_dialog import BrandingDialog
from calms_desktop.gui.settings import Settings
from calms_desktop.reports.branding import MAX_LABEL, Branding, read_branding_ini


def tiny_png(path: Path) -> Path:
    """A real 1×1 PNG file."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return len(data).to_bytes(4, "big") + body + zlib.crc32(body).to_bytes(4, "big")

    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", bytes.fromhex("0000000100000001"
                                                                         "0802000000"))
                     + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))
    return path


def test_branding_is_saved_and_the_cli_reads_the_same_file(qtbot, tmp_path):
    settings = Settings(tmp_path / "settings.ini")
    dialog = BrandingDialog(settings)
    qtbot.addWidget(dialog)
    logo = tiny_png(tmp_path / "my logo.png")
    dialog.consultant.setText("Zoë Müller-Lindholm")
    dialog.company.setText('Lindholm "Agile" & Söhne')
    dialog.contact.setText("zoe@lindholm.example")
    dialog.logo.setText(str(logo))
    dialog.label.setText("Vertraulich — nur für Nordlicht")
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    expected = Branding("Zoë Müller-Lindholm", 'Lindholm "Agile" & Söhne', "zoe@lindholm.example",
                        logo, "Vertraulich — nur für Nordlicht")
    assert settings.report_branding() == expected
    assert read_branding_ini(tmp_path / "settings.ini") == expected


def test_a_logo_that_is_not_an_image_is_refused_and_nothing_is_saved(qtbot, tmp_path):
    settings = Settings(tmp_path / "settings.ini")
    dialog = BrandingDialog(settings)
    qtbot.addWidget(dialog)
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture")
    dialog.consultant.setText("Mara")
    dialog.logo.setText(str(fake))
    dialog.accept()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert "not a PNG image" in dialog.problem.text()
    assert settings.report_branding() == Branding()


def test_the_file_menu_has_one_report_branding_entry(app_window):
    file_menu = app_window.menuBar().actions()[0].menu()
    entries = [a.text() for a in file_menu.actions() if "branding" in a.text().lower()]
    assert entries == ["Report &branding…"]


def test_every_string_qsettings_writes_reads_back_the_same_without_qt(tmp_path):
    values = ["a, b", " lead and trail ", "C:\\logos\\mine.svg", "@company", "semi;colon",
              'say "hi"', "李娜 · محمد", "tab\there"]
    for i, value in enumerate(values):
        path = tmp_path / f"s{i}.ini"
        settings = Settings(path)
        settings.set_report_branding(Branding(consultant=value))
        assert read_branding_ini(path).consultant == value.strip(), value


def test_the_label_field_says_its_limit_and_keeps_a_longer_saved_label(qtbot, tmp_path):
    settings = Settings(tmp_path / "settings.ini")
    dialog = BrandingDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.label.maxLength() == MAX_LABEL
    dialog.label.setText("Confidential — for Nordlicht only")
    assert dialog.label_hint.text().startswith(f"33 of {MAX_LABEL} characters")
    assert "as typed" in dialog.label_hint.text()
    # a longer label saved by hand is neither cut when read nor when the dialog opens
    long_label = "Streng vertraulich — nur für die Geschäftsführung der Nordlicht Logistics GmbH"
    settings.set_report_branding(Branding(confidentiality=long_label))
    assert settings.report_branding().confidentiality == long_label
    assert read_branding_ini(tmp_path / "settings.ini").confidentiality == long_label
    again = BrandingDialog(settings)
    qtbot.addWidget(again)
    assert again.label.text() == long_label


def test_the_dialog_speaks_german(qtbot, tmp_path):
    from PySide6.QtWidgets import QFormLayout

    from calms_desktop.core.i18n import Translator, activate

    with activate(Translator("de")):
        dialog = BrandingDialog(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(dialog)
    form = dialog.findChild(QFormLayout)
    labels = [form.itemAt(i, QFormLayout.ItemRole.LabelRole).widget().text()
              for i in range(form.rowCount())
              if form.itemAt(i, QFormLayout.ItemRole.LabelRole) is not None]
    assert labels == ["Beratung (Name)", "Unternehmen", "Kontakt", "Logo",
                      "Vertraulichkeitshinweis"]
    assert "Zeichen" in dialog.label_hint.text()
    assert dialog.windowTitle() == "Berichtsgestaltung"


def test_an_unquoted_comma_in_the_settings_file_is_the_text_typed(qtbot, tmp_path):
    """Breaking pass: consultant=Dr. X, PhD, MBA showed "['Dr. X', 'PhD', 'MBA']"."""
    path = tmp_path / "settings.ini"
    path.write_text("[report_branding]\nconsultant=Dr. X, PhD, MBA\n", encoding="utf-8")
    settings = Settings(path)
    assert settings.report_branding().consultant == "Dr. X, PhD, MBA"
    assert read_branding_ini(path).consultant == "Dr. X, PhD, MBA"  # as the CLI reads it


def test_an_svg_logo_with_arabic_text_is_taken_with_a_warning_when_chosen(qtbot, tmp_path,
                                                                          monkeypatch):
    """Its text is drawn letter by letter (not shaped): the dialog says so, and saves it."""
    from PySide6.QtWidgets import QFileDialog

    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100">'
                   '<text x="10" y="60" font-size="40">شعار Logo</text></svg>', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(svg), ""))
    settings = Settings(tmp_path / "settings.ini")
    dialog = BrandingDialog(settings)
    qtbot.addWidget(dialog)
    dialog._choose_logo()
    assert not dialog.problem.isHidden()
    assert "شعار Logo" in dialog.problem.text() and "outlines" in dialog.problem.text()
    dialog.accept()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert settings.report_branding().logo == svg
