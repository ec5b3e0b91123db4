"""The layers hold: import-linter's contracts in pyproject.toml are kept.

core < charts | room < reports < net < gui, and nothing below the GUI imports Qt.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _lint_imports() -> str:
    beside = Path(sys.executable).with_name("lint-imports")
    found = str(beside) if beside.exists() else shutil.which("lint-imports")
    assert found, "import-linter is a test dependency (pip install -e '.[test]')"
    return found


def test_the_contracts_name_every_layer():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = config["tool"]["importlinter"]["contracts"]
    layers = next(c for c in contracts if c["type"] == "layers")["layers"]
    assert layers[0] == "calms_desktop.gui" and layers[-1] == "calms_desktop.core"
    assert "calms_desktop.charts | calms_desktop.room" in layers
    forbidden = next(c for c in contracts if c["type"] == "forbidden")
    assert "PySide6" in forbidden["forbidden_modules"]
    assert "calms_desktop.room" in forbidden["source_modules"]


def test_import_linter_keeps_every_contract():
    proc = subprocess.run([_lint_imports(), "--no-cache"], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout
