"""Exports from the GUI: built on a worker, progress shown, outcome reported; charts saved."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QFileDialog, QWidget

from calms_desktop.charts.radar import radar_data, radar_figure
from calms_desktop.core.scoring import score_workshop
from calms_desktop.gui import export_dialog as ed
from calms_desktop.reports import ExportKind

TIMEOUT = 60_000  # a loaded CI machine builds slowly; never a timing assertion


@pytest.fixture
def pool():
    p = QThreadPool()
    yield p
    p.waitForDone(TIMEOUT)


@pytest.fixture
def window(qtbot):
    w = QWidget()
    qtbot.addWidget(w)
    return w


@pytest.fixture
def slow_build(monkeypatch):
    """Make the build wait until the test releases it; records the thread it ran on."""
    release = threading.Event()
    threads: list[threading.Thread] = []
    real = ed.build_export

    def build(kind, ws, baseline=None, **kwargs):
        threads.append(threading.current_thread())
        release.wait(TIMEOUT / 1000)
        return real(kind, ws, baseline, **kwargs)

    monkeypatch.setattr(ed, "build_export", build)
    yield release, threads
    release.set()


def test_attendee_pdf_is_built_off_the_gui_thread(qtbot, window, pool, demo_pair, tmp_path,
                                                 slow_build):
    release, threads = slow_build
    base, ws = demo_pair
    target = tmp_path / "summary.pdf"
    job = ed.export_report(window, ws, base, ExportKind.ATTENDEE_PDF, target, pool=pool,
                           notify=False)
    assert job is not None and job.running
    # the GUI thread keeps running events while the worker is busy
    ticks = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=TIMEOUT)
    assert not target.exists()
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT) as blocker:
        release.set()
    timer.stop()
    assert blocker.args == [str(target)]
    assert threads and threads[0] is not threading.main_thread()
    assert target.read_bytes().startswith(b"%PDF")
    assert not job.running


def test_progress_dialog_shows_while_building_and_closes(qtbot, window, pool, demo_pair,
                                                         tmp_path, slow_build):
    release, _ = slow_build
    window.show()
    base, ws = demo_pair
    job = ed.export_report(window, ws, base, "facilitator", tmp_path / "r.pdf", pool=pool,
                           notify=False)
    qtbot.waitUntil(lambda: job.progress_dialog is not None
                    and job.progress_dialog.isVisible(), timeout=TIMEOUT)
    assert "Facilitator report (PDF)" in job.progress_dialog.labelText()
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        release.set()
    assert job.progress_dialog is None
    window.close()


def test_success_is_reported_in_a_message_box(qtbot, window, pool, demo_pair, tmp_path):
    base, ws = demo_pair
    target = tmp_path / "votes.csv"
    job = ed.export_report(window, ws, base, ExportKind.VOTES_CSV, target, pool=pool)
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
        pass
    box = job.message_box
    assert box is not None and str(target) in box.text()
    assert target.read_bytes().startswith(b"\xef\xbb\xbfworkshop_id")
    box.close()


def test_failure_is_reported(qtbot, window, pool, demo_pair, tmp_path):
    base, ws = demo_pair
    target = tmp_path / "no" / "such" / "folder" / "x.pdf"
    job = ed.export_report(window, ws, base, ExportKind.ATTENDEE_PDF, target, pool=pool)
    with qtbot.waitSignal(job.failed, timeout=TIMEOUT) as blocker:
        pass
    assert "Could not write" in blocker.args[0]
    assert job.message_box is not None and "Could not write" in job.message_box.text()
    job.message_box.close()
    assert not target.exists()


def test_a_failure_in_the_german_app_is_said_in_german(qtbot, window, pool, demo_pair,
                                                      tmp_path):
    """The export runs on a pool thread, which starts with English active: its message
    must still be in the interface's language, the system's reason too."""
    from calms_desktop.core.i18n import Translator, activate

    base, ws = demo_pair
    target = tmp_path / "no" / "such" / "folder" / "x.pdf"
    with activate(Translator("de")):
        job = ed.export_report(window, ws, base, ExportKind.ATTENDEE_PDF, target, pool=pool,
                               notify=False, translator=Translator("en"))
    with qtbot.waitSignal(job.failed, timeout=TIMEOUT) as blocker:
        pass
    assert "konnte nicht geschrieben werden" in blocker.args[0]
    assert "No such file" not in blocker.args[0]


def test_a_build_error_is_reported_not_lost(qtbot, window, pool, demo_pair, tmp_path,
                                            monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(ed, "build_export", broken)
    job = ed.export_report(window, demo_pair[1], None, "attendee", tmp_path / "x.pdf",
                           pool=pool, notify=False)
    with qtbot.waitSignal(job.failed, timeout=TIMEOUT) as blocker:
        pass
    assert "ValueError: boom" in blocker.args[0]


def test_cancel_writes_nothing(qtbot, window, pool, demo_pair, tmp_path, slow_build):
    release, _ = slow_build
    base, ws = demo_pair
    target = tmp_path / "r.pdf"
    job = ed.export_report(window, ws, base, "facilitator", target, pool=pool, notify=False)
    finished = []
    job.finished.connect(finished.append)
    with qtbot.waitSignal(job.cancelled, timeout=TIMEOUT):
        job.cancel()
    release.set()
    pool.waitForDone(TIMEOUT)
    qtbot.wait(50)
    assert not target.exists() and finished == []


def test_the_worker_builds_from_a_copy(window, pool, demo_pair, tmp_path, slow_build):
    release, _ = slow_build
    base, ws = demo_pair
    job = ed.ExportJob(window, ws, base, ExportKind.SUMMARY_CSV, tmp_path / "s.csv", pool=pool,
                       notify=False, progress=False)
    assert job._worker.workshop is not ws and job._worker.workshop.votes == ws.votes
    ws.votes.clear()  # the room goes on; the export keeps what it was given
    assert job._worker.workshop.votes
    release.set()


def test_file_dialog_path_is_used_and_suffix_added(qtbot, window, pool, demo_pair, tmp_path,
                                                   monkeypatch):
    base, ws = demo_pair
    asked = {}

    def fake_dialog(parent, title, suggested, filters):
        asked.update(title=title, suggested=suggested, filters=filters)
        return str(tmp_path / "chosen"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    job = ed.export_report(window, ws, base, ExportKind.ATTENDEE_PDF, pool=pool, notify=False)
    with qtbot.waitSignal(job.finished, timeout=TIMEOUT) as blocker:
        pass
    assert blocker.args == [str(tmp_path / "chosen.pdf")]
    assert asked["suggested"].endswith(" - CALMS summary.pdf")
    assert "PDF" in asked["filters"]


def test_cancelling_the_file_dialog_starts_nothing(window, demo_pair, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: ("", "")))
    assert ed.export_report(window, demo_pair[1], None, "attendee") is None


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_save_chart(window, demo_pair, tmp_path, suffix):
    _, ws = demo_pair
    fig = radar_figure(radar_data(ws, score_workshop(ws)))
    path = ed.save_figure_dialog(window, fig, path=tmp_path / f"radar{suffix}")
    assert path == tmp_path / f"radar{suffix}"
    head = path.read_bytes()[:200]
    assert head.startswith(b"\x89PNG") if suffix == ".png" else b"<svg" in head


def test_save_chart_asks_and_follows_the_chosen_filter(window, demo_pair, tmp_path,
                                                       monkeypatch):
    _, ws = demo_pair
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
        lambda *a: (str(tmp_path / "chart"), "SVG vector image (*.svg)")))
    fig = radar_figure(radar_data(ws, score_workshop(ws)))
    assert ed.save_figure_dialog(window, fig) == tmp_path / "chart.svg"
    assert (tmp_path / "chart.svg").exists()


def test_save_chart_failure_is_not_an_exception(window, demo_pair, tmp_path):
    fig = radar_figure(radar_data(demo_pair[1], score_workshop(demo_pair[1])))
    assert ed.save_figure_dialog(window, fig, path=tmp_path / "x.gif", notify=False) is None
    assert ed.save_figure_dialog(window, fig, path=tmp_path / "no" / "x.png",
                                 notify=False) is None


def test_the_suggested_file_name_is_in_the_report_language(qtbot, monkeypatch, qapp,
                                                           demo_pair):
    from PySide6.QtWidgets import QFileDialog, QWidget

    from calms_desktop.core.i18n import Translator
    from calms_desktop.gui.export_dialog import ask_export_path
    from calms_desktop.reports import ExportKind
    from tests.gui.conftest import ui_language

    asked: list[str] = []

    def fake_dialog(parent, title, suggested, filters):  # noqa: ANN001, ANN202
        asked.append(suggested)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_dialog))
    parent = QWidget()
    qtbot.addWidget(parent)
    ws = demo_pair[1]
    with ui_language(qapp, Translator("de")):
        assert ask_export_path(parent, ws, ExportKind.ATTENDEE_PDF, Translator("en")) is None
        assert ask_export_path(parent, ws, ExportKind.ATTENDEE_PDF) is None
    assert asked[0].endswith("CALMS summary.pdf")
    assert not asked[1].endswith("CALMS summary.pdf")  # the German app's own name


def test_a_csv_from_the_app_is_in_the_chosen_report_language(qtbot, window, pool, demo_pair,
                                                             tmp_path):
    """File → Export with the report language German: the CSV's words are German, its
    keys not (as ``export --csv --lang de``)."""
    import csv
    import io

    from calms_desktop.core.i18n import ENGLISH, Translator, activate

    base, ws = demo_pair
    target = tmp_path / "summary.csv"
    with activate(ENGLISH):  # an English console …
        job = ed.export_report(window, ws, base, ExportKind.SUMMARY_CSV, target, pool=pool,
                               notify=False, translator=Translator("de"))  # … German report
        assert job is not None
        with qtbot.waitSignal(job.finished, timeout=TIMEOUT):
            pass
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert (rows[0]["pillar"], rows[0]["pillar_name"]) == ("culture", "Kultur")
