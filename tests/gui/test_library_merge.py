"""The merge dialog: replace, keep both, skip, cancel, "do the same for the others"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer

from calms_desktop.core.demo import build_demo
from calms_desktop.gui.library.merge_dialog import MergeDialog, ask_conflict

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def pair():
    existing = build_demo()[1]
    incoming = build_demo()[1]
    incoming.title = "<b>Changed</b> & 李娜"
    return incoming, existing


def dialog(qtbot, incoming, existing, **kw):
    d = MergeDialog(incoming, existing, source="/tmp/colleague/x.json", **kw)
    qtbot.addWidget(d)
    return d


@pytest.mark.parametrize(("button", "choice"), [
    ("replaceButton", "replace"), ("keepBothButton", "keep-both"), ("skipButton", "skip"),
])
def test_each_button_gives_its_choice(qtbot, pair, button, choice):
    d = dialog(qtbot, *pair)
    getattr(d.ui, button).click()
    assert d.choice == choice and d.result() == d.DialogCode.Accepted
    assert not d.apply_all


def test_cancel(qtbot, pair):
    d = dialog(qtbot, *pair)
    d.ui.cancelButton.click()
    assert d.choice is None and d.result() == d.DialogCode.Rejected


def test_shows_both_copies_as_plain_text(qtbot, pair):
    incoming, existing = pair
    d = dialog(qtbot, incoming, existing)
    assert d.ui.fileTitle.text() == "<b>Changed</b> & 李娜"
    assert d.ui.libraryTitle.text() == existing.title
    assert d.ui.fileTitle.textFormat() == d.ui.fileTitle.textFormat().PlainText
    assert "x.json" in d.ui.fileLabel.text()
    assert d.ui.libraryPeople.text() == str(len(existing.participants))


def test_suggests_the_newer_copy(qtbot, pair):
    incoming, existing = pair
    incoming.updated = "2099-01-01T00:00:00+00:00"
    d = dialog(qtbot, incoming, existing)
    assert d.ui.replaceButton.isDefault() and "file's copy" in d.ui.adviceLabel.text()
    incoming.updated = "2000-01-01T00:00:00+00:00"
    d = dialog(qtbot, incoming, existing)
    assert d.ui.skipButton.isDefault() and "library's copy" in d.ui.adviceLabel.text()


def test_replace_is_disabled_for_the_open_workshop(qtbot, pair):
    incoming, existing = pair
    incoming.updated = "2099-01-01T00:00:00+00:00"
    d = dialog(qtbot, incoming, existing, can_replace=False)
    assert not d.ui.replaceButton.isEnabled()
    assert d.ui.keepBothButton.isDefault()
    assert "open in the console" in d.ui.adviceLabel.text()


def test_apply_to_all_only_when_more_clashes_follow(qtbot, pair):
    d = dialog(qtbot, *pair)
    assert d.ui.applyAllCheck.isHidden()
    d = dialog(qtbot, *pair, remaining=3)
    assert not d.ui.applyAllCheck.isHidden()
    assert "3 conflicts" in d.ui.applyAllCheck.text()
    d.ui.applyAllCheck.setChecked(True)
    d.ui.skipButton.click()
    assert d.apply_all and d.choice == "skip"


def test_ask_conflict_runs_the_dialog(qtbot, pair):
    from PySide6.QtWidgets import QApplication

    def answer():
        d = QApplication.activeModalWidget()
        assert isinstance(d, MergeDialog)
        d.ui.applyAllCheck.setChecked(True)
        d.ui.keepBothButton.click()

    QTimer.singleShot(0, answer)
    assert ask_conflict(None, *pair, remaining=1) == ("keep-both", True)
