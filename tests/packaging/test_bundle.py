"""The PyInstaller bundle: its commands work, and it opens its window under Xvfb.

The bundle is built once per change of its inputs (``tools/build_bundle.py``
caches it under ``build/bundle``): about 1.5 minutes on a 2-core machine, then
nothing while the sources stay the same.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from tools import build_bundle

TIMEOUT = 120
NEEDS_X = [tool for tool in ("xvfb-run", "xdotool") if shutil.which(tool) is None]

#: Under Xvfb: start the bundle, wait (≤ 60 s) for its main window, print its
#: title and size, then end the app with SIGTERM.
SEE_WINDOW = r"""
"$1" --data-dir "$2" --demo &
app=$!
for _ in $(seq 120); do
  win=$(xdotool search --onlyvisible --name '^CALMS Workshop' 2>/dev/null | head -n 1)
  if [ -n "$win" ]; then
    xdotool getwindowname "$win"
    xdotool getwindowgeometry "$win"
    kill "$app"; wait "$app"
    exit 0
  fi
  kill -0 "$app" 2>/dev/null || { echo "the app exited"; exit 1; }
  sleep 0.5
done
echo "no window"; kill "$app"; exit 1
"""


@pytest.fixture(scope="module")
def bundle() -> Path:
    return build_bundle.cached_bundle()


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "CALMS_DATA_DIR", "QT_QPA_PLATFORM", "DISPLAY")}
    return env


def test_the_bundle_runs_the_demo_and_exports_both_pdfs(bundle, tmp_path):
    exe = str(bundle / "calms-desktop")
    lib = tmp_path / "library"
    env = clean_env()
    done = subprocess.run([exe, "--data-dir", str(lib), "demo"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    (workshop,) = (line.split()[0] for line in done.stdout.splitlines() if "re-assess" in line)
    for audience in ("attendee", "facilitator"):
        pdf = tmp_path / f"{audience}.pdf"
        done = subprocess.run([exe, "--data-dir", str(lib), "export", workshop, "--pdf",
                               str(pdf), "--audience", audience],
                              cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
        assert "Nordlicht Logistics" in text and "Automation" in text


@pytest.mark.skipif(bool(NEEDS_X), reason=f"needs {', '.join(NEEDS_X)} (make setup)")
def test_the_bundle_opens_its_window_under_xvfb(bundle, tmp_path):
    script = tmp_path / "see_window.sh"
    script.write_text(SEE_WINDOW, encoding="utf-8")
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "bash", str(script),
         str(bundle / "calms-desktop"), str(tmp_path / "library")],
        cwd=tmp_path, env=clean_env(), capture_output=True, text=True, timeout=TIMEOUT,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    title = done.stdout.splitlines()[0]
    assert title.startswith("CALMS Workshop"), done.stdout
    size = re.search(r"Geometry: (\d+)x(\d+)", done.stdout)
    assert size, done.stdout
    width, height = int(size[1]), int(size[2])
    assert 600 <= width <= 1366 and 400 <= height <= 768, done.stdout  # fits the screen


def test_the_bundle_carries_its_desktop_entry_and_icons(bundle):
    entry = configparser.ConfigParser(interpolation=None)
    entry.read(bundle / "calms-desktop.desktop", encoding="utf-8")
    section = entry["Desktop Entry"]
    assert section["Type"] == "Application"
    assert section["Icon"] == "calms-desktop"
    assert section["StartupWMClass"] == "calms-desktop"
    icons = bundle / "_internal" / "calms_desktop" / "resources" / "icons"
    assert (icons / "calms-desktop.svg").is_file()
    assert {p.name for p in icons.glob("*.png")} >= {"calms-desktop-48.png",
                                                     "calms-desktop-256.png"}
    assert os.access(bundle / "install-desktop-entry.sh", os.X_OK)


def test_install_desktop_entry_points_at_the_bundle(bundle, tmp_path):
    env = {**clean_env(), "XDG_DATA_HOME": str(tmp_path / "share")}
    done = subprocess.run(["bash", str(bundle / "install-desktop-entry.sh")], env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "share" / "applications" / "calms-desktop.desktop").read_text("utf-8")
    assert f'Exec="{bundle / "calms-desktop"}"' in text
    assert (tmp_path / "share" / "icons" / "hicolor" / "48x48" / "apps" /
            "calms-desktop.png").is_file()


def test_the_bundle_speaks_german_from_the_system_locale_and_the_setting(bundle, tmp_path):
    exe = str(bundle / "calms-desktop")
    lib = tmp_path / "library"
    german = {**clean_env(), "LANG": "de_DE.UTF-8", "LANGUAGE": "de", "LC_ALL": ""}
    done = subprocess.run([exe, "--data-dir", str(tmp_path / "empty"), "list"], env=german,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0 and "Keine Workshops in" in done.stdout, done.stdout + done.stderr
    done = subprocess.run([exe, "--data-dir", str(lib), "demo"], env=clean_env(),
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    (workshop,) = (line.split()[0] for line in done.stdout.splitlines() if "re-assess" in line)
    # View → Language: Deutsch, saved in the library's settings; the machine speaks English.
    (lib / "settings.ini").write_text("[ui]\nlanguage=de\n", encoding="utf-8")
    pdf = tmp_path / "de.pdf"
    done = subprocess.run([exe, "--data-dir", str(lib), "export", workshop, "--pdf", str(pdf)],
                          env=clean_env(), capture_output=True, text=True, timeout=TIMEOUT)
    assert done.returncode == 0, done.stderr
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Werte nach Säule" in text and "Automatisierung" in text, text[:500]
    assert "Scores by pillar" not in text


def test_the_bundle_carries_the_licences_of_what_it_bundles(bundle):
    internal = bundle / "_internal"
    lgpl = internal / "calms_desktop" / "resources" / "licences" / "LGPL-3.0-and-GPL-3.0.txt"
    text = lgpl.read_text("utf-8")
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "GNU GENERAL PUBLIC LICENSE" in text
    assert (lgpl.parent / "Python-PSF-2.0.txt").is_file()
    # the About dialog reads each library's licence from its metadata, which the bundle keeps
    for dist in ("pyside6_essentials", "shiboken6", "reportlab", "matplotlib"):
        assert list(internal.glob(f"{dist}-*.dist-info/METADATA")), dist
    assert list(internal.glob("reportlab-*.dist-info/licenses/LICENSE*")) or list(
        internal.glob("reportlab-*.dist-info/LICENSE*"))


def test_the_bundle_lists_every_shared_library_it_carries(bundle):
    import json

    internal = bundle / "_internal"
    data = json.loads((internal / "licenses" / "shared-libraries.json").read_text("utf-8"))
    listed = {entry["file"]: entry for entry in data["libraries"]}
    carried = {p.relative_to(internal).as_posix() for p in internal.rglob("*")
               if (p.name.endswith(".so") or ".so." in p.name)
               and not p.relative_to(internal).as_posix().startswith("licenses/")}
    assert carried == set(listed)
    assert not [name for name in carried if "readline" in name]  # GPL-3.0, excluded
    assert all(e["kind"] != "untraced" for e in listed.values()), [
        f for f, e in listed.items() if e["kind"] == "untraced"]
    ssl = listed["libssl.so.3"]
    assert ssl["kind"] == "debian" and ssl["provider"] == "libssl3", ssl
    assert "Apache-2.0" in ssl["licence"]
    for entry in listed.values():  # every Debian package's copyright file is in the bundle
        if entry["kind"] == "debian" and entry["licence"] != "no copyright file installed":
            assert (internal / entry["copyright"]).is_file(), entry
    qt = listed["PySide6/Qt/lib/libQt6Core.so.6"]
    assert qt["kind"] == "wheel" and "LGPL" in qt["licence"]
    assert "libssl.so.3 — Debian package libssl3" in (
        internal / "licenses" / "shared-libraries.txt").read_text("utf-8")
