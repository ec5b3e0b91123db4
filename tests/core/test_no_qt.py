"""The core (and the chart and report builders) never import Qt."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import calms_desktop

PACKAGE = Path(calms_desktop.__file__).resolve().parent
QT_FREE = ("core", "charts", "room", "reports", "net")
QT_MODULES = ("PySide6", "shiboken6", "PyQt5", "PyQt6")


def qt_free_modules() -> list[str]:
    names = []
    for sub in QT_FREE:
        folder = PACKAGE / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.py")):
            rel = path.relative_to(PACKAGE.parent).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts.pop()
            names.append(".".join(parts))
    return names


def test_there_is_a_core_to_check():
    modules = qt_free_modules()
    assert "calms_desktop.core.storage" in modules
    assert "calms_desktop.core.scoring" in modules


def test_importing_every_qt_free_module_loads_no_qt():
    code = (
        "import importlib, json, sys\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps(qt_free_modules())],
        capture_output=True, text=True, timeout=120, cwd=PACKAGE.parent,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and node.args:
            func = getattr(node.func, "attr", getattr(node.func, "id", ""))
            first = node.args[0]
            if func in ("import_module", "__import__") and isinstance(first, ast.Constant):
                found.append((node.lineno, str(first.value)))
    return found


def test_no_core_file_imports_qt_even_lazily():
    # Catches imports inside functions too, which the import test above cannot.
    offenders = []
    for path in sorted((PACKAGE / "core").rglob("*.py")):
        for line, module in _imports(path):
            if module.split(".")[0] in QT_MODULES or module.startswith("calms_desktop.gui"):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module}")
        # relative imports of the GUI package (from ..gui import x)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.ImportFrom) and node.level >= 2
                    and (node.module or "").startswith("gui")):
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: {node.module}")
    assert offenders == []


def test_the_static_check_would_catch_an_offender(tmp_path):
    sample = tmp_path / "x.py"
    sample.write_text(
        "def f():\n    from PySide6.QtCore import QObject\n    import shiboken6\n"
        "    importlib.import_module('PySide6.QtGui')\n",
        encoding="utf-8",
    )
    assert [m for _, m in _imports(sample)] == ["PySide6.QtCore", "shiboken6", "PySide6.QtGui"]
