"""Shared test set-up: offscreen Qt, a throw-away library, demo workshops."""

from __future__ import annotations

import os
import sys

# Before anything imports Qt: no display in CI, and no stray user config.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")
# The interface follows the system locale (calms_desktop.core.i18n.system_language):
# the suite runs in English whatever the machine's; German tests ask for it.
os.environ["LANGUAGE"] = "en"

import pytest  # noqa: E402

from calms_desktop.core.demo import build_demo  # noqa: E402
from calms_desktop.core.storage import Library  # noqa: E402


@pytest.fixture
def data_dir(tmp_path):
    """An empty data folder; CALMS_DATA_DIR points at it so nothing touches ~."""
    d = tmp_path / "data"
    os.environ["CALMS_DATA_DIR"] = str(d)
    yield d
    os.environ.pop("CALMS_DATA_DIR", None)


@pytest.fixture
def library(data_dir):
    lib = Library(data_dir)
    yield lib
    lib.close()


@pytest.fixture
def demo_pair():
    """The two demo workshops (baseline, re-assessment), fresh objects each time."""
    return build_demo()


@pytest.fixture(autouse=True)
def _no_leftover_windows(request):
    """Fail a GUI test that leaves a top-level window open."""
    yield
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    app.processEvents()
    left = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    for w in left:
        w.close()
        w.deleteLater()
    app.processEvents()
    assert not left, f"top-level windows left open: {[type(w).__name__ for w in left]}"
