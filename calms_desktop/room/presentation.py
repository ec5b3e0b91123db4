"""What the projector shows for each step, as plain data (no Qt).

:func:`build_slide` turns the workshop, its scores and where the room is
into an :class:`IntroSlide`, :class:`PillarSlide` or :class:`SummarySlide`
whose texts are ready to put on labels. The window only lays them out.

The room's two promises live here, in one testable place:

* **Nothing before the reveal.** A pillar that is not revealed yields only
  how many have answered ("4 of 6 have voted"), never a value, count per
  level, mean, verdict or ordering.
* **The privacy rule** of anonymous workshops
  (:func:`calms_desktop.core.privacy.can_show`): results of a statement with
  fewer than three scored answers are replaced by the withheld message, and
  such statements are not placed by disagreement (their place would hint
  at their spread).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core import privacy
from ..core.i18n import N_, NC_, _, format_date, ngettext, pgettext
from ..core.metrics import Basis, MetricKind, catalogue, metric_rows, spread_text
from ..core.model import (
    INTRO_STEP,
    PILLARS,
    SCORES,
    STEPS,
    SUMMARY_STEP,
    ActionStatus,
    Pillar,
    PillarState,
    Workshop,
)
from ..core.scoring import (
    PillarScore,
    StatementScore,
    WorkshopScore,
    fmt,
    fmt_change,
    level_name,
    shown_score,
)

#: A pillar's state is an adjective ("Done": finished), unlike an action's status.
STATE_TEXT = {
    PillarState.NOT_STARTED: NC_("pillar state", "Not started"),
    PillarState.VOTING: NC_("pillar state", "Voting"),
    PillarState.REVEALED: NC_("pillar state", "Results"),
    PillarState.DONE: NC_("pillar state", "Done"),
}

AGREE = "agree"
DISCUSS = "discuss"
NO_VERDICT = "none"
VERDICT_TEXT = {
    AGREE: N_("✓ The room agrees"),
    DISCUSS: N_("⚑ Worth discussing"),
    NO_VERDICT: N_("Too few answers for a verdict"),
}
# These are marked here and translated where they are shown (the texts are English).
WITHHELD_SHORT = N_("too few answers to show")

INTRO_TITLE = N_("Welcome")
SUMMARY_TITLE = N_("Summary")
AGENDA_LABELS = {INTRO_STEP: N_("Welcome and review"), SUMMARY_STEP: N_("Summary and actions")}


is_revealed = privacy.results_visible


def step_title(ws: Workshop, step: str) -> str:
    """The title the projector shows for a step ("Welcome", "Culture", "Summary")."""
    if step == INTRO_STEP:
        return _(INTRO_TITLE)
    if step == SUMMARY_STEP:
        return _(SUMMARY_TITLE)
    try:
        return ws.questionnaire.section(Pillar(step)).name or Pillar(step).title
    except (KeyError, ValueError):
        return step


def short_label(ws: Workshop, step: str) -> str:
    """A one-word label of a step for the footer."""
    if step == INTRO_STEP:
        return _("Intro")
    if step == SUMMARY_STEP:
        return _("Summary")
    return step_title(ws, step)


def one_line(text: str) -> str:
    """User text on one logical line (slides do not keep line breaks)."""
    return " ".join(text.split())


def nice_date(iso: str) -> str:
    """``2025-03-12`` → ``12 March 2025`` / ``12. März 2025`` (other text as it is)."""
    return format_date(iso)


# -- intro -----------------------------------------------------------------------------
@dataclass(frozen=True)
class AgendaItem:
    step: str
    label: str
    minutes: int

    @property
    def duration(self) -> str:
        return _("{n} min").format(n=self.minutes) if self.minutes else ""


@dataclass(frozen=True)
class IntroSlide:
    """The opening slide: who, when, and the agenda."""

    title: str
    who: str
    when: str
    facilitator: str
    agenda: tuple[AgendaItem, ...]
    step: str = INTRO_STEP


def intro_slide(ws: Workshop) -> IntroSlide:
    who = " / ".join(one_line(x) for x in (ws.organisation, ws.team) if x.strip())
    when = " · ".join(x for x in (nice_date(ws.date), one_line(ws.location)) if x)
    facilitator = (_("Facilitated by {name}").format(name=one_line(ws.facilitator))
                   if ws.facilitator.strip() else "")
    agenda = tuple(
        AgendaItem(s, _(AGENDA_LABELS[s]) if s in AGENDA_LABELS else step_title(ws, s),
                   int(ws.timebox_minutes.get(s, 0)))
        for s in STEPS
    )
    return IntroSlide(one_line(ws.title) or "CALMS assessment", who, when, facilitator, agenda)


# -- a pillar ----------------------------------------------------------------------------
@dataclass(frozen=True)
class LevelRow:
    """A level of the current statement; ``count`` only once revealed (and allowed)."""

    level: int
    name: str
    descriptor: str
    count: int | None = None


@dataclass(frozen=True)
class VotingProgress:
    """How many have answered the current statement (never what they answered)."""

    answered: int
    expected: int
    hands: int | None = None  # hands counted by a show-of-hands tally, if any

    @property
    def headline(self) -> str:
        if self.expected:
            return ngettext("{answered} of {expected} has voted",
                            "{answered} of {expected} have voted",
                            max(self.answered, self.expected)).format(
                answered=self.answered, expected=self.expected)
        return ngettext("{n} has voted", "{n} have voted", self.answered).format(n=self.answered)

    @property
    def detail(self) -> str:
        if self.hands is None:
            return ""
        return ngettext("Show of hands: {n} hand counted", "Show of hands: {n} hands counted",
                        self.hands).format(n=self.hands)


@dataclass(frozen=True)
class StatementResult:
    """The revealed result of the current statement."""

    mean: str
    level_name: str
    verdict: str  # AGREE, DISCUSS or NO_VERDICT
    answers: int
    dont_know: int

    @property
    def verdict_text(self) -> str:
        return _(VERDICT_TEXT[self.verdict])

    @property
    def detail(self) -> str:
        parts = [ngettext("{n} answer", "{n} answers", self.answers).format(n=self.answers)]
        if self.dont_know:
            parts.append(_("{n} don't know").format(n=self.dont_know))
        return " · ".join(parts)


@dataclass(frozen=True)
class RankedStatement:
    """A statement of a revealed pillar in the "discuss first" order."""

    statement_id: str
    text: str
    mean: str
    verdict: str
    current: bool
    withheld: bool = False

    @property
    def mark(self) -> str:
        if self.withheld:
            return "·"
        return {AGREE: "✓", DISCUSS: "⚑"}.get(self.verdict, "·")


@dataclass(frozen=True)
class PillarSlide:
    """A pillar step: explanation, current statement, and progress or results."""

    pillar: Pillar
    title: str
    explanation: str
    state: PillarState
    statement_id: str
    statement_number: int
    statement_count: int
    statement_text: str
    levels: tuple[LevelRow, ...]
    progress: VotingProgress | None = None
    result: StatementResult | None = None
    withheld: str = ""
    ranking: tuple[RankedStatement, ...] = ()
    pillar_result: str = ""
    step: str = ""
    statement_code: str = ""
    #: the delivery metric the room estimates on this slide ("" on a statement's slide);
    #: its buckets are the ``levels``, worst first
    metric_id: str = ""
    caption: str = ""  # the caption above the text, when not "Statement n of m"

    @property
    def revealed(self) -> bool:
        return privacy.shows_results(self.state)

    @property
    def state_text(self) -> str:
        return pgettext("pillar state", STATE_TEXT[self.state])

    @property
    def statement_caption(self) -> str:
        if self.caption:
            return self.caption
        if not self.statement_count:
            return ""
        caption = _("Statement {number} of {count}").format(number=self.statement_number,
                                                            count=self.statement_count)
        return f"{self.statement_code} · {caption}" if self.statement_code else caption


def verdict_of(ss: StatementScore) -> str:
    """AGREE, DISCUSS or NO_VERDICT (too few scored answers)."""
    return _verdict(ss)


def pillar_result_text(ws: Workshop, ps: PillarScore) -> str:
    """The pillar's line as the projector shows it after the reveal."""
    return _pillar_result(ws, ps)


def _verdict(ss: StatementScore) -> str:
    consensus = ss.stats.consensus
    if consensus is None:
        return NO_VERDICT
    return AGREE if consensus else DISCUSS


def pillar_slide(
    ws: Workshop, score: WorkshopScore, pillar: Pillar, statement_id: str = ""
) -> PillarSlide:
    section = ws.questionnaire.section(pillar)
    statements = section.statements
    state = ws.pillar_states.get(pillar, PillarState.NOT_STARTED)
    revealed = privacy.shows_results(state)
    common = dict(
        pillar=pillar,
        title=section.name or pillar.title,
        explanation=one_line(section.explanation),
        state=state,
        step=pillar.value,
    )
    if not statements:
        return PillarSlide(statement_id="", statement_number=0, statement_count=0,
                           statement_text="", levels=(), **common)  # type: ignore[arg-type]
    ids = [s.id for s in statements]
    index = ids.index(statement_id) if statement_id in ids else 0
    statement = statements[index]
    ps: PillarScore = score.pillars[pillar]
    ss = next(s for s in ps.statements if s.statement.id == statement.id)

    counts: tuple[int | None, ...] = (None,) * len(SCORES)
    progress: VotingProgress | None = None
    result: StatementResult | None = None
    withheld = ""
    ranking: tuple[RankedStatement, ...] = ()
    pillar_result = ""
    if not revealed:
        tally = ws.tallies.get(statement.id)
        progress = VotingProgress(
            ws.answer_count(statement.id),
            len(ws.participants),
            sum(tally.values()) if tally else None,
        )
    else:
        dist = ss.stats.distribution
        if privacy.can_show(ws, ss):
            counts = tuple(dist.counts)
            result = StatementResult(
                mean=fmt(ss.stats.mean),
                level_name=level_name(ws, ss.stats.mean) if ss.stats.mean is not None else "",
                verdict=_verdict(ss),
                answers=dist.total,
                dont_know=dist.dont_know,
            )
        else:
            withheld = privacy.withheld_message(dist)
        ranking = _ranking(ws, score, pillar, statement.id)
        pillar_result = _pillar_result(ws, ps)

    levels = tuple(
        LevelRow(lv, ws.questionnaire.level_name(lv), statement.descriptor(lv), counts[lv - 1])
        for lv in SCORES
    )
    return PillarSlide(
        statement_id=statement.id,
        statement_number=index + 1,
        statement_count=len(statements),
        statement_text=one_line(statement.text),
        levels=levels,
        progress=progress,
        result=result,
        withheld=withheld,
        ranking=ranking,
        pillar_result=pillar_result,
        statement_code=ws.questionnaire.statement_code(statement.id),
        **common,  # type: ignore[arg-type]
    )


def _ranking(
    ws: Workshop, score: WorkshopScore, pillar: Pillar, current: str
) -> tuple[RankedStatement, ...]:
    shown: list[RankedStatement] = []
    held: list[RankedStatement] = []
    for ss in score.by_disagreement(pillar):
        sid = ss.statement.id
        words = ws.questionnaire.statement(sid).text  # shown language (the score: stored)
        text = f"{ws.questionnaire.statement_code(sid)}  {one_line(words)}"
        if privacy.can_show(ws, ss):
            shown.append(
                RankedStatement(sid, text, fmt(ss.stats.mean), _verdict(ss), sid == current)
            )
        else:
            held.append(RankedStatement(sid, text, "—", NO_VERDICT, sid == current, withheld=True))
    # Withheld statements keep the questionnaire's order: their place in the
    # ranking would tell the room something about their spread.
    order = {s.id: i for i, s in enumerate(ws.questionnaire.section(pillar).statements)}
    held.sort(key=lambda r: order.get(r.statement_id, 0))
    # A metric estimate the room split on comes right after the statements to discuss.
    split = [r for r in shown if r.verdict == DISCUSS]
    return (*split, *_disputed_rows(ws, pillar), *(r for r in shown if r.verdict != DISCUSS),
            *held)


#: A ranking row of a metric estimate has this prefix before the metric id.
METRIC_ROW = "metric:"


def _disputed_rows(ws: Workshop, pillar: Pillar) -> list[RankedStatement]:
    """Measurement's metric estimates the room disagrees on, listed to discuss."""
    if pillar != Pillar.MEASUREMENT:
        return []
    cat = catalogue()
    rows = []
    for rec in privacy.disputed_metrics(ws):
        m = cat.metric(rec.metric)
        rows.append(RankedStatement(
            METRIC_ROW + rec.metric,
            _("{metric}: {spread}").format(metric=m.name, spread=spread_text(rec)),
            "", DISCUSS, False))
    return rows


def change_text(delta: float | None) -> str:
    """"+0.6 since last time"; a change that rounds to nothing is "±0.0" (never "−0.0")."""
    if delta is None:
        return ""
    return _("{change} since last time").format(change=fmt_change(delta))


def coverage_text(ps: PillarScore) -> str:
    """"from 3 of 5 statements" when a pillar's score leaves statements out ("" otherwise)."""
    scored = sum(1 for ss in ps.statements if ss.stats.mean is not None)
    if scored == len(ps.statements):
        return ""
    return ngettext("from {scored} of {n} statement", "from {scored} of {n} statements",
                    len(ps.statements)).format(scored=scored, n=len(ps.statements))


def _pillar_result(ws: Workshop, ps: PillarScore) -> str:
    if ps.mean is None:
        return _("No scored answers yet")
    if not privacy.can_show(ws, ps):
        return _("Pillar result withheld: some statements have too few answers")
    parts = [_("Pillar {score} · {level}").format(score=fmt(ps.mean),
                                                   level=level_name(ws, ps.mean))]
    if coverage_text(ps):
        parts.append(coverage_text(ps))
    if ps.delta is not None:
        parts.append(change_text(ps.delta))
    if ps.target:
        parts.append(_("target {target}").format(target=ps.target))
    return " · ".join(parts)


# -- the summary -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PillarLine:
    pillar: Pillar
    title: str
    mean: str
    level_name: str
    delta: str  # "+0.5 since last time" or ""
    coverage: str = ""  # "from 3 of 5 statements" or ""

    @property
    def text(self) -> str:
        parts = [f"{self.title} {self.mean} · {self.level_name}"]
        if self.coverage:
            parts.append(self.coverage)
        if self.delta:
            parts.append(self.delta)
        return " · ".join(parts)


@dataclass(frozen=True)
class PillarRow:
    """One pillar on the summary slide: its score, or why there is none to show.

    ``mark`` is "▲" for the strongest, "▼" for the weakest, "" otherwise.
    """

    pillar: Pillar
    text: str
    mark: str = ""
    shown: bool = True


@dataclass(frozen=True)
class ActionLine:
    text: str
    meta: str


@dataclass(frozen=True)
class SummarySlide:
    """The closing slide: strongest and weakest pillars, overall, agreed actions."""

    overall: str
    strongest: tuple[PillarLine, ...]
    weakest: tuple[PillarLine, ...]
    actions: tuple[ActionLine, ...]
    pending: tuple[str, ...]  # titles of pillars not revealed yet
    withheld: tuple[str, ...] = ()  # revealed, but too few answers to show anonymously
    step: str = SUMMARY_STEP
    pillars: tuple[PillarRow, ...] = ()  # every pillar, in CALMS order

    @property
    def pending_text(self) -> str:
        """Why some pillars are missing: not revealed yet, or withheld."""
        parts = []
        if self.pending:
            parts.append(_("Not revealed yet: {pillars}").format(pillars=", ".join(self.pending)))
        if self.withheld:
            parts.append(_("Too few answers to show anonymously: {pillars}").format(
                pillars=", ".join(self.withheld)))
        return ". ".join(parts)


def _line(ws: Workshop, ps: PillarScore) -> PillarLine:
    delta = change_text(ps.delta)
    return PillarLine(ps.pillar, step_title(ws, ps.pillar.value), fmt(ps.mean),
                      level_name(ws, ps.mean), delta, coverage_text(ps))


def summary_slide(ws: Workshop, score: WorkshopScore) -> SummarySlide:
    shown = [
        ps for ps in score.strongest()
        if is_revealed(ws, ps.pillar) and privacy.can_show(ws, ps)
    ]
    strongest: tuple[PillarLine, ...] = ()
    weakest: tuple[PillarLine, ...] = ()
    if shown:
        best = max(ps.mean or 0 for ps in shown)
        worst = min(ps.mean or 0 for ps in shown)
        # by the printed score (2.25 shows as 2.3: Python's round() made it 2.2)
        strongest = tuple(_line(ws, ps) for ps in shown
                          if shown_score(ps.mean or 0) == shown_score(best))
        if shown_score(worst) != shown_score(best):
            weakest = tuple(_line(ws, ps) for ps in reversed(shown)
                            if shown_score(ps.mean or 0) == shown_score(worst))
    overall = ""
    everything = all(is_revealed(ws, p) for p in PILLARS) and all(
        privacy.can_show(ws, ps) for ps in score.pillars.values()
    )
    if everything and score.overall is not None:
        overall = _("Overall {score} · {level}").format(score=fmt(score.overall),
                                                         level=level_name(ws, score.overall))
        if score.delta is not None:
            overall += f" · {change_text(score.delta)}"
    pending = tuple(step_title(ws, p.value) for p in PILLARS if not is_revealed(ws, p))
    withheld = tuple(
        step_title(ws, p.value) for p in PILLARS
        if is_revealed(ws, p) and not privacy.can_show(ws, score.pillars[p])
    )
    actions = tuple(
        ActionLine(one_line(a.text), _action_meta(ws, a))
        for a in sorted(
            (a for a in ws.actions if a.status != ActionStatus.DROPPED),
            key=lambda a: PILLARS.index(a.pillar) if a.pillar in PILLARS else len(PILLARS),
        )
    )
    top = {line.pillar for line in strongest}
    bottom = {line.pillar for line in weakest}
    shown_ids = {ps.pillar for ps in shown}
    rows = []
    for p in PILLARS:
        title = step_title(ws, p.value)
        if p in shown_ids:
            line = _line(ws, score.pillars[p])
            mark = "▲" if p in top else "▼" if p in bottom else ""
            rows.append(PillarRow(p, line.text, mark))
        elif not is_revealed(ws, p):
            rows.append(PillarRow(p, _("{pillar} · not revealed yet").format(pillar=title),
                                  shown=False))
        elif score.pillars[p].mean is None:
            rows.append(PillarRow(p, _("{pillar} · no scored answers").format(pillar=title),
                                  shown=False))
        else:
            rows.append(PillarRow(p, f"{title} · {_(WITHHELD_SHORT)}", shown=False))
    return SummarySlide(overall, strongest, weakest, actions, pending, withheld,
                        pillars=tuple(rows))


def metric_lines(ws: Workshop, baseline: Workshop | None) -> tuple[str, ...]:
    """The team's delivery metrics as the room may see them: one line each (answer,
    DORA level, change since the baseline, a disagreement), once Measurement is
    revealed — never while the room is still estimating (a median on the wall would
    steer the last picks) — and by the privacy rule (:func:`privacy.can_show_metric`):
    an anonymous estimate from too few picks says only how many there were."""
    if not is_revealed(ws, Pillar.MEASUREMENT):
        return ()
    lines = []
    for r in metric_rows(privacy.shown_metrics(ws),
                         privacy.shown_metrics(baseline) if baseline else None,
                         privacy.withheld_metrics(ws)):
        if r.withheld:
            lines.append(f"{r.short} · {r.answer}")
            continue
        if r.answer == "—":
            continue
        parts = [r.short, r.label_short, r.band, r.change,
                 _("the room disagrees") if r.flagged else ""]
        lines.append(" · ".join(p for p in parts if p))
    return tuple(lines)


def _action_meta(ws: Workshop, action) -> str:  # type: ignore[no-untyped-def]
    parts = []
    if action.owner.strip():
        parts.append(one_line(action.owner))
    if action.due:
        parts.append(_("due {date}").format(date=nice_date(action.due)))
    if action.pillar is not None:
        parts.append(step_title(ws, action.pillar.value))
    if action.carried_from:
        parts.append(_("carried over"))
    if action.status == ActionStatus.DONE:
        parts.append(_("done"))
    return " · ".join(parts)


# -- any step -------------------------------------------------------------------------------
Slide = IntroSlide | PillarSlide | SummarySlide


def build_slide(ws: Workshop, score: WorkshopScore, step: str, statement_id: str = "",
                metric_id: str = "") -> Slide:
    """What the room sees at ``step`` (with ``statement_id`` current on a pillar step, and
    in Measurement ``metric_id`` while the room estimates that metric)."""
    if step == SUMMARY_STEP:
        return summary_slide(ws, score)
    if metric_id and step == Pillar.MEASUREMENT.value:
        slide = metric_slide(ws, metric_id)
        if slide is not None:
            return slide
    if step in {p.value for p in PILLARS}:
        return pillar_slide(ws, score, Pillar(step), statement_id)
    return intro_slide(ws)


# -- a delivery metric the room estimates ----------------------------------------------------
def metric_slide(ws: Workshop, metric_id: str) -> PillarSlide | None:
    """The Measurement slide while the room estimates ``metric_id``: its question and
    buckets (worst first, each with its DORA level), "n of N have voted" — and only after
    the reveal how many picked each bucket, the median and the verdict (the statements'
    privacy rule). None for a metric the room does not estimate (a number, or measured)."""
    cat = catalogue()
    if not cat.has(metric_id):
        return None
    m = cat.metric(metric_id)
    rec = ws.metrics.get(metric_id)
    if m.kind != MetricKind.BUCKET or (rec is not None and rec.basis == Basis.MEASURED):
        return None
    pillar = Pillar.MEASUREMENT
    state = ws.pillar_states.get(pillar, PillarState.NOT_STARTED)
    revealed = privacy.shows_results(state)
    picks = rec.all_picks() if rec is not None else []
    counts: list[int | None] = [None] * len(m.buckets)
    progress: VotingProgress | None = None
    result: StatementResult | None = None
    withheld = ""
    if not revealed:
        hands = sum(n for _b, n in rec.hands) if rec is not None and rec.hands else None
        progress = VotingProgress(len(picks), len(ws.participants), hands)
    elif rec is not None and privacy.can_show_metric(ws, rec):
        counts = [picks.count(i) for i in range(len(m.buckets))]
        agrees = rec.room_agrees
        median = m.buckets[rec.bucket] if rec.bucket is not None else None
        # the median as its bucket's number (the rows' badges), its label and level beside
        result = StatementResult(
            mean=str(rec.bucket + 1) if rec.bucket is not None else "—",
            level_name=" · ".join(x for x in (median.short, cat.band(m.id, rec.bucket))
                                  if x) if median is not None else "",
            verdict=NO_VERDICT if agrees is None else AGREE if agrees else DISCUSS,
            answers=len(picks), dont_know=0)
    elif rec is not None:
        withheld = privacy.withheld_text(len(picks))
    levels = tuple(
        LevelRow(i + 1, b.label, cat.band(m.id, i), counts[i])
        for i, b in enumerate(m.buckets))
    estimated = [x for x in cat.metrics if x.kind == MetricKind.BUCKET]
    number = next(i for i, x in enumerate(estimated) if x.id == m.id) + 1
    section = ws.questionnaire.section(pillar)
    return PillarSlide(
        pillar=pillar, title=section.name or pillar.title, state=state,
        explanation=_("Each person picks a bucket; the median pick is recorded. Levels from "
                      "the {source} (DORA).").format(source=cat.source),
        statement_id="", statement_number=number, statement_count=len(estimated),
        statement_text=m.question, levels=levels, progress=progress, result=result,
        withheld=withheld, step=pillar.value, metric_id=m.id,
        caption=_("{name} · delivery metric {number} of {count}").format(
            number=number, count=len(estimated), name=m.name),
    )


# -- before a reveal: what is missing -------------------------------------------------------
@dataclass(frozen=True)
class MissingAnswers:
    """Answers a pillar lacks before it is revealed or finished.

    Attributes:
        unanswered: codes of statements nobody answered ("C2").
        partial: (code, answered, expected) of statements some of the room answered.
    """

    unanswered: tuple[str, ...]
    partial: tuple[tuple[str, int, int], ...]

    def __bool__(self) -> bool:
        return bool(self.unanswered or self.partial)

    @property
    def text(self) -> str:
        lines = []
        if self.partial:
            parts = [_("{code}: {n} of {m}").format(code=code, n=n, m=m)
                     for code, n, m in self.partial]
            lines.append(_("Not everyone has answered — {statements}.").format(
                statements=", ".join(parts)))
        if self.unanswered:
            lines.append(ngettext(
                "{n} statement has no answers yet: {codes} (left out of the pillar's score).",
                "{n} statements have no answers yet: {codes} (left out of the pillar's score).",
                len(self.unanswered)).format(n=len(self.unanswered),
                                             codes=", ".join(self.unanswered)))
        return "\n".join(lines)


def missing_answers(ws: Workshop, pillar: Pillar) -> MissingAnswers:
    """What the room has not answered on ``pillar`` (per person and tallied hands count)."""
    expected = len(ws.participants)
    unanswered: list[str] = []
    partial: list[tuple[str, int, int]] = []
    for s in ws.questionnaire.section(pillar).statements:
        n = ws.answer_count(s.id)
        code = ws.questionnaire.statement_code(s.id)
        if n == 0:
            unanswered.append(code)
        elif expected and n < expected:
            partial.append((code, n, expected))
    return MissingAnswers(tuple(unanswered), tuple(partial))


def first_to_discuss(ws: Workshop, score: WorkshopScore, pillar: Pillar) -> str:
    """The statement the room should discuss first after a reveal: the one it
    disagrees on most ("" when it agrees on all, or none may be shown)."""
    for row in _ranking(ws, score, pillar, ""):
        if (not row.withheld and row.verdict == DISCUSS
                and not row.statement_id.startswith(METRIC_ROW)):
            return row.statement_id
    return ""
