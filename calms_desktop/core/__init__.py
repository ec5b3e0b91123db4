"""The Qt-free core of CALMS Workshop.

Nothing in this package may import PySide6 (``tests/core/test_no_qt.py``
enforces it), so everything here runs in the CLI, in workers and in tests
without a display.
"""
