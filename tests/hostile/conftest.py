"""Hostile-corpus fixtures: a watchdog, and a library with one good workshop."""

from __future__ import annotations

import signal

import pytest

from calms_desktop.core.storage import Library

from .corpus import valid_workshop


@pytest.fixture(autouse=True)
def watchdog():
    """Fail (not hang) a test that blocks: a FIFO or device read would wait for ever."""
    def hung(_signum, _frame):
        raise TimeoutError("blocked for 20 s on a hostile entry")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def good_library(data_dir):
    """A data folder holding one valid workshop (closed again)."""
    with Library(data_dir) as lib:
        lib.save(valid_workshop())
    return data_dir
