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


@pytest.fixture(autouse=True)
def _language_left_as_it_was():
    """Fail a test that leaves the process's language changed (and put it back).

    The active translator is a context variable, and Qt's default locale is
    process-wide: a test that starts the app (``run_gui``) or installs a language
    without :func:`calms_desktop.gui.i18n.app_language` would change the language of
    every test after it.
    """
    from calms_desktop.core.i18n import active, set_active

    before = active()
    locale = _qt_locale()
    yield
    after, after_locale = active(), _qt_locale()
    if after is not before:
        set_active(before)
    if after_locale != locale and "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QLocale

        QLocale.setDefault(QLocale(locale))
    assert after is before, f"the test left {after!r} active (was {before!r})"
    assert after_locale == locale, f"the test left Qt's locale {after_locale} (was {locale})"


def _qt_locale() -> str | None:
    """Qt's default locale, if Qt is loaded (its name, ``en_US``)."""
    if "PySide6.QtCore" not in sys.modules:
        return None
    from PySide6.QtCore import QLocale

    return QLocale().name()
