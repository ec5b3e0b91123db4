"""Settings, declared once (name, type, default) around ``QSettings``.

Widgets read and write ``settings.projector_theme`` and so on; no string
keys are scattered. Settings live in ``settings.ini`` in the data folder, so
``--data-dir`` (and every test) gets its own.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import QSettings

from ..core.settings_ini import SETTINGS_FILE

if TYPE_CHECKING:  # the reports package loads when a report or the branding is needed
    from ..reports.branding import Branding

T = TypeVar("T")


@dataclass(frozen=True)
class Setting(Generic[T]):
    """A declared setting: its key, type and default."""

    key: str
    type: type
    default: T
    doc: str = ""

    def __set_name__(self, owner: builtins.type, name: str) -> None:
        owner._declared[name] = self  # type: ignore[attr-defined]

    def __get__(self, obj: Settings | None, objtype: builtins.type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.qsettings.value(self.key, self.default)
        try:
            if self.type is bool and isinstance(value, str):
                return value.lower() in ("1", "true", "yes")
            if self.type is str and isinstance(value, list):
                # QSettings reads an unquoted comma in an INI value as a list:
                # consultant=Dr. X, PhD, MBA is the text "Dr. X, PhD, MBA"
                return ", ".join(str(v) for v in value)
            return self.type(value)
        except (TypeError, ValueError):
            return self.default

    def __set__(self, obj: Settings, value: T) -> None:
        obj.qsettings.setValue(self.key, value)


class Settings:
    """The app's settings for one data folder."""

    _declared: dict[str, Setting[Any]] = {}

    projector_screen = Setting(
        "projector/screen", int, -1, "screen index; -1 = the second screen if any"
    )
    projector_theme = Setting("projector/theme", str, "dark", '"light" or "dark"')
    projector_fullscreen = Setting("projector/fullscreen", bool, True, "open full-screen")
    default_timebox_minutes = Setting("console/default_timebox", int, 20, "minutes per pillar")
    phone_port = Setting("phones/port", int, 8765, "port phones connect to (0: any free one)")
    language = Setting("ui/language", str, "",
                       '"" follows the system locale; else "en" or "de" (after a restart)')
    report_language = Setting("report/language", str, "",
                              '"" the interface\'s language; else "en" or "de"')
    window_geometry = Setting("window/geometry", bytes, b"", "main window geometry")
    window_state = Setting("window/state", bytes, b"", "docks and toolbars")
    # Report branding (File > Report branding…); the CLI reads the same keys with
    # calms_desktop.reports.branding.read_branding_ini.
    report_consultant = Setting("report_branding/consultant", str, "", "consultant's name")
    report_company = Setting("report_branding/company", str, "", "consultancy")
    report_contact = Setting("report_branding/contact", str, "", "e-mail, phone or web site")
    report_logo = Setting("report_branding/logo", str, "", "PNG, JPEG or SVG file")
    report_confidentiality = Setting("report_branding/confidentiality", str, "",
                                     "label on every page of both reports")

    def __init__(self, path: Path) -> None:
        self.qsettings = QSettings(str(path), QSettings.Format.IniFormat)

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> Settings:
        return cls(data_dir / SETTINGS_FILE)

    def sync(self) -> None:
        self.qsettings.sync()

    def report_branding(self) -> Branding:
        """The branding both PDFs carry (plain data, as the reports take it)."""
        from ..reports.branding import Branding

        logo = self.report_logo.strip()
        return Branding(consultant=self.report_consultant.strip(),
                        company=self.report_company.strip(),
                        contact=self.report_contact.strip(),
                        logo=Path(logo) if logo else None,
                        confidentiality=self.report_confidentiality.strip())

    def set_report_branding(self, branding: Branding) -> None:
        """Save ``branding`` (written to disk at once: the CLI reads the same file)."""
        self.report_consultant = branding.consultant
        self.report_company = branding.company
        self.report_contact = branding.contact
        self.report_logo = str(branding.logo) if branding.logo else ""
        self.report_confidentiality = branding.confidentiality
        self.sync()
