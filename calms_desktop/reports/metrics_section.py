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
from ..core.metrics import MetricRow, catalogue, metric_rows
from . import blocks as b
from . import common as c
from .charts_pdf import figure_flowable


def has_metrics(data: b.ReportData) -> bool:
    """Does the workshop (or its baseline) record any delivery metric?"""
    return bool(data.ws.metrics or (data.baseline is not None and data.baseline.metrics))


def rows_of(data: b.ReportData) -> list[MetricRow]:
    return metric_rows(data.ws.metrics, data.baseline.metrics if data.baseline else None)


def metrics_table(data: b.ReportData, *, with_how: bool = True) -> Flowable:
    """The metrics table (facilitator: with how each is known; attendee: without)."""
    st = c.styles()
    with_before = data.baseline is not None
    head = ["Metric", "Now", f"DORA {catalogue().report_year} level"]
    widths = [90.0, 125.0, 55.0]
    if with_how:
        head.append("How it is known")
        widths.append(150.0)
    if with_before:
        head += ["Last time", "Change"]
        widths += [105.0, 55.0]
    scale = c.CONTENT_WIDTH / sum(widths)
    widths = [w * scale for w in widths]
    out: list[list[object]] = [[c.para(h, st.cell_head) for h in head]]
    for r in rows_of(data):
        flag = f' <font color="{c.hex_of(c.WARN)}">· the room disagrees</font>' \
            if r.flagged else ""
        row: list[object] = [c.para(f"<b>{c.u(r.name)}</b>", st.cell),
                             c.para(c.u(r.answer) + flag, st.cell),
                             c.para(c.u(r.band or "—"), st.cell)]
        if with_how:
            row.append(c.user(r.how, st.cell))
        if with_before:
            row += [c.para(c.u(r.before or "—"), st.cell), c.para(c.u(r.change or "—"), st.cell)]
        out.append(row)
    return c.table(out, widths)


def source_line() -> str:
    cat = catalogue()
    return (f"Levels from the {c.u(cat.source)} (DORA). {c.u(cat.why)} "
            "A level places this team's bucket among DORA's published values; "
            "it is not a ranking of teams.")


def flowables(data: b.ReportData, *, with_how: bool = True,
              with_chart: bool = True) -> list[Flowable]:
    """The section's body (the caller makes the heading)."""
    st = c.styles()
    out: list[Flowable] = [metrics_table(data, with_how=with_how), Spacer(1, 4),
                           c.para(source_line(), st.muted)]
    flagged = [r.name for r in rows_of(data) if r.flagged]
    if flagged:
        out.append(c.para(
            "<b>The room disagreed</b> about " + ", ".join(c.u(n) for n in flagged)
            + ": its estimates were far apart, so the recorded median hides real "
            "uncertainty — worth measuring before the next assessment.", st.body))
    points = [] if data.trend is None else [
        (c_label(p.date, p.title), dict(p.metrics)) for p in data.trend.points]
    if with_chart and sum(1 for _, m in points if m) > 1:
        out.append(KeepTogether([
            c.para("Across the team's assessments", st.h3),
            figure_flowable(metrics_figure(points), c.CONTENT_WIDTH)]))
    return out


def c_label(day: str, title: str) -> str:
    """A workshop's label under a small multiple: its date, else its title."""
    return day or title
