"""``stats_of`` works from a distribution's counts: the very numbers ``statistics`` gives."""

from __future__ import annotations

import statistics

from hypothesis import given, settings
from hypothesis import strategies as st

from calms_desktop.core.scoring import Distribution, stats_of

counts = st.tuples(*[st.integers(0, 400)] * 5)


@settings(max_examples=400, deadline=None)
@given(counts, st.integers(0, 30))
def test_stats_from_counts_equal_statistics_on_the_expanded_scores(c, dont_know):
    dist = Distribution(c, dont_know)
    got = stats_of(dist)
    scores = dist.scores()
    if not scores:
        assert (got.mean, got.median, got.spread, got.low, got.high) == (None,) * 5
        return
    assert got.mean == statistics.fmean(scores)
    assert got.median == float(statistics.median(scores))
    assert got.spread == statistics.pstdev(scores)  # bit for bit: both correctly rounded
    assert (got.low, got.high) == (min(scores), max(scores))


def test_hand_worked_spreads():
    assert stats_of(Distribution((0, 0, 3, 0, 0))).spread == 0.0
    assert stats_of(Distribution((1, 0, 0, 0, 1))).spread == 2.0  # 1 and 5: mean 3, sd 2
    two = stats_of(Distribution((0, 1, 1, 0, 0)))  # 2 and 3
    assert (two.mean, two.median, two.spread) == (2.5, 2.5, 0.5)
