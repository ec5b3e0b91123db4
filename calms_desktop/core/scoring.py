"""Scores: per statement, per pillar, overall; deltas and gaps.

Rules (shown to facilitators in the README):

* An answer is 1–5 or "don't know". "Don't know" is counted and reported but
  never scored.
* A statement's answers are the per-person votes plus the hands of its
  show-of-hands tally.
* **Mean, median, spread** are over the scored answers; spread is the
  population standard deviation.
* **Consensus rule**: with at least 2 scored answers, the room *agrees* when
  the scores span at most two adjacent levels (max − min ≤ 1), or when no two
  answers are 3 or more levels apart and the standard deviation is at most
  0.8. Otherwise the statement is flagged **discuss**. In short: a 1 and a 4
  in the same room is always worth a conversation, and so is a room split
  between 2s and 4s (spread 1.0), while one outlier two levels off
  (3, 3, 3, 3, 5: spread 0.8) is not.
* A **pillar's** mean is the mean of its statement means (each statement
  weighs the same, however many answered it); its spread pools its answers.
* **Overall** is the mean of the five pillar means.
* **Delta** = this mean − baseline mean; **gap** = target − this mean
  (positive: below target).
* **One number, one level** (:func:`shown_score`): a score is shown rounded
  half up to one decimal (2.46 → 2.5, 2.449 → 2.4), and its **maturity level**
  is the level of that shown number, halves rounding up (2.5 → level 3). So
  a printed "2.5" is always level 3, wherever it is printed: console,
  projector, PDF and CSV all go through :func:`fmt` and :func:`level_of`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .i18n import format_number
from .model import DONT_KNOW, PILLARS, SCORES, Pillar, Statement, Workshop

#: Below this many scored answers there is no consensus verdict.
MIN_FOR_CONSENSUS = 2
#: Standard deviation above which the room is said to disagree.
SPREAD_LIMIT = 0.8
#: Two answers this many levels apart always mean "discuss".
RANGE_LIMIT = 3


@dataclass(frozen=True)
class Distribution:
    """How many answers each level got (and how many said "don't know")."""

    counts: tuple[int, int, int, int, int] = (0, 0, 0, 0, 0)
    dont_know: int = 0

    @property
    def scored(self) -> int:
        return sum(self.counts)

    @property
    def total(self) -> int:
        return self.scored + self.dont_know

    def scores(self) -> list[int]:
        return [lvl for lvl, n in zip(SCORES, self.counts, strict=True) for _ in range(n)]

    def __add__(self, other: Distribution) -> Distribution:
        counts = tuple(a + b for a, b in zip(self.counts, other.counts, strict=True))
        return Distribution(counts, self.dont_know + other.dont_know)  # type: ignore[arg-type]

    @classmethod
    def of(cls, answers: list[int]) -> Distribution:
        counts = [0] * 5
        dk = 0
        for a in answers:
            if a == DONT_KNOW:
                dk += 1
            else:
                counts[a - 1] += 1
        return cls(tuple(counts), dk)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Stats:
    """Summary numbers for a set of answers."""

    distribution: Distribution
    mean: float | None
    median: float | None
    spread: float | None  # population standard deviation
    low: int | None
    high: int | None

    @property
    def has_consensus_verdict(self) -> bool:
        return self.distribution.scored >= MIN_FOR_CONSENSUS

    @property
    def consensus(self) -> bool | None:
        """True (agrees), False (discuss) or None (too few scored answers)."""
        if not self.has_consensus_verdict:
            return None
        assert self.low is not None and self.high is not None and self.spread is not None
        if self.high - self.low <= 1:
            return True
        return self.spread <= SPREAD_LIMIT + 1e-9 and self.high - self.low < RANGE_LIMIT

    @property
    def disagreement(self) -> float:
        """A sort key: larger means the room disagrees more."""
        if self.spread is None or self.low is None or self.high is None:
            return -1.0
        return self.spread + (self.high - self.low) / 100


def stats_of(dist: Distribution) -> Stats:
    """Mean, median, spread and range of the scored answers, from the counts alone.

    The same numbers as :mod:`statistics` gives for the expanded list of
    scores (``fmean``, ``median``, ``pstdev``, each correctly rounded), in
    integer arithmetic: a room's burst of phone votes recomputes a handful
    of statements, and ``statistics.pstdev`` works in fractions (0.6 ms for
    200 answers).
    """
    n = dist.scored
    if not n:
        return Stats(dist, None, None, None, None, None)
    levels = [(lvl, c) for lvl, c in zip(SCORES, dist.counts, strict=True) if c]
    total = sum(lvl * c for lvl, c in levels)
    squares = sum(lvl * lvl * c for lvl, c in levels)
    return Stats(
        distribution=dist,
        mean=total / n,
        median=_median_of_counts(levels, n),
        spread=_sqrt_of_fraction(n * squares - total * total, n * n),
        low=levels[0][0],
        high=levels[-1][0],
    )


def _median_of_counts(levels: list[tuple[int, int]], n: int) -> float:
    """``statistics.median`` of the scores ``levels`` (level, count) stand for."""
    def nth(k: int) -> int:  # the k-th score (0-based) in ascending order
        for lvl, c in levels:
            if k < c:
                return lvl
            k -= c
        raise IndexError(k)

    if n % 2:
        return float(nth(n // 2))
    return (nth(n // 2 - 1) + nth(n // 2)) / 2


def _sqrt_of_fraction(num: int, den: int) -> float:
    """sqrt(num / den) correctly rounded to a float (num >= 0, den > 0).

    As ``statistics.pstdev`` rounds (CPython's ``_float_sqrt_of_frac``, after
    https://bugs.python.org/msg407078): an integer square root of the fraction
    scaled to 2×53+3 bits, its last bit set when inexact (round to odd), then
    one float division.
    """
    if num == 0:
        return 0.0
    q = (num.bit_length() - den.bit_length() - _SQRT_BITS) // 2
    if q >= 0:
        return float(_isqrt_rto(num, den << 2 * q) << q)
    return _isqrt_rto(num << -2 * q, den) / (1 << -q)


_SQRT_BITS = 2 * 53 + 3


def _isqrt_rto(num: int, den: int) -> int:
    """floor(sqrt(num / den)), with its lowest bit set when that is not exact."""
    root = math.isqrt(num // den)
    return root | (root * root * den != num)


def statement_distribution(ws: Workshop, statement_id: str) -> Distribution:
    answers = [v.score for v in ws.votes_for(statement_id)]
    dist = Distribution.of(answers)
    tally = ws.tallies.get(statement_id)
    if tally:
        counts = tuple(tally.get(level, 0) for level in SCORES)
        dist = dist + Distribution(counts, tally.get(DONT_KNOW, 0))  # type: ignore[arg-type]
    return dist


@dataclass(frozen=True)
class StatementScore:
    statement: Statement
    stats: Stats
    baseline_mean: float | None = None

    @property
    def delta(self) -> float | None:
        return shown_difference(self.stats.mean, self.baseline_mean)


@dataclass(frozen=True)
class PillarScore:
    pillar: Pillar
    statements: tuple[StatementScore, ...]
    mean: float | None
    pooled: Stats
    target: int | None = None
    baseline_mean: float | None = None

    @property
    def delta(self) -> float | None:
        return shown_difference(self.mean, self.baseline_mean)

    @property
    def gap(self) -> float | None:
        """Target − mean: positive when the team is below its target."""
        return shown_difference(float(self.target) if self.target else None, self.mean)

    @property
    def discuss_count(self) -> int:
        return sum(1 for s in self.statements if s.stats.consensus is False)


@dataclass(frozen=True)
class WorkshopScore:
    pillars: dict[Pillar, PillarScore] = field(default_factory=dict)
    overall: float | None = None
    baseline_overall: float | None = None

    @property
    def delta(self) -> float | None:
        return shown_difference(self.overall, self.baseline_overall)

    def strongest(self) -> list[PillarScore]:
        """Pillars with a mean, best first."""
        scored = [p for p in self.pillars.values() if p.mean is not None]
        return sorted(scored, key=lambda p: (-(p.mean or 0), PILLARS.index(p.pillar)))

    def by_disagreement(self, pillar: Pillar) -> list[StatementScore]:
        """The pillar's statements, most disagreement first (discuss those first)."""
        return sorted(self.pillars[pillar].statements, key=lambda s: -s.stats.disagreement)


def shown_difference(a: float | None, b: float | None) -> float | None:
    """``a − b`` of the numbers as shown (one decimal, :func:`shown_score`).

    A change or a gap is always the difference of the two printed scores:
    2.24 → 2.88 prints as 2.2 → 2.9 and its change as +0.7, never the +0.6
    of the unrounded means that a reader could not check.
    """
    if a is None or b is None:
        return None
    if not (math.isfinite(a) and math.isfinite(b)):
        return a - b
    return float(shown_score(a) - shown_score(b))



def _mean(values: list[float | None]) -> float | None:
    present = [x for x in values if x is not None]
    return statistics.fmean(present) if present else None


def score_statement(ws: Workshop, statement: Statement) -> StatementScore:
    return StatementScore(statement, stats_of(statement_distribution(ws, statement.id)))


def score_workshop(
    ws: Workshop, baseline: Workshop | None = None, *, baseline_score: WorkshopScore | None = None,
    stats: Mapping[str, Stats] | None = None,
) -> WorkshopScore:
    """Score every statement and pillar; compare with ``baseline`` if given.

    ``baseline_score`` (the baseline's own score) saves scoring the baseline
    again when the caller already has it, e.g. on every vote in the console.
    ``stats`` are statements' stats the caller already has (the live room
    keeps them between votes); the others are computed.
    """
    base = baseline_score
    if base is None and baseline is not None:
        base = score_workshop(baseline)
    base_statements: dict[str, float | None] = {}
    if base is not None:
        for ps in base.pillars.values():
            for ss in ps.statements:
                base_statements[ss.statement.id] = ss.stats.mean
    pillars: dict[Pillar, PillarScore] = {}
    for sec in ws.questionnaire.sections:
        st_scores = tuple(
            StatementScore(
                s,
                stats[s.id] if stats is not None and s.id in stats
                else stats_of(statement_distribution(ws, s.id)),
                base_statements.get(s.id),
            )
            for s in sec.statements
        )
        pooled = Distribution()
        for ss in st_scores:
            pooled = pooled + ss.stats.distribution
        pillars[sec.pillar] = PillarScore(
            pillar=sec.pillar,
            statements=st_scores,
            mean=_mean([ss.stats.mean for ss in st_scores]),
            pooled=stats_of(pooled),
            target=ws.targets.get(sec.pillar),
            baseline_mean=base.pillars[sec.pillar].mean if base else None,
        )
    return WorkshopScore(
        pillars=pillars,
        overall=_mean([p.mean for p in pillars.values()]),
        baseline_overall=base.overall if base else None,
    )


def shown_score(value: float, digits: int = 1) -> Decimal:
    """``value`` as people see it: rounded half up to ``digits`` decimals (2.45 → 2.5).

    The one rounding rule of the app. The value is first taken to 9 decimals,
    so a mean that floating point makes 2.4499999999 counts as the 2.45 it is.
    """
    exact = Decimal(repr(float(value))).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)
    return exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def level_of(mean: float | None) -> int | None:
    """The maturity level of a mean: the level its shown score (:func:`shown_score`)
    rounds to, halves up (2.46 shows as 2.5 → 3; 2.449 shows as 2.4 → 2)."""
    if mean is None or math.isnan(mean):
        return None
    shown = shown_score(mean)
    return max(1, min(5, int(shown.quantize(Decimal(1), rounding=ROUND_HALF_UP))))


def level_name(ws: Workshop, mean: float | None) -> str:
    level = level_of(mean)
    return ws.questionnaire.level_name(level) if level is not None else "—"


def fmt(value: float | None, digits: int = 1, signed: bool = False) -> str:
    """Format a score for people: ``3.4``, ``+0.6``, or ``—`` when there is none."""
    if value is None or not math.isfinite(value):
        return "—"
    # The active language's decimal sign (3.4 / 3,4), never the machine locale's.
    return format_number(shown_score(value, digits), digits, signed=signed)


def fmt_change(delta: float | None, digits: int = 1) -> str:
    """Format a change for people: ``+0.6``, ``−0.3``, ``±0.0`` when it rounds to
    nothing (never ``−0.0``), ``—`` when there is none; the language's decimal sign."""
    if delta is not None and math.isfinite(delta) and abs(delta) < 0.5 * 10 ** -digits:
        return "±" + fmt(0.0, digits)
    return fmt(delta, digits, signed=True)
