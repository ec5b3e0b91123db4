"""What both PDFs share: typography, colours, tables, page frame, metadata, file names.

* **Page frame**: A4; a header with organisation, team and date, a footer with
  the report's name and "Page x of y" (:class:`NumberedCanvas` draws the page
  numbers once the total is known). The facilitator report's cover has no
  frame.
* **Typography**: DejaVu Sans (the charts' font) with fallbacks for any script
  (:mod:`calms_desktop.reports.fonts`); one set of paragraph styles
  (:func:`styles`); colours from the charts' Okabe–Ito palette.
* **User text** only enters a paragraph through :func:`user` (escaped, fonts
  chosen per character — see :mod:`calms_desktop.reports.text`).
* **Metadata**: title, author, subject, creator and keywords of the PDF.
"""

from __future__ import annotations

import gc
import io
import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from reportlab.graphics.shapes import String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus.doctemplate import FrameBreak

from .. import __version__
from ..charts import style as chart_style
from ..core.errors import CalmsError
from ..core.i18n import _, active
from ..core.model import Workshop
from ..core.scoring import fmt
from . import fonts, isolates
from . import text as tx
from .bidi_paragraph import BidiParagraph, ReportParagraph, has_rtl
from .branding import Branding, check_logo, svg_size
from .filenames import safe_filename_part, suggest_filename  # noqa: F401 - re-exported
from .insights import long_date
from .linebreak import cluster_points, wrap_lines

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 20 * mm
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN_X
BODY_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
#: Room left on a page from which a heading and a long table start there (see KeepWithNext).
SPLIT_ROOM = BODY_HEIGHT / 3

# Colours: text in near-black, accents from the charts' palette.
INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6570")
RULE = colors.HexColor("#c9d3dc")
ACCENT = colors.HexColor(chart_style.BLUE)
ACCENT_DARK = colors.HexColor("#0b4f7a")
ZEBRA = colors.HexColor("#eef5fa")
PANEL = colors.HexColor("#f5f8fb")
GOOD = colors.HexColor(chart_style.GREEN)
BAD = colors.HexColor(chart_style.VERMILION)
WARN = colors.HexColor("#b07800")  # the palette's orange, darkened to read as text
WHITE = colors.white


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of both reports."""

    body: ParagraphStyle
    small: ParagraphStyle
    muted: ParagraphStyle
    kicker: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    h3: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_center: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_right: ParagraphStyle
    big: ParagraphStyle
    bullet: ParagraphStyle
    note: ParagraphStyle
    header: ParagraphStyle
    toc1: ParagraphStyle
    toc2: ParagraphStyle
    cover_title: ParagraphStyle
    cover_sub: ParagraphStyle


@cache
def styles() -> Styles:
    """The shared paragraph styles (fonts are registered on first use)."""
    fonts.register_fonts()
    base = ParagraphStyle("body", fontName=fonts.SANS, fontSize=9.5, leading=13.5,
                          textColor=INK, spaceAfter=5, bulletFontName=fonts.SANS)

    def derive(name: str, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    cell = derive("cell", fontSize=8.5, leading=11, spaceAfter=0)
    return Styles(
        body=base,
        small=derive("small", fontSize=8, leading=10.5),
        muted=derive("muted", fontSize=8.5, leading=11.5, textColor=MUTED),
        kicker=derive("kicker", fontName=fonts.SANS_BOLD, fontSize=8.5, leading=11,
                      textColor=ACCENT, spaceAfter=2),
        title=derive("title", fontName=fonts.SANS_BOLD, fontSize=20, leading=25,
                     textColor=INK, spaceAfter=3),
        subtitle=derive("subtitle", fontSize=10.5, leading=14.5, textColor=MUTED,
                        spaceAfter=2),
        h1=derive("h1", fontName=fonts.SANS_BOLD, fontSize=16, leading=20, textColor=ACCENT_DARK,
                  spaceBefore=0, spaceAfter=8, keepWithNext=1),
        h2=derive("h2", fontName=fonts.SANS_BOLD, fontSize=11.5, leading=15, textColor=INK,
                  spaceBefore=10, spaceAfter=5, keepWithNext=1),
        h3=derive("h3", fontName=fonts.SANS_BOLD, fontSize=9.5, leading=13, textColor=INK,
                  spaceBefore=6, spaceAfter=3, keepWithNext=1),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=fonts.SANS_BOLD),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        cell_center=ParagraphStyle("cell_center", parent=cell, alignment=TA_CENTER),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=fonts.SANS_BOLD,
                                 textColor=WHITE, fontSize=8, leading=10),
        cell_head_right=ParagraphStyle("cell_head_right", parent=cell, fontName=fonts.SANS_BOLD,
                                       textColor=WHITE, fontSize=8, leading=10,
                                       alignment=TA_RIGHT),
        big=derive("big", fontName=fonts.SANS_BOLD, fontSize=30, leading=34, textColor=ACCENT,
                   spaceAfter=0),
        bullet=derive("bullet", leftIndent=11, bulletIndent=0, spaceAfter=3),
        note=derive("note", fontSize=9, leading=13, textColor=INK, leftIndent=8,
                    borderPadding=(4, 6, 4, 6), spaceBefore=2, spaceAfter=6),
        header=derive("header", fontSize=7.5, leading=9.5, textColor=MUTED, spaceAfter=0),
        toc1=derive("toc1", fontSize=10.5, leading=15, leftIndent=0, firstLineIndent=0,
                    spaceBefore=3),
        toc2=derive("toc2", fontSize=9, leading=12.5, leftIndent=14, firstLineIndent=0,
                    textColor=MUTED),
        cover_title=derive("cover_title", fontName=fonts.SANS_BOLD, fontSize=28, leading=34,
                           textColor=WHITE, spaceAfter=6),
        cover_sub=derive("cover_sub", fontSize=13, leading=18, textColor=WHITE, spaceAfter=2),
    )


@cache
def _shaped(style: ParagraphStyle) -> ParagraphStyle:
    # A shaped word cannot be split between letters (ReportLab would cut its glyph
    # runs apart and print boxes): a very long one runs over its cell instead.
    return ParagraphStyle(f"{style.name}-shaped", parent=style, shaping=1, splitLongWords=0)


def para(markup: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph from markup this package wrote (user parts via :func:`u` or :func:`iso`).

    Its direction is that of its first strong letter outside isolates, else
    left to right (the report's language): a sentence of ours with user text
    isolated in it (:func:`iso`) is left to right, a cell holding a user's text
    alone (:func:`user`) takes the direction of its first letter.
    """
    if fonts.SHAPING and fonts.needs_shaping(markup):
        style = _shaped(style)
        if has_rtl(markup):  # reordered line by line, after wrapping (UAX #9 L1–L4)
            return BidiParagraph(markup, style)
    # left to right throughout: nothing to resolve, and the marks are never drawn
    return ReportParagraph(isolates.strip(markup), style)


def u(text: str, style: ParagraphStyle | None = None, *, bold: bool = False) -> str:
    """User text as safe paragraph markup for a paragraph in ``style``.

    Args:
        bold: the markup goes inside ``<b>`` (its fallback fonts are then bold too).
    """
    return tx.markup(text, _base_font(style, bold))


def _base_font(style: ParagraphStyle | None, bold: bool = False) -> str:
    """The font user text starts from in ``style`` (fallback fonts are chosen from it)."""
    base = fonts.SANS_BOLD if bold else style.fontName if style is not None else fonts.SANS
    return base if base in (fonts.SANS, fonts.SANS_BOLD, fonts.SANS_ITALIC,
                            fonts.SANS_BOLD_ITALIC) else fonts.SANS


def iso(text: str, style: ParagraphStyle | None = None, *, bold: bool = False) -> str:
    """User text as markup for inside a sentence or cell of the report's own: each line a
    directional isolate (:mod:`calms_desktop.reports.isolates`).

    The text is resolved on its own, by its first strong letter, and sits in
    the report's sentence as one neutral unit: "⁧רזה (Lean)⁩ improved most
    (+1.3)" keeps the report's left-to-right order around the Hebrew name.

    Args:
        bold: the markup goes inside ``<b>`` (its fallback fonts are then bold too).
    """
    return tx.sentence_markup(isolates.isolate(tx.clean(text)), _base_font(style, bold))


def user(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing exactly ``text`` (anything a person typed)."""
    return para(u(text, style), style)


def user_cell(text: str, style: ParagraphStyle, width: float, *, padding: float = 10) -> Paragraph:
    """A table cell showing ``text`` (a name, a role) in a column ``width`` wide.

    Lines break at spaces, after hyphens, at zero-width spaces and between
    Thai words (:func:`calms_desktop.reports.linebreak.wrap_lines`), and a word
    is cut only when it alone is wider than the cell: ReportLab cut
    "Hohenzollern-Sig|maringen" wherever the cell ended.

    Args:
        padding: the cell's left and right padding together.
    """
    lines = [ln for part in tx.clean(text).split("\n")
             for ln in (wrap_lines(part, style.fontName, style.fontSize, width - padding)
                        or [""])]
    return para("<br/>".join(u(ln, style) for ln in lines), style)


@lru_cache(maxsize=16)
def uri_style(style: ParagraphStyle) -> ParagraphStyle:
    """``style`` with web addresses wrapped after a slash (ReportLab's ``uriWasteReduce``)
    rather than anywhere inside a word ("https://e" / "xample.com/…")."""
    return ParagraphStyle(f"{style.name}-uri", parent=style, uriWasteReduce=0.3)


def sentence(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of the report's own plain text whose user parts are isolates
    (made by :func:`calms_desktop.reports.isolates.isolate`, as :mod:`.insights` does)."""
    return para(tx.sentence_markup(text, _base_font(style)), style)


def num(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """A score as people read it: ``3.4``, ``+0.6``, ``−0.3``, or ``—``."""
    return fmt(value, digits, signed)


def signed_markup(value: float | None, digits: int = 1, good_when_positive: bool = True) -> str:
    """A signed number coloured green (better) or vermilion (worse); the sign says it too."""
    if value is None:
        return f'<font color="{hex_of(MUTED)}">—</font>'
    if round(value, digits) == 0:
        return "±" + num(0.0, digits)
    text = num(value, digits, signed=True)
    better = (value > 0) == good_when_positive
    colour = GOOD if better else BAD
    return f'<font color="{hex_of(colour)}">{text}</font>'


def hex_of(colour: colors.Color) -> str:
    return "#" + colour.hexval()[2:]


def human_date(iso: str) -> str:
    """``2026-11-19`` → ``19 November 2026`` (the text itself if it is not a date; "—" if empty)."""
    return long_date(iso) or "—"


def next_assessment(ws: Workshop, months: int = 3) -> date | None:
    """About three months after the workshop (13 weeks), moved off a weekend."""
    try:
        d = date.fromisoformat(ws.date) + timedelta(weeks=13 * months // 3)
    except (TypeError, ValueError):
        return None
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


# -- tables -------------------------------------------------------------------

def word_widths(widths: Sequence[float], columns: Sequence[Sequence[tuple[str, str, float]]],
                *, padding: float = 4, cap: float = 0.3) -> list[float]:
    """Column widths that fill the content width in the proportions of ``widths`` while
    giving each column room for its longest word, so no word is split mid-word
    ("Wiederherstell|ungszeit" in a German table) unless it cannot fit at all.

    Args:
        widths: the wanted proportions.
        columns: per column, its texts as ``(text, font name, font size)``.
        padding: the cells' padding (each side).
        cap: no column's word minimum exceeds this share of the content width (a file
            name or a URL may still be split rather than squeeze every other column).
    """
    scale = CONTENT_WIDTH / sum(widths)
    want = [w * scale for w in widths]
    least = [min(CONTENT_WIDTH * cap,
                 max((stringWidth(word, font, size) for text, font, size in col
                      for word in text.split()), default=0.0) + 2 * padding + 4)
             for col in columns]
    if sum(least) >= CONTENT_WIDTH:  # every word cannot fit: the wanted proportions
        return want
    # the others shrink by one factor (never below their own minimum) to make the room
    low, high = 0.0, 1.0
    for _step in range(40):
        f = (low + high) / 2
        if sum(max(m, f * w) for w, m in zip(want, least, strict=True)) > CONTENT_WIDTH:
            high = f
        else:
            low = f
    out = [max(m, low * w) for w, m in zip(want, least, strict=True)]
    flexible = [i for i, (w, m) in enumerate(zip(want, least, strict=True)) if low * w > m]
    if flexible:  # the bisection's last fraction of a point
        out[flexible[-1]] += CONTENT_WIDTH - sum(out)
    return out


def table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header_rows: int = 1,
    zebra: bool = True,
    right: Sequence[int] = (),
    extra: Sequence[tuple[Any, ...]] = (),
    padding: float = 4,
    repeat: bool = True,
) -> Table:
    """A report table: accent header row, zebra rows, hairlines.

    Args:
        rows: cells (paragraphs or plain strings of this package's own text).
        widths: column widths in points.
        right: column indexes to right-align (numbers).
        extra: more ``TableStyle`` commands.
    """
    # splitInRow: a row taller than a page (a 10,000-character action) flows
    # on to the next page instead of stopping the whole report.
    t = Table(list(map(list, rows)), colWidths=list(widths),
              repeatRows=header_rows if repeat else 0, hAlign="LEFT", splitInRow=1)
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), fonts.SANS),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("LEADING", (0, 0), (-1, -1), 11),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.35, RULE),
    ]
    if header_rows:
        cmds += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), ACCENT_DARK),
            ("TEXTCOLOR", (0, 0), (-1, header_rows - 1), WHITE),
            ("FONTNAME", (0, 0), (-1, header_rows - 1), fonts.SANS_BOLD),
            ("FONTSIZE", (0, 0), (-1, header_rows - 1), 8),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ]
    if zebra and len(rows) > header_rows + 1:
        cmds.append(("ROWBACKGROUNDS", (0, header_rows), (-1, -1), [WHITE, ZEBRA]))
    for col in right:
        cmds.append(("ALIGN", (col, 0), (col, -1), "RIGHT"))
    cmds += list(extra)
    t.setStyle(cmds)
    return t


def layout_table(rows: Sequence[Sequence[Any]], widths: Sequence[float],
                 style: Sequence[tuple[Any, ...]], **kwargs: Any) -> Table:
    """A table used for layout (no header, no zebra), in the report's font.

    Every table names its font: ReportLab's default cell font is Helvetica,
    which would otherwise end up in the PDF (and cannot print most scripts).
    """
    t = Table(list(map(list, rows)), colWidths=list(widths), **kwargs)
    t.setStyle([("FONTNAME", (0, 0), (-1, -1), fonts.SANS), *style])
    return t


def key_value_table(pairs: Sequence[tuple[str, Any]], widths: tuple[float, float]) -> Table:
    """Label/value pairs without a header (cover facts, pillar key figures)."""
    st = styles()
    rows = [[para(label, st.cell_bold), value] for label, value in pairs]
    return table(rows, widths, header_rows=0, zebra=False, padding=3,
                 extra=[("LINEBELOW", (0, 0), (-1, -1), 0.35, RULE)])


def stat_strip(items: Sequence[tuple[str, str, str]]) -> Table:
    """Key figures side by side: a small label, a large value, a detail line (markup)."""
    st = styles()
    label = ParagraphStyle("strip_label", parent=st.small, textColor=MUTED, spaceAfter=1)
    value = ParagraphStyle("strip_value", parent=st.body, fontName=fonts.SANS_BOLD, fontSize=13,
                           leading=16, spaceAfter=0)
    detail = ParagraphStyle("strip_detail", parent=st.small, textColor=INK, spaceAfter=0)
    cells = []
    for lab, val, det in items:
        cell: list[Flowable] = [para(lab.upper(), label), para(val, value)]
        if det:
            cell.append(para(det, detail))
        cells.append(cell)
    width = CONTENT_WIDTH / max(len(cells), 1)
    return layout_table([cells], [width] * len(cells), [
        ("BACKGROUND", (0, 0), (-1, -1), PANEL),
        ("LINEAFTER", (0, 0), (-2, -1), 2, WHITE),
        ("LINEABOVE", (0, 0), (-1, 0), 1.5, ACCENT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ], hAlign="LEFT")


# -- page frame -----------------------------------------------------------------

@dataclass(frozen=True)
class TocEntry:
    """A heading for the contents page: level, markup, page and bookmark key."""

    level: int
    markup: str
    page: int
    key: str


class NumberedCanvas(rl_canvas.Canvas):
    """A canvas that finishes pages once the whole document is laid out.

    Pages are kept until :meth:`save`, which then adds what only the end
    knows: "Page x of y" (where a page template set ``_calms_page_label``) and
    the contents list (on the page where :class:`ContentsPlaceholder` was
    placed) with each heading's page number. So a report with a contents page
    is laid out in one pass instead of ReportLab's two (``multiBuild``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._calms_pages: list[dict[str, Any]] = []
        self._calms_page_label: tuple[float, float] | None = None
        self._calms_contents_at: tuple[float, float, float] | None = None
        self._calms_bookmarks: list[tuple[str, dict[str, Any]]] = []
        self.calms_toc: list[TocEntry] = []

    def showPage(self) -> None:  # noqa: N802 - ReportLab's name
        self._calms_pages.append(dict(self.__dict__))
        self._startPage()
        self._calms_page_label = None
        self._calms_contents_at = None
        self._calms_bookmarks = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 - ReportLab's name
        # A bookmark points at the page being written *now*; pages are only written
        # in save(), so the bookmark is made there, on its own page.
        self._calms_bookmarks.append((key, kwargs))

    def save(self) -> None:
        total = len(self._calms_pages)
        for state in self._calms_pages:
            self.__dict__.update(state)
            for key, kwargs in self._calms_bookmarks:
                rl_canvas.Canvas.bookmarkPage(self, key, **kwargs)
            if self._calms_contents_at is not None:
                self._draw_contents(*self._calms_contents_at)
            if self._calms_page_label is not None:
                x, y = self._calms_page_label
                self.saveState()
                self.setFont(fonts.SANS, 7.5)
                self.setFillColor(MUTED)
                self.drawRightString(x, y, _("Page {number} of {total}").format(
                    number=self._pageNumber, total=total))
                self.restoreState()
            super().showPage()
        super().save()

    def _draw_contents(self, x: float, top: float, width: float) -> None:
        st = styles()
        y = top
        number_w = 30.0
        for entry in self.calms_toc:
            style = st.toc1 if entry.level == 0 else st.toc2
            y -= style.spaceBefore
            p = para(entry.markup, style)
            _unused, h = p.wrap(width - number_w - 10, 200)
            p.drawOn(self, x, y - h)
            line_w = max(p.getActualLineWidths0() or [0.0])
            base_y = y - h + (style.leading - style.fontSize) + 1
            self.saveState()
            self.setFont(fonts.SANS, style.fontSize)
            self.setFillColor(MUTED)
            dots_from = x + style.leftIndent + line_w + 6
            dots_to = x + width - number_w
            if dots_to > dots_from:
                dot_w = self.stringWidth(" . ", fonts.SANS, style.fontSize)
                n = int((dots_to - dots_from) / dot_w)
                self.drawRightString(dots_to, base_y, " . " * n)
            self.setFillColor(INK)
            self.drawRightString(x + width, base_y, str(entry.page))
            self.restoreState()
            self.linkRect("", entry.key, (x, y - h, x + width, y), relative=0, thickness=0)
            y -= h


class ContentsPlaceholder(Flowable):
    """Where the contents list goes; :class:`NumberedCanvas` draws it at the end.

    Args:
        entries: how many lines the list will have (None: take the rest of the page).
    """

    def __init__(self, entries: int | None = None) -> None:
        super().__init__()
        self.entries = entries

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        st = styles()
        if self.entries is None:
            height = avail_height - 1
        else:
            height = min(avail_height - 1,
                         self.entries * (st.toc1.leading + st.toc1.spaceBefore) + 4)
        self.width, self.height = avail_width, height
        return self.width, self.height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802
        canvas._calms_contents_at = (x, y + self.height, self.width)

    def draw(self) -> None:  # pragma: no cover - drawOn does the work
        pass


class ChapterBreak(CondPageBreak):
    """Where a chapter starts: on a new page, unless this page is still mostly empty.

    A chapter that ended with a few lines on a page of their own (the last
    rows of a table, a note's last paragraph) left that page nearly blank
    before the next chapter's page break. The next chapter now starts on
    that page when at least ``free`` of it is left (a gap of ``gap`` points
    above its heading), and on the next page otherwise.

    Args:
        free: the part of a page that must be free for the chapter to start on it.
        gap: the space above the heading when it does.
    """

    def __init__(self, free: float = 2 / 3, gap: float = 22) -> None:
        super().__init__(BODY_HEIGHT * free)
        self.gap = gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        super().wrap(availWidth, availHeight)  # breaks the page if too little is free
        frame = self._doctemplateAttr("frame")
        if availHeight < self.height or frame is None or frame._atTop:
            return 0, 0
        return availWidth, self.gap


@dataclass(frozen=True)
class Frame_:
    """What the header and footer say (markup already made safe, each one line)."""

    header_left: str
    header_right: str
    footer_left: str
    label: str = ""
    #: The header's and footer's fields (markup each), drawn one after another so
    #: each is put in right-to-left order on its own (see :meth:`ReportDoc._fields`).
    header_fields: tuple[str, ...] = ()
    footer_fields: tuple[str, ...] = ()


#: What stands between two fields of the running header or footer.
FRAME_SEP = " · "


#: Widths of the running header and footer texts (the date and page number sit beside them).
HEADER_WIDTH = CONTENT_WIDTH * 0.66
FOOTER_WIDTH = CONTENT_WIDTH * 0.78
#: Width of the confidentiality label, centred above the header rule.
LABEL_WIDTH = CONTENT_WIDTH * 0.5
ELLIPSIS = "\u2026"


def _cut_points(text: str) -> list[int]:
    """Where ``text`` may be cut: between words if it has several, else between letters
    (never a letter from its marks, nor inside a conjunct or an emoji sequence)."""
    words = [i for i in range(1, len(text)) if text[i] == " " and text[i - 1] != " "]
    if len(words) >= 3:
        return words
    return cluster_points(text)


def _shorten(text: str, keep: int) -> str:
    cut = text[:keep].rstrip(" ·,;:-—")
    last = next((kind for kind in map(unicodedata.bidirectional, reversed(cut))
                 if kind in ("L", "R", "AL")), "L")
    # An ellipsis after right-to-left text belongs at its (left) end: a mark says so,
    # and a space keeps it out of the last word (which HarfBuzz lays out right to left).
    return cut + (" " + ELLIPSIS + "\u200f" if last in ("R", "AL") else ELLIPSIS)


def line_count(markup: str, style: ParagraphStyle, width: float) -> int:
    """How many lines ``markup`` takes in ``style`` at ``width``."""
    p = para(markup, style)
    p.wrap(width, 1000)
    return len(p.blPara.lines)


def fit_line(parts: Sequence[str], style: ParagraphStyle, width: float, *,
             sep: str = " · ", bold: bool = False, lines: int = 1) -> str:
    """Markup for ``parts`` (plain user text) on one line of ``width``, shortened with "…".

    The longest part is shortened first, so an 80-character organisation
    gives way before a short team name; a part is only cut between whole
    letters (marks, conjuncts and emoji sequences stay together).

    Args:
        lines: how many lines the text may take (a cover's title: a few).
    """
    return _render_parts(fit_parts(parts, style, width, sep=sep, bold=bold, lines=lines),
                         style, sep, bold)


def _render_parts(items: Sequence[str], style: ParagraphStyle, sep: str, bold: bool) -> str:
    body = sep.join(u(x, style, bold=bold) for x in items)
    return f"<b>{body}</b>" if bold and body else body


#: A part that gives way (:func:`fit_parts`' ``give_way``) keeps at least this many letters.
GIVE_WAY_KEEP = 12


def fit_parts(parts: Sequence[str], style: ParagraphStyle, width: float, *,
              sep: str = " · ", bold: bool = False, lines: int = 1,
              give_way: Sequence[int] = ()) -> list[str]:
    """The plain texts of :func:`fit_line`, each shortened as it needs (empty parts left out).

    Args:
        give_way: the parts (indices into ``parts``; all must be non-empty) that are
            shortened first, in this order, each to the longest prefix that lets the
            line fit but to no fewer than :data:`GIVE_WAY_KEEP` letters; only then are
            the rest shortened, longest first (a footer cuts the workshop's title
            before the consultant's e-mail address, which is no use cut).
    """
    texts = [" ".join(tx.clean(x).split()) for x in parts if x.strip()]

    def render(items: Sequence[str]) -> str:
        return _render_parts(items, style, sep, bold)

    markup = render(texts)
    if not texts or line_count(markup, style, width) <= lines:
        return texts

    def longest_fit(i: int, text: str, points: Sequence[int]) -> int | None:
        """The longest of ``points`` to cut ``text`` (part ``i``) at so that the line fits,
        the other parts as they are."""
        low, high, best = 0, len(points) - 1, None
        while low <= high:
            mid = (low + high) // 2
            trial = [*texts[:i], _shorten(text, points[mid]), *texts[i + 1:]]
            if line_count(render(trial), style, width) <= lines:
                best, low = points[mid], mid + 1
            else:
                high = mid - 1
        return best

    if len(texts) == len(parts):
        for i in give_way:
            text = texts[i]
            # between words if that fits, else between letters; never below the minimum
            words = [p for p in _cut_points(text) if p >= GIVE_WAY_KEEP]
            letters = [p for p in cluster_points(text) if p >= GIVE_WAY_KEEP]
            if not letters:
                continue
            cut = longest_fit(i, text, words) if words else None
            cut = cut if cut is not None else longest_fit(i, text, letters)
            texts[i] = _shorten(text, cut if cut is not None else letters[0])
            if cut is not None:
                return texts
    while True:
        i = max(range(len(texts)), key=lambda k: len(texts[k]))
        text = texts[i].rstrip(" " + ELLIPSIS + "\u200f")
        points = _cut_points(text)
        if not points:
            texts[i] = ELLIPSIS
            if all(t == ELLIPSIS for t in texts):
                return texts
            continue
        cut = longest_fit(i, text, points)
        others_long = any(len(t) > max(12, len(text) // 2) for k, t in enumerate(texts) if k != i)
        if cut is not None and (cut >= len(text) // 2 or not others_long):
            texts[i] = _shorten(text, cut)
            return texts
        # even this part cut hard does not fit: take it to half and shorten the next one too
        texts[i] = _shorten(text, points[len(points) // 2])


def fitted(text: str, style: ParagraphStyle, width: float, lines: int) -> Paragraph:
    """User text in at most ``lines`` lines of ``width``, shortened with "…" (a cover's fields).

    Every field may hold 500 characters; a cover with all of them in full
    was taller than the page (ReportLab's LayoutError).
    """
    return para(fit_line([text], style, width, lines=lines), style)


def frame_texts(ws: Workshop, report_name: str, branding: Branding | None = None) -> Frame_:
    """The running header and footer of every page, each fitted to one line."""
    st = styles()
    branding = branding or Branding()
    title = ws.title if ws.title.strip() else _("Untitled workshop")
    who = [x for x in (ws.organisation, ws.team) if x.strip()]
    head_parts, head_bold = (who, True) if who else ([title], False)
    header = fit_parts(head_parts, st.header, HEADER_WIDTH, bold=head_bold)
    footer_parts = [report_name, title]
    if branding.prepared_by:
        footer_parts.append(branding.prepared_by)
    if branding.contact.strip():
        footer_parts.append(branding.contact)
    # the title gives way first, then the report's name, then who prepared it; how to
    # reach them is shortened last (a cut e-mail address is of no use)
    footer = fit_parts(footer_parts, st.header, FOOTER_WIDTH - _footer_logo_room(branding),
                       give_way=(1, 0, 2) if branding.prepared_by else (1, 0))
    return Frame_(
        header_left=_render_parts(header, st.header, FRAME_SEP, head_bold),
        header_right=human_date(ws.date) if ws.date else "",
        footer_left=_render_parts(footer, st.header, FRAME_SEP, False),
        header_fields=tuple(_render_parts([x], st.header, FRAME_SEP, head_bold) for x in header),
        footer_fields=tuple(_render_parts([x], st.header, FRAME_SEP, False) for x in footer),
        # as typed (case too), shortened with "…" if it does not fit its half of the page
        label=fit_line([tx.plain(branding.confidentiality)], label_style(), LABEL_WIDTH,
                       bold=True),
    )


def label_style(colour: colors.Color = BAD) -> ParagraphStyle:
    """The confidentiality label's style: small, bold, centred, in ``colour``."""
    return ParagraphStyle("label", parent=styles().header, fontName=fonts.SANS_BOLD,
                          fontSize=7, leading=9, alignment=TA_CENTER, textColor=colour)


def _footer_logo_room(branding: Branding) -> float:
    return FOOTER_LOGO_HEIGHT * 4 + 6 if branding.logo else 0.0


FOOTER_LOGO_HEIGHT = 9.0


#: The longest side, in pixels, of a PNG/JPEG logo as the PDFs embed it (a cover logo is at
#: most 160 pt wide: 600 px print sharp at over 250 dpi).
LOGO_PIXELS = 600


@lru_cache(maxsize=8)
def _logo_png(path: Path, mtime_ns: int, size: int) -> tuple[bytes, int, int]:
    """The raster logo at ``path`` scaled down once to :data:`LOGO_PIXELS` (PNG bytes, size).

    Keyed by the file's change time and size, so a replaced logo is read again;
    both PDFs of an export (and every page's footer) share one decoding.
    """
    from PIL import Image as PILImage

    with PILImage.open(path) as opened:
        opened.draft("RGB", (LOGO_PIXELS, LOGO_PIXELS))  # JPEG: decode at a fraction of the size
        image: PILImage.Image = opened
        image.thumbnail((LOGO_PIXELS, LOGO_PIXELS))
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        out = io.BytesIO()
        image.save(out, format="PNG")
        return out.getvalue(), image.width, image.height


def logo_flowable(path: Path, height: float, max_width: float) -> Flowable:
    """The consultant's logo (PNG, JPEG or SVG) scaled to ``height`` (at most ``max_width``).

    Raises:
        CalmsError: the file is not a usable image (the message says why).
    """
    problem = check_logo(path)
    if problem:
        raise CalmsError(_('report logo: {problem}').format(problem=problem))
    if path.suffix.lower() == ".svg":
        from svglib.svglib import svg2rlg

        drawing = svg2rlg(str(path))
        if drawing is not None and not (drawing.width and drawing.height):
            size = svg_size(path.read_bytes()[:4096])  # a viewBox alone: its size
            if size is not None:
                drawing.width, drawing.height = size
        if drawing is None or not drawing.width or not drawing.height:
            raise CalmsError(_('report logo: {name} could not be read as SVG').format(
                name=path.name))
        drawing._calms_text_problem = svg_text_in_report_fonts(drawing, path.name)  # type: ignore
        scale = min(height / drawing.height, max_width / drawing.width)
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        return drawing
    from reportlab.platypus import Image

    try:
        stat = path.stat()
        data, w, h = _logo_png(path, stat.st_mtime_ns, stat.st_size)
    except Exception as exc:  # noqa: BLE001 - PIL raises many kinds; the message is the point
        raise CalmsError(_('report logo: {name} could not be read ({exc})').format(
            name=path.name, exc=exc)) from exc
    scale = min(height / h, max_width / w)
    return Image(io.BytesIO(data), width=w * scale, height=h * scale)


#: Scripts whose letters join or combine (Arabic, Indic, Thai …): a drawing's text is not shaped.
_SHAPED_SCRIPTS = re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufeff\u0900-\u0dff"
                             "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u200d]")


def _strings(node: Any) -> Iterator[String]:
    if isinstance(node, String):
        yield node
    for child in getattr(node, "contents", ()):
        yield from _strings(child)


def svg_text_in_report_fonts(drawing: Any, name: str) -> str | None:
    """The text of an SVG logo drawn with the report's fonts; what cannot be printed as typed.

    svglib draws an SVG's ``<text>`` with ReportLab's standard fonts
    (Helvetica …), which have Latin-1 only: "שלום Logo" printed as black
    boxes. Each text is now given the bundled font that has all its letters
    (bold and italic kept), and right-to-left text is put in drawing order
    (:func:`calms_desktop.reports.text.visual_order`). A drawing's text is
    not shaped, though, and has one font: text of a joining script (Arabic,
    the Indic scripts, Thai …) or one that needs two fonts cannot print as
    typed, and the answer says so, so the user can be warned.

    Returns:
        None, or a sentence naming the text and what to do.
    """
    bad: list[str] = []
    for node in _strings(drawing):
        text = tx.clean(node.text)
        if not text.strip():
            continue
        used = list(dict.fromkeys(seg.font for seg in fonts.segments(text, fonts.SANS)))
        current = str(node.fontName)
        bold, italic = "Bold" in current, "Oblique" in current or "Italic" in current
        font = next((f for f in used if f != fonts.SANS), fonts.SANS)
        if font == fonts.SANS:
            font = {(False, False): fonts.SANS, (True, False): fonts.SANS_BOLD,
                    (False, True): fonts.SANS_ITALIC,
                    (True, True): fonts.SANS_BOLD_ITALIC}[(bold, italic)]
        elif bold:
            font = fonts.bold_of(font)
        fonts.ensure_font(font)
        node.fontName = font
        node.text = tx.visual_order(text) if has_rtl(text) else text
        if len(used) > 1 or _SHAPED_SCRIPTS.search(text):
            bad.append(text)
    if not bad:
        return None
    return _('{name}: the logo’s text “{text}” cannot be printed as typed (a logo’s text is '
             'drawn letter by letter, in one font); convert the text to outlines (paths) in '
             'the SVG').format(name=name, text=" ".join(" / ".join(bad).split()))


class KeepWithNext(KeepTogether):
    """A heading kept with what follows it, which starts under it when that runs long anyway.

    ReportLab's group moved a heading and a table taller than the space left
    to the next page even when most of this page was free: 20 long actions
    left the attendee summary's second page with three rows (15 %) on it.
    With at least :data:`SPLIT_ROOM` of the page left, the group now starts
    here and the table continues on the next page (its header repeated).
    """

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803 - ReportLab's names
        pieces = super().split(aW, aH)
        if pieces and isinstance(pieces[0], type(FrameBreak)) and aH >= SPLIT_ROOM \
                and self._H > aH and isinstance(self._content[-1], Table):
            return pieces[1:]
        return pieces


class ReportDoc(BaseDocTemplate):
    """A4 document with the report frame, PDF bookmarks and a contents list.

    Headings made by :func:`heading` become PDF outline entries and
    contents lines (see :meth:`afterFlowable`). The document info carries
    title, author (the consultant, else the facilitator), subject, keywords,
    language and a real creation date (``SOURCE_DATE_EPOCH`` pins it for
    reproducible builds).
    """

    def __init__(self, buf: io.BytesIO, ws: Workshop, frame: Frame_, *, title: str,
                 subject: str, with_cover: bool = False, branding: Branding | None = None,
                 show_outline: bool = False) -> None:
        branding = branding or Branding()
        author = branding.consultant or ws.facilitator or ws.organisation or _("CALMS Workshop")
        super().__init__(
            buf, pagesize=A4, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
            bottomMargin=MARGIN_BOTTOM, title=tx.plain(title),
            author=tx.plain(author),
            subject=tx.plain(subject), creator=f"CALMS Workshop {__version__}",
            keywords=["CALMS", "DevOps", "assessment", tx.plain(ws.organisation),
                      tx.plain(ws.team)],
            lang=active().language, invariant=0, initialFontName=fonts.SANS,
            keepTogetherClass=KeepWithNext,
        )
        self.frame_texts = frame
        self._frame_paragraphs: dict[tuple[str, str, str, float], Paragraph] = {}
        self.branding = branding
        self.show_outline = show_outline
        self._footer_logo = (logo_flowable(branding.logo, FOOTER_LOGO_HEIGHT,
                                           FOOTER_LOGO_HEIGHT * 4) if branding.logo else None)
        body = Frame(MARGIN_X, MARGIN_BOTTOM, CONTENT_WIDTH, BODY_HEIGHT, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        templates = [PageTemplate("page", [body], onPage=self._decorate)]
        if with_cover:
            cover = Frame(0, 0, PAGE_WIDTH, PAGE_HEIGHT, id="cover", leftPadding=0,
                          rightPadding=0, topPadding=0, bottomPadding=0)
            templates.insert(0, PageTemplate("cover", [cover], onPage=self._cover_page,
                                             onPageEnd=self._cover_label))
        self.addPageTemplates(templates)

    def _wrapped(self, markup: str, style: ParagraphStyle, width: float) -> Paragraph:
        """The paragraph of a header, footer or label, made and wrapped once for every page."""
        key = (markup, style.name, hex_of(style.textColor), width)
        p = self._frame_paragraphs.get(key)
        if p is None:
            p = self._frame_paragraphs[key] = para(markup, style)
            p.wrap(width, 20)
        return p

    def _fields(self, canv: Any, fields: Sequence[str], x: float, top: float,
                width: float) -> None:
        """Draw a running header's or footer's fields left to right from ``x``, top at ``top``.

        Each field is a paragraph of its own, so the bidirectional algorithm
        orders each one alone (as if isolated, UAX #9 FSI … PDI): in one
        paragraph an Arabic title and a Hebrew consultant made one
        right-to-left run, and the consultant came out left of the title.
        """
        st = styles()
        font = fonts.SANS_BOLD if fields and fields[0].startswith("<b>") else fonts.SANS
        sep_w = stringWidth(FRAME_SEP, font, st.header.fontSize)
        right = x + width
        for k, markup in enumerate(fields):
            if not markup:
                continue
            room = right - x
            if room <= 0:
                break
            p = self._wrapped(markup, st.header, room)
            used = min(room, max(p.getActualLineWidths0() or [0.0]) + 0.5)
            p = self._wrapped(markup, st.header, used)  # its own width: an RTL field starts there
            p.drawOn(canv, x, top - p.height)
            x += used
            if k < len(fields) - 1:
                canv.saveState()
                canv.setFont(font, st.header.fontSize)
                canv.setFillColor(st.header.textColor)
                canv.drawString(x, top - st.header.fontSize, FRAME_SEP)
                canv.restoreState()
                x += sep_w

    def _label(self, canv: Any, y: float, colour: colors.Color = BAD) -> None:
        if not self.frame_texts.label:
            return
        # markup fitted to one line of LABEL_WIDTH (frame_texts), fonts picked per script
        p = self._wrapped(self.frame_texts.label, label_style(colour), LABEL_WIDTH)
        p.drawOn(canv, (PAGE_WIDTH - LABEL_WIDTH) / 2, y - 2)

    def _cover_page(self, canv: Any, doc: Any) -> None:
        canv._calms_page_label = None
        if self.show_outline:
            canv.showOutline()

    def _cover_label(self, canv: Any, doc: Any) -> None:
        self._label(canv, PAGE_HEIGHT - 9 * mm, WHITE)  # over the cover's band

    def _decorate(self, canv: Any, doc: Any) -> None:
        st = styles()
        canv.saveState()
        top = PAGE_HEIGHT - 13 * mm
        self._fields(canv, self.frame_texts.header_fields or (self.frame_texts.header_left,),
                     MARGIN_X, top + 8, HEADER_WIDTH)
        canv.setFont(fonts.SANS, 7.5)
        canv.setFillColor(MUTED)
        canv.drawRightString(PAGE_WIDTH - MARGIN_X, top - 1.5, self.frame_texts.header_right)
        canv.setStrokeColor(ACCENT)
        canv.setLineWidth(1.2)
        canv.line(MARGIN_X, top - 5, PAGE_WIDTH - MARGIN_X, top - 5)
        self._label(canv, top + 12)  # above the header text, clear of its tallest letters
        bottom = 12 * mm
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.5)
        canv.line(MARGIN_X, bottom + 9, PAGE_WIDTH - MARGIN_X, bottom + 9)
        x = MARGIN_X
        if self._footer_logo is not None:
            lw, lh = self._footer_logo.wrap(FOOTER_LOGO_HEIGHT * 4, FOOTER_LOGO_HEIGHT)
            self._footer_logo.drawOn(canv, x, bottom - 1.5)
            x += lw + 6
        foot_fields = self.frame_texts.footer_fields or (self.frame_texts.footer_left,)
        self._fields(canv, foot_fields, x, bottom + st.header.leading,
                     FOOTER_WIDTH - (x - MARGIN_X))
        canv.restoreState()
        canv._calms_page_label = (PAGE_WIDTH - MARGIN_X, bottom + 1.5)

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - ReportLab's name
        info = getattr(flowable, "_calms_heading", None)
        if info is None:
            return
        level, markup, plain, key = info
        if self.show_outline:
            self.canv.showOutline()
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(plain, key, level=level, closed=level > 0)
        toc = getattr(self.canv, "calms_toc", None)
        if toc is not None:
            toc.append(TocEntry(level, markup, self.page, key))


def _no_decoration(canv: Any, doc: Any) -> None:
    canv._calms_page_label = None


def heading(markup: str, plain: str, style: ParagraphStyle, *, level: int, key: str) -> Paragraph:
    """A heading that becomes a PDF bookmark (and a contents line) at ``level``."""
    p = para(markup, style)
    p._calms_heading = (level, markup, tx.plain(plain), key)  # type: ignore[attr-defined]
    return p


def contents(entries: int | None = None) -> ContentsPlaceholder:
    """The contents list: every :func:`heading` with its page (drawn when the PDF is saved).

    Args:
        entries: the number of headings, if known, so text can follow the list.
    """
    return ContentsPlaceholder(entries)


@contextmanager
def no_collector_pauses() -> Iterator[None]:
    """Python's cycle collector held off while a report is made, and restored after.

    A report makes hundreds of thousands of small objects (fragments, words,
    lines, chart artists); with matplotlib loaded each full collection walks
    a large heap, and together they took about a seventh of a facilitator
    report's time. Nothing a report makes needs collecting before it is done;
    what it leaves is collected once the collector runs again. Reference
    counting frees memory as usual meanwhile.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def build(doc: ReportDoc, story: list[Flowable]) -> bytes:
    """Lay out ``story`` (one pass) and return the PDF bytes."""
    buf: io.BytesIO = doc.filename  # type: ignore[assignment]
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


def new_doc(ws: Workshop, report_name: str, *, title: str, subject: str,
            with_cover: bool = False, branding: Branding | None = None,
            show_outline: bool = False) -> ReportDoc:
    return ReportDoc(io.BytesIO(), ws, frame_texts(ws, report_name, branding), title=title,
                     subject=subject, with_cover=with_cover, branding=branding,
                     show_outline=show_outline)


def report_meta(ws: Workshop) -> str:
    """"Nordlicht Logistics / Payments Platform — 19 November 2026" (plain text)."""
    who = " / ".join(x for x in (ws.organisation.strip(), ws.team.strip()) if x)
    when = human_date(ws.date) if ws.date else ""
    return " — ".join(x for x in (who, when) if x)

