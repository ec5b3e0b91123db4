"""The phone server is Qt-free and typed: no PySide6, and mypy accepts it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.core.test_no_qt import PACKAGE, QT_MODULES, _imports

NET = PACKAGE / "net"


def _modules() -> list[str]:
    return [f"calms_desktop.net.{p.stem}" if p.stem != "__init__" else "calms_desktop.net"
            for p in sorted(NET.glob("*.py"))]


def test_importing_the_net_package_loads_no_qt():
    code = (
        "import importlib, json, sys\n"
        "for name in json.loads(sys.argv[1]):\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r})))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, json.dumps(_modules())],
                          capture_output=True, text=True, timeout=120, cwd=PACKAGE.parent)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


def test_no_net_file_imports_qt_or_the_gui_even_lazily():
    offenders = [
        f"{path.name}:{line}: {module}"
        for path in sorted(NET.glob("*.py"))
        for line, module in _imports(path)
        if module.split(".")[0] in QT_MODULES or module.startswith("calms_desktop.gui")
    ]
    assert offenders == []


def test_mypy_accepts_the_net_package():
    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-error-summary",
                           "calms_desktop/net"], cwd=root, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
