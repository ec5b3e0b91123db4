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
