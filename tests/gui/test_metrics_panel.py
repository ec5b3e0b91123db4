"""The Measurement step's delivery metrics: the panel over the controller (picks, hands,
values, a deployment log, undo), the team-progress small multiples, the projector."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QMessageBox

from calms_desktop.core.demo import sample_log
from calms_desktop.core.metrics import Basis, catalogue
from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.gui.widgets.metrics_panel import COLUMNS, MetricsPanel

ROW = {m.id: i for i, m in enumerate(catalogue().metrics)}


def choose(combo, index: int) -> None:
    """What a click or Enter in the combo's open list does: select, then activated."""
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


@pytest.fixture
def panel(qtbot, fresh_controller):
    fresh_controller.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
    p = MetricsPanel(fresh_controller)
    qtbot.addWidget(p)
    return p


def cell(panel, metric, column):
    return panel.table.item(ROW[metric], COLUMNS.index(column)).text()


def test_picks_record_the_median_and_flag_a_split_room(panel):
    c = panel.controller
    panel.table.setCurrentCell(ROW["deploy_frequency"], 0)
    for pid, bucket in zip(("p0", "p1", "p2", "p3"), (1, 5, 1, 5), strict=True):
        choose(panel.pick_boxes[pid], bucket + 1)  # index 0 is "no pick"
    rec = c.workshop.metrics["deploy_frequency"]
    assert rec.all_picks() == [1, 1, 5, 5] and rec.bucket == 1
    # before the reveal a mirrored console shows that people picked, never what
    assert cell(panel, "deploy_frequency", "Now") == "4 answers — shown after the reveal"
    assert cell(panel, "deploy_frequency", "DORA level") == ""
    assert panel.pick_boxes["p0"].currentText() == "✓ picked"
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.REVEALED)
    panel.table.setCurrentCell(ROW["deploy_frequency"], 0)
    assert panel.pick_boxes["p0"].currentText() == "Between once a month and once every six months"
    assert cell(panel, "deploy_frequency", "Now") == \
        "Between once a month and once every six months · the room disagrees"
    assert cell(panel, "deploy_frequency", "DORA level") == "Low"
    assert cell(panel, "deploy_frequency", "How it is known") == "estimated by the room (4 answers)"
    assert c.undo() and c.undo()  # the reveal, then the last pick: one undo step each
    assert c.workshop.metrics["deploy_frequency"].all_picks() == [1, 1, 5]


def test_an_anonymous_workshop_never_shows_whose_pick_is_which(qtbot, make_controller):
    from calms_desktop.core.model import VotingMode
    from tests.core.factories import workshop

    c = make_controller(workshop(3, mode=VotingMode.ANONYMOUS, wid="anon-1"))
    # voting: after the reveal an anonymous pick from the console is refused
    # (room/ballots.py: it would show what that person chose)
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
    p = MetricsPanel(c)
    qtbot.addWidget(p)
    p.table.setCurrentCell(ROW["lead_time"], 0)
    choose(p.pick_boxes["p1"], 4)
    assert c.workshop.metrics["lead_time"].picks == (("p1", 3),)
    assert p.pick_boxes["p1"].currentText() == "✓ picked"
    p.table.setCurrentCell(ROW["deploy_frequency"], 0)
    p.table.setCurrentCell(ROW["lead_time"], 0)  # rebuilt: still only the ✓
    assert p.pick_boxes["p1"].currentText() == "✓ picked"
    assert cell(p, "lead_time", "Now") == "1 answer — shown after the reveal"
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.REVEALED)
    # after the reveal one pick is withheld (the three answers rule), and who picked is
    # only a count: "Zoë ✓ picked" beside any result would say what she chose
    assert cell(p, "lead_time", "Now") == ("1 answer — too few to show anonymously "
                                           "(at least 3 needed)")
    assert cell(p, "lead_time", "DORA level") == ""
    assert p.pick_boxes == {}
    assert p.picked_count is not None and p.picked_count.text().startswith(
        "1 person has picked")
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
    choose(p.pick_boxes["p0"], 4)
    choose(p.pick_boxes["p2"], 5)
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.REVEALED)
    assert cell(p, "lead_time", "Now") == "Between one day and one week"  # three: the median
    names = {lbl.text() for lbl in p.editor_area.widget().findChildren(QLabel)}
    assert not names & {person.name for person in c.workshop.participants}
    assert p.picked_count.text().startswith("3 people have picked")


def test_hands_join_the_picks(panel):
    c = panel.controller
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    choose(panel.pick_boxes["p0"], 3)  # bucket 2
    panel.hand_spins[4].setValue(2)
    panel._record_hands(catalogue().metric("lead_time"))
    assert c.workshop.metrics["lead_time"].all_picks() == [2, 4, 4]
    assert c.workshop.metrics["lead_time"].bucket == 4


def test_a_number_is_recorded_with_its_source(panel):
    c = panel.controller
    panel.table.setCurrentCell(ROW["users_now"], 0)
    panel.value_number.setValue(1234)
    panel.source_edit.setText("Matomo")
    panel._record_value(catalogue().metric("users_now"))
    rec = c.workshop.metrics["users_now"]
    assert (rec.value, rec.basis, rec.source) == (1234, Basis.MEASURED, "Matomo")
    assert cell(panel, "users_now", "Now") == "1,234"
    assert c.session.library.load(c.workshop.id).metrics["users_now"].value == 1234


def test_a_deployment_log_measures_four_metrics_in_one_undo_step(panel, tmp_path):
    c = panel.controller
    log = tmp_path / "deploys.csv"
    log.write_bytes(sample_log())
    seen = []
    panel.log_imported.connect(seen.append)
    assert panel.import_path(log)
    assert seen == ["deploys.csv imported: 33 deployments, 2026-08-03 – 2026-09-11 — "
                    "4 metrics measured"]
    assert {m for m, r in c.workshop.metrics.items() if r.basis == Basis.MEASURED} == {
        "lead_time", "deploy_frequency", "change_fail_rate", "recovery_time"}
    assert cell(panel, "lead_time", "How it is known").startswith(
        "measured (deployment log deploys.csv, 3 Aug 2026 – 11 Sept 2026, 33 deployments")
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    assert not panel.pick_boxes["p0"].isEnabled()  # a measurement is never overwritten by picks
    assert c.undo()
    assert c.workshop.metrics == {}


def test_a_bad_log_is_refused_naming_the_line_and_nothing_changes(panel, tmp_path,
                                                                 monkeypatch):
    bad = tmp_path / "bad.csv"
    bad.write_text("deployed_at,failed\n2026-08-03T10:00,no\n2026-08-04,perhaps\n")
    shown = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda _parent, title, text: shown.append((title, text)))
    assert not panel.import_path(bad)
    assert shown == [("Deployment log not imported",
                      "bad.csv: not imported —\nline 3: failed must be yes or no, not 'perhaps'")]
    assert panel.controller.workshop.metrics == {}


def test_the_measurement_screen_has_the_panel(qtbot, demo_controller, tmp_path):
    from calms_desktop.gui.screens.pillar_screen import PillarScreen
    from calms_desktop.gui.settings import Settings

    settings = Settings(tmp_path / "settings.ini")
    screen = PillarScreen(demo_controller, Pillar.MEASUREMENT, settings)
    qtbot.addWidget(screen)
    assert screen.metrics is not None
    assert screen.ui.entryTabs.tabText(screen.ui.entryTabs.indexOf(screen.metrics)) == \
        "Delivery metrics"
    assert cell(screen.metrics, "lead_time", "Change") == "1 bucket better"
    culture = PillarScreen(demo_controller, Pillar.CULTURE, settings)
    qtbot.addWidget(culture)
    assert culture.metrics is None


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_arrow_keys_on_a_pick_open_the_list_and_save_only_the_choice(qtbot, panel):
    """Breaking pass: Down on a closed combo saved a pick per key press, and since the
    combo then showed "✓ picked" again the next press always landed on the first
    bucket — "More than six months" was recorded for "Less than an hour"."""
    from PySide6.QtCore import Qt

    panel.table.setCurrentCell(ROW["lead_time"], 0)
    panel.show()
    qtbot.waitExposed(panel)
    combo = panel.pick_boxes["p0"]
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    qtbot.waitUntil(combo.view().isVisible)  # the list opened …
    rec = panel.controller.workshop.metrics.get("lead_time")
    assert rec is None or "p0" not in dict(rec.picks)  # … and nothing was saved
    view = combo.view()
    target = combo.count() - 1  # the best bucket, last in the list
    assert combo.itemData(target) == 5
    view.setCurrentIndex(view.model().index(target, 0))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert dict(panel.controller.workshop.metrics["lead_time"].picks)["p0"] == 5


def test_a_log_or_a_value_asks_before_replacing_the_rooms_estimate(panel, tmp_path, monkeypatch):
    """Breaking pass: "Record" and an imported log silently replaced the room's picks and
    hands (and a log went in even when Measurement was done)."""
    c = panel.controller
    panel.table.setCurrentCell(ROW["deploy_frequency"], 0)
    choose(panel.pick_boxes["p0"], 3)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *_a: asked.append(text) or answer[0])
    log = tmp_path / "deploys.csv"
    log.write_bytes(sample_log())
    assert not panel.import_path(log)  # cancelled: the room's estimate stays
    assert "1 answer" in asked[0]
    assert dict(c.workshop.metrics["deploy_frequency"].picks) == {"p0": 2}
    panel._record_value(catalogue().metric("deploy_frequency"))
    assert dict(c.workshop.metrics["deploy_frequency"].picks) == {"p0": 2}
    answer[0] = QMessageBox.StandardButton.Yes
    assert panel.import_path(log)
    assert c.workshop.metrics["deploy_frequency"].basis == Basis.MEASURED
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.DONE)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: shown.append(text))
    assert not panel.import_path(log) and "reopen" in shown[0]


# -- issue 14's breaking pass -------------------------------------------------------------------
SEPTEMBER = (b"deployed_at,committed_at\n2026-09-01T10:00,2026-09-01T08:00\n"
             b"2026-09-09T10:00,2026-09-08T10:00\n")


def test_a_second_log_says_what_it_replaces_and_never_keeps_the_first_logs_rows(
        panel, tmp_path, monkeypatch):
    """Breaking pass: importing a second log kept the first log's change fail rate and
    recovery time beside the new lead time, silently mixing two periods."""
    c = panel.controller
    first = tmp_path / "deploys.csv"
    first.write_bytes(sample_log())
    assert panel.import_path(first)  # nothing recorded yet: no question
    assert panel.import_status.isVisibleTo(panel)
    assert panel.import_status.text() == (
        "deploys.csv imported: 33 deployments, 2026-08-03 – 2026-09-11 — 4 metrics measured")
    second = tmp_path / "september.csv"
    second.write_bytes(SEPTEMBER)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.Cancel]
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *_a: asked.append(text) or answer[0])
    assert not panel.import_path(second)  # cancelled: the first log's figures stay
    assert "This log replaces the earlier one (deployment log deploys.csv, 2026-08-03 – " \
           "2026-09-11)" in asked[0]
    assert "Cleared, because this log does not measure them: Failed deployment recovery " \
           "time, Change fail rate." in asked[0]
    assert c.workshop.metrics["change_fail_rate"].source == "deployment log deploys.csv"
    answer[0] = QMessageBox.StandardButton.Yes
    seen: list[str] = []
    panel.log_imported.connect(seen.append)
    assert panel.import_path(second)
    assert {m: r.source for m, r in c.workshop.metrics.items()} == {
        "lead_time": "deployment log september.csv",
        "deploy_frequency": "deployment log september.csv"}
    assert seen == ["september.csv imported: 2 deployments, 2026-09-01 – 2026-09-09 — "
                    "2 metrics measured"]
    assert panel.import_status.text().startswith(seen[0] + "\n")
    assert cell(panel, "change_fail_rate", "How it is known") == "not recorded"
    assert c.undo()  # one step brings the first log back whole
    assert c.workshop.metrics["change_fail_rate"].source == "deployment log deploys.csv"


def test_the_hand_counts_are_labelled_with_their_buckets(panel):
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    buckets = catalogue().metric("lead_time").buckets
    assert [s.accessibleName() for s in panel.hand_spins] == [
        f"Hands for {b.label}" for b in buckets]
    assert [lab.text() for lab in panel.hand_labels] == [b.short for b in buckets]
    assert [lab.buddy() for lab in panel.hand_labels] == panel.hand_spins


def test_the_editors_title_follows_a_pick(panel):
    """Breaking pass: the title kept saying "not recorded yet" after the first pick."""
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    assert panel.editor_title.text().endswith("— not recorded yet")
    choose(panel.pick_boxes["p0"], 2)
    assert panel.editor_title.text().endswith("— estimated by the room (1 answer)")
    choose(panel.pick_boxes["p1"], 3)
    assert panel.editor_title.text().endswith("— estimated by the room (2 answers)")


def test_a_pick_beyond_the_room_is_asked_about(panel, monkeypatch):
    c = panel.controller  # six people
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    for spin, n in zip(panel.hand_spins, (0, 0, 3, 3, 0, 0), strict=True):
        spin.setValue(n)
    panel._record_hands(catalogue().metric("lead_time"))
    asked: list[str] = []
    answer = [False]
    monkeypatch.setattr(panel, "_confirm_count", lambda reason: asked.append(reason) or answer[0])
    choose(panel.pick_boxes["p0"], 2)
    assert asked == ["7 estimates (picks and hands) in a room of 6 — check the count"]
    assert not c.workshop.metrics["lead_time"].picks
    assert panel.pick_boxes["p0"].currentIndex() == 0  # shows what is recorded: no pick
    answer[0] = True
    choose(panel.pick_boxes["p0"], 2)
    assert dict(c.workshop.metrics["lead_time"].picks) == {"p0": 1}


def test_the_projector_shows_the_metric_the_room_estimates(qtbot, fresh_controller, library,
                                                           data_dir):
    """Breaking pass: the projector never showed the metric being estimated."""
    from calms_desktop.gui.projector.widgets import TextFitter
    from calms_desktop.gui.projector.window import ProjectorWindow
    from calms_desktop.gui.screens.pillar_screen import PillarScreen
    from calms_desktop.gui.settings import Settings

    settings = Settings.for_data_dir(data_dir)
    c = fresh_controller
    projector = ProjectorWindow(library, settings)
    qtbot.addWidget(projector)
    projector.set_controller(c)
    screen = PillarScreen(c, Pillar.MEASUREMENT, settings)
    qtbot.addWidget(screen)
    c.go_to("measurement")
    screen.show()
    ui = projector.ui
    screen.ui.entryTabs.setCurrentWidget(screen.metrics)
    screen.metrics.table.setCurrentCell(ROW["recovery_time"], 0)
    assert c.metric_on_show == "recovery_time"
    assert TextFitter.full_text(ui.statementText) == catalogue().metric(
        "recovery_time").question
    assert ui.statementCaption.text() == "Failed deployment recovery time · delivery metric 3 of 5"
    names = [TextFitter.full_text(r.name) for r in projector._level_rows if not r.widget.isHidden()]
    assert names == [b.label for b in catalogue().metric("recovery_time").buckets]
    for pid, bucket in (("p0", 0), ("p1", 5), ("p2", 5)):
        c.estimate_metric("recovery_time", pid, bucket)
    assert ui.progressCount.text() == "3 of 6"
    assert not any(r.count.text() for r in projector._level_rows)  # no counts before the reveal
    assert not ui.resultCard.isVisibleTo(projector)
    c.reveal(Pillar.MEASUREMENT)
    screen.ui.entryTabs.setCurrentWidget(screen.metrics)  # (the reveal shows the results)
    assert c.metric_on_show == "recovery_time"
    assert [r.count.text() for r in projector._level_rows] == ["1", "0", "0", "0", "0", "2"]
    assert ui.resultMean.text() == "6" and ui.resultVerdict.text() == "⚑ Worth discussing"
    screen.metrics.table.setCurrentCell(ROW["users_now"], 0)  # a number: not estimated
    assert c.metric_on_show == "" and not projector.slide.metric_id
    screen.metrics.table.setCurrentCell(ROW["lead_time"], 0)
    screen.ui.entryTabs.setCurrentIndex(0)  # the votes again: the statement on the projector
    assert c.metric_on_show == "" and projector.slide.statement_id
    projector.close()


def test_the_import_status_follows_undo_and_redo(panel, tmp_path):
    """Breaking pass: after Undo the panel still said "sample.csv imported…"."""
    c = panel.controller
    log = tmp_path / "sample.csv"
    log.write_bytes(sample_log())
    assert panel.import_path(log)
    assert not panel.import_status.isHidden()
    assert panel.import_status.text().startswith("sample.csv imported: 33 deployments")
    assert c.undo()
    assert "lead_time" not in c.workshop.metrics
    assert panel.import_status.isHidden()
    assert c.redo()
    assert not panel.import_status.isHidden()  # the figures are back, and so is the text
    panel.table.setCurrentCell(ROW["lead_time"], 0)
    panel.controller.set_metric("lead_time", None)  # cleared by hand: no longer that import
    assert panel.import_status.isHidden()


def test_a_log_with_odd_dates_is_asked_about_and_last_times_period_is_shown(
        panel, tmp_path, monkeypatch):
    from calms_desktop.core.metrics import MetricRecord
    from tests.core.factories import workshop

    c = panel.controller
    c.workshop.date = "2026-09-01"
    before = workshop(wid="before")
    before.date = "2026-10-01"
    before.metrics["lead_time"] = MetricRecord(
        "lead_time", Basis.MEASURED, bucket=2, value=100.0, source="deployment log a.csv",
        period="2026-05-01 – 2026-06-30", sample=20)
    monkeypatch.setattr(c, "baseline", lambda: before)
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda _p, _t, text, *_a: asked.append(text)
                        or QMessageBox.StandardButton.Yes)
    log = tmp_path / "deploys.csv"
    log.write_bytes(sample_log())  # 2026-08-03 – 2026-09-11
    assert panel.import_path(log)
    assert "after this workshop's date (1 September 2026)" in asked[0]
    assert "before the last workshop (1 October 2026)" in asked[0]
    assert "after this workshop's date" in panel.import_status.text()
    assert cell(panel, "lead_time", "Last time").endswith("· 1 May 2026 – 30 Jun 2026")


def test_the_projectors_metric_result_is_whole_and_a_withheld_one_keeps_its_buckets(
        qtbot, make_controller, library, data_dir):
    """Breaking pass: "once a week–once a month · Mediu" was cut at the right edge, and a
    withheld estimate's slide lost its buckets."""
    from calms_desktop.core.model import VotingMode
    from calms_desktop.gui.projector.widgets import TextFitter
    from calms_desktop.gui.projector.window import ProjectorWindow
    from calms_desktop.gui.settings import Settings
    from tests.core.factories import workshop

    for mode, picks in ((VotingMode.NAMED, (0, 5, 5, 2)), (VotingMode.ANONYMOUS, (0,))):
        c = make_controller(workshop(4, mode=mode, wid=f"proj-{mode.value}"))
        projector = ProjectorWindow(library, Settings.for_data_dir(data_dir))
        qtbot.addWidget(projector)
        projector.set_controller(c)
        projector.resize(1366, 768)
        projector.show()
        c.go_to("measurement")
        c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
        c.set_metric_on_show("deploy_frequency")
        for pid, bucket in zip(("p0", "p1", "p2", "p3"), picks, strict=False):
            c.estimate_metric("deploy_frequency", pid, bucket)
        c.set_pillar_state(Pillar.MEASUREMENT, PillarState.REVEALED)
        ui = projector.ui
        rows = [r for r in projector._level_rows if not r.widget.isHidden()]
        assert len(rows) == 6 and ui.levelsBox.isVisibleTo(projector)
        if mode == VotingMode.NAMED:
            level = ui.resultLevel
            qtbot.waitUntil(lambda lab=level: TextFitter.full_text(lab) == "once a week–once a "
                            "month · Medium")
            assert "…" not in level.text()
        else:
            assert ui.withheldLabel.isVisibleTo(projector)
            assert not any(r.count.text() for r in rows)  # the buckets, never a count
            assert [TextFitter.full_text(r.text) for r in rows][1] == "Low"
        projector.close()
