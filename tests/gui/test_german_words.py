"""German words where English has one word for two things, and no internal value shown.

The breaking pass found "Offen" (the status) on the export box's button that opens the
file, "Projektor: blank" in the status bar and a hard-coded "±0.0" in the German summary.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox, QWidget

from calms_desktop.core.i18n import Translator, pgettext
from calms_desktop.core.model import ActionStatus
from tests.gui.conftest import ui_language

TIMEOUT = 60_000


@pytest.fixture
def german(qapp):
    with ui_language(qapp, Translator("de")) as translator:
        yield translator


def test_open_the_verb_and_open_the_status_differ_in_german(german):
    assert pgettext("verb", "Open") == "Öffnen"
    assert pgettext("action status", "Open") == "Offen"
    assert pgettext("action status", "Done") == "Erledigt"
    assert pgettext("key", "Delete") == "Entf"  # the key's label, not the verb "Löschen"


def test_the_export_box_offers_to_open_the_file_in_german(qtbot, german, demo_pair, tmp_path):
    from calms_desktop.gui import export_dialog as ed
    from calms_desktop.reports import ExportKind

    window = QWidget()
    qtbot.addWidget(window)
    pool = QThreadPool()
    base, ws = demo_pair
    job = ed.export_report(window, ws, base, ExportKind.VOTES_CSV, tmp_path / "v.csv", pool=pool)
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    box = job.message_box
    assert box is not None
    texts = {b.text() for b in box.buttons()}
    box.close()
    pool.waitForDone(TIMEOUT)
    assert "Öffnen" in texts and "Offen" not in texts


def test_the_action_status_reads_as_an_adjective_in_german(qtbot, german, demo_controller):
    from calms_desktop.gui.widgets.actions_table import STATUS_NAMES

    shown = {pgettext("action status", STATUS_NAMES[s]) for s in ActionStatus}
    assert "Offen" in shown and "Öffnen" not in shown


@pytest.mark.parametrize("command", ["blank", "freeze", "toggle_fullscreen"])
def test_the_status_bar_names_the_projector_mode_in_german(qtbot, data_dir, german, command):
    from calms_desktop.gui.app import create_window
    from calms_desktop.gui.projector.window import BLANK, FROZEN, LIVE

    window = create_window(data_dir, translator=german)
    qtbot.addWidget(window)
    window.open_demo()
    try:
        window._with_projector(command)
        message = window.statusBar().currentMessage()
        assert message.startswith("Projektor: ")
        # a raw mode value ("blank") put into the sentence would read English
        assert not re.search(rf"\b({LIVE}|{FROZEN}|{BLANK})\b", message), message
        assert message.removeprefix("Projektor: ") in {"schwarz", "eingefroren", "Live-Bild"}
    finally:
        if window.projector is not None:
            window.projector.close()
        window.close()
        window.library.close()


def test_the_german_summary_writes_no_change_with_a_comma(qtbot, german, demo_controller):
    from calms_desktop.core.scoring import fmt_change
    from calms_desktop.gui.screens.summary_screen import SummaryScreen

    assert fmt_change(0.01) == "±0,0" and fmt_change(-0.04) == "±0,0"
    assert fmt_change(0.46) == "+0,5" and fmt_change(None) == "—"
    screen = SummaryScreen(demo_controller)
    qtbot.addWidget(screen)
    shown = [screen.ui.resultsTable.item(r, c).text()
             for r in range(screen.ui.resultsTable.rowCount())
             for c in range(screen.ui.resultsTable.columnCount())
             if screen.ui.resultsTable.item(r, c) is not None]
    assert "±0,0" in shown  # the demo's Sharing did not move
    assert not [t for t in shown if re.search(r"\d\.\d", t)], shown


def test_qt_message_box_buttons_speak_german(qtbot, german):
    box = QMessageBox(QMessageBox.Icon.Question, "t", "x",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert {b.text().replace("&", "") for b in box.buttons()} == {"Ja", "Abbrechen"}


def test_the_owner_column_shows_its_german_heading_and_whole_names(qtbot, german,
                                                                   demo_controller):
    from calms_desktop.core.i18n import _
    from calms_desktop.gui.widgets.actions_table import HEADERS, OWNER, STATUS, ActionsTable

    table = ActionsTable(demo_controller, None)
    qtbot.addWidget(table)
    heading = table.view.horizontalHeader().fontMetrics()
    assert _(HEADERS[OWNER]) == "Verantwortlich"
    for col in (OWNER, STATUS):
        assert table.view.columnWidth(col) > heading.horizontalAdvance(_(HEADERS[col]))
    names = table.view.fontMetrics()
    assert table.view.columnWidth(OWNER) > names.horizontalAdvance("Søren Østergaard")
