"""The radar's numbers as text (the accessible table beside the chart)."""

from __future__ import annotations

from calms_desktop.charts.radar import RadarData, value_table
from calms_desktop.core.model import PILLARS, Pillar


def test_one_row_per_pillar_one_column_per_series_formatted_as_scores():
    current = {p: None for p in PILLARS} | {Pillar.CULTURE: 3.25, Pillar.LEAN: 2.0}
    baseline = {p: 2.5 for p in PILLARS}
    table = value_table(RadarData(current, baseline, None))
    assert table.columns == ("This workshop", "Baseline")
    assert [row[0] for row in table.rows] == [p.title for p in PILLARS]
    assert table.rows[0] == ("Culture", "3.3", "2.5")  # rounded as every screen prints it
    assert table.rows[1] == ("Automation", "—", "2.5")  # not revealed yet: no score
    assert table.describe().startswith("Culture: This workshop 3.3, Baseline 2.5; "
                                       "Automation: This workshop —, Baseline 2.5;")


def test_targets_get_their_own_column():
    table = value_table(RadarData({p: 1.0 for p in PILLARS}, None, {p: 4.0 for p in PILLARS}))
    assert table.columns == ("This workshop", "Target")
    assert all(row[1:] == ("1.0", "4.0") for row in table.rows)
