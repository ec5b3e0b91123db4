"""The safeguards a facilitator expects in front of a client (issue: the live room).

Each test drives the real main window (or the real screen) the way a user would.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox

from calms_desktop.core.model import Pillar, PillarState, VotingMode
from calms_desktop.core.operations import SetFields
from calms_desktop.gui.screens.pillar_screen import PillarScreen
from calms_desktop.gui.screens.setup_screen import SetupScreen

CTRL = Qt.KeyboardModifier.ControlModifier
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def demo(qtbot, app_window):
    qtbot.mouseClick(app_window.start_screen.ui.demoButton, Qt.MouseButton.LeftButton)
    assert app_window.controller is not None
    return app_window


@pytest.mark.parametrize("which", ["browser", "progress", "portfolio"])
def test_every_way_back_from_the_library_shows_the_workshop(qtbot, demo, which):
    w = demo
    for way in ("ctrl+3", "menu", "escape", "navigator"):
        w.show_library(which)
        assert w.pages.currentWidget() is not w.workshop_page
        if way == "ctrl+3":
            qtbot.keyClick(QApplication.focusWidget() or w, Qt.Key.Key_3, CTRL)
            wanted = "automation"  # intro, culture, automation
        elif way == "menu":
            next(a for a in w.workshop_menu.actions() if a.text() == "Go to Lean").trigger()
            wanted = "lean"
        elif way == "escape":
            wanted = w._current_key()
            page = w.pages.currentWidget()
            page.setFocus()
            qtbot.keyClick(QApplication.focusWidget() or page, Qt.Key.Key_Escape)
        else:
            w.navigator.setCurrentRow(2)  # set-up, intro, culture
            wanted = "culture"
        assert w.pages.currentWidget() is w.workshop_page, way
        assert w._current_key() == wanted, way
        focus = QApplication.focusWidget()
        assert focus is None or focus.isVisible(), way  # keys never go into a hidden screen


def test_ctrl_pgdown_in_a_combo_box_moves_on_and_keeps_the_value(qtbot, demo):
    w = demo
    w.go_to("setup")
    setup = w.current_screen()
    assert isinstance(setup, SetupScreen)
    combo: QComboBox = setup._target_combo(Pillar.CULTURE)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    before = (combo.currentIndex(), dict(w.controller.workshop.targets))
    qtbot.keyClick(combo, Qt.Key.Key_PageDown, CTRL)
    assert w._current_key() == "intro"
    assert (combo.currentIndex(), dict(w.controller.workshop.targets)) == before


def _fresh_pillar(qtbot, w) -> PillarScreen:
    qtbot.keyClick(w, Qt.Key.Key_N, CTRL)  # a new workshop, on set-up
    setup = w.current_screen()
    assert isinstance(setup, SetupScreen)
    setup.add_names("Ana\nBo\nChen\nDana")
    w.go_to("culture")
    screen = w.current_screen()
    assert isinstance(screen, PillarScreen)
    return screen


def test_pasting_a_list_into_the_name_field_adds_every_name(qtbot, app_window):
    w = app_window
    qtbot.keyClick(w, Qt.Key.Key_N, CTRL)
    setup = w.current_screen()
    mime = QMimeData()
    mime.setText("Ana Silva\nBo Berg\r\nअनिल कुमार\n")
    QGuiApplication.clipboard().setMimeData(mime)
    edit = setup.ui.newNameEdit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    try:
        qtbot.keyClick(edit, Qt.Key.Key_V, CTRL)
    finally:
        QGuiApplication.clipboard().clear()  # later tests read the clipboard
    assert [p.name for p in w.controller.workshop.participants] == [
        "Ana Silva", "Bo Berg", "अनिल कुमार"]
    assert edit.text() == ""


def test_a_typed_date_is_taken_as_typed_or_refused(qtbot, app_window):
    w = app_window
    qtbot.keyClick(w, Qt.Key.Key_N, CTRL)
    setup = w.current_screen()
    before = w.controller.workshop.date
    edit = setup.ui.dateEdit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "2026-02-30")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert w.controller.workshop.date == before
    assert "not a date" in setup.message() and "2026-02-30" in setup.message()
    assert edit.text() == before  # shown as it is, not "fixed"
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    edit.selectAll()
    qtbot.keyClicks(edit, "2026-03-14")
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    assert w.controller.workshop.date == "2026-03-14"


def test_a_reassessment_says_what_it_is_compared_with(qtbot, demo):
    w = demo
    baseline = w.controller.workshop
    w.reassess(baseline.id)
    setup = w.current_screen()
    assert w.controller.workshop.baseline_id == baseline.id
    text = setup.ui.suggestionLabel.text()
    assert "No earlier workshop" not in text
    assert "Compared with" in text


def test_removing_someone_with_revealed_answers_asks_and_undo_restores(qtbot, app_window):
    w = app_window
    screen = _fresh_pillar(qtbot, w)
    c = w.controller
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    ana = c.workshop.participants[0]
    for p in c.workshop.participants:
        c.vote(sid, p.id, 4)
    screen.confirm = lambda title, text: True
    screen.reveal()
    w.go_to("setup")
    setup = w.current_screen()
    asked: list[str] = []
    setup.confirm = lambda title, text: asked.append(text) or False
    setup.ui.participantsTable.clearSelection()
    setup.ui.participantsTable.selectRow(0)
    assert not setup.remove_selected()
    assert "Culture" in asked[0] and "1 answer" in asked[0]
    assert ana.id in {p.id for p in c.workshop.participants}
    setup.confirm = lambda title, text: True
    assert setup.remove_selected()
    assert ana.id not in {p.id for p in c.workshop.participants}
    assert c.undo()
    assert c.workshop.vote(sid, ana.id).score == 4


def test_anonymous_undo_labels_name_nobody_and_show_no_value(qtbot, app_window):
    w = app_window
    _fresh_pillar(qtbot, w)
    c = w.controller
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    c.vote(sid, c.workshop.participants[0].id, 5)
    assert c.undo_stack.undoText() == "vote by Ana"
    c.do(SetFields.of(voting_mode=VotingMode.ANONYMOUS))
    c.vote(sid, c.workshop.participants[1].id, 2)
    assert c.undo_stack.undoText() == "a vote"
    texts = [a.text() for a in w.edit_menu.actions()]
    assert not any("Bo" in t or "2" in t for t in texts)


def test_the_console_radar_plots_nothing_before_the_reveal(qtbot, app_window):
    w = app_window
    _fresh_pillar(qtbot, w)
    c = w.controller
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    c.vote(sid, c.workshop.participants[0].id, 5)
    assert c.radar_data().current[Pillar.CULTURE] is None
    c.set_pillar_state(Pillar.CULTURE, PillarState.REVEALED)
    assert c.radar_data().current[Pillar.CULTURE] == 5


def test_a_failed_undo_leaves_stack_model_and_screen_as_they_were(qtbot, app_window,
                                                                  monkeypatch):
    w = app_window
    screen = _fresh_pillar(qtbot, w)
    c = w.controller
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    pid = c.workshop.participants[0].id
    c.vote(sid, pid, 4)
    index = c.undo_stack.index()
    errors: list[str] = []
    c.error.connect(errors.append)

    def full(_ws):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(c.session.library, "save", full)
    assert not c.undo()
    assert c.undo_stack.index() == index
    assert c.workshop.vote(sid, pid).score == 4
    assert "1 of 4 voted" in screen.ui.statementList.item(0).text()
    assert errors and "the disk is full" in errors[-1]  # the system's reason, worded by the app
    monkeypatch.undo()
    assert c.undo()
    assert c.workshop.vote(sid, pid) is None and c.undo_stack.index() == index - 1
    monkeypatch.setattr(c.session.library, "save", full)
    assert not c.redo()
    assert c.undo_stack.index() == index - 1 and c.workshop.vote(sid, pid) is None


def test_a_step_change_that_cannot_be_saved_stays_and_says_so(qtbot, app_window, monkeypatch):
    w = app_window
    _fresh_pillar(qtbot, w)
    c = w.controller
    messages: list[str] = []
    c.error.connect(messages.append)

    def broken(_state):
        raise OSError(30, "Read-only file system")

    monkeypatch.setattr(c.room._resume, "save", broken)
    w.go_to("lean")
    assert c.step == "culture" and w._current_key() == "culture"
    assert messages and "Read-only" in messages[-1]


def test_at_1366x768_all_five_level_descriptors_show_without_scrolling(qtbot, demo):
    w = demo
    w.resize(1366, 768)
    for pillar in Pillar:
        w.go_to(pillar.value)
        screen = w.current_screen()
        assert isinstance(screen, PillarScreen)
        for row in range(screen.ui.statementList.count()):
            screen.ui.statementList.setCurrentRow(row)
            qtbot.wait(1)
            bar = screen.ui.levelsScroll.verticalScrollBar()
            assert bar.maximum() == 0, (pillar, row)


def test_library_titles_are_not_cut_at_1366x768(qtbot, demo):
    w = demo
    w.resize(1366, 768)
    w.show_library("browser")
    qtbot.wait(1)
    page = w.pages.currentWidget()
    table = page.table
    metrics = table.fontMetrics()
    for row in range(table.model().rowCount()):
        title = table.model().index(row, 0).data()
        assert metrics.horizontalAdvance(title) + 12 <= table.columnWidth(0), title


def test_the_reveal_question_counts_answers_that_arrive_while_it_is_open(qtbot, app_window):
    """Phones go on voting while "Reveal anyway?" is open: its count must not go stale."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    w = app_window
    screen = _fresh_pillar(qtbot, w)
    c = w.controller
    statements = c.workshop.questionnaire.section(Pillar.CULTURE).statements
    people = c.workshop.participants
    for s in statements:
        for p in people[:3]:
            c.vote(s.id, p.id, 3)
    seen: list[str] = []

    def answer() -> None:
        box = next(b for b in QApplication.topLevelWidgets()
                   if isinstance(b, QMessageBox) and b.isVisible())
        seen.append(box.text())
        for s in statements[:-1]:  # Dana answers from her phone, all but the last
            c.vote(s.id, people[3].id, 4)
        seen.append(box.text())
        c.vote(statements[-1].id, people[3].id, 4)
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    QTimer.singleShot(0, answer)
    assert screen.reveal()
    assert c.workshop.pillar_states[Pillar.CULTURE.value] == PillarState.REVEALED
    assert "3 of 4" in seen[0]
    assert seen[1] != seen[0] and "3 of 4" in seen[1]  # only the last statement is short
    assert seen[2] == "Every answer is in now."
