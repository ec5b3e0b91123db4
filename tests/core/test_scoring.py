"""Scoring: distributions, summary numbers, the consensus rule, pillars, deltas, gaps."""

from __future__ import annotations

import math

import pytest

from calms_desktop.core import scoring
from calms_desktop.core.model import DONT_KNOW, Pillar
from calms_desktop.core.scoring import (
    Distribution,
    fmt,
    level_name,
    level_of,
    score_workshop,
    statement_distribution,
    stats_of,
)

from .factories import put_votes, workshop

DK = DONT_KNOW


def stats(scores: list[int]) -> scoring.Stats:
    return stats_of(Distribution.of(scores))


# -- distributions ---------------------------------------------------------------------


def test_distribution_counts_each_level_and_dont_know():
    d = Distribution.of([1, 2, 2, 3, DK, DK, 5])
    assert d.counts == (1, 2, 1, 0, 1)
    assert d.dont_know == 2
    assert d.scored == 5
    assert d.total == 7
    assert d.scores() == [1, 2, 2, 3, 5]


def test_distributions_add_level_by_level():
    a = Distribution((1, 0, 2, 0, 0), 1)
    b = Distribution((0, 3, 1, 0, 4), 2)
    assert a + b == Distribution((1, 3, 3, 0, 4), 3)


def test_stats_of_a_known_distribution():
    # 1, 2, 2, 3: mean 2, median 2, pstdev sqrt((1 + 0 + 0 + 1) / 4) = sqrt(0.5)
    s = stats([1, 2, 2, 3])
    assert s.mean == 2.0
    assert s.median == 2.0
    assert s.spread == pytest.approx(math.sqrt(0.5))
    assert (s.low, s.high) == (1, 3)


def test_stats_of_an_uneven_distribution():
    # 2, 4, 4, 5: mean 3.75; median (4 + 4) / 2 = 4;
    # deviations -1.75, .25, .25, 1.25 -> squares sum 4.75 -> pstdev sqrt(1.1875)
    s = stats([2, 4, 4, 5])
    assert s.mean == 3.75
    assert s.median == 4.0
    assert s.spread == pytest.approx(math.sqrt(1.1875))


def test_median_of_an_even_count_is_the_middle_of_the_two():
    assert stats([1, 2, 4, 5]).median == 3.0
    assert stats([1, 2, 3, 5]).median == 2.5


def test_dont_know_is_counted_but_not_scored():
    s = stats([5, 5, DK, DK, DK])
    assert s.distribution.total == 5
    assert s.distribution.dont_know == 3
    assert s.mean == 5.0
    assert s.spread == 0.0


def test_no_scored_answers_has_no_numbers():
    s = stats([DK, DK])
    assert (s.mean, s.median, s.spread, s.low, s.high) == (None, None, None, None, None)
    assert s.consensus is None
    assert s.disagreement == -1.0


# -- the consensus rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scores", "verdict"),
    [
        ([3, 3, 4, 4], True),  # two adjacent levels
        ([4, 4, 4], True),  # unanimous
        ([1, 2], True),  # adjacent
        ([1, 4, 4], False),  # 3 levels apart: always discuss
        ([1, 5], False),
        ([1, 2, 3, 4], False),  # range 3, whatever the spread
        ([2, 3, 3, 3, 4], True),  # range 2, pstdev sqrt(0.4) ~ 0.63 <= 0.8
        ([3, 3, 3, 3, 5], True),  # range 2, pstdev exactly 0.8: still agrees
        # Range 2 split down the middle: pstdev 1.0 > 0.8 -> a polarised room.
        ([2, 2, 4, 4], False),
        ([1, 1, 1, 3, 3, 3], False),
        ([2, 2, 2, 4, 4], False),  # pstdev ~0.98
        ([3], None),  # one scored answer: no verdict
        ([3, DK, DK], None),  # don't know does not count towards the minimum
        ([], None),
    ],
)
def test_consensus_rule(scores, verdict):
    assert stats(scores).consensus is verdict


def test_range_two_is_decided_by_the_spread():
    # Scores spanning two levels agree unless the room is split towards both
    # ends (population standard deviation above SPREAD_LIMIT).
    import itertools

    from calms_desktop.core.scoring import SPREAD_LIMIT

    for counts in itertools.product(range(4), repeat=3):
        for low in (1, 2, 3):
            scores = [low] * counts[0] + [low + 1] * counts[1] + [low + 2] * counts[2]
            s = stats(scores)
            if s.distribution.scored >= 2:
                assert s.spread is not None
                expected = s.high - s.low <= 1 or s.spread <= SPREAD_LIMIT + 1e-9
                assert s.consensus is expected, scores


def test_statements_ordered_by_disagreement():
    ws = workshop(4)
    sec = ws.questionnaire.section(Pillar.LEAN)
    put_votes(ws, "lean.s0", [3, 3, 3, 3])  # spread 0
    put_votes(ws, "lean.s1", [1, 5, 1, 5])  # spread 2
    ws_score = score_workshop(ws)
    ordered = [s.statement.id for s in ws_score.by_disagreement(Pillar.LEAN)]
    assert ordered == ["lean.s1", "lean.s0"]
    assert len(sec.statements) == 2
    assert ws_score.pillars[Pillar.LEAN].discuss_count == 1


def test_disagreement_is_spread_with_range_as_tie_breaker():
    # spread + range / 100: the range only decides between equal spreads.
    assert stats([2, 4]).disagreement == pytest.approx(1.0 + 2 / 100)
    assert stats([3, 3]).disagreement == 0.0
    assert stats([1, 5]).disagreement > stats([2, 4]).disagreement
    assert stats([1, 3]).disagreement == stats([2, 4]).disagreement


# -- statements: votes and tallies together ----------------------------------------------


def test_tally_is_combined_with_per_person_votes():
    ws = workshop(2)
    sid = "culture.s0"
    put_votes(ws, sid, [4, 5])
    ws.tallies[sid] = {3: 2, DK: 1}
    d = statement_distribution(ws, sid)
    assert d == Distribution((0, 0, 2, 1, 1), 1)
    s = stats_of(d)
    assert s.mean == (3 + 3 + 4 + 5) / 4
    assert s.median == 3.5
    assert ws.answer_count(sid) == 5


def test_tally_alone_is_scored():
    ws = workshop(0)
    ws.tallies["automation.s1"] = {1: 1, 2: 0, 5: 3}
    s = stats_of(statement_distribution(ws, "automation.s1"))
    assert s.distribution.counts == (1, 0, 0, 0, 3)
    assert s.mean == (1 + 15) / 4


# -- pillars, overall, levels --------------------------------------------------------------


def test_pillar_mean_is_the_mean_of_statement_means_and_spread_pools_answers():
    ws = workshop(4)
    put_votes(ws, "culture.s0", [1, 1, 1, 1])  # mean 1
    put_votes(ws, "culture.s1", [5])  # mean 5 (one person)
    p = score_workshop(ws).pillars[Pillar.CULTURE]
    assert p.mean == 3.0  # (1 + 5) / 2, each statement weighs the same
    assert p.pooled.mean == 9 / 5  # pooled answers: 1, 1, 1, 1, 5
    assert p.pooled.distribution == Distribution((4, 0, 0, 0, 1), 0)


def test_overall_is_the_mean_of_pillar_means_with_data():
    ws = workshop(2)
    put_votes(ws, "culture.s0", [2, 2])
    put_votes(ws, "automation.s0", [4, 4])
    put_votes(ws, "lean.s0", [3, 5])
    put_votes(ws, "lean.s1", [DK, DK])  # no scored answers: not part of the mean
    score = score_workshop(ws)
    assert score.pillars[Pillar.LEAN].mean == 4.0
    assert score.pillars[Pillar.MEASUREMENT].mean is None
    assert score.overall == pytest.approx((2 + 4 + 4) / 3)
    assert [p.pillar for p in score.strongest()] == [
        Pillar.AUTOMATION,  # 4.0, ties broken by the CALMS order
        Pillar.LEAN,
        Pillar.CULTURE,
    ]


def test_empty_workshop_scores_nothing():
    score = score_workshop(workshop(3))
    assert score.overall is None
    assert all(p.mean is None for p in score.pillars.values())
    assert score.delta is None


@pytest.mark.parametrize(
    ("mean", "level"),
    # the level of the shown score: 1.49 shows as "1.5" (level 2), 1.449 as "1.4" (level 1)
    [(1.0, 1), (1.449, 1), (1.49, 2), (1.5, 2), (2.5, 3), (2.4999, 3), (2.4499, 2), (3.5, 4),
     (4.5, 5), (5.0, 5), (0.2, 1), (None, None)],
)
def test_level_of_rounds_half_up(mean, level):
    assert level_of(mean) == level


def test_level_name_uses_the_questionnaire():
    ws = workshop(1)
    assert level_name(ws, 2.5) == "Practised"
    assert level_name(ws, 1.2) == "Ad hoc"
    assert level_name(ws, None) == "—"


# -- baseline and targets ------------------------------------------------------------------


def test_delta_against_the_baseline():
    base = workshop(2, wid="base")
    now = workshop(2, wid="now")
    put_votes(base, "culture.s0", [2, 2])
    put_votes(base, "culture.s1", [1, 3])
    put_votes(now, "culture.s0", [3, 4])
    put_votes(now, "culture.s1", [2, 2])
    put_votes(now, "sharing.s0", [5, 5])  # no baseline for sharing
    score = score_workshop(now, base)
    culture = score.pillars[Pillar.CULTURE]
    s0, s1 = culture.statements
    assert s0.baseline_mean == 2.0
    assert s0.delta == 1.5
    assert s1.delta == 0.0
    assert culture.baseline_mean == 2.0
    assert culture.mean == 2.75
    assert culture.delta == 0.8  # the printed 2.8 − the printed 2.0
    assert score.pillars[Pillar.SHARING].delta is None
    # overall: now (2.75 + 5) / 2; baseline 2.0 (culture only)
    assert score.overall == pytest.approx(3.875)
    assert score.baseline_overall == 2.0
    assert score.delta == pytest.approx(1.9)  # the printed 3.9 − the printed 2.0


def test_no_baseline_means_no_delta():
    ws = workshop(2)
    put_votes(ws, "culture.s0", [3, 3])
    score = score_workshop(ws)
    assert score.pillars[Pillar.CULTURE].delta is None
    assert score.pillars[Pillar.CULTURE].statements[0].delta is None


def test_gap_to_target():
    ws = workshop(4)
    put_votes(ws, "measurement.s0", [3, 3, 4, 3])  # 3.25
    put_votes(ws, "measurement.s1", [3, 3, 3, 3])  # 3.0
    ws.targets[Pillar.MEASUREMENT] = 4
    ws.targets[Pillar.CULTURE] = 2  # no votes: no gap
    put_votes(ws, "automation.s0", [5, 5, 5, 5])
    ws.targets[Pillar.AUTOMATION] = 3  # above target: negative gap
    score = score_workshop(ws)
    assert score.pillars[Pillar.MEASUREMENT].mean == 3.125
    assert score.pillars[Pillar.MEASUREMENT].gap == 0.9  # 4 − the printed 3.1
    assert score.pillars[Pillar.CULTURE].gap is None
    assert score.pillars[Pillar.AUTOMATION].gap == -2.0
    assert score.pillars[Pillar.LEAN].gap is None  # no target


def test_demo_re_assessment_improves_on_its_baseline(demo_pair):
    first, second = demo_pair
    score = score_workshop(second, first)
    assert score.overall is not None and score.baseline_overall is not None
    assert score.delta > 0
    for p in score.pillars.values():
        assert 1.0 <= p.mean <= 5.0
        assert p.target is not None


# -- formatting ------------------------------------------------------------------------------


def test_fmt():
    assert fmt(3.44) == "3.4"
    assert fmt(3.45, digits=2) == "3.45"
    assert fmt(0.6, signed=True) == "+0.6"
    assert fmt(-0.5, signed=True) == "−0.5"  # a real minus sign
    assert fmt(None) == "—"


def test_a_given_baseline_score_is_used_as_is(demo_pair):
    first, second = demo_pair
    direct = score_workshop(second, first)
    reused = score_workshop(second, baseline_score=score_workshop(first))
    assert reused.baseline_overall == direct.baseline_overall
    assert reused.delta == direct.delta
    for p in direct.pillars:
        assert reused.pillars[p].delta == direct.pillars[p].delta


@pytest.mark.parametrize("mean, shown, level", [
    (2.46, "2.5", 3),     # was "2.5 Emerging": the level came from the unrounded mean
    (2.549, "2.5", 3),
    (2.449, "2.4", 2),
    (2.45, "2.5", 3),     # half up, not to even and not by binary representation
    (3.45, "3.5", 4),
    (2.4499999999999997, "2.5", 3),  # floating-point noise of a mean of means
    (1.0, "1.0", 1),
    (4.96, "5.0", 5),
])
def test_a_shown_score_and_its_level_agree(mean, shown, level):
    assert fmt(mean) == shown
    assert level_of(mean) == level


def test_every_shown_score_has_the_level_it_reads_as():
    """For every mean a workshop can have, the printed number decides the level."""
    for k in range(1000, 5001):
        mean = k / 1000
        text = fmt(mean)
        assert level_of(mean) == level_of(float(text)), (mean, text)
        assert level_of(mean) == max(1, min(5, int(float(text) + 0.5))), (mean, text)


def test_fmt_never_prints_minus_zero():
    assert fmt(-0.04, signed=True) == "+0.0"
    assert fmt(-0.04) == "0.0"


def test_fmt_takes_numpy_numbers_and_prints_no_nan():
    import numpy as np

    assert fmt(np.float64(2.46)) == "2.5"
    assert level_of(np.float64(2.46)) == 3
    assert fmt(float("nan")) == "—"


def test_a_change_is_always_the_difference_of_the_printed_scores():
    base = workshop(25, wid="base")
    now = workshop(25, wid="now")
    # means 2.24 and 2.88: printed 2.2 and 2.9, so the change prints +0.7
    put_votes(base, "culture.s0", [2] * 19 + [3] * 6)
    put_votes(now, "culture.s0", [3] * 22 + [2] * 3)
    ss = score_workshop(now, base).pillars[Pillar.CULTURE].statements[0]
    assert fmt(ss.stats.mean) == "2.9" and fmt(ss.baseline_mean) == "2.2"
    assert fmt(ss.delta, signed=True) == "+0.7"
