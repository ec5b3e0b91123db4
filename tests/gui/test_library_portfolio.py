"""The portfolio: per-organisation aggregates computed off the GUI thread, table and heatmap."""

from __future__ import annotations

import statistics

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.factory import new_workshop
from calms_desktop.core.model import PILLARS, Participant, Pillar, Vote, VotingMode
from calms_desktop.core.progress import Aggregate
from calms_desktop.gui.library.portfolio import (
    COLUMNS,
    PortfolioScreen,
    aggregate_text,
    column_headers,
)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def make(library, org, team, day, score, *, people=4, mode=VotingMode.NAMED, sharing=None):
    ws = new_workshop(qmod.builtin(), organisation=org, team=team, date=day, voting_mode=mode,
                      participants=[Participant(f"p{i}", f"Person {i}") for i in range(people)])
    for st in ws.questionnaire.statements:
        voters = ws.participants
        if sharing is not None and st.pillar == Pillar.SHARING:
            voters = ws.participants[:sharing]
        for p in voters:
            ws.votes[(st.id, p.id)] = Vote(st.id, p.id, score)
    library.save(ws)
    return ws


@pytest.fixture
def filled(library):
    make(library, "Acme", "Core", "2024-01-01", 1)   # older: not counted
    make(library, "Acme", "Core", "2025-01-01", 3)
    make(library, "acme ", "Edge", "2025-02-01", 5)
    make(library, "Zoë & <Co>", "Solo", "2025-03-01", 2)
    return library


def computed(qtbot, library):
    s = PortfolioScreen(library)
    qtbot.addWidget(s)
    with qtbot.waitSignal(s.computed, timeout=20_000):
        s.load()
    return s


def cells(screen):
    t = screen.ui.orgTable
    return [[t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())]


def test_table_shows_aggregates_per_organisation(qtbot, filled):
    s = computed(qtbot, filled)
    rows = cells(s)
    headers = [s.ui.orgTable.horizontalHeaderItem(i).text() for i in range(len(COLUMNS))]
    assert headers == column_headers()
    assert headers[:4] == ["Organisation", "Workshops", "Teams", "Culture"]
    spread = statistics.pstdev([3, 5])
    assert rows[0] == ["acme", "3", "2", *[f"4.0 ± {spread:.1f}"] * 6]
    assert rows[1] == ["Zoë & <Co>", "1", "1", *["2.0"] * 6]
    assert "2 organisations · 3 teams · 4 workshops" == s.ui.statusLabel.text()
    assert s.ui.progressBar.isHidden() and s.ui.refreshButton.isEnabled()
    tip = s.ui.orgTable.item(0, 3).toolTip()
    assert "over 2 teams" in tip and "range 3.0–5.0" in tip


def test_heatmap_matches_the_table(qtbot, filled):
    s = computed(qtbot, filled)
    assert s.matrix.shape == (2, len(PILLARS) + 1)
    assert s.matrix[0] == pytest.approx([4.0] * 6)
    assert s.matrix[1] == pytest.approx([2.0] * 6)


def test_sorting_is_numeric(qtbot, filled):
    s = computed(qtbot, filled)
    make(filled, "Mid", "M", "2025-01-01", 3)
    with qtbot.waitSignal(s.computed, timeout=20_000):
        s.load()
    t = s.ui.orgTable
    t.sortByColumn(3, Qt.SortOrder.AscendingOrder)
    assert [t.item(r, 0).text() for r in range(3)] == ["Zoë & <Co>", "Mid", "acme"]


def test_anonymous_pillars_with_too_few_answers_are_withheld(qtbot, library):
    make(library, "Anon", "A", "2025-01-01", 3, mode=VotingMode.ANONYMOUS, sharing=2)
    s = computed(qtbot, library)
    row = cells(s)[0]
    sharing = 3 + PILLARS.index(Pillar.SHARING)
    assert row[sharing] == "—" and row[-1] == "—"
    assert row[3] == "3.0"


def test_no_votes_on_screen(qtbot, filled):
    s = computed(qtbot, filled)
    shown = " ".join(" ".join(r) for r in cells(s))
    assert "Person" not in shown


def test_empty_library(qtbot, library):
    s = computed(qtbot, library)
    assert s.ui.orgTable.rowCount() == 0
    assert s.ui.statusLabel.text() == "0 organisations · 0 teams · 0 workshops"


def test_a_newer_load_supersedes_a_running_one(qtbot, filled):
    s = PortfolioScreen(filled)
    qtbot.addWidget(s)
    s.load()
    s.load()
    with qtbot.waitSignal(s.computed, timeout=20_000):
        pass
    s.wait()
    assert not s.busy and s.portfolio is not None and len(s.portfolio.organisations) == 2


def test_aggregate_text():
    assert aggregate_text(Aggregate.of([])) == "—"
    assert aggregate_text(Aggregate.of([3.04])) == "3.0"
    assert aggregate_text(Aggregate.of([2.0, 4.0])) == "3.0 ± 1.0"


def test_delivery_metrics_show_as_distributions(qtbot, library):
    from calms_desktop.core.metrics import Basis, MetricRecord

    for team, bucket in (("Core", 3), ("Edge", 3), ("Solo", 5)):
        ws = make(library, "Acme", team, "2025-01-01", 3)
        ws.metrics["lead_time"] = MetricRecord("lead_time", Basis.MEASURED, bucket=bucket)
        library.save(ws)
    s = computed(qtbot, library)
    assert s.metrics_label is not None and s.metrics_label.isVisibleTo(s)
    assert s.metrics_label.text() == (
        "Delivery metrics, each team's latest (how many teams per bucket, not a "
        "ranking): Change lead time (3 teams): 2 between one day and one week, "
        "1 less than one hour")
    assert "Core" not in s.metrics_label.text()
    newer = make(library, "Acme", "Core", "2025-06-01", 4, people=0)  # no votes yet …
    newer.metrics["lead_time"] = MetricRecord("lead_time", Basis.MEASURED, bucket=5)
    library.save(newer)  # … but its metrics measured: the team's newest metrics count
    s = computed(qtbot, library)
    assert s.metrics_label.text().endswith(
        "Change lead time (3 teams): 1 between one day and one week, 2 less than one hour")
    make(library, "Acme", "Core", "2025-09-01", 4)  # a check-in with votes, no metrics
    s = computed(qtbot, library)
    assert s.metrics_label.text().endswith(  # Core's newest metrics still count
        "Change lead time (3 teams): 1 between one day and one week, 2 less than one hour")
