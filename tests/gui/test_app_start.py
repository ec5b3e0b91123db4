"""Starting the app on a library with a damaged file, or one another process holds."""

from __future__ import annotations

import pytest

from calms_desktop.core.demo import DEMO_IDS, install_demo
from calms_desktop.core.errors import LibraryLocked
from calms_desktop.core.storage import Library
from calms_desktop.gui.app import create_window

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_damaged_file_is_set_aside_and_the_facilitator_is_told(qtbot, data_dir):
    lib = Library(data_dir)
    install_demo(lib)
    lib.close()
    broken = data_dir / "workshops" / f"{DEMO_IDS[0]}.json"
    original = broken.read_bytes()[:5000]
    broken.write_bytes(original)  # torn in the middle

    window = create_window(data_dir)
    qtbot.addWidget(window)
    notice = window.start_screen.message()
    assert "set aside" in notice and str(data_dir / "damaged") in notice
    assert DEMO_IDS[0] in notice
    assert [r["id"] for r in window.library.summaries()] == [DEMO_IDS[1]]
    kept = list((data_dir / "damaged").iterdir())
    assert len(kept) == 1 and kept[0].read_bytes() == original  # nothing lost
    window.library.close()


def test_a_second_instance_is_refused_clearly(qtbot, data_dir):
    window = create_window(data_dir)
    qtbot.addWidget(window)
    with pytest.raises(LibraryLocked, match="open in another CALMS Workshop"):
        create_window(data_dir)
    window.library.close()


def test_the_start_screen_loads_neither_reports_nor_file_parsing(tmp_path):
    """What the first paint does not need stays unimported (start-up time, see
    ``benchmarks/bench_console.py``): the report package, matplotlib, the file
    parser and merging load when a workshop opens, an export runs or an import starts."""
    import json
    import os
    import subprocess
    import sys

    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from calms_desktop.gui.app import create_window\n"
        "app = QApplication(sys.argv[:1])\n"
        "window = create_window(Path(sys.argv[1]))\n"
        "window.show(); app.processEvents()\n"
        "print(json.dumps(sorted(sys.modules)))\n"
        "window.library.close()\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data")], env=env,
                         capture_output=True, text=True, timeout=120, check=True).stdout
    loaded = set(json.loads(out.strip().splitlines()[-1]))
    assert "calms_desktop.gui.main_window" in loaded  # the window did start
    for module in ("calms_desktop.reports", "calms_desktop.core.fileformat",
                   "calms_desktop.core.merge", "calms_desktop.gui.branding_dialog",
                   "matplotlib", "reportlab"):
        assert module not in loaded, module
