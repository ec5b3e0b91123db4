"""The delivery-metrics section of both reports.

A table of the team's metrics (the answer, its DORA band with the report
year, how it is known, last time and the change), a line naming the bands'
source, the room's disagreements, and — with two or more of the team's
workshops carrying metrics — the small multiples across them. One team's
numbers only: never a comparison with other teams.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether, Spacer

from ..charts.metrics import metrics_figure
from ..core import privacy
from ..core.i18n import _
from ..core.metrics import MetricRow, catalogue, metric_rows
from . import blocks as b
from . import common as c
from .charts_pdf import figure_flowable


def has_metrics(data: b.ReportData) -> bool:
    """Does the workshop (or its baseline) record any delivery metric to report?"""
    return bool(rows_of(data))


def rows_of(data: b.ReportData) -> list[MetricRow]:
    """The section's rows by the privacy rule, as statements are withheld: an estimate
    before the reveal, or an anonymous one from too few picks, says only how many
    answered; an estimate with every pick withdrawn is left out (as is a baseline's
    record its room never saw)."""
    return metric_rows(privacy.shown_metrics(data.ws),
                       privacy.shown_metrics(data.baseline) if data.baseline else None,
                       privacy.withheld_metrics(data.ws))


def metrics_table(data: b.ReportData, *, compact: bool = False) -> Flowable:
    """The metrics table. The facilitator's says how each is known (tool, period,
    sample); the attendee's (``compact``) only whether it was measured or estimated."""
    st = c.styles()
    with_before = data.baseline is not None
    head = [_("Metric"), _("Now"), _("DORA level") if compact else
            _("DORA {year} level").format(year=catalogue().report_year)]
    widths = [150.0, 190.0, 70.0] if compact else [95.0, 110.0, 50.0]
    if not compact:
        head.append(_("How it is known"))
        widths.append(150.0)
    if with_before and compact:  # the attendee's: the change only (last time is implied)
        head.append(_("Since last time"))
        widths.append(85.0)
    elif with_before:
        head += [_("Last time"), _("Change")]
        widths += [90.0, 50.0]
    rows = rows_of(data)
    # room for each column's longest word (German: "Wiederherstellungszeit", "DORA-Stufe")
    head_font = (st.cell_head.fontName, st.cell.fontSize)
    cell_font = (st.cell.fontName, st.cell.fontSize)
    name_font = (st.cell_bold.fontName, st.cell.fontSize)
    texts: list[list[tuple[str, str, float]]] = [[(h, *head_font)] for h in head]
    for r in rows:
        cells = [r.name, r.label if compact else r.answer, r.band]
        if not compact:
            cells.append(r.how)
        if with_before and not compact:
            cells.append(r.before)
        if with_before:
            cells.append(r.change)
        for i, text in enumerate(cells):
            texts[i].append((text, *(name_font if i == 0 else cell_font)))
    widths = c.word_widths(widths, texts, padding=2.5 if compact else 4)
    muted = c.hex_of(c.MUTED)
    out: list[list[object]] = [[c.para(h, st.cell_head) for h in head]]
    for r in rows:
        now = c.u(r.label if compact else r.answer)
        if compact and r.basis:
            now += f' <font color="{muted}">{MARKS[r.basis]}</font>'
        if r.flagged:
            now += (f' <font color="{c.hex_of(c.WARN)}">· '
                    + c.u(_("the room disagrees")) + "</font>")
        row: list[object] = [c.para(f"<b>{c.u(r.name)}</b>", st.cell), c.para(now, st.cell),
                             c.para(c.u(r.band or "—"), st.cell)]
        if not compact:
            row.append(c.user(r.how, st.cell))
        if with_before and not compact:
            row.append(c.para(c.u(r.before or "—"), st.cell))
        if with_before:
            row.append(c.para(c.u(r.change or "—"), st.cell))
        out.append(row)
    return c.table(out, widths, padding=2.5 if compact else 4)


#: How the attendee's table marks a measured and an estimated answer.
MARKS = {"measured": "●", "estimated": "○"}


def source_line(*, short: bool = False) -> str:
    cat = catalogue()
    if short:
        return c.u(_("{measured} measured  {estimated} estimated · levels from the {source} "
                     "(DORA): this team's place, not a ranking of teams.").format(
            measured=MARKS["measured"], estimated=MARKS["estimated"], source=cat.source))
    return c.u(_("Levels from the {source} (DORA). {why} A level places this team's bucket "
                 "among DORA's published values; it is not a ranking of teams.").format(
        source=cat.source, why=cat.why))


def flowables(data: b.ReportData, *, compact: bool = False) -> list[Flowable]:
    """The section's body (the caller makes the heading): the facilitator's in full, with
    the small multiples; the attendee's (``compact``) table and one line of source."""
    st = c.styles()
    out: list[Flowable] = [metrics_table(data, compact=compact), Spacer(1, 3),
                           c.para(source_line(short=compact), st.muted)]
    if compact:
        return out
    flagged = [r.name for r in rows_of(data) if r.flagged]
    if flagged:
        out.append(c.para(
            _("<b>The room disagreed</b> about {metrics}: its estimates were far apart, so the "
              "recorded median hides real uncertainty — worth measuring before the next "
              "assessment.").format(metrics=", ".join(c.u(n) for n in flagged)), st.body))
    points = [] if data.trend is None else [
        (c_label(p.date, p.title), dict(p.metrics)) for p in data.trend.points]
    if sum(1 for _, m in points if m) > 1:
        out.append(KeepTogether([
            c.para(_("Across the team's assessments"), st.h3),
            figure_flowable(metrics_figure(points), c.CONTENT_WIDTH)]))
    return out


def c_label(day: str, title: str) -> str:
    """A workshop's label under a small multiple: its date, else its title."""
    return day or title
