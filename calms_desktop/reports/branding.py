"""Who hands the reports over: the consultant's name, company, contact, logo and a label.

Plain data (no Qt, no ReportLab), so the GUI (File → Report branding…), the
command line and the tests pass the same thing to both PDFs. The GUI keeps it
in its settings file; :func:`read_branding_ini` reads that file without Qt,
so ``calms-desktop export`` uses the same branding as the app.

The logo is a PNG, JPEG or SVG file. :func:`check_logo` says in words what is
wrong with one; the reports refuse to print a logo that fails it rather than
print a broken image.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.i18n import _
from ..core.settings_ini import read_section

#: The section of the settings file (``[report_branding]`` in QSettings' INI format).
INI_SECTION = "report_branding"
LOGO_SUFFIXES = (".png", ".jpg", ".jpeg", ".svg")
#: Longest label the settings field takes (it says so). The PDFs print the label as typed
#: on one line of half the page width, shortened with "…" should it not fit.
MAX_LABEL = 60


@dataclass(frozen=True)
class Branding:
    """What the cover and every page footer say about who prepared the report.

    Attributes:
        consultant: the consultant's name ("Mara Lindholm").
        company: the consultancy ("Lindholm Agile Consulting").
        contact: an e-mail address, phone or web site.
        logo: a PNG, JPEG or SVG file, or None.
        confidentiality: a label printed on every page of both reports
            ("Confidential — for Nordlicht Logistics only"); empty: none.
    """

    consultant: str = ""
    company: str = ""
    contact: str = ""
    logo: Path | None = None
    confidentiality: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.consultant.strip() or self.company.strip() or self.contact.strip()
                    or self.logo or self.confidentiality.strip())

    @property
    def prepared_by(self) -> str:
        """"Mara Lindholm, Lindholm Agile Consulting" (plain text; empty when unknown)."""
        return ", ".join(x.strip() for x in (self.consultant, self.company) if x.strip())


MAX_LOGO_BYTES = 20_000_000


def usable(branding: Branding) -> tuple[Branding, str | None]:
    """``branding`` without a logo that cannot be used now (moved, damaged), and why.

    A report is never lost to its logo: it is built without it, and the
    caller tells the user what was wrong.
    """
    if branding.logo is None:
        return branding, None
    problem = check_logo(branding.logo)
    if problem is None:
        return branding, None
    from dataclasses import replace

    return replace(branding, logo=None), _('the report logo was left out: {problem}').format(
        problem=problem)


def check_logo(path: Path) -> str | None:
    """What is wrong with ``path`` as a logo, in words; None when it is usable."""
    if path.suffix.lower() not in LOGO_SUFFIXES:
        return _('{name}: a logo must be a PNG, JPEG or SVG file').format(name=path.name)
    if not path.is_file():
        return _('{path}: no such file').format(path=path)
    try:
        if path.stat().st_size > MAX_LOGO_BYTES:
            return _('{name}: a logo must be at most {value} MB').format(
                name=path.name, value=MAX_LOGO_BYTES // 1000000)
        with open(path, "rb") as f:  # the first bytes only: never a whole huge file
            head = f.read(512)
    except OSError as exc:
        return _('{path}: cannot be read ({strerror})').format(path=path, strerror=exc.strerror)
    if path.suffix.lower() == ".png" and not head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _('{name}: not a PNG image').format(name=path.name)
    if path.suffix.lower() in (".jpg", ".jpeg") and not head.startswith(b"\xff\xd8"):
        return _('{name}: not a JPEG image').format(name=path.name)
    if path.suffix.lower() == ".svg" and b"<svg" not in path.read_bytes()[:4096]:
        return _('{name}: not an SVG image').format(name=path.name)
    return None


def read_branding_ini(path: Path) -> Branding:
    """The branding saved by the app in its settings file (INI), or none if there is none."""
    sec = read_section(path, INI_SECTION)

    def text(key: str) -> str:
        value = sec.get(key, "").strip()
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate ("\xd800"): not printable text
            return ""
        return value

    logo = text("logo")
    return Branding(consultant=text("consultant"), company=text("company"),
                    contact=text("contact"), logo=Path(logo) if logo else None,
                    confidentiality=text("confidentiality"))
