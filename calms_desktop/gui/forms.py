"""Load Qt Designer forms from ``ui/`` at run time.

Designer files are sources: they are loaded with ``QUiLoader``, never
compiled into hand-edited code. A screen owns its form::

    self.ui = load_form("setup_screen", self)   # widgets as self.ui.titleEdit …
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QVBoxLayout, QWidget

UI_DIR = Path(__file__).resolve().parents[2] / "ui"


class Form:
    """Named access to the widgets of a loaded form (``form.titleEdit``)."""

    def __init__(self, root: QWidget) -> None:
        self.root = root

    def __getattr__(self, name: str) -> QWidget:
        found = self.root.findChild(QWidget, name)
        if found is None:
            if self.root.objectName() == name:
                return self.root
            raise AttributeError(f"the form has no widget named {name!r}")
        # cache the lookup
        self.__dict__[name] = found
        return found


def load_form(name: str, host: QWidget) -> Form:
    """Load ``ui/<name>.ui`` and put it into ``host`` (filling it)."""
    path = UI_DIR / f"{name}.ui"
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(path)
    try:
        root = QUiLoader().load(f, host)
    finally:
        f.close()
    if root is None:
        raise RuntimeError(f"cannot load form {path}")
    layout = host.layout() or QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(root)
    return Form(root)
