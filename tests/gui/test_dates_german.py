"""The German console shows no ISO date: every screen of the demo, its tables and charts.

A date stored as ``2026-08-26`` reaches people as ``26. August 2026`` (or
``26.08.2026`` in a table cell); fields where the facilitator types a date keep
ISO input and are left out of the scan.
"""

from __future__ import annotations

import re

import pytest
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.text import Text
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QTabWidget,
    QWidget,
)

from calms_desktop.core.i18n import Translator
from calms_desktop.core.model import STEPS
from tests.gui.conftest import shown_window, ui_language

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out = []

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model: one column
            return 1

    for orientation, count in ((Qt.Orientation.Horizontal, columns(QModelIndex())),
                               (Qt.Orientation.Vertical, model.rowCount(QModelIndex()))):
        out += [str(model.headerData(i, orientation) or "") for i in range(count)]

    def walk(parent: QModelIndex) -> None:
        for r in range(model.rowCount(parent)):
            for c in range(columns(parent)):
                index = model.index(r, c, parent)
                out.append(str(index.data(Qt.ItemDataRole.DisplayRole) or ""))
                if c == 0:
                    walk(index)

    walk(QModelIndex())
    return out


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of what a person sees under ``root``: labels, buttons, tabs,
    combo items, table cells and headers, and the charts' texts (ticks, legends)."""
    found: list[tuple[str, str]] = [("window title", root.window().windowTitle())]
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        name = f"{type(w).__name__} {w.objectName()}"
        if isinstance(w, QLabel | QAbstractButton):
            found.append((name, w.text()))
        elif isinstance(w, QAbstractSpinBox):  # a QDateEdit shows its date as text
            found.append((name, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((name, w.title()))
        elif isinstance(w, QTabWidget):
            found += [(name, w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, QComboBox):
            found += [(name, w.itemText(i)) for i in range(w.count())]
        elif isinstance(w, QAbstractItemView):
            found += [(name, t) for t in _model_texts(w)]
        elif isinstance(w, FigureCanvasQTAgg):
            w.draw()
            found += [(name, t.get_text()) for t in w.figure.findobj(Text)]
    return found


def iso_dates(root: QWidget) -> list[tuple[str, str]]:
    return [(where, text) for where, text in visible_texts(root) if ISO.search(text)]


@pytest.fixture
def german_window(qtbot, qapp, data_dir):
    """The main window in German (as ``LANGUAGE=de`` or the setting would make it)."""
    with ui_language(qapp, Translator("de")) as german, shown_window(qtbot, data_dir,
                                                                   german) as w:
        yield w


def test_every_step_of_the_german_demo_shows_dates_in_german(qtbot, german_window):
    w = german_window
    w.open_demo()
    assert "2026" in w.windowTitle() and not ISO.search(w.windowTitle())
    seen = []
    for step in ("setup", *STEPS):
        w.go_to(step)
        qtbot.wait(10)
        seen += [(step, where, text) for where, text in iso_dates(w)]
    assert seen == [], "\n".join(map(str, seen))


@pytest.mark.parametrize("page", ["browser", "progress", "portfolio"])
def test_the_german_library_pages_show_dates_in_german(qtbot, german_window, page):
    w = german_window
    w.open_demo()
    w.show_library(page)
    screen = w.pages.currentWidget()
    qtbot.waitUntil(screen.isVisible)
    if page == "portfolio":  # read on a worker; the latest date is in a cell's tooltip
        qtbot.waitUntil(lambda: screen.ui.orgTable.rowCount() > 0)
        tip = screen.ui.orgTable.item(0, 1).toolTip()
        assert re.search(r"\d{2}\.\d{2}\.2026", tip) and not ISO.search(tip), tip
        # the worker thread gathers metric names and levels in the screen's language too
        metrics = screen.metrics_label.text()
        assert "Durchlaufzeit" in metrics and "between" not in metrics, metrics
        return
    texts: list[tuple[str, str]] = []
    tabs = screen.findChildren(QTabWidget)
    for tab in tabs or [None]:
        for i in range(tab.count() if tab else 1):
            if tab:
                tab.setCurrentIndex(i)
                qtbot.wait(50)
            texts += visible_texts(screen)
    everything = " ".join(t for _w, t in texts)
    # the dates are there, in German
    assert re.search(r"\d{2}\.\d{2}\.2026|\d{1,2}\. \w+\.? 2026", everything), everything[:800]
    assert [(where, t) for where, t in texts if ISO.search(t)] == []
