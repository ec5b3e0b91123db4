"""Building blocks both reports use: the radar, score tables, actions, notes.

Every block takes a :class:`ReportData` (the workshop, its baseline and the
scores, computed once) and applies the privacy rule of anonymous workshops
(:mod:`calms_desktop.core.privacy`): a withheld result is never printed, only
the number of answers and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from matplotlib.figure import Figure
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table

from ..charts.distribution import statement_codes
from ..charts.radar import RadarChart, radar_data
from ..core import privacy
from ..core.i18n import N_, _, as_date, format_date, ngettext
from ..core.model import PILLARS, ActionItem, ActionStatus, Pillar, ReviewDecision, Workshop
from ..core.progress import TeamTrend, WorkshopPoint, point_of
from ..core.scoring import PillarScore, StatementScore, WorkshopScore, level_name
from . import common as c
from .branding import Branding
from .charts_pdf import VectorChart, figure_flowable
from .insights import left_out_copies, team_trend_of
from .linebreak import text_width
from .scores import private_score

#: A pillar whose score the privacy rule withholds (translated where it is printed).
WITHHELD = N_("withheld")


@dataclass
class ReportData:
    """Everything a report needs, computed once."""

    ws: Workshop
    baseline: Workshop | None
    score: WorkshopScore
    codes: dict[str, str] = field(default_factory=dict)  # statement id -> "C1"
    branding: Branding = field(default_factory=Branding)
    #: Every assessment of the team up to this one, oldest first (this one last).
    trend: TeamTrend | None = None
    #: Assessments of the team left out of :attr:`trend` as copies of one in it.
    left_out: tuple[WorkshopPoint, ...] = ()
    _radar: VectorChart | None = None

    @property
    def has_baseline(self) -> bool:
        """Is there a baseline to compare with (some of its results may be withheld)?"""
        return self.score.baseline_overall is not None or any(
            ps.baseline_mean is not None or any(s.baseline_mean is not None for s in ps.statements)
            for ps in self.score.pillars.values())

    @property
    def has_targets(self) -> bool:
        return bool(self.ws.targets)

    def can_show_pillar(self, p: Pillar) -> bool:
        return privacy.can_show(self.ws, self.score.pillars[p])

    def can_show_statement(self, ss: StatementScore) -> bool:
        return privacy.can_show(self.ws, ss)

    @property
    def can_show_overall(self) -> bool:
        return all(self.can_show_pillar(p) for p in PILLARS)

    def pillar_name(self, p: Pillar) -> str:
        try:
            return self.ws.questionnaire.section(p).name
        except KeyError:
            return p.title

    def statements(self) -> list[StatementScore]:
        return [ss for p in PILLARS for ss in self.score.pillars[p].statements]

    def radar(self, width: float) -> VectorChart:
        """The radar (this workshop, baseline, target) as vectors, built once."""
        if self._radar is None:
            self._radar = figure_flowable(report_radar_figure(self.ws, self.score), width)
        return VectorChart(self._radar.drawing, width)


def prepare(ws: Workshop, baseline: Workshop | None, *,
            history: Sequence[WorkshopPoint] = (),
            branding: Branding | None = None) -> ReportData:
    """Score ``ws`` against ``baseline`` (if any) and number the statements.

    Args:
        history: the team's assessments (:func:`calms_desktop.reports.progress.team_history`),
            any order; those dated after ``ws`` are left out, the baseline is added.
        branding: who prepared the report.
    """
    score = private_score(ws, baseline)
    codes: dict[str, str] = {}
    for sec in ws.questionnaire.sections:
        for s, code in zip(sec.statements, statement_codes(ws, sec.pillar), strict=True):
            codes[s.id] = code
    points = list(history)
    if baseline is not None and all(p.id != baseline.id for p in points):
        points.append(point_of(baseline))
    return ReportData(ws, baseline, score, codes, branding or Branding(),
                      team_trend_of(ws, points), tuple(left_out_copies(ws, points)))


#: Room kept between a pillar name and the radar figure's edge (figure pixels, 100 dpi).
RADAR_LABEL_MARGIN_PX = 10.0


def report_radar_figure(ws: Workshop, score: WorkshopScore) -> Figure:
    """The screen's radar (:class:`~calms_desktop.charts.radar.RadarChart`) on a page-shaped
    figure: a little wider than tall, with less empty margin than the square default."""
    fig = Figure(figsize=(5.0, 4.3), dpi=100)
    chart = RadarChart(fig)
    chart.update(radar_data(ws, score))
    fig.subplots_adjust(left=0.2, right=0.78, top=0.87, bottom=0.03)
    # Long pillar names ("Automatisierung") reached past the figure into the key figures
    # beside it: move or shrink the circle until they lie inside, with room to spare
    # for the report's own fonts (a little wider than matplotlib's measure of them).
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    chart.fit_labels(margin_px=RADAR_LABEL_MARGIN_PX)
    return fig


def short_date(iso: str) -> str:
    """``2026-12-19`` → ``19 Dec 2026``; other text unchanged (user text: escaped, isolated
    for the sentences it goes into)."""
    if as_date(iso) is None:
        return c.iso(iso) if iso else "—"
    return format_date(iso, "short").replace(" ", "\u00a0")


def number_width(count: int, minimum: float = 18.0) -> float:
    """A "#" column wide enough for the numbers 1 … ``count`` on one line ("10" wrapped "1/0")."""
    st = c.styles()
    return max(minimum, stringWidth(str(count), st.cell.fontName, st.cell.fontSize) + 14.0)


def date_width(dates: Iterable[str], minimum: float = 60.0) -> float:
    """A table column wide enough for every ``short_date`` of ``dates`` on one line.

    "30 Sept 2026" (English, CLDR's abbreviation) is wider than the 55 pt once
    reserved, and ReportLab then breaks it inside the year ("202" / "6").
    """
    st = c.styles()
    padding = 12.0  # the cell's left and right padding
    widest = max((stringWidth(short_date(d).replace("\u00a0", " "), st.cell.fontName,
                              st.cell.fontSize) for d in dates if d), default=0.0)
    return max(minimum, widest + padding + 2.0)


def pillar_table(data: ReportData) -> Table:
    """One row per pillar: score, level, change since baseline, target, gap, agreement."""
    st = c.styles()
    ws, score = data.ws, data.score
    head = [_("Pillar"), _("Score"), _("Level")]
    widths = [100.0, 44.0, 76.0]
    if data.has_baseline:
        head.append(_("Since baseline"))
        widths.append(62.0)
    head += [_("Target"), _("Gap to target"), _("Agreement")]
    widths += [44.0, 50.0]
    widths.append(c.CONTENT_WIDTH - sum(widths))
    rows: list[list[object]] = [[c.para(h, st.cell_head_right if i and i < len(head) - 1
                                        and i != 2 else st.cell_head)
                                 for i, h in enumerate(head)]]
    for p in PILLARS:
        ps = score.pillars[p]
        shown = data.can_show_pillar(p)
        row: list[object] = [c.user(data.pillar_name(p), st.cell_bold)]
        if shown:
            row += [c.para(f"<b>{c.num(ps.mean)}</b>", st.cell_right),
                    c.user(level_name(ws, ps.mean) if ps.mean is not None else "—", st.cell)]
        else:
            row += [c.para("—", st.cell_right), c.para(f"<i>{_(WITHHELD)}</i>", st.cell)]
        if data.has_baseline:
            row.append(c.para(c.signed_markup(ps.delta if shown else None), st.cell_right))
        row.append(c.para(str(ps.target) if ps.target else "—", st.cell_right))
        row.append(c.para(gap_markup(ps.gap if shown else None), st.cell_right))
        row.append(c.para(agreement_text(data, ps), st.cell))
        rows.append(row)
    overall_shown = data.can_show_overall
    total: list[object] = [c.para(_("<b>Overall</b>"), st.cell),
                           c.para(f"<b>{c.num(score.overall if overall_shown else None)}</b>",
                                  st.cell_right),
                           c.user(level_name(ws, score.overall) if overall_shown else "—",
                                  st.cell)]
    if data.has_baseline:
        total.append(c.para(c.signed_markup(score.delta if overall_shown else None),
                            st.cell_right))
    total += ["", "", ""]
    rows.append(total)
    return c.table(rows, widths, extra=[
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, c.ACCENT_DARK),
        ("BACKGROUND", (0, -1), (-1, -1), c.PANEL),
    ])


def gap_markup(gap: float | None) -> str:
    """The distance to the target: ``0.9`` below it, ``met`` at or above it."""
    if gap is None:
        return "—"
    if round(gap, 1) <= 0:
        return _('<font color="{value}">met</font>').format(value=c.hex_of(c.GOOD))
    return c.num(gap)


def agreement_text(data: ReportData, ps: PillarScore) -> str:
    """"4 agree · 1 to discuss" for a pillar (statements with a verdict)."""
    shown = [s for s in ps.statements if data.can_show_statement(s)]
    agree = sum(1 for s in shown if s.stats.consensus is True)
    discuss = sum(1 for s in shown if s.stats.consensus is False)
    parts = []
    if agree:
        parts.append(_('{agree} agree').format(agree=agree))
    if discuss:
        parts.append(_('<font color="{value}">{discuss} to discuss</font>').format(
            value=c.hex_of(c.BAD), discuss=discuss))
    metrics = metric_discuss_text(data, ps)
    if metrics:
        parts.append(metrics)
    return " · ".join(parts) or "—"


def metric_discuss_text(data: ReportData, ps: PillarScore) -> str:
    """"1 metric estimate to discuss" for Measurement when the room split on an estimate
    of a delivery metric ("" otherwise): it counts like a statement the room disputes."""
    if ps.pillar != Pillar.MEASUREMENT:
        return ""
    n = len(privacy.disputed_metrics(data.ws))
    if not n:
        return ""
    return '<font color="{value}">{text}</font>'.format(
        value=c.hex_of(c.BAD), text=c.u(ngettext("{n} metric estimate to discuss",
                                                  "{n} metric estimates to discuss",
                                                  n).format(n=n)))


def verdict_words() -> tuple[str, str]:
    """The words of the two verdicts (agrees, discuss) in the active language."""
    return _("agrees"), _("discuss")


def verdict_markup(ss: StatementScore) -> str:
    agrees, discuss = verdict_words()
    if ss.stats.consensus is True:
        return f'<font color="{c.hex_of(c.GOOD)}">{agrees}</font>'
    if ss.stats.consensus is False:
        return f'<font color="{c.hex_of(c.BAD)}"><b>{discuss}</b></font>'
    return "—"


def ranked_statements(data: ReportData) -> list[StatementScore]:
    """Statements with a mean that may be shown, best first (ties: questionnaire order)."""
    order = {ss.statement.id: i for i, ss in enumerate(data.statements())}
    shown = [ss for ss in data.statements()
             if ss.stats.mean is not None and data.can_show_statement(ss)]
    return sorted(shown, key=lambda s: (-(s.stats.mean or 0), order[s.statement.id]))


def extremes(data: ReportData, n: int = 3) -> tuple[list[StatementScore], list[StatementScore]]:
    """The ``n`` strongest and ``n`` weakest statements (never the same one twice)."""
    ranked = ranked_statements(data)
    top = ranked[:n]
    bottom = [s for s in reversed(ranked) if s not in top][:n]
    return top, bottom


def statements_table(data: ReportData, items: list[StatementScore], heading: str,
                     colour: str) -> Table:
    st = c.styles()
    levels = [level_name(data.ws, ss.stats.mean) for ss in items]
    # as wide as its longest level name needs ("Wegweisen|d" in German wrapped in 62 points)
    level_w = max([62.0, *(text_width(t, st.cell.fontName, st.cell.fontSize) + 14.0
                           for t in levels)])
    widths = [30.0, c.CONTENT_WIDTH - 30 - 44 - level_w, 44.0, level_w]
    rows: list[list[object]] = [[c.para(heading, st.cell_head), "",
                                 c.para(_("Score"), st.cell_head_right),
                                 c.para(_("Level"), st.cell_head)]]
    for ss, level in zip(items, levels, strict=True):
        rows.append([
            c.para(f"<b>{data.codes[ss.statement.id]}</b>", st.cell),
            c.user(ss.statement.text, st.cell),
            c.para(f"<b>{c.num(ss.stats.mean)}</b>", st.cell_right),
            c.user(level, st.cell),
        ])
    if not items:
        rows.append(["", c.para(_("<i>No results to show.</i>"), st.cell), "", ""])
    return c.table(rows, widths, extra=[
        ("SPAN", (0, 0), (1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), colour),
    ])


def strongest_and_weakest(data: ReportData) -> list[Flowable]:
    """The heading and the two tables of the three strongest and weakest statements.

    The heading travels with the first table, so it is never left alone at a page foot.
    """
    st = c.styles()
    top3, bottom3 = extremes(data)
    return [
        KeepTogether([c.para(_("Strongest and weakest areas"), st.h2),
                      statements_table(data, top3, _("Where the team is strongest"), c.GOOD)]),
        Spacer(1, 6),
        KeepTogether([statements_table(data, bottom3, _("Where there is most room to grow"),
                                       c.BAD)]),
    ]


ACTION_STATUS = {
    ActionStatus.OPEN: N_("open"),
    ActionStatus.IN_PROGRESS: N_("in progress"),
    ActionStatus.DONE: N_("done"),
    ActionStatus.DROPPED: N_("dropped"),
}


def actions_table(data: ReportData, actions: list[ActionItem], *,
                  show_pillar: bool = True, numbers: Sequence[int] | None = None,
                  lines: int | None = None) -> Table | Paragraph:
    """Agreed actions: what, pillar, owner, due date, status.

    Args:
        numbers: each action's number (default 1, 2, …): its place in the whole list.
        lines: at most this many lines of an action's text, shortened with "…" (None: all).
    """
    st = c.styles()
    if not actions:
        return c.para(_("<i>No actions were agreed.</i>"), st.muted)
    numbers = list(numbers) if numbers is not None else list(range(1, len(actions) + 1))
    widths = [number_width(max(numbers))]
    head = ["#", _("Action")]
    tail_w = [80.0, date_width(a.due for a in actions), 60.0]  # owner, due, status
    if show_pillar:
        # as wide as the longest pillar name needs ("Automatisierung" in German)
        names = [data.pillar_name(p) for p in PILLARS]
        tail_w.insert(0, max(72.0, max(stringWidth(n, st.cell.fontName, st.cell.fontSize)
                                       for n in names) + 14.0))
    widths.append(c.CONTENT_WIDTH - sum(widths) - sum(tail_w))
    widths += tail_w
    head += ([_("Pillar")] if show_pillar else []) + [_("Owner"), _("Due"), _("Status")]
    rows: list[list[object]] = [[c.para(h, st.cell_head) for h in head]]
    for i, a in zip(numbers, actions, strict=True):
        what = (c.fit_line([a.text], st.cell, widths[1] - 10, lines=lines) if lines
                else c.u(a.text, st.cell))
        if a.carried_from:
            what += _(
                '<br/><font size="7" color="{value}">carried over from the baseline</font>').format(
                value=c.hex_of(c.MUTED))
        row: list[object] = [c.para(str(i), st.cell), c.para(what, st.cell)]
        if show_pillar:
            row.append(c.user(data.pillar_name(a.pillar), st.cell) if a.pillar else
                       c.para("—", st.cell))
        row += [
            c.user(a.owner, st.cell) if a.owner.strip() else c.para("—", st.cell),
            c.para(short_date(a.due) if a.due else "—", st.cell),
            c.para(_(ACTION_STATUS[a.status]) if a.status in ACTION_STATUS else str(a.status),
                   st.cell),
        ]
        rows.append(row)
    return c.table(rows, widths)


def review_counts(data: ReportData) -> tuple[int, int, int]:
    """Baseline actions reviewed as done, carried over, and not reviewed."""
    if data.baseline is None:
        return 0, 0, 0
    done = carried = unreviewed = 0
    for a in data.baseline.actions:
        decision = data.ws.action_reviews.get(a.id)
        if decision == ReviewDecision.DONE:
            done += 1
        elif decision == ReviewDecision.CARRIED:
            carried += 1
        else:
            unreviewed += 1
    return done, carried, unreviewed


def note(text: str) -> list[Flowable]:
    """A facilitator note in a tinted, accent-framed box (empty: nothing).

    Each paragraph of the note is a paragraph of its own, so a note of any
    length flows on over pages line by line; a 10,000-character note in a
    splitting table row was wrapped again for every split try (seconds).
    """
    if not text.strip():
        return []
    st = c.styles()
    style = ParagraphStyle("note_box", parent=st.note, backColor=c.PANEL, borderColor=c.ACCENT,
                           borderWidth=0.6, borderPadding=(3, 6, 3, 6), leftIndent=6,
                           rightIndent=6, spaceBefore=3, spaceAfter=7)
    parts = [part.strip() for part in text.strip().split("\n\n") if part.strip()]
    return [c.user(part, style) for part in parts]


#: Room a heading over a long note needs at a page foot: the heading and a few lines.
HEADED_NOTE_ROOM = 70
#: A note up to this many characters (about a third of a page) is kept with its heading.
SHORT_NOTE = 1500


def headed_note(title: str, style: ParagraphStyle, text: str) -> list[Flowable]:
    """``title`` (our own markup) over the note ``text``, never stranded at a page foot.

    A short note is kept with its heading (the heading styles keep with the
    next flowable). A long one starts right
    under its heading when a few lines fit; kept together it left a page
    nearly blank, because ReportLab moves a group taller than the space left
    to the next page.
    """
    body = note(text)
    if not body:
        return []
    if len(text) <= SHORT_NOTE:  # the heading's keepWithNext holds it to the note
        return [c.para(title, style), *body]
    loose = ParagraphStyle(f"{style.name}-loose", parent=style, keepWithNext=0)
    return [CondPageBreak(HEADED_NOTE_ROOM), c.para(title, loose), *body]


def people_count(ws: Workshop) -> str:
    n = len(ws.participants)
    return ngettext("{n} participant", "{n} participants", n).format(n=n)


def answer_totals(ws: Workshop, score: WorkshopScore) -> tuple[int, int]:
    """All answers and "don't know" answers of the workshop."""
    total = dont = 0
    for ps in score.pillars.values():
        total += ps.pooled.distribution.total
        dont += ps.pooled.distribution.dont_know
    return total, dont
