"""Load Qt Designer forms from ``calms_desktop/resources/ui/`` at run time.

Designer files are sources: they are loaded with ``QUiLoader``, never
compiled into hand-edited code. A screen owns its form::

    self.ui = load_form("setup_screen", self, SetupScreenForm)   # self.ui.titleEdit …
"""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ..core.assets import resource_dir

UI_DIR = resource_dir("ui")


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


F = TypeVar("F", bound="Form")


@cache
def _loader() -> QUiLoader:
    """The form loader, made once (a loader holds no form; every screen reuses it).

    A new ``QUiLoader`` loads every Qt Designer plugin on the library path
    (PySide's, and Qt Quick's with QML, networking and Kerberos behind it: 25 ms,
    each time). The app's forms use no Designer plugin, so the loader is made with
    an empty plugin path.
    """
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        loader = QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)
    return loader


def load_form(name: str, host: QWidget, form: type[F]) -> F:
    """Load ``resources/ui/<name>.ui`` into ``host`` (filling it), as its typed form class.

    ``form`` is the class ``tools/gen_forms.py`` generated for the file
    (``gui/form_types.py``), which names every widget with its Qt class.
    """
    path = UI_DIR / f"{name}.ui"
    f = QFile(str(path))
    if not f.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(path)
    try:
        root = _loader().load(f, host)
    finally:
        f.close()
    if root is None:
        raise RuntimeError(f"cannot load form {path}")
    layout = host.layout() or QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(root)
    return form(root)
