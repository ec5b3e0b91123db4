"""The attendee summary: what everyone in the room takes home (at most 2 pages).

Contents: the radar (this workshop, baseline, target), scores by pillar with
the change since the baseline and the gap to the target, the strongest and
weakest areas, the agreed actions with owners and dates, and next steps.
Results the privacy rule withholds are not printed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table

from ..core.i18n import N_, _, ngettext
from ..core.model import ActionItem, Workshop
from ..core.progress import WorkshopPoint
from ..core.scoring import level_name
from . import blocks as b
from . import common as c
from . import isolates, metrics_section
from .branding import Branding

REPORT_NAME = N_("CALMS summary")
RADAR_WIDTH = 292.0
GUTTER = 14.0
KEY_FIGURES_WIDTH = c.CONTENT_WIDTH - RADAR_WIDTH - GUTTER


def _title_block(data: b.ReportData) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    width = c.CONTENT_WIDTH - 160 if data.branding.logo else c.CONTENT_WIDTH
    out: list[Flowable] = [c.para(_("CALMS SUMMARY"), st.kicker),
                           c.fitted(ws.title or _("CALMS workshop"), st.title, width, 3)]
    who = [x for x in (ws.organisation, ws.team) if x.strip()]
    if len(" · ".join(who)) > 70:  # each on its own line: a wrapped line mixes their words
        out += [c.fitted(x, st.subtitle, width, 2) for x in who]
        who = []

    def field(text: str) -> str:  # a field of a line of several: at most two lines itself,
        # isolated in the line (an Arabic location keeps its own order beside the date)
        return isolates.opener_for(text) + c.fit_line([text], st.subtitle, width, lines=2) \
            + isolates.PDI

    first = [field(x) for x in who]
    if ws.date:
        first.append(c.human_date(ws.date))
    if ws.location.strip():
        first.append(field(ws.location))
    if first:
        out.append(c.para(" · ".join(first), st.subtitle))
    second = []
    if ws.facilitator.strip():
        second.append(_("Facilitated by ") + field(ws.facilitator))
    second.append(b.people_count(ws))
    out.append(c.para(" · ".join(second), st.subtitle))
    brand = data.branding
    out += _prepared_by(brand, width, field)
    out.append(Spacer(1, 8))
    if brand.logo:  # the logo on the right of the title block
        logo = c.logo_flowable(brand.logo, 40, 150)
        return [c.layout_table([[out, logo]], [c.CONTENT_WIDTH - 160, 160.0], [
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)])]
    return out


def _prepared_by(brand: Branding, width: float, field: Callable[[str], str]) -> list[Flowable]:
    """"Prepared by …", the company and the contact: on one line when they fit, else each
    on its own lines (a field of two lines at most, shortened with "…", never left out).

    With all three on one line, a 73-character consultant and an 85-character
    company took the line's two lines and the company was cut away whole.
    A web address wraps after a slash, not mid-word.
    """
    style = c.uri_style(c.styles().subtitle)
    who = [x.strip() for x in (brand.consultant, brand.company) if x.strip()]
    # (in a line of several, isolated; on its own line, a field takes its own direction)
    rest = [x for x in (*who[1:], brand.contact.strip()) if x]
    alone = [c.fit_line([x], style, width, lines=2) for x in rest]
    isolated = [isolates.opener_for(x) + m + isolates.PDI
                for x, m in zip(rest, alone, strict=True)]
    first = [_('Prepared by {value}').format(value=field(who[0]))] if who else []
    if not first and not alone:
        return []
    one = " · ".join(first + isolated)
    if c.line_count(one, style, width) <= 1:
        return [c.para(one, style)]
    return [c.para(part, style) for part in first + alone]


def key_figures(data: b.ReportData) -> list[Flowable]:
    """The panel beside the radar: overall score, change, strongest and weakest pillar."""
    st = c.styles()
    ws, score = data.ws, data.score
    out: list[Flowable] = [c.para(_("OVERALL"), st.kicker)]
    if data.can_show_overall and score.overall is not None:
        out.append(c.para(f'{c.num(score.overall)}<font size="13" color="{c.hex_of(c.MUTED)}">'
                          " / 5</font>", st.big))
        out.append(c.user(level_name(ws, score.overall), st.h2))
        if data.has_baseline:
            since = c.human_date(data.baseline.date) if data.baseline else ""
            out.append(c.para(_('<b>{value}</b> since the baseline').format(
                value=c.signed_markup(score.delta))
                              + (_(' of {since}').format(since=since) if since else ""), st.body))
    else:
        out.append(c.para(_("<i>Not shown: some results had too few answers to show "
                          "anonymously.</i>"), st.muted))
    out.append(Spacer(1, 6))
    facts: list[tuple[str, str]] = []
    strongest = [p for p in score.strongest() if data.can_show_pillar(p.pillar)]
    if strongest:
        top = strongest[0]
        facts.append((_("Strongest"),
                      f"{c.iso(data.pillar_name(top.pillar), st.cell)} ({c.num(top.mean)})"))
        gaps = [p for p in strongest if p.gap is not None and p.gap > 0.05]
        if gaps:
            far = max(gaps, key=lambda p: p.gap or 0)
            facts.append((_("Largest gap"),
                          _(
                              "{value} ({value2} below {target})").format(
                              value=c.iso(data.pillar_name(far.pillar), st.cell),
                              value2=c.num(far.gap),
                              target=far.target)))
        else:
            low = strongest[-1]
            facts.append((_("Weakest"),
                          f"{c.iso(data.pillar_name(low.pillar), st.cell)} ({c.num(low.mean)})"))
        improved = [p for p in strongest if p.delta is not None]
        if improved:
            best = max(improved, key=lambda p: p.delta or 0)
            if (best.delta or 0) > 0.05:
                facts.append((_("Most progress"),
                              f"{c.iso(data.pillar_name(best.pillar), st.cell)} "
                              f"({c.num(best.delta, signed=True)})"))
    discuss = sum(1 for ss in data.statements()
                  if data.can_show_statement(ss) and ss.stats.consensus is False)
    facts.append((_("To discuss"), _('{discuss} of {n} statements').format(
        discuss=discuss, n=len(data.statements()))))
    total, dont = b.answer_totals(ws, score)
    facts.append((_("Answers"), f"{total}" + (_(' ({dont} don’t know)').format(
        dont=dont) if dont else "")))
    rows = [[c.para(k, st.cell), c.para(f"<b>{v}</b>", st.cell)] for k, v in facts]
    t = c.table(rows, [70.0, KEY_FIGURES_WIDTH - 70.0], header_rows=0, zebra=False,
                padding=3,
                extra=[("LINEBELOW", (0, 0), (-1, -1), 0.35, c.RULE),
                       ("LEFTPADDING", (0, 0), (0, -1), 0)])
    out.append(t)
    return out


def radar_and_key_figures(data: b.ReportData) -> Table:
    """The radar with the key figures beside it."""
    return c.layout_table(
        [[data.radar(RADAR_WIDTH), key_figures(data)]],
        [RADAR_WIDTH, c.CONTENT_WIDTH - RADAR_WIDTH],
        [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
         ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("LEFTPADDING", (1, 0), (1, 0), GUTTER),
         ("TOPPADDING", (1, 0), (1, 0), 18)])


def _next_steps(data: b.ReportData) -> list[Flowable]:
    st = c.styles()
    ws = data.ws
    items: list[str] = []
    open_actions = [a for a in ws.actions if a.is_open]
    if open_actions:
        dated = sorted(a.due for a in open_actions if a.due)
        first_due = _(', the first due {value}').format(
            value=b.short_date(dated[0])) if dated else ""
        items.append(ngettext(
            "<b>{n} open action</b>{first_due}: each owner reports progress to the team until "
            "it is done.",
            "<b>{n} open actions</b>{first_due}: each owner reports progress to the team until "
            "it is done.", len(open_actions)).format(n=len(open_actions), first_due=first_due))
    done, carried, _unused = b.review_counts(data)
    if data.baseline is not None and (done or carried):
        items.append(ngettext(
            "From the baseline ({date}): {done} action done, {carried} carried over.",
            "From the baseline ({date}): {done} actions done, {carried} carried over.",
            done).format(date=c.human_date(data.baseline.date), done=done, carried=carried))
    nxt = c.next_assessment(ws)
    if nxt is not None:
        items.append(_(
            "<b>Next assessment:</b> suggested for {value}, about three months after this "
            "workshop, with the same questionnaire so the results can be compared.").format(
            value=c.human_date(nxt.isoformat())))
    out: list[Flowable] = [c.para(x, st.bullet) for x in items]
    for p in out:
        p.bulletText = "•"  # type: ignore[attr-defined]
    summary = ws.notes.get("summary", "")
    if summary.strip():
        out += b.headed_note(_("Facilitator’s summary"), st.h3, summary)
    return out


#: The attendee summary lists at most this many actions (the rest: the facilitator report).
TAKE_HOME_ACTIONS = 10
#: An action's text takes at most this many lines there (shortened with "…").
ACTION_LINES = 2


#: Fewer actions to try, in turn, when the summary would run past two pages (a German
#: delivery-metrics table, a long facilitator's summary).
SHORTER_ACTION_LISTS = (6, 3)
#: The pages the attendee summary aims at.
TAKE_HOME_PAGES = 2


def take_home_actions(actions: Sequence[ActionItem],
                      limit: int = TAKE_HOME_ACTIONS) -> tuple[list[ActionItem], int]:
    """The actions the attendee summary lists, and how many it leaves to the facilitator report.

    The summary is a short take-home of at most two pages: 20 long actions
    made it three. It lists the :data:`TAKE_HOME_ACTIONS` most pressing
    actions — open ones before done or dropped ones, then by due date (undated
    last), then in the order agreed — shown in that agreed order with their
    numbers, so "#12" means the same action in both reports.
    """
    if len(actions) <= limit:
        return list(actions), 0
    order = sorted(range(len(actions)), key=lambda i: (not actions[i].is_open,
                                                       not actions[i].due, actions[i].due, i))
    keep = sorted(order[:limit])
    return [actions[i] for i in keep], len(actions) - len(keep)


def story(data: b.ReportData, actions: int = TAKE_HOME_ACTIONS,
          metrics: bool = True) -> list[Flowable]:
    """The attendee summary's flowables, listing at most ``actions`` actions (and the
    delivery metrics' table, unless ``metrics`` is off: then a line points to it)."""
    st = c.styles()
    top = radar_and_key_figures(data)
    out: list[Flowable] = [*_title_block(data), top, Spacer(1, 4),
                           c.para(_("Scores by pillar"), st.h2), b.pillar_table(data)]
    if data.ws.is_anonymous and not data.can_show_overall:
        out.append(c.para(_("“withheld”: fewer than 3 people answered some of its statements "
                          "with a score, too few to show in an anonymous workshop."), st.muted))
    out.append(c.para(_("Scores are means on the 1–5 scale; “don’t know” answers are counted "
                      "but not scored. A statement is marked “to discuss” when the room’s "
                      "answers were far apart."), st.muted))
    out += [
        *b.strongest_and_weakest(data),
    ]
    if metrics_section.has_metrics(data) and metrics:
        out += [c.para(_("Delivery metrics"), st.h2),
                *metrics_section.flowables(data, compact=True)]
    elif metrics_section.has_metrics(data):
        out.append(c.para(_("The team’s delivery metrics are in the facilitator report."),
                          st.muted))
    out.append(c.para(_("Agreed actions"), st.h2))
    shown, more = take_home_actions(data.ws.actions, actions)
    out.append(b.actions_table(data, shown, numbers=[data.ws.actions.index(a) + 1 for a in shown],
                               lines=ACTION_LINES))
    if more:
        out.append(c.para(ngettext(
            "… and {n} more action in the facilitator report.",
            "… and {n} more actions in the facilitator report.", more).format(n=more), st.muted))
    out.append(KeepTogether([c.para(_("Next steps"), st.h2), *_next_steps(data)]))
    return out


def build_attendee_pdf(ws: Workshop, baseline: Workshop | None = None,
                       data: b.ReportData | None = None, *,
                       branding: Branding | None = None,
                       history: Sequence[WorkshopPoint] = ()) -> bytes:
    """The attendee summary of ``ws`` as PDF bytes.

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
    pdf = b""
    # the most pressing actions that keep the take-home within two pages (the rest
    # are in the facilitator report, and the summary says how many)
    limits = [TAKE_HOME_ACTIONS, *(n for n in SHORTER_ACTION_LISTS if n < len(ws.actions))]
    # then the delivery metrics' table gives way to a line pointing to the other report,
    # before the list goes down to its shortest
    tries = [(n, True) for n in limits if n >= SHORTER_ACTION_LISTS[0]] + [
        (n, False) for n in limits]
    for limit, metrics in tries:
        doc = c.new_doc(ws, _(REPORT_NAME), title=_('CALMS summary — {value}').format(
            value=ws.title or 'workshop'),
                        subject=_('CALMS assessment summary: {value}').format(
                            value=c.report_meta(ws)),
                        branding=data.branding)
        pdf = c.build(doc, story(data, limit, metrics))
        if doc.page <= TAKE_HOME_PAGES:
            break
    return pdf
