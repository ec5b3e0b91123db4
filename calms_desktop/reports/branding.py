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

import re
import struct
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
#: Pixels a PNG/JPEG logo may have (8000 × 6000): decoding a 20,000 × 20,000 one took
#: gigabytes, and Pillow refused it as a "decompression bomb", which lost the export.
MAX_LOGO_PIXELS = 48_000_000
#: How much longer one side of an SVG logo may be than the other (a 1,000,000 × 1 SVG is a line).
MAX_LOGO_ASPECT = 50.0
#: The longest side, in points, an SVG logo may declare.
MAX_SVG_SIDE = 100_000.0

_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_NUMBER = r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"


def _svg_attribute(tag: bytes, name: str) -> str | None:
    found = re.search(rb"\s" + name.encode() + rb"""\s*=\s*["']([^"']*)["']""", tag)
    return found.group(1).decode("ascii", "replace") if found else None


def svg_size(head: bytes) -> tuple[float, float] | None:
    """An SVG's size from its ``<svg>`` tag: ``width``/``height`` in user units, else ``viewBox``.

    Read from the first bytes with a pattern, never an XML parser (an SVG's
    entities can expand to gigabytes). None when the tag gives no size.
    """
    tag = _SVG_TAG.search(head)
    if tag is None:
        return None
    sizes: list[float] = []
    for name in ("width", "height"):
        value = _svg_attribute(tag.group(0), name) or ""
        number = re.fullmatch(_NUMBER + r"\s*(px|pt)?\s*", value)
        if number:
            sizes.append(float(number.group(1)))
    if len(sizes) == 2 and min(sizes) > 0:
        return sizes[0], sizes[1]
    box = re.fullmatch(r"\s*" + (_NUMBER + r"[\s,]*") * 4, _svg_attribute(tag.group(0), "viewBox")
                       or "")
    if box and float(box.group(3)) > 0 and float(box.group(4)) > 0:
        return float(box.group(3)), float(box.group(4))
    return None


def raster_size(path: Path) -> tuple[int, int]:
    """A PNG or JPEG's size in pixels, from its header (nothing is decoded).

    A PNG's is read from its IHDR chunk: Pillow refuses to even open one of
    over 179 million pixels.
    """
    with open(path, "rb") as f:
        head = f.read(24)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    from PIL import Image

    try:
        with Image.open(path) as image:
            return image.size
    except Image.DecompressionBombError:
        return MAX_LOGO_PIXELS, 2  # larger than any logo may be


def usable(branding: Branding) -> tuple[Branding, str | None]:
    """``branding`` without a logo that cannot be used now (moved, damaged), and why.

    A report is never lost to its logo: it is built without it, and the
    caller tells the user what was wrong. An SVG logo whose text cannot be
    printed as typed (see :func:`calms_desktop.reports.common.svg_text_in_report_fonts`)
    is kept, with a warning saying so.
    """
    if branding.logo is None:
        return branding, None
    problem = check_logo(branding.logo)
    if problem is None:  # and it can be drawn (an SVG svglib cannot read)
        from ..core.errors import CalmsError
        from .common import logo_flowable

        try:
            drawn = logo_flowable(branding.logo, 40, 150)
        except CalmsError as exc:
            problem = str(exc)
        else:  # printed, but an SVG's text of a joining script is not shaped: say so
            text = getattr(drawn, "_calms_text_problem", None)
            return branding, (_('the report logo may not print as it should: {problem}').format(
                problem=text) if text else None)
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
    if path.suffix.lower() == ".svg":
        return _check_svg(path)
    try:
        width, height = raster_size(path)
    except Exception:  # noqa: BLE001 - Pillow raises many kinds for a damaged file
        return _('{name}: the image cannot be read').format(name=path.name)
    if width * height > MAX_LOGO_PIXELS:
        return _('{name}: {width} × {height} pixels is too large for a logo (at most {value} '
                 'million pixels)').format(name=path.name, width=width, height=height,
                                           value=MAX_LOGO_PIXELS // 1_000_000)
    return None


def _check_svg(path: Path) -> str | None:
    head = path.read_bytes()[:4096]
    if b"<svg" not in head:
        return _('{name}: not an SVG image').format(name=path.name)
    size = svg_size(head)
    if size is None:
        return _('{name}: the SVG gives no size (width and height, or a viewBox)').format(
            name=path.name)
    width, height = size
    if max(width, height) > MAX_SVG_SIDE or max(width, height) / min(width, height) \
            > MAX_LOGO_ASPECT:
        return _('{name}: {width:.0f} × {height:.0f} is no logo shape (one side is more than '
                 '{value:g} times the other, or too long)').format(
            name=path.name, width=width, height=height, value=MAX_LOGO_ASPECT)
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
