"""A step's notes: committed on idle, on focus-out and on request; never lost."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from calms_desktop.gui.widgets.notes_edit import NotesEdit

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

STEP = "measurement"


def long_note() -> str:
    piece = ("Lead time <b>3 days</b> & MTTR 4h — 部署频率 每周 · مقياس الأداء 📈\u00a0nbsp\ttab\n")
    text = (piece * (10_000 // len(piece) + 1))[:10_000]
    assert len(text) == 10_000
    return text


@pytest.fixture
def notes(qtbot, fresh_controller):
    n = NotesEdit(fresh_controller, STEP, idle_ms=0)
    qtbot.addWidget(n)
    return n


def test_ten_thousand_characters_round_trip(qtbot, notes, fresh_controller):
    c = fresh_controller
    text = long_note()
    notes.setPlainText(text)  # as pasted
    assert notes.dirty
    assert notes.commit()
    assert c.workshop.notes[STEP] == text
    stored = c.session.library.load(c.workshop.id).notes[STEP]
    assert stored == text
    again = NotesEdit(c, STEP, idle_ms=0)
    qtbot.addWidget(again)
    assert again.text() == text
    assert not again.dirty


def test_idle_commit(qtbot, fresh_controller):
    n = NotesEdit(fresh_controller, STEP, idle_ms=5)
    qtbot.addWidget(n)
    with qtbot.waitSignal(fresh_controller.notes_changed,
                          check_params_cb=lambda change: STEP in change.steps):
        qtbot.keyClicks(n, "Dashboards")
    assert fresh_controller.workshop.notes[STEP] == "Dashboards"


def test_no_idle_commit_when_turned_off(qtbot, notes, fresh_controller):
    qtbot.keyClicks(notes, "typed")
    assert not notes._idle.isActive()
    assert STEP not in fresh_controller.workshop.notes
    assert notes.dirty


def test_focus_out_commits(qtbot, fresh_controller):
    host = QWidget()
    qtbot.addWidget(host)
    box = QVBoxLayout(host)
    n = NotesEdit(fresh_controller, STEP, host, idle_ms=0)
    other = QLineEdit(host)
    box.addWidget(n)
    box.addWidget(other)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    n.setFocus()
    qtbot.waitUntil(n.hasFocus)
    qtbot.keyClicks(n, "Weekly numbers")
    assert STEP not in fresh_controller.workshop.notes
    qtbot.keyClick(n, Qt.Key.Key_Tab)  # Tab leaves the notes
    qtbot.waitUntil(lambda: QApplication.focusWidget() is other)
    assert fresh_controller.workshop.notes[STEP] == "Weekly numbers"


def test_undo_shows_at_once_and_edits_merge(qtbot, notes, fresh_controller):
    c = fresh_controller
    c.set_note(STEP, "before")
    assert notes.text() == "before"
    sid = c.workshop.questionnaire.statements[0].id
    c.vote(sid, c.workshop.participants[0].id, 3)  # another change in between
    depth = c.undo_stack.count()
    qtbot.keyClicks(notes, " one")  # the cursor is at the end after a load
    notes.commit()
    qtbot.keyClicks(notes, " two")
    notes.commit()
    assert c.workshop.notes[STEP] == "before one two"
    assert c.undo_stack.count() == depth + 1  # one undo step for the typing
    c.undo()
    assert notes.text() == "before"
    assert not notes.dirty
    c.redo()
    assert notes.text() == "before one two"


def test_other_steps_do_not_touch_it(qtbot, notes, fresh_controller):
    qtbot.keyClicks(notes, "mine")
    fresh_controller.set_note("culture", "theirs")
    assert notes.text() == "mine"
    assert notes.dirty
