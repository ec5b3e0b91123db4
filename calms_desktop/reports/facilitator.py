"""The facilitator report: everything the workshop found, ready to hand to a client.

Sections (each a PDF bookmark and a line of the contents):

1. Summary — radar, scores by pillar, strongest and weakest areas, notes.
2. Method and questionnaire — how answers become scores, the consensus rule
   and the privacy rule, in plain words.
3.–7. One per pillar — its explanation, a distribution chart per statement,
   mean, spread and the room's agreement, notes, actions.
   Then, when the workshop or its baseline records any, the delivery metrics
   (:mod:`calms_desktop.reports.metrics_section`): DORA's metrics and the
   product questions with their DORA level, how each is known, last time and
   the change, and the team's small multiples; and the progress over time.
8. Actions; 9. Baseline action review; 10. Participants (only a count in an
   anonymous workshop).
Appendix A. Every vote (named workshops only); Appendix B. The questionnaire.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Indenter,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
)

from ..charts.distribution import pillar_distribution_figure
from ..charts.trend import trend_figure
from ..core import privacy
from ..core import scoring as sc
from ..core.i18n import N_, _, format_number, ngettext
from ..core.model import DONT_KNOW, PILLARS, Pillar, ReviewDecision, Workshop
from ..core.progress import WorkshopPoint
from ..core.scoring import level_name, shown_difference
from . import blocks as b
from . import common as c
from . import insights as ins
from . import linebreak, metrics_section
from .attendee import radar_and_key_figures
from .branding import Branding
from .charts_pdf import figure_flowable
from .linebreak import text_width

REPORT_NAME = N_("CALMS report")
#: Most statement columns one vote table may have before it is split.
VOTE_COLUMNS = 25
#: The widest the name column of the votes appendix gets for a name's longest word (points).
VOTE_NAME_MAX = 160.0


class _Sections:
    """Numbers the sections and makes their headings (bookmarks + contents lines)."""

    def __init__(self) -> None:
        self.number = 0
        self.appendix = 0

    def section(self, title_markup: str, title_plain: str, key: str, *,
                appendix: bool = False, new_page: bool = True,
                need: float = 140) -> list[Flowable]:
        """The heading of a section: on a new page unless this one is mostly empty
        (:class:`~calms_desktop.reports.common.ChapterBreak`), or (``new_page=False``)
        on this one if at least ``need`` points are left."""
        st = c.styles()
        if appendix:
            label = _('Appendix {value}').format(value=chr(ord('A') + self.appendix))
            self.appendix += 1
            prefix_m = prefix_p = f"{label}. "
        else:
            self.number += 1
            prefix_m = f'<font color="{c.hex_of(c.ACCENT)}">{self.number}</font>&nbsp;&nbsp;'
            prefix_p = f"{self.number} "
        # (not a Spacer after a CondPageBreak: on a new page it made the frame "not at
        # its top", and a heading kept with a table taller than a page then broke the
        # page again, leaving it blank)
        out: list[Flowable] = [c.ChapterBreak() if new_page
                               else c.ChapterBreak(free=need / c.BODY_HEIGHT, gap=8)]
        out.append(c.heading(prefix_m + title_markup, prefix_p + title_plain, st.h1, level=0,
                             key=key))
        return out


def _cover(data: b.ReportData) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    band: list[Flowable] = [
        c.para(_('<font color="#9fd3f2">CALMS ASSESSMENT REPORT</font>'), st.kicker),
        Spacer(1, 6),
        # the facts below give every field in full
        c.fitted(ws.title or _("CALMS workshop"), st.cover_title, c.CONTENT_WIDTH, 4),
    ]
    names = [x for x in (ws.organisation, ws.team) if x.strip()]
    if len(" · ".join(names)) > 70:  # each on its own line (as on the attendee cover): a
        band += [c.fitted(x, st.cover_sub, c.CONTENT_WIDTH, 2)  # long CJK name ran off
                 for x in names]  # the page
    elif names:
        band.append(c.para(" · ".join(c.u(x, st.cover_sub) for x in names), st.cover_sub))
    if ws.date:
        band.append(c.para(c.human_date(ws.date), st.cover_sub))
    brand = data.branding
    top = 150.0
    if brand.logo:  # top right of the page, above the band's text
        band = [c.layout_table([[c.logo_flowable(brand.logo, 42, 160)]], [c.CONTENT_WIDTH],
                               [("ALIGN", (0, 0), (-1, -1), "RIGHT"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                ("RIGHTPADDING", (0, 0), (-1, -1), 0)]),
                Spacer(1, 60), *band]
        top = 48.0
    t = c.layout_table([[band]], [c.PAGE_WIDTH], [
        ("BACKGROUND", (0, 0), (-1, -1), c.ACCENT_DARK),
        ("LEFTPADDING", (0, 0), (-1, -1), c.MARGIN_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), c.MARGIN_X),
        ("TOPPADDING", (0, 0), (-1, -1), top),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 28),
        ("LINEBELOW", (0, 0), (-1, -1), 5, c.ACCENT),
    ])
    facts: list[tuple[str, object]] = []

    def fact(label: str, value: str) -> None:
        if value.strip():
            facts.append((label, c.user(value, st.cell)))

    fact(_("Organisation"), ws.organisation)
    fact(_("Team"), ws.team)
    fact(_("Workshop"), ws.title)
    if ws.date:
        facts.append((_("Date"), c.para(c.human_date(ws.date), st.cell)))
    fact(_("Location"), ws.location)
    fact(_("Facilitator"), ws.facilitator)
    fact(_("Questionnaire"), ws.questionnaire.title)
    fact(_("Prepared by"), brand.prepared_by)
    fact(_("Contact"), brand.contact)
    facts.append((_("Voting"), c.para(_("anonymous — names are not part of this report")
                                   if ws.is_anonymous else _("named"), st.cell)))
    facts.append((_("Participants"), c.para(str(len(ws.participants)), st.cell)))
    if data.baseline is not None:
        facts.append((_("Baseline"), c.para(
            f"{c.u(data.baseline.title or 'workshop', st.cell)}, "
            f"{c.human_date(data.baseline.date)}", st.cell)))
    elif ws.baseline_id:
        facts.append((_("Baseline"), c.para(_("<i>not available in this library</i>"), st.cell)))
    note = (_("This report contains individual votes. Share it with care.")
            if not ws.is_anonymous else
            _("Results with fewer than three scored answers are withheld to protect anonymity."))
    return [
        t,
        Spacer(1, 34),
        Indenter(left=c.MARGIN_X, right=c.MARGIN_X),
        c.key_value_table(facts, (110.0, c.CONTENT_WIDTH - 110.0)),
        Spacer(1, 26),
        c.para(_('Prepared with CALMS Workshop. {note}').format(note=note), st.muted),
        Indenter(left=-c.MARGIN_X, right=-c.MARGIN_X),
        NextPageTemplate("page"),
    ]


def _executive_summary(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    out = secs.section(_("Executive summary"), _("Executive summary"), "executive-summary")
    for heading, sentence in ins.executive_summary(data.ws, data.baseline, data.score,
                                                   data.codes):
        out += [c.para(heading, st.h3), c.user(sentence, st.body)]
    if data.trend is not None and len(data.trend.points) > 2:
        out += [c.para(_("Over time"), st.h3), c.user(ins.biggest_movers(data.ws, data.trend),
                                                   st.body)]
    return out


def _progress(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    """Every assessment of the team: the trend chart, a table of means, the biggest movers."""
    st = c.styles()
    trend = data.trend
    assert trend is not None
    out = secs.section(_("Progress over time"), _("Progress over time"), "progress", new_page=False,
                       need=c.PAGE_HEIGHT * 0.4)
    out.append(c.user(ins.biggest_movers(data.ws, trend), st.body))
    fig = trend_figure(trend)
    out.append(figure_flowable(fig, c.CONTENT_WIDTH))
    head = [_("Assessment"), *(data.pillar_name(p) for p in PILLARS), _("Overall")]
    widths = [100.0] + [(c.CONTENT_WIDTH - 100.0) / 6] * 6
    small_head = type(st.cell_head)("progress_head", parent=st.cell_head, fontSize=7)
    rows: list[list[object]] = [[c.user(h, small_head) if i else c.para(h, small_head)
                                 for i, h in enumerate(head)]]
    for pt in trend.points:
        # an undated workshop stands where it was created (as the chart places it)
        label = (c.human_date(pt.date) if pt.date else
                 _("No date (created {date})").format(date=c.human_date(pt.created[:10]))
                 if pt.created else _("No date"))
        row: list[object] = [c.para(f'<b>{label}</b><br/>{c.u(pt.title, st.cell)}', st.cell)]
        for p in PILLARS:
            row.append(c.para(_("<i>withheld</i>") if p in pt.withheld else c.num(pt.means[p]),
                              st.cell_right))
        row.append(c.para(f"<b>{c.num(pt.overall)}</b>", st.cell_right))
        rows.append(row)
    first, last = trend.points[0], trend.points[-1]
    change: list[object] = [c.para(_("<b>Change</b>"), st.cell)]
    for p in PILLARS:
        # the difference of the two printed scores (2.5 → 3.0 is +0.5, never +0.4)
        change.append(c.para(c.signed_markup(shown_difference(last.means[p], first.means[p])),
                             st.cell_right))
    change.append(c.para(c.signed_markup(shown_difference(last.overall, first.overall)),
                         st.cell_right))
    rows.append(change)
    included: list[Flowable] = [Spacer(1, 4), c.para(ngettext(
        "Included: the {n} assessment above, each counted once.",
        "Included: the {n} assessments above, each counted once.",
        len(trend.points)).format(n=len(trend.points)), st.muted)]
    if data.left_out:
        copies = "; ".join(c.u(_point_name(pt), st.muted) for pt in data.left_out)
        included.append(c.para(ngettext(
            "Left out as a copy of one of them (same workshop, or the same results): {list}.",
            "Left out as copies of them (same workshop, or the same results): {list}.",
            len(data.left_out)).format(list=copies), st.muted))
    out.append(KeepTogether([c.table(rows, widths, extra=[
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, c.ACCENT_DARK),
        ("BACKGROUND", (0, -1), (-1, -1), c.PANEL)]), *included]))
    return out


def _point_name(pt: WorkshopPoint) -> str:
    """"19 November 2026 · CALMS re-assessment" (plain text)."""
    return " · ".join(x for x in (c.human_date(pt.date) if pt.date else "",
                                  " ".join(pt.title.split())) if x)


def _next_steps(data: b.ReportData, p: Pillar) -> list[Flowable]:
    """The pillar's weakest statements and what their next level looks like."""
    st = c.styles()
    steps = ins.next_steps(data.ws, data.score.pillars[p])
    if not steps:
        return []
    rows: list[list[object]] = [[c.para(h, st.cell_head) for h in
                                 ("", _(
                                     "Statement"), _(
                                     "Now"), _(
                                     "What the next level looks like"))]]
    for step in steps:
        rows.append([
            c.para(f"<b>{data.codes[step.statement.id]}</b>", st.cell),
            c.user(step.statement.text, st.cell),
            c.para(f"<b>{c.num(step.score)}</b><br/>"
                   f"{c.u(level_name(data.ws, step.score), st.cell)}", st.cell),
            c.para(f"<b>{step.next_level} · {c.u(step.next_name, st.cell_bold)}</b><br/>"
                   f"{c.u(step.next_descriptor, st.cell)}", st.cell),
        ])
    widths = [28.0, 170.0, 58.0, c.CONTENT_WIDTH - 28 - 170 - 58]
    return [KeepTogether([c.para(_("Next steps"), st.h2),
                          c.para(_("For the weakest statements: what the next level looks like, "
                                 "in the questionnaire’s words."), st.muted),
                          c.table(rows, widths)])]


def _summary(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    out = secs.section(_("Summary"), _("Summary"), "summary")
    out += [radar_and_key_figures(data), c.para(_("Scores by pillar"), st.h2),
            b.pillar_table(data)]
    out += [
        *b.strongest_and_weakest(data),
    ]
    for step, label in (("intro", _("Opening notes")), ("summary", _("Facilitator’s summary"))):
        text = ws.notes.get(step, "")
        if text.strip():
            out += b.headed_note(label, st.h3, text)
    return out


def _method(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    q = ws.questionnaire
    out = secs.section(_("Method and questionnaire"), _("Method and questionnaire"), "method",
                       new_page=False)
    n = len(q.statements)
    out.append(c.para(_("The questionnaire"), st.h2))
    intro = f"<b>{c.u(q.title, bold=True)}</b>"
    if q.description.strip():
        intro += ": " + c.u(q.description, st.body)
    out.append(c.para(intro, st.body))
    out.append(c.para(
        _(
            "{n} statements across the five CALMS pillars (Culture, Automation, Lean, "
            "Measurement, Sharing). Each person rates each statement on five levels, or "
            "answers “don’t know”. Appendix B lists every statement with what each level "
            "means.").format(n=n), st.body))
    rows: list[list[object]] = [[c.para(_("Level"), st.cell_head), c.para(_("Name"), st.cell_head)]]
    for lv in q.levels:
        rows.append([c.para(str(lv.level), st.cell), c.user(lv.name, st.cell_bold)])
    out.append(c.table(rows, [40.0, 140.0]))
    out.append(c.para(_("How the room answered"), st.h2))
    if ws.is_anonymous:
        how = (_("This workshop was <b>anonymous</b>: answers were recorded without names, and "
               "this report shows no one’s individual answer."))
    else:
        how = (_("This workshop was <b>named</b>: each person’s answer was recorded under their "
               "name; Appendix A lists every vote."))
    if ws.tallies:
        how += (_(" Some statements were answered by a show of hands; each hand counts as one "
                "answer."))
    out.append(c.para(how, st.body))
    out.append(c.para(_("How answers become scores"), st.h2))
    bullets = [
        _("A statement’s <b>score</b> is the mean of its answers on the 1–5 scale. "
        "“Don’t know” answers are counted and reported, but not scored. The <b>spread</b> "
        "(standard deviation) is taken over the same answers: 0 when everyone gave the same "
        "answer, above 1 when the room was far apart."),
        _("A <b>pillar’s score</b> is the mean of its statements’ scores, so every statement "
        "weighs the same however many people answered it. The <b>overall score</b> is the "
        "mean of the five pillar scores."),
        _("<b>Since baseline</b> is this score minus the baseline workshop’s score; the "
        "<b>gap to target</b> is the target minus this score (a positive gap: below target)."),
        _("Scores are shown to one decimal, halves rounding up, and the <b>maturity level</b> "
        "of a score is the level that shown number rounds to, halves rounding up: 2.46 is "
        "shown as 2.5 and counts as level 3, 2.44 is shown as 2.4 and counts as level 2."),
    ]
    out += _bullets(bullets)
    out.append(c.para(_("When the room agrees"), st.h2))
    out.append(c.para(
        _(
            "With at least {MIN_FOR_CONSENSUS} scored answers, the room <b>agrees</b> on a "
            "statement when all its answers lie on two neighbouring levels (say, 3 and 4), or "
            "when their spread is at most {SPREAD_LIMIT} and no two answers are "
            "{RANGE_LIMIT} or more levels apart. Otherwise the statement is marked "
            "<b>discuss</b>: a 1 and a 4 in the same room is always worth a conversation. With "
            "fewer answers there is no verdict.").format(
            MIN_FOR_CONSENSUS=sc.MIN_FOR_CONSENSUS,
            SPREAD_LIMIT=format_number(sc.SPREAD_LIMIT),
            RANGE_LIMIT=sc.RANGE_LIMIT), st.body))
    out.append(c.para(_("Privacy in anonymous workshops"), st.h2))
    k = privacy.MIN_ANONYMOUS_ANSWERS
    out.append(c.para(
        _(
            "In an anonymous workshop a statement’s results are shown only when at least {k} "
            "people answered it with a score; otherwise only the number of answers is given. "
            "With one answer the mean <i>is</i> that person’s vote, and with two anyone who "
            "knows their own vote could work out the other. A pillar’s results are shown only "
            "when all of its statements can be shown, and the overall score only when every "
            "pillar can. ").format(
            k=k)
        + (_("This workshop was anonymous, so the rule applies throughout this report.")
           if ws.is_anonymous else
           _("This workshop was named, so every result is shown.")), st.body))
    return out


def _bullets(items: list[str]) -> list[Flowable]:
    st = c.styles()
    out = []
    for item in items:
        p = c.para(item, st.bullet)
        p.bulletText = "•"  # type: ignore[attr-defined]
        out.append(p)
    return out


def _pillar(data: b.ReportData, secs: _Sections, p: Pillar) -> list[Flowable]:
    st = c.styles()
    ws, ps = data.ws, data.score.pillars[p]
    sec = ws.questionnaire.section(p)
    name = data.pillar_name(p)
    # a pillar starts on the page where the last one ended if most of it fits there:
    # a new page each time left pages two-thirds empty
    out = secs.section(c.u(name, st.h1), name, f"pillar-{p.value}", new_page=p == PILLARS[0],
                       need=c.PAGE_HEIGHT * 0.45)
    out.append(c.user(sec.explanation, st.body))
    shown = data.can_show_pillar(p)
    figures: list[tuple[str, str, str]] = []  # label, value, detail
    if shown:
        figures.append((_("Score"), c.num(ps.mean), c.u(level_name(ws, ps.mean), st.small)))
    else:
        figures.append((_("Score"), "—", _("withheld: too few answers")))
    if data.has_baseline:
        figures.append((_("Since baseline"), c.signed_markup(ps.delta if shown else None), ""))
    if ps.target:
        figures.append((_("Target"), str(ps.target),
                        _('gap {value}').format(
                            value=b.gap_markup(ps.gap)) if shown and ps.gap is not None else ""))
    dist = ps.pooled.distribution
    figures.append((_("Answers"), str(dist.total),
                    _('{dont_know} don’t know').format(
                        dont_know=dist.dont_know) if dist.dont_know else ""))
    verdicts = [ss.stats.consensus for ss in ps.statements if data.can_show_statement(ss)]
    discuss = verdicts.count(False)
    figures.append((_("Room agrees on"), _('{value} of {n}').format(
        value=verdicts.count(True), n=len(ps.statements)),
                    " · ".join(t for t in (
                        _('<font color="{value}">{discuss} to discuss</font>').format(
                            value=c.hex_of(c.BAD), discuss=discuss) if discuss else "",
                        b.metric_discuss_text(data, ps)) if t)))
    out.append(c.stat_strip(figures))
    out.append(c.para(_("How the room answered"), st.h2))
    fig = pillar_distribution_figure(ws, data.score, p, width=7.0)
    out.append(figure_flowable(fig, c.CONTENT_WIDTH))
    out.append(c.para(_("Bars: answers per level (1–5) and “don’t know” (?). Solid line: the "
                      "mean; dashed line: the baseline’s mean."), st.muted))
    out.append(_statement_table(data, p))
    out += _next_steps(data, p)
    text = ws.notes.get(p.value, "")
    if text.strip():
        out += b.headed_note(_("Notes"), st.h2, text)
    actions = [a for a in ws.actions if a.pillar == p]
    out.append(c.para(_("Actions"), st.h2))
    out.append(b.actions_table(data, actions, show_pillar=False))
    return out


def _statement_table(data: b.ReportData, p: Pillar) -> Table:
    st = c.styles()
    ps = data.score.pillars[p]
    head = ["", _("Statement"), _("Mean"), _("Spread"), _("Answers")]
    # widths: the bold 8 pt header words ("Answers" is 38 pt) plus 10 pt of padding
    widths = [28.0, 0.0, 40.0, 46.0, 52.0]
    if data.has_baseline:
        head.append(_("Since baseline"))
        widths.append(49.0)
    head.append(_("Room"))
    widths.append(46.0)
    # A translated header word ("Streuung") or verdict ("besprechen") may need more room.
    verdicts = list(b.verdict_words())
    for i in range(2, len(head)):
        words = head[i].split() + (verdicts if i == len(head) - 1 else [])
        widths[i] = max(widths[i], max(stringWidth(w, st.cell_head.fontName,
                                                   st.cell.fontSize) for w in words) + 12)
    widths[1] = c.CONTENT_WIDTH - sum(widths)
    rows: list[list[object]] = [[c.para(h, st.cell_head_right if 2 <= i < len(head) - 1
                                        else st.cell_head) for i, h in enumerate(head)]]
    extra: list[tuple[object, ...]] = []
    for r, ss in enumerate(ps.statements, start=1):
        stats, dist = ss.stats, ss.stats.distribution
        row: list[object] = [c.para(f"<b>{data.codes[ss.statement.id]}</b>", st.cell),
                             c.user(ss.statement.text, st.cell)]
        if not data.can_show_statement(ss):
            row.append(c.para(f"<i>{privacy.withheld_message(dist)}</i>", st.cell))
            row += [""] * (len(head) - 3)
            extra.append(("SPAN", (2, r), (-1, r)))
        else:
            answers = f"{dist.total}"
            if dist.dont_know:
                answers += _(
                    '<br/><font size="7" color="{value}">{dont_know} don’t know</font>').format(
                    value=c.hex_of(c.MUTED),
                    dont_know=dist.dont_know)
            row += [c.para(f"<b>{c.num(stats.mean)}</b>", st.cell_right),
                    c.para(c.num(stats.spread, 2), st.cell_right),
                    c.para(answers, st.cell_right)]
            if data.has_baseline:
                row.append(c.para(c.signed_markup(ss.delta), st.cell_right))
            row.append(c.para(b.verdict_markup(ss), st.cell))
        rows.append(row)
    return c.table(rows, widths, extra=extra)


def _actions(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    out = secs.section(_("Actions"), _("Actions"), "actions", new_page=False, need=240)
    out.append(b.actions_table(data, data.ws.actions))
    return out


DECISIONS = {
    ReviewDecision.DONE: (c.GOOD, N_("done")),
    ReviewDecision.CARRIED: (c.WARN, N_("carried over")),
}


def _review(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    out = secs.section(_("Baseline action review"), _("Baseline action review"), "review",
                       new_page=False)
    base = data.baseline
    if base is None:
        msg = (_("The baseline workshop is not in this library, so its actions cannot be listed.")
               if data.ws.baseline_id else
               _("This workshop has no baseline: it is the team’s first assessment."))
        out.append(c.para(f"<i>{msg}</i>", st.muted))
        return out
    title = (_("“{title}”").format(title=c.u(base.title, st.body)) if base.title.strip()
             else _("the baseline"))  # the language's quotation marks, in the message
    out.append(c.para(
        _(
            "Actions agreed at {title} on {date}, and what this workshop decided about "
            "them.").format(title=title, date=c.human_date(base.date)), st.body))
    if not base.actions:
        out.append(c.para(_("<i>The baseline agreed no actions.</i>"), st.muted))
        return out
    widths = [b.number_width(len(base.actions)), 0.0, 84.0,
              b.date_width(a.due for a in base.actions), 76.0]
    widths[1] = c.CONTENT_WIDTH - sum(widths)
    rows: list[list[object]] = [[c.para(h, st.cell_head) for h in
                                 ("#", _("Baseline action"), _("Owner"), _("Due"), _("Decision"))]]
    for i, a in enumerate(base.actions, 1):
        decision = data.ws.action_reviews.get(a.id)
        colour, label = DECISIONS.get(decision, (c.MUTED, N_("not reviewed"))) \
            if decision is not None else (c.MUTED, N_("not reviewed"))
        label = _(label)
        rows.append([
            c.para(str(i), st.cell), c.user(a.text, st.cell),
            c.user(a.owner, st.cell) if a.owner.strip() else c.para("—", st.cell),
            c.para(b.short_date(a.due) if a.due else "—", st.cell),
            c.para(f'<font color="{c.hex_of(colour)}"><b>{label}</b></font>', st.cell),
        ])
    out.append(c.table(rows, widths))
    return out


def _participants(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    out = secs.section(_("Participants"), _("Participants"), "participants", new_page=False)
    n = len(ws.participants)
    if ws.is_anonymous:
        out.append(c.para(
            ngettext("<b>{n}</b> person took part. This workshop was anonymous, so names are "
                     "not part of this report.",
                     "<b>{n}</b> people took part. This workshop was anonymous, so names are "
                     "not part of this report.", n).format(n=n), st.body))
        return out
    votes_by: dict[str, int] = {}
    for _unused, pid in ws.votes:
        votes_by[pid] = votes_by.get(pid, 0) + 1
    total = len(ws.questionnaire.statements)
    rows: list[list[object]] = [[c.para(h, st.cell_head) for h in ("#", _("Name"), _("Role"))]
                                + [c.para(_("Answers"), st.cell_head_right)]]
    number = b.number_width(n, 22.0)  # "100" on one line
    widths = [number, 200.0, c.CONTENT_WIDTH - number - 200 - 70, 70.0]
    for i, person in enumerate(ws.participants, 1):
        rows.append([c.para(str(i), st.cell), c.user_cell(person.name, st.cell_bold, widths[1]),
                     c.user_cell(person.role, st.cell, widths[2]) if person.role.strip() else "",
                     c.para(_('{value} of {total}').format(
                         value=votes_by.get(person.id, 0), total=total), st.cell_right)])
    people = [c.para(ngettext("{n} person took part.", "{n} people took part.", n).format(n=n),
                     st.body),
              c.table(rows, widths)]
    if n <= 30:  # one page: keep the heading, the sentence and the table together
        return [*out[:-1], KeepTogether([out[-1], *people])]
    return out + people


def _answer_mark(score: int | None) -> str:
    if score is None:
        return "·"
    return "?" if score == DONT_KNOW else str(score)


def _votes_appendix(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    out = secs.section(_("Every vote"), _("Every vote"), "votes", appendix=True)
    out.append(c.para(_("Each person’s answer to each statement: 1–5, ? for “don’t know”, · for "
                      "no answer. Show-of-hands counts follow the names. Statement codes as in "
                      "the pillar sections."), st.muted))
    groups: list[list[Pillar]] = [[]]
    count = 0
    for p in PILLARS:
        n = len(ws.questionnaire.section(p).statements)
        if groups[-1] and count + n > VOTE_COLUMNS:
            groups.append([])
            count = 0
        groups[-1].append(p)
        count += n
    head_style = type(st.cell_head)("vh", parent=st.cell_head, fontSize=7, alignment=1)
    # room for each name's longest word, so a name wraps at its spaces (up to a limit)
    longest = max((text_width(word, st.cell.fontName, st.cell.fontSize)
                   for person in ws.participants for word in person.name.split()), default=0.0)
    name_w_all = min(VOTE_NAME_MAX, max(120.0, longest / linebreak.SLACK + 12))
    for group in groups:
        statements = [s for p in group for s in ws.questionnaire.section(p).statements]
        name_w = name_w_all
        col_w = min(30.0, (c.CONTENT_WIDTH - name_w) / max(len(statements), 1))
        widths = [name_w] + [col_w] * len(statements)
        head: list[object] = [c.para(_("Participant"), st.cell_head)]
        head += [c.para(data.codes[s.id], head_style) for s in statements]
        rows: list[list[object]] = [head]
        extra: list[tuple[object, ...]] = []
        # marks are plain strings (this module's own text): a paragraph per cell is slow
        for r, person in enumerate(ws.participants, start=1):
            row: list[object] = [c.user_cell(person.name, st.cell, name_w)]
            for col, s in enumerate(statements, start=1):
                v = ws.votes.get((s.id, person.id))
                mark = _answer_mark(v.score if v else None)
                if not mark.isdigit():
                    extra.append(("TEXTCOLOR", (col, r), (col, r), c.MUTED))
                row.append(mark)
            rows.append(row)
        tallied = [s for s in statements if ws.tallies.get(s.id)]
        levels = [lv for lv in (1, 2, 3, 4, 5, DONT_KNOW)
                  if any(ws.tallies[s.id].get(lv) for s in tallied)]
        for level in levels:
            label = "?" if level == DONT_KNOW else str(level)
            row = [c.para(_('<i>Show of hands: {label}</i>').format(label=label), st.cell)]
            for s in statements:
                hands = ws.tallies.get(s.id, {}).get(level, 0)
                row.append(str(hands) if hands else "")
            rows.append(row)
        if levels:
            extra.append(("LINEABOVE", (0, len(ws.participants) + 1), (-1,
                          len(ws.participants) + 1), 0.9, c.ACCENT_DARK))
        col = 1
        for p in group[:-1]:  # a rule between pillars
            col += len(ws.questionnaire.section(p).statements)
            extra.append(("LINEBEFORE", (col, 0), (col, -1), 0.8, c.ACCENT))
        extra += [("LEFTPADDING", (1, 0), (-1, -1), 1), ("RIGHTPADDING", (1, 0), (-1, -1), 1),
                  ("ALIGN", (1, 0), (-1, -1), "CENTER"), ("FONTSIZE", (1, 1), (-1, -1), 7.5),
                  ("VALIGN", (1, 1), (-1, -1), "MIDDLE")]
        out.append(c.table(rows, widths, extra=extra, padding=2.5))
        out.append(Spacer(1, 10))
    return out


def _questionnaire_appendix(data: b.ReportData, secs: _Sections) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    q = ws.questionnaire
    out = secs.section(_("The questionnaire"), _("The questionnaire"), "questionnaire",
                       appendix=True)
    out.append(c.para(_("Every statement with what each level means, as the room saw it."),
                      st.muted))
    names = [c.u(lv.name, st.cell_bold) for lv in q.levels]
    # the level names' column fits the longest name ("Wegweisend") on one line
    name_w = max(70.0, max(stringWidth(lv.name, st.cell_bold.fontName, st.cell_bold.fontSize)
                           for lv in q.levels) + 16.0)
    for sec in q.sections:
        out.append(c.para(c.u(sec.name, st.h2), st.h2))
        for s in sec.statements:
            rows: list[list[object]] = [[c.para(f"<b>{data.codes[s.id]}</b>", st.cell_head),
                                         c.user(s.text, st.cell_head), ""]]
            for lv, text in enumerate(s.levels, start=1):
                rows.append([c.para(str(lv), st.cell_center),
                             c.para(names[lv - 1], st.cell_bold), c.user(text, st.cell)])
            t = c.table(rows, [26.0, name_w, c.CONTENT_WIDTH - 26.0 - name_w], padding=2.5,
                        extra=[("SPAN", (1, 0), (2, 0))])
            out += [KeepTogether([t]), Spacer(1, 6)]
    return out


def _reading_guide(data: b.ReportData) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    base = (_(' of {value}').format(
        value=c.human_date(data.baseline.date)) if data.baseline is not None
            and data.baseline.date else "")
    items = [
        _(
            "<b>Scores</b> are means on the questionnaire’s 1–5 scale, from {value} (1) to "
            "{value2} (5); section 2 explains how they are calculated.").format(
            value=c.u(ws.questionnaire.level_name(1), st.bullet),
            value2=c.u(ws.questionnaire.level_name(5), st.bullet)),
        _(
            '<b>Colours and lines</b>: <font color="{value}">solid blue</font> is this '
            'workshop, <font color="{value2}">dashed vermilion</font> the baseline{base}, '
            '<font color="{value3}">dotted green</font> the team’s target.').format(
            value=c.hex_of(c.ACCENT),
            value2=c.hex_of(c.BAD),
            base=base,
            value3=c.hex_of(c.GOOD)),
        _("<b>“Discuss”</b> marks statements where the room’s answers were far apart; these "
        "often lead to the most useful conversations."),
        _("Each pillar section shows how the room answered every statement, the notes taken "
        "and the actions agreed."),
    ]
    if ws.is_anonymous:
        items.append(_("This workshop was <b>anonymous</b>: results with fewer than three scored "
                     "answers are withheld, and no names are given."))
    else:
        items.append(_("Appendix A lists every vote; Appendix B the questionnaire with what "
                     "each level means."))
    return [c.para(_("How to read this report"), st.h2), *_bullets(items)]


def story(data: b.ReportData) -> list[Flowable]:
    """The facilitator report's flowables."""
    st = c.styles()
    secs = _Sections()
    out: list[Flowable] = _cover(data)
    named = not data.ws.is_anonymous
    with_progress = data.trend is not None and len(data.trend.points) > 1
    with_metrics = metrics_section.has_metrics(data)
    out += [PageBreak(), c.para(_("Contents"), st.h1), Spacer(1, 4),
            c.contents(11 + with_progress + with_metrics + (2 if named else 1)), Spacer(1, 18),
            *_reading_guide(data)]
    out += _executive_summary(data, secs)
    out += _summary(data, secs)
    out += _method(data, secs)
    for p in PILLARS:
        out += _pillar(data, secs, p)
    if with_metrics:
        out += secs.section(_("Delivery metrics"), _("Delivery metrics"), "metrics")
        out += metrics_section.flowables(data)
    if with_progress:
        out += _progress(data, secs)
    out += _actions(data, secs)
    out += _review(data, secs)
    out += _participants(data, secs)
    if not data.ws.is_anonymous:
        out += _votes_appendix(data, secs)
    out += _questionnaire_appendix(data, secs)
    return out


def build_facilitator_pdf(ws: Workshop, baseline: Workshop | None = None,
                          data: b.ReportData | None = None, *,
                          branding: Branding | None = None,
                          history: Sequence[WorkshopPoint] = ()) -> bytes:
    """The facilitator report of ``ws`` as PDF bytes.

    Args:
        ws: the workshop.
        baseline: the workshop it is compared with (``ws.baseline_id``), if loaded.
        data: already prepared report data (to share charts with another report).
        branding: who prepared the report (cover, footer, confidentiality label).
        history: the team's assessments (for the progress over time), see
            :func:`calms_desktop.reports.progress.team_history`.
    """
    with c.no_collector_pauses():
        return _build(ws, baseline, data, branding, history)


def _build(ws: Workshop, baseline: Workshop | None, data: b.ReportData | None,
           branding: Branding | None, history: Sequence[WorkshopPoint]) -> bytes:
    data = data or b.prepare(ws, baseline, history=history, branding=branding)
    doc = c.new_doc(ws, _(REPORT_NAME), title=_('CALMS report — {value}').format(
        value=ws.title or 'workshop'),
                    subject=_('CALMS assessment report: {value}').format(
                        value=c.report_meta(ws)), with_cover=True,
                    branding=data.branding, show_outline=True)
    return c.build(doc, story(data))
