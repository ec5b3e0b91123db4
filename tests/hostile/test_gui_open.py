"""The app opens on a library holding any hostile entry, and a drop of one is listed."""

from __future__ import annotations

import pytest

from calms_desktop.gui.app import create_window

from .corpus import ALL, VALID_ID

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

SOME = [c for c in ALL if c.name in {
    "tally key superscript digit", "integer of thousands of digits", "lone surrogate in the title",
    "nested 100,000 deep", "FIFO named .json", "symbolic link to a device",
    "symbolic link loop", "folder named .json", "251 participants",
}]


@pytest.mark.parametrize("case", SOME, ids=[c.name for c in SOME])
def test_the_app_opens_and_tells_the_facilitator(qtbot, good_library, case):
    path = good_library / "workshops" / "hostile.json"
    case.make(path)
    window = create_window(good_library)
    qtbot.addWidget(window)
    try:
        notice = window.start_screen.message()
        assert "set aside" in notice and case.problem in notice
        assert [r["id"] for r in window.library.summaries()] == [VALID_ID]
        assert window.open_workshop(VALID_ID)
    finally:
        window.close_workshop()
        window.library.close()


@pytest.mark.parametrize("case", SOME, ids=[c.name for c in SOME])
def test_a_dropped_file_is_listed_with_its_place(qtbot, good_library, tmp_path, case):
    bad = tmp_path / "dropped.json"
    case.make(bad)
    window = create_window(good_library)
    qtbot.addWidget(window)
    try:
        window.show_library()
        screen = window._library_pages["browser"]
        screen.import_paths([bad])
        shown = " ".join([screen.message, *screen.problems_shown()])
        if case.importable_as_file:
            assert "could not be read" in screen.message
            assert case.problem in shown and "dropped.json" in shown
        else:
            assert "dropped.json" in shown
        assert [r["id"] for r in window.library.summaries()] == [VALID_ID]
    finally:
        window.library.close()
