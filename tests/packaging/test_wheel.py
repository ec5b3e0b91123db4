"""The wheel works outside the checkout: demo, PDF export and the GUI from a fresh venv.

The wheel is built from a copy of the sources (so no stale ``build/`` folder
of the checkout can slip files in), installed into a new venv under
``tmp_path``, and every command runs with its working directory there. To stay
offline, the new venv sees the checkout venv's third-party packages through a
``.pth`` line; ``calms_desktop`` itself must come from the wheel, which the
test checks by its ``__file__``.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import textwrap
import venv
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
#: Left out of the copy the wheel is built from.
NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "out", "*.egg-info", "__pycache__", ".*_cache",
)
TIMEOUT = 120  # seconds, per command

GUI_CHECK = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    from calms_desktop import cli

    app = QApplication(sys.argv[:1])
    seen = []

    def look():
        for w in QApplication.topLevelWidgets():
            if w.isVisible() and w.windowTitle():
                seen.append(w.windowTitle())
                screen = getattr(w, "current_screen", lambda: None)()
                seen.append(type(screen).__name__)
        for w in QApplication.topLevelWidgets():
            w.close()
        app.quit()

    QTimer.singleShot(1500, look)
    code = cli.main(["--data-dir", sys.argv[1], "--demo"])
    print("\\n".join(seen))
    sys.exit(code)
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A fresh venv outside the checkout with only the wheel of calms_desktop in it."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=NOT_SOURCES)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(base / "dist"), str(src)],
        check=True, timeout=TIMEOUT, cwd=base,
    )
    (wheel,) = (base / "dist").glob("calms_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("calms_desktop/resources/ui/setup_screen.ui",
                   "calms_desktop/resources/questionnaires/calms-default.json",
                   "calms_desktop/resources/fonts/NotoSansTamil-Regular.ttf",
                   "calms_desktop/resources/fonts/LICENSE-Noto.txt",
                   "calms_desktop/net/static/index.html"):
        assert needed in names, needed

    env_dir = base / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    py = env_dir / "bin" / "python"
    new_site = Path(subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True, timeout=TIMEOUT,
    ).stdout.strip())
    # The checkout venv's third-party packages, after the new venv's own.
    # (A path added by a .pth is no site dir: the checkout's editable-install
    # .pth files there are not run, so they cannot bring the checkout back.)
    (new_site / "zz_checkout_deps.pth").write_text(
        "\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps",
         "--no-index", "--quiet", str(wheel)],
        check=True, timeout=TIMEOUT, cwd=base,
    )
    return env_dir


def run(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "CALMS_DATA_DIR")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(list(args), cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)


def test_the_package_comes_from_the_wheel(installed, tmp_path):
    done = run(installed, str(installed / "bin" / "python"), "-c",
               "import calms_desktop, calms_desktop.core.assets as a; "
               "print(calms_desktop.__file__); print(a.resource_dir('fonts'))", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    module, fonts = done.stdout.split()
    assert Path(module).is_relative_to(installed), module
    assert Path(fonts).is_relative_to(installed) and Path(fonts).is_dir(), fonts
    assert not Path(module).is_relative_to(ROOT)


def test_demo_and_pdf_export_from_the_wheel(installed, tmp_path):
    exe = str(installed / "bin" / "calms-desktop")
    lib = tmp_path / "library"
    done = run(installed, exe, "--data-dir", str(lib), "demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = run(installed, exe, "--data-dir", str(lib), "list", cwd=tmp_path)
    assert "CALMS re-assessment" in listed.stdout, listed.stderr
    workshop = listed.stdout.split()[0]
    for audience in ("attendee", "facilitator"):
        pdf = tmp_path / f"{audience}.pdf"
        done = run(installed, exe, "--data-dir", str(lib), "export", workshop,
                   "--pdf", str(pdf), "--audience", audience, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Nordlicht Logistics" in text
        assert "Automation" in text


def test_the_gui_starts_from_the_wheel(installed, tmp_path):
    lib = tmp_path / "library"
    done = run(installed, str(installed / "bin" / "python"), "-c", GUI_CHECK, str(lib),
               cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    seen = done.stdout.splitlines()
    assert any("CALMS Workshop" in title for title in seen), done.stdout + done.stderr
    # the demo opened on a screen built from a Designer form out of the wheel
    assert any(name.endswith("Screen") for name in seen), done.stdout + done.stderr
