"""What the breaking pass found in the library's edges, each kept as a test."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from calms_desktop.core.demo import DEMO_IDS, install_demo
from calms_desktop.core.resume import ResumeState, ResumeStore
from calms_desktop.core.storage import Library

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str, data: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "calms_desktop", "--data-dir", str(data), *args],
                          capture_output=True, timeout=timeout, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture
def demo_dir(tmp_path):
    data = tmp_path / "lib"
    with Library(data) as lib:
        install_demo(lib)
    return data


def test_a_deeply_nested_or_odd_session_file_is_ignored(tmp_path):
    store = ResumeStore(tmp_path)
    store.path.write_text('{"workshop_id": "x", "step": "culture", "projector": '
                          + "[" * 5000 + "]" * 5000 + "}", encoding="utf-8")
    assert store.load() is None
    store.path.write_text("[1, 2]", encoding="utf-8")
    assert store.load() is None


def test_a_damaged_timer_in_the_session_file_does_not_stop_the_resume(tmp_path):
    from calms_desktop.core.session import WorkshopSession
    from calms_desktop.room.live import Room

    lib = Library(tmp_path / "lib")
    ws = install_demo(lib)[1]
    room = Room(WorkshopSession(ws, lib))
    for bad in ({"step": "culture", "budget_ms": "abc", "elapsed_ms": 0},
                {"step": "culture", "budget_ms": 1e400, "elapsed_ms": 0}):
        room.restore(ResumeState(ws.id, "culture", "", {"culture": bad}))
        assert room.step == "culture" and room.timer.budget_ms >= 0
    lib.close()


def test_export_into_a_pipe_or_device_writes_into_it_and_never_replaces_it(demo_dir, tmp_path):
    fifo = tmp_path / "out.csv"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    done = _cli("export", DEMO_IDS[1], "--csv", str(fifo), data=demo_dir)
    out, _ = reader.communicate(timeout=30)
    assert done.returncode == 0, done.stderr
    assert out.startswith(b"\xef\xbb\xbf") or b"," in out
    assert fifo.is_fifo()  # still a pipe
    assert _cli("export", DEMO_IDS[1], "--json", "/dev/null", data=demo_dir).returncode == 0
    assert Path("/dev/null").is_char_device()


def test_exporting_json_to_stdout_escapes_terminal_controls(demo_dir):
    path = demo_dir / "workshops" / f"{DEMO_IDS[1]}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["workshop"]["title"] = "Evil \x9b31m title \u202e reversed"
    path.write_text(json.dumps(doc), encoding="utf-8")
    done = _cli("export", DEMO_IDS[1], "--json", "-", data=demo_dir)
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("utf-8")
    assert "\x9b" not in text and "\u202e" not in text
    assert json.loads(text)["workshop"]["title"] == "Evil \x9b31m title \u202e reversed"


def test_a_pipe_or_huge_settings_file_does_not_hang_a_pdf_export(demo_dir):
    settings = demo_dir / "settings.ini"
    os.mkfifo(settings)
    done = _cli("export", DEMO_IDS[1], "--pdf", str(demo_dir / "x.pdf"), data=demo_dir,
                timeout=60)
    assert done.returncode == 0, done.stderr
    settings.unlink()
    settings.write_text("[report_branding]\nconsultant=\\xd800abc\n", encoding="utf-8")
    done = _cli("export", DEMO_IDS[1], "--pdf", str(demo_dir / "y.pdf"), data=demo_dir)
    assert done.returncode == 0 and b"Traceback" not in done.stderr, done.stderr


def test_the_merge_dialog_shows_a_timestamp_at_the_edge_of_time():
    from calms_desktop.gui.library.merge_dialog import _when

    assert _when("9999-12-31T23:59:59-14:00") == "9999-12-31T23:59:59-14:00"
    assert _when("0001-01-01T00:00:00+14:00") == "0001-01-01T00:00:00+14:00"


def test_a_workshop_that_is_its_own_baseline_is_refused_with_the_place(demo_dir):
    from calms_desktop.core import fileformat
    from calms_desktop.core.errors import ValidationError
    from calms_desktop.core.operations import SetFields

    path = demo_dir / "workshops" / f"{DEMO_IDS[1]}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["workshop"]["baseline_id"] = doc["workshop"]["id"]
    with pytest.raises(ValidationError, match="baseline_id"):
        fileformat.from_document(doc)
    ws = Library(demo_dir, read_only=True).load(DEMO_IDS[1])
    with pytest.raises(Exception, match="its own earlier workshop"):
        SetFields.of(baseline_id=ws.id).apply(ws)
