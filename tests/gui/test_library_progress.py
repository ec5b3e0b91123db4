"""Team progress: the team picker, trend chart numbers, deltas table, radar overlay, actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core.demo import ORGANISATION, TEAM, install_demo
from calms_desktop.core.factory import reassessment_of
from calms_desktop.core.i18n import format_date
from calms_desktop.core.model import PILLARS, Pillar, Vote, VotingMode
from calms_desktop.core.scoring import fmt, score_workshop, shown_difference
from calms_desktop.gui.library.progress import TeamProgressScreen, delta_text, team_label

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def three(library):
    """The demo pair plus a third assessment where everyone answers 4."""
    first, second = install_demo(library)
    third = reassessment_of(second)
    third.date = "2099-01-01"
    third.title = "Third <b>time</b>"
    for st in third.questionnaire.statements:
        for p in third.participants[:4]:
            third.votes[(st.id, p.id)] = Vote(st.id, p.id, 4)
    library.save(third)
    other = reassessment_of(first)
    other.organisation, other.team = "Other Org", "Other Team"
    library.save(other)
    return first, second, third


@pytest.fixture
def screen(qtbot, library, three):
    s = TeamProgressScreen(library)
    qtbot.addWidget(s)
    s.resize(1200, 700)
    s.set_team(ORGANISATION.lower(), TEAM.upper())
    s.load()
    s.show()
    qtbot.waitExposed(s)
    return s


def test_team_picker_lists_every_team(screen):
    combo = screen.ui.teamCombo
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == [f"{ORGANISATION} — {TEAM} (3)", "Other Org — Other Team (1)"]
    assert combo.currentIndex() == 0


def test_trend_chart_shows_the_core_scores(screen, three):
    assert [p.id for p in screen.trend.points] == [w.id for w in three]
    for p in PILLARS:
        _xs, ys = screen.trend_chart.series(p)
        assert ys == pytest.approx([score_workshop(w).pillars[p].mean for w in three])
    assert "3 workshops" in screen.ui.summaryLabel.text()
    assert "Overall" in screen.ui.summaryLabel.text()


def test_deltas_table(screen, three):
    table = screen.ui.deltaTable
    assert table.columnCount() == 3 and table.rowCount() == len(PILLARS) + 1
    assert table.verticalHeaderItem(0).text() == "Culture"
    assert table.verticalHeaderItem(len(PILLARS)).text() == "Overall"
    head = table.horizontalHeaderItem(2).text()
    assert head.startswith("1 Jan 2099") and "Third <b>time</b>" in head  # the UI's date
    scores = [score_workshop(w) for w in three]
    c0 = scores[0].pillars[Pillar.CULTURE].mean
    c1 = scores[1].pillars[Pillar.CULTURE].mean
    assert table.item(0, 0).text() == fmt(c0)
    # the difference of the printed scores, as the summary and the reports say it
    change = shown_difference(c1, c0)
    assert table.item(0, 1).text() == delta_text(c1, change, False, False)
    assert fmt(change, signed=True) in table.item(0, 1).text()
    assert table.item(0, 2).text().startswith("4.0")


def test_delta_text():
    assert delta_text(3.4, 0.3, False, False) == "3.4  ▲ +0.3"
    assert delta_text(2.9, -0.2, False, False) == "2.9  ▼ −0.2"
    assert delta_text(3.0, 0.0, False, False) == "3.0  = 0.0"
    assert delta_text(2.6, -0.01, False, False) == "2.6  = 0.0"
    assert delta_text(None, None, False, False) == "—"
    assert delta_text(None, None, True, False) == "withheld"
    assert delta_text(3.1, None, False, True) == "3.1"


def test_carried_actions_table(screen, three):
    first, second, _third = three
    table = screen.ui.actionsTable
    assert table.rowCount() == len(first.actions)
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(6)]
            for r in range(table.rowCount())}
    row = rows["Automate the Thursday production deploy"]
    assert row[1] == "José Álvarez" and row[2] == "Automation"
    assert row[3].startswith(format_date(first.date, "short"))
    assert row[4].startswith(format_date(second.date, "short"))
    assert row[5] == "Carried over — now in progress"
    assert rows["Start a developer-on-support rota"][5] == "Done"


def test_radar_overlay_defaults_to_the_latest_two_and_takes_up_to_four(qtbot, screen, three):
    first, second, third = three
    screen.ui.tabs.setCurrentWidget(screen.ui.radarTab)
    assert [p.id for p in screen.overlay_points()] == [second.id, third.id]
    _a, radii = screen.radar_chart.series(1)
    assert radii[:5] == pytest.approx([4.0] * 5)
    lst = screen.ui.overlayList
    assert lst.item(0).text().startswith("1 Jan 2099")  # newest first
    lst.item(2).setCheckState(Qt.CheckState.Checked)  # the baseline
    assert [p.id for p in screen.overlay_points()] == [first.id, second.id, third.id]
    _a, radii = screen.radar_chart.series(0)
    expected = score_workshop(first).pillars[Pillar.CULTURE].mean
    assert radii[0] == pytest.approx(expected)
    assert "3 workshops" in screen.ui.overlayHint.text()
    lst.item(0).setCheckState(Qt.CheckState.Unchecked)
    lst.item(1).setCheckState(Qt.CheckState.Unchecked)
    assert "Tick two to four" in screen.ui.overlayHint.text()
    assert not screen.radar_chart.lines[1].get_visible()


def test_a_fifth_workshop_is_refused(qtbot, library, three):
    first, second, third = three
    extra = []
    for i in range(2):
        ws = reassessment_of(third)
        ws.date = f"2100-0{i + 1}-01"
        library.save(ws)
        extra.append(ws)
    s = TeamProgressScreen(library)
    qtbot.addWidget(s)
    s.set_team(ORGANISATION, TEAM)
    s.set_overlay([first.id, second.id, third.id, extra[0].id])
    lst = s.ui.overlayList
    newest = next(lst.item(i) for i in range(lst.count())
                  if lst.item(i).data(Qt.ItemDataRole.UserRole) == extra[1].id)
    newest.setCheckState(Qt.CheckState.Checked)
    assert newest.checkState() == Qt.CheckState.Unchecked
    assert "At most 4" in s.ui.overlayHint.text()
    assert len(s.overlay_points()) == 4
    with pytest.raises(ValueError):
        s.set_overlay([w.id for w in (first, second, third, *extra)])


def test_switching_team_with_the_picker(qtbot, screen):
    screen.ui.teamCombo.setCurrentIndex(1)
    assert screen.trend.team == "Other Team" and len(screen.trend.points) == 1
    assert screen.ui.deltaTable.columnCount() == 1
    assert screen.ui.actionsTable.rowCount() == 0
    assert "re-assessment reviews" in screen.ui.actionsLabel.text()


def test_unknown_team_shows_an_empty_state(qtbot, library, three):
    s = TeamProgressScreen(library)
    qtbot.addWidget(s)
    s.set_team("Nobody", "Nothing")
    assert s.trend.points == ()
    assert "no workshops yet" in s.ui.summaryLabel.text()
    assert "No workshops" in s.trend_chart._message.get_text()


def test_empty_library(qtbot, library):
    s = TeamProgressScreen(library)
    qtbot.addWidget(s)
    s.load()
    assert s.ui.teamCombo.count() == 0
    assert "No workshops in the library" in s.ui.summaryLabel.text()


def test_anonymous_results_are_withheld(qtbot, library, three):
    _first, _second, third = three
    anon = reassessment_of(third)
    anon.date = "2100-06-01"
    anon.voting_mode = VotingMode.ANONYMOUS
    for st in anon.questionnaire.statements:
        voters = anon.participants[:2] if st.pillar == Pillar.SHARING else anon.participants[:3]
        for p in voters:
            anon.votes[(st.id, p.id)] = Vote(st.id, p.id, 2)
    library.save(anon)
    s = TeamProgressScreen(library)
    qtbot.addWidget(s)
    s.set_team(ORGANISATION, TEAM)
    assert not s.ui.privacyLabel.isHidden()
    sharing = PILLARS.index(Pillar.SHARING)
    col = s.ui.deltaTable.columnCount() - 1
    assert s.ui.deltaTable.item(sharing, col).text() == "withheld"
    assert s.ui.deltaTable.item(len(PILLARS), col).text() == "withheld"
    _xs, ys = s.trend_chart.series(Pillar.SHARING)
    assert ys[-1] != ys[-1]  # NaN: no point drawn
    assert s.ui.deltaTable.item(0, col).text().startswith("2.0")


def test_files_are_read_once(qtbot, screen, monkeypatch):
    from calms_desktop.core import fileformat

    calls = []
    real = fileformat.read_file
    monkeypatch.setattr(fileformat, "read_file", lambda p: calls.append(p) or real(p))
    screen.load()
    screen.set_team(ORGANISATION, TEAM)
    assert calls == []


def test_team_label():
    assert team_label("", "", 2) == "(no organisation) — (no team) (2)"
    assert len(team_label("x" * 1000, "y\n" * 500)) < 140


def test_the_metric_small_multiples_are_readable_at_1366x768(qtbot, app_window):
    """Breaking pass: nine panels squeezed into the tab, tiny and overlapping."""
    from calms_desktop.gui.library import progress as prog

    w = app_window
    w.open_demo()
    w.show_library("progress")
    s = w.findChild(TeamProgressScreen)
    s.ui.tabs.setCurrentWidget(s.metrics_tab)
    qtbot.waitUntil(lambda: s._metrics_canvas is not None and bool(s.metrics_series))
    canvas = s._metrics_canvas
    qtbot.waitUntil(lambda: canvas.height() >= s.metrics_host.minimumHeight() - 5)
    canvas.draw()
    rows, cols = s.metrics_grid
    assert len(s.metrics_series) == 8 and cols >= 2 and rows * cols >= 8
    # the panels scroll rather than shrink
    assert s.metrics_host.minimumHeight() > s.metrics_scroll.viewport().height()
    renderer = canvas.get_renderer()
    axes = canvas.figure.axes
    boxes = [ax.get_tightbbox(renderer) for ax in axes]  # with tick labels and title
    for ax in axes:
        box = ax.get_window_extent(renderer)
        assert box.height >= 120 and box.width >= 150, box
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)
    assert s.metrics_scroll.viewport().width() // prog.METRIC_PANEL_MIN_WIDTH >= cols
    # the best bucket's name whole, on two lines (it was "On demand (several de…")
    freq = next(ax for ax in axes if ax.get_title() == "Deployment frequency")
    assert [t.get_text() for t in freq.get_yticklabels()][-1] == \
        "On demand (several\ndeployments a day)"
    # the wheel over a chart scrolls the pane
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    bar = s.metrics_scroll.verticalScrollBar()
    assert bar.value() == 0 and bar.maximum() > 0
    at = QPointF(canvas.width() / 2, canvas.height() / 4)
    turn = QWheelEvent(at, canvas.mapToGlobal(at), QPoint(0, 0), QPoint(0, -120),
                       Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                       Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, turn)
    assert bar.value() > 0
