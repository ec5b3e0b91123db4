"""The console in German: Designer forms, code-built texts, Qt's own buttons, settings."""

from __future__ import annotations

import contextlib

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QPushButton

from calms_desktop.core.i18n import Translator
from calms_desktop.gui.i18n import CatalogueTranslator, chosen_language
from calms_desktop.gui.settings import Settings
from tests.gui.conftest import ui_language


@pytest.fixture
def german(qapp):
    """German for the duration of one test: the active translator and Qt's translators."""
    with ui_language(qapp, Translator("de")) as translator:
        yield translator


def test_a_designer_form_loads_in_german(qtbot, german):
    from PySide6.QtWidgets import QWidget

    from calms_desktop.gui.form_types import StartScreenForm
    from calms_desktop.gui.forms import load_form

    host = QWidget()
    qtbot.addWidget(host)
    load_form("start_screen", host, StartScreenForm)
    texts = {w.text() for w in host.findChildren(QLabel)} | {
        b.text() for b in host.findChildren(QPushButton)}
    assert "&Neuer Workshop" in texts
    assert "New workshop" not in " ".join(texts)


def test_dynamic_properties_of_a_form_are_not_translated(qtbot, german):
    from PySide6.QtWidgets import QWidget

    from calms_desktop.gui.form_types import ProjectorForm
    from calms_desktop.gui.forms import load_form

    host = QWidget()
    qtbot.addWidget(host)
    load_form("projector", host, ProjectorForm)
    roles = {w.property("role") for w in host.findChildren(QLabel)} - {None}
    assert {"title", "chip"} <= roles  # the style sheet's selectors still match


def test_the_main_window_in_german(qtbot, data_dir, german):
    from calms_desktop.gui.app import create_window

    window = create_window(data_dir, translator=german)
    qtbot.addWidget(window)
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus[:3] == ["&Datei", "&Bearbeiten", "&Workshop"]
    assert window.context.translator == german


def test_qt_standard_buttons_speak_german(german):
    text = QCoreApplication.translate("QPlatformTheme", "Cancel")
    assert text == "Abbrechen"


def test_an_untranslated_text_falls_through_to_the_source(qapp):
    bridge = CatalogueTranslator(Translator("de"))
    assert bridge.translate("Nowhere", "A text nobody marked") is None
    assert bridge.translate("StartScreenForm", "&New workshop") == "&Neuer Workshop"


def test_the_language_setting_and_its_menu(qtbot, data_dir, app_window):
    settings = Settings.for_data_dir(data_dir)
    assert settings.language == ""
    assert chosen_language(settings) == "en"  # the suite runs with LANGUAGE=en
    from PySide6.QtGui import QAction

    german = next(a for a in app_window.findChildren(QAction)
                  if a.data() == "de" and a.parent().title() == "&Language")
    german.trigger()
    assert Settings.for_data_dir(data_dir).language == "de"
    assert chosen_language(Settings.for_data_dir(data_dir)) == "de"


def test_reports_use_their_own_language_setting(qtbot, app_window):
    assert app_window.report_translator() == app_window.context.translator
    app_window.choose_report_language("de")
    assert app_window.report_translator() == Translator("de")
    app_window.choose_report_language("")
    assert app_window.report_translator() == app_window.context.translator


def test_the_german_console_fits_a_1366_pixel_screen(qtbot, data_dir, german):
    """German labels are longer: no step, in no state, makes the window wider than a
    1366 × 768 laptop (its stack is as wide as its widest step)."""
    from calms_desktop.core.demo import DEMO_IDS, install_demo
    from calms_desktop.core.model import PILLARS, PillarState
    from calms_desktop.gui.app import create_window

    window = create_window(data_dir, translator=german)
    qtbot.addWidget(window)
    install_demo(window.library)
    window.show()
    window.open_workshop(DEMO_IDS[1])
    for state in (PillarState.DONE, PillarState.VOTING, PillarState.REVEALED):
        for pillar in PILLARS:
            window.controller.set_pillar_state(pillar, state)
            window.go_to(pillar.value)
        assert window.minimumSizeHint().width() <= 1366, state
    window.toggle_phones()  # … nor with the phones panel open beside the step
    for state in (PillarState.VOTING, PillarState.REVEALED):
        for pillar in PILLARS:
            window.controller.set_pillar_state(pillar, state)
            window.go_to(pillar.value)
            assert window.minimumSizeHint().width() <= 1366, (state, pillar)


def test_the_german_metrics_editor_needs_no_horizontal_scroll_bar(qtbot, demo_controller,
                                                                  german):
    """The show-of-hands row's button sits under the counts, and a long label above its
    field: the editor fits the Measurement step's pane at 1366 × 768."""
    from calms_desktop.gui.widgets.metrics_panel import MetricsPanel

    panel = MetricsPanel(demo_controller)
    qtbot.addWidget(panel)
    row = [m.id for m in panel._metrics].index("recovery_time")
    panel.table.setCurrentCell(row, 0)
    assert panel.editor_area.widget().minimumSizeHint().width() <= 440


@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
@pytest.mark.parametrize("size", [(1366, 768), (1280, 720)])
def test_the_german_projector_shows_every_level_descriptor_whole(qtbot, data_dir, german,
                                                                 size):
    """A German descriptor is often three lines at the level text's size: the five shrink
    together before any is cut with "…"."""
    from calms_desktop.core.model import PILLARS, PillarState
    from calms_desktop.gui.projector.widgets import TextFitter

    with demo_projector(qtbot, data_dir, german, size) as (window, projector):
        for pillar in PILLARS:
            window.controller.set_pillar_state(pillar, PillarState.VOTING)
            window.go_to(pillar.value)
            # five levels (a sixth row is there for a metric's buckets, hidden here)
            rows = [r for r in projector._level_rows if not r.widget.isHidden()]
            assert len(rows) == 5, pillar
            qtbot.waitUntil(lambda rows=rows: all(
                r.text.text().replace("\n", " ") == TextFitter.full_text(r.text)
                for r in rows if r.text.isVisibleTo(projector)), timeout=3000)
            assert all(r.text.isVisibleTo(projector) for r in rows), pillar


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_console_with_phones_open_fits_a_768_pixel_screen(qtbot, qapp, data_dir, language):
    """The phones panel open and phone voting open: the window's minimum height leaves
    room for the title bar and the taskbar of a 1366 × 768 laptop (it scrolls instead)."""
    from calms_desktop.core.demo import DEMO_IDS, install_demo
    from calms_desktop.core.model import PILLARS, PillarState
    from calms_desktop.gui.app import create_window

    with ui_language(qapp, Translator(language)) as translator:
        window = create_window(data_dir, translator=translator)
        qtbot.addWidget(window)
        install_demo(window.library)
        window.resize(1366, 740)
        window.show()
        window.open_workshop(DEMO_IDS[1])
        window.toggle_phones()
        panel = window.phones
        panel.port = 0
        assert panel.open_voting("127.0.0.1")
        try:
            for state in (PillarState.VOTING, PillarState.REVEALED):
                for pillar in PILLARS:
                    window.controller.set_pillar_state(pillar, state)
                    window.go_to(pillar.value)
                    qtbot.wait(1)  # the layouts settle (the QR code, the device table)
                    assert window.minimumSizeHint().height() <= 740, (state, pillar)
                    assert window.minimumSizeHint().width() <= 1366, (state, pillar)
        finally:
            panel.close_voting()


def test_a_refused_import_is_reported_in_german(qtbot, library, tmp_path, demo_pair, german):
    import json

    from calms_desktop.core import fileformat
    from calms_desktop.core import validate as v
    from calms_desktop.gui.library.browser import LibraryScreen
    from calms_desktop.gui.library_actions import LibraryActions

    doc = fileformat.to_document(demo_pair[0])
    doc["votes"][0]["score"] = 9
    (tmp_path / "bad-score.json").write_text(json.dumps(doc), encoding="utf-8")
    (tmp_path / "too-large.json").write_bytes(b" " * (v.MAX_FILE_BYTES + 1))
    screen = LibraryScreen(LibraryActions(library))
    qtbot.addWidget(screen)
    screen.load()
    report = screen.import_paths([tmp_path])
    assert report is not None and len(report.problems) == 2
    assert screen.message == ("2 Dateien ließen sich nicht lesen. Dateien, die sich nicht lesen "
                              "ließen, stehen unten; sie wurden nicht verändert.")
    shown = screen.problems_shown()
    assert any("bad-score.json — $.votes[0].score: ein Wert muss 1–5 oder „?“ (weiß nicht) "
               "sein, nicht 9" in p for p in shown)
    assert any("too-large.json — $: die Datei hat 1.048.577 Byte; erlaubt sind höchstens "
               "1.048.576" in p for p in shown)


@contextlib.contextmanager
def demo_projector(qtbot, data_dir, translator, size):
    """The app on the demo re-assessment with its projector open at ``size``."""
    from calms_desktop.core.demo import DEMO_IDS, install_demo
    from calms_desktop.gui.app import create_window

    window = create_window(data_dir, translator=translator)
    qtbot.addWidget(window)
    install_demo(window.library)
    window.show()
    window.open_workshop(DEMO_IDS[1])
    window.toggle_projector()
    projector = window.projector
    try:
        projector.showNormal()
        projector.resize(*size)
        yield window, projector
    finally:
        projector.close()
        window.close()
        window.library.close()


def _radar_diameter(projector) -> float:
    ax, fig = projector.pillar_radar.chart.ax, projector.pillar_radar.figure
    pos = ax.get_position()
    return min(pos.width * fig.bbox.width, pos.height * fig.bbox.height)


def _revealed_projector_radar(qtbot, data_dir, translator) -> tuple[float, list[str]]:
    """The revealed culture slide at 1366x768: the radar's diameter and the agenda lines
    cut with "…" on the intro slide."""
    from calms_desktop.core.model import Pillar
    from calms_desktop.gui.projector.widgets import TextFitter

    with demo_projector(qtbot, data_dir, translator, (1366, 768)) as (window, projector):
        window.go_to("intro")
        rows = [what for what, _minutes in projector._agenda_rows if what.isVisibleTo(projector)]
        qtbot.waitUntil(lambda: all(r.width() > 0 for r in rows))
        qtbot.wait(50)  # the resize's second layout pass
        cut = [TextFitter.full_text(r) for r in rows
               if r.text() != TextFitter.full_text(r)]
        window.go_to("culture")
        window.controller.reveal(Pillar.CULTURE)
        qtbot.waitUntil(lambda: projector.pillar_radar.isVisible())
        qtbot.wait(100)
        projector.pillar_radar.canvas.draw()
        return _radar_diameter(projector), cut


def test_the_german_projector_keeps_the_radar_and_agenda_as_large_as_english(
        qtbot, data_dir, tmp_path, qapp):
    english_radar, english_cut = _revealed_projector_radar(qtbot, tmp_path / "en",
                                                           Translator("en"))
    with ui_language(qapp, Translator("de")) as german:
        german_radar, german_cut = _revealed_projector_radar(qtbot, data_dir, german)
    assert english_cut == [] and german_cut == []  # "Zusammenfassung und Maßnahmen" whole
    assert german_radar >= 0.85 * english_radar  # not shrunk for "Automatisierung"


@pytest.mark.parametrize(("saved", "expected"), [
    ("de_DE", "de"), ("de-DE", "de"), ("DE", "de"), ("en_US", "en"), ("de_AT.UTF-8", "de")])
def test_a_hand_edited_language_setting_is_understood(data_dir, saved, expected):
    from calms_desktop.gui.i18n import language_problems, report_language

    settings = Settings.for_data_dir(data_dir)
    settings.language = saved
    settings.report_language = saved
    assert chosen_language(settings) == expected
    assert report_language(settings) == expected
    assert language_problems(settings) == []


def test_an_unknown_language_setting_is_said_and_ignored(qtbot, data_dir, caplog):
    from calms_desktop.core.i18n import system_language
    from calms_desktop.gui.app import create_window
    from calms_desktop.gui.i18n import report_language

    settings = Settings.for_data_dir(data_dir)
    settings.language = "fr"
    settings.report_language = "klingon"
    settings.sync()
    assert chosen_language(settings) == system_language()
    assert report_language(settings) == ""
    window = create_window(data_dir)
    qtbot.addWidget(window)
    shown = window.statusBar().currentMessage()
    assert "ui/language=fr" in shown and "report/language=klingon" in shown
    assert "ignored" in shown
    assert any("report/language=klingon" in r.getMessage() for r in caplog.records)
    assert window.report_translator() == window.context.translator


_QT_LOCALE_PROBE = """
import sys
from pathlib import Path
from PySide6.QtCore import QDate, QLocale
from calms_desktop.gui import app as gui_app

def probe(qapp, *args):
    system = QLocale.system()
    print(system.name(), "|", system.formattedDataSize(57000), "|",
          system.toString(QDate(2026, 12, 2), QLocale.FormatType.ShortFormat))
    return 0

gui_app._run_window = probe
sys.exit(gui_app.run_gui(Path(sys.argv[1])))
"""


@pytest.mark.parametrize(("machine", "chosen", "expected"), [
    ({"LANGUAGE": "fr", "LANG": "fr_FR.UTF-8"}, "", "en_GB | 55.66 KiB | 02/12/2026"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "en_US.UTF-8"}, "de", "de_DE | 55,66 KiB | 02.12.26"),
])
def test_qt_widgets_format_in_the_chosen_language_not_the_machines(tmp_path, machine, chosen,
                                                                    expected):
    """The file dialog's sizes and dates come from ``QLocale.system()``: a French machine
    running the English app showed "Kio" and French dates (a fresh process: Qt reads the
    machine's locale once, when the application starts)."""
    import os
    import subprocess
    import sys

    settings = Settings.for_data_dir(tmp_path)
    settings.language = chosen
    settings.sync()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env |= machine | {"QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", _QT_LOCALE_PROBE, str(tmp_path)], env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == expected
