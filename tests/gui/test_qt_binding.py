"""Guard against a Qt binding that leaks references to None.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every Qt call
that returns nothing, until the interpreter aborted ("none_dealloc") in the
middle of a workshop. pyproject.toml pins it out; this test catches a
binding with the same bug if the pin is ever loosened.
"""

import sys

from PySide6.QtWidgets import QLabel


def test_void_qt_calls_keep_none_alive(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for _ in range(2000):
        label.setText("x")
    assert sys.getrefcount(None) >= before - 50
