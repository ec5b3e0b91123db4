"""Accessibility, through Qt's accessibility API (what a screen reader is given).

Every control on every console screen has an accessible name, the main work
widgets a description, and every one is on the Tab chain; the radar's values
are a table a reader can walk; vote counts are announced as they change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from calms_desktop.charts.radar import value_table
from calms_desktop.core.model import PILLARS, Pillar
from calms_desktop.gui.accessibility import Announcer
from calms_desktop.gui.main_window import STEPS
from calms_desktop.gui.screens.pillar_screen import PillarScreen
from calms_desktop.gui.settings import Settings
from calms_desktop.gui.widgets.radar_canvas import RadarPanel

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
            QTextEdit, QPlainTextEdit, QTabWidget)
#: The widgets a facilitator works in, which also need a description.
DESCRIBED = ("voteGrid", "notes_", "actionsView", "resultsTable", "entryTabs", "radarValues")


def name_of(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None and iface.isValid(), widget
    return iface.text(QAccessible.Text.Name)


def description_of(widget: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None
    return iface.text(QAccessible.Text.Description)


def controls(root: QWidget) -> list[QWidget]:
    """The visible controls under ``root`` (Qt's own inner parts left out)."""
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, CONTROLS) and not isinstance(w, QHeaderView)
            and not w.objectName().startswith("qt_") and w.isVisibleTo(root.window())]


def screens(window):
    """Show each screen of the demo workshop and the library in turn: (where, root)."""
    window.open_demo()
    for step in ("setup", *STEPS):
        window.go_to(step)
        yield step, window.current_screen()
    window.show_start()
    yield "start", window
    for which in ("browser", "progress", "portfolio"):
        window.show_library(which)
        yield which, window


def test_every_control_has_an_accessible_name_and_is_keyboard_reachable(app_window, qtbot):
    missing, described, unreachable = [], [], []
    seen = 0
    for where, root in screens(app_window):
        qtbot.wait(10)
        for w in controls(root):
            seen += 1
            label = f"{where}: {type(w).__name__} {w.objectName()!r}"
            if not name_of(w).strip():
                missing.append(label)
            if w.objectName().startswith(DESCRIBED) and not description_of(w).strip():
                described.append(label)
            if w.isEnabled() and not w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                unreachable.append(label)
    assert seen > 100  # the walk really covered the screens
    assert not missing, "no accessible name:\n" + "\n".join(missing)
    assert not described, "no accessible description:\n" + "\n".join(described)
    assert not unreachable, "not reachable with Tab:\n" + "\n".join(unreachable)


def test_the_radar_values_are_a_table_a_screen_reader_reads(app_window, qtbot):
    app_window.open_demo()
    panel = app_window.findChild(RadarPanel)
    assert panel is not None
    controller = app_window.controller
    qtbot.waitUntil(lambda: panel.canvas is not None)  # the workshop's screen is settled
    assert not panel.table.isVisible()  # the dock keeps its size until asked
    panel.table_action.trigger()  # Ctrl+Shift+V
    qtbot.waitUntil(panel.table.isVisible)
    qtbot.waitUntil(panel.table.hasFocus)
    expected = value_table(controller.radar_data())

    iface = QAccessible.queryAccessibleInterface(panel.table)
    assert iface.role() == QAccessible.Role.Table
    assert iface.text(QAccessible.Text.Name) == "Radar values"
    cells = [iface.child(i).text(QAccessible.Text.Name) for i in range(iface.childCount())]
    # the header row (a corner, then the series), then per pillar its name and values
    assert cells[1:1 + len(expected.columns)] == list(expected.columns)
    width = len(expected.columns) + 1
    for r, row in enumerate(expected.rows, 1):
        assert cells[r * width:(r + 1) * width] == list(row)
    assert [row[0] for row in expected.rows] == [p.title for p in PILLARS]
    # and the chart itself describes the same numbers in one sentence
    assert panel.canvas is not None
    assert description_of(panel.canvas) == expected.describe()

    panel.table_action.trigger()
    assert not panel.table.isVisible()


def test_the_radar_table_follows_a_reveal(fresh_controller, qtbot):
    c = fresh_controller
    panel = RadarPanel()
    qtbot.addWidget(panel)
    panel.set_controller(c)
    panel.show_table(True)
    culture = [row for row in panel_rows(panel) if row[0] == "Culture"][0]
    assert culture[1] == "—"  # nothing revealed yet: the room sees no score
    p = c.workshop.participants[0]
    for s in c.workshop.questionnaire.section(Pillar.CULTURE).statements:
        assert c.vote(s.id, p.id, 4)
    c.reveal(Pillar.CULTURE)
    qtbot.waitUntil(lambda: [r for r in panel_rows(panel) if r[0] == "Culture"][0][1] == "4.0")


def panel_rows(panel: RadarPanel) -> list[list[str]]:
    t = panel.table
    return [[t.verticalHeaderItem(r).text()]
            + [t.item(r, col).text() for col in range(t.columnCount())]
            for r in range(t.rowCount())]


def test_vote_counts_are_announced(fresh_controller, qtbot, data_dir):
    c = fresh_controller
    c.go_to(Pillar.CULTURE.value)
    data_dir.mkdir(parents=True, exist_ok=True)
    host = QMainWindow()
    qtbot.addWidget(host)
    screen = PillarScreen(c, Pillar.CULTURE, Settings.for_data_dir(data_dir), host)
    host.setCentralWidget(screen)
    host.show()
    qtbot.waitExposed(host)
    said: list[str] = []
    screen.announcer.said.connect(said.append)
    first, second = c.workshop.questionnaire.section(Pillar.CULTURE).statements[:2]
    c.set_statement(first.id)
    total = len(c.workshop.participants)
    for i, p in enumerate(c.workshop.participants, 1):
        assert c.vote(first.id, p.id, 3)
        qtbot.waitUntil(lambda i=i: bool(said) and said[-1].startswith(f"{i} of {total} voted"))
    assert said[-1] == f"{total} of {total} voted on C1: everyone has voted"
    assert len(said) == total  # one announcement per change
    c.set_statement(second.id)  # moving on is no change of a count: nothing said
    qtbot.wait(20)
    assert len(said) == total
    # the count is also the accessible text of the status line
    assert "0 of 6 voted" in screen.ui.voteStatusLabel.text()
    # a show-of-hands count is announced too
    assert c.tally(second.id, {3: 2, 4: 3}).accepted
    qtbot.waitUntil(lambda: said[-1] == "5 hands counted on C2")


def test_announcements_skip_repeats(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    announcer = Announcer(host)
    said: list[str] = []
    announcer.said.connect(said.append)
    announcer.announce("3 of 8 voted on C1")
    announcer.announce("3 of 8 voted on C1")  # a repeat says nothing new
    announcer.announce("4 of 8 voted on C1")
    assert said == ["3 of 8 voted on C1", "4 of 8 voted on C1"]
    announcer.forget()
    announcer.announce("4 of 8 voted on C1")
    assert len(said) == 3


def test_the_radar_table_speaks_german_and_shows_whole_headers(fresh_controller, qtbot, qapp):
    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    with ui_language(qapp, Translator("de")):
        panel = RadarPanel()
        qtbot.addWidget(panel)
        panel.set_controller(fresh_controller)
        panel.resize(160, 400)  # a narrow dock
        panel.show()
        panel.show_table(True)
        qtbot.waitUntil(lambda: panel.canvas is not None and panel.canvas.isVisible())
        panel._update_table()
        iface = QAccessible.queryAccessibleInterface(panel.table)
        cells = [iface.child(i).text(QAccessible.Text.Name) for i in range(iface.childCount())]
        assert iface.text(QAccessible.Text.Name) == "Radarwerte"
        assert cells[1] == "Dieser Workshop"
        assert [cells[r * 2] for r in range(1, 6)] == [
            "Kultur", "Automatisierung", "Lean", "Messung", "Teilen"]
        assert panel.canvas is not None
        description = description_of(panel.canvas)
        assert description.startswith("Kultur: Dieser Workshop ")
        assert "This workshop" not in description
        header = panel.table.horizontalHeader()
        needed = header.fontMetrics().horizontalAdvance("Dieser Workshop")
        assert header.sectionSize(0) > needed  # the column is not cut
