"""Build the self-contained bundle with PyInstaller (``make dist``).

``python -m tools.build_bundle`` writes ``dist/calms-desktop/``: the
executable, its ``_internal/`` folder, the desktop entry and
``install-desktop-entry.sh``. :func:`cached_bundle` is what the bundle test
uses: it builds only when an input changed (the package's files, the spec,
``pyproject.toml`` or an installed distribution's version), keyed by their hash.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "calms-desktop.spec"
NAME = "calms-desktop"
#: Copied beside the executable.
EXTRAS = (PACKAGING / "calms-desktop.desktop", PACKAGING / "install-desktop-entry.sh")
INPUTS = (ROOT / "calms_desktop", SPEC, PACKAGING / "calms_desktop_entry.py",
          PACKAGING / "shared_libraries.py", *EXTRAS,
          ROOT / "pyproject.toml")
BUILD_TIMEOUT = 900  # seconds


def inputs_hash() -> str:
    """A hash of everything the bundle is built from."""
    digest = hashlib.sha256()
    files: list[Path] = []
    for item in INPUTS:
        files.extend(sorted(p for p in item.rglob("*") if p.is_file()
                            and "__pycache__" not in p.parts) if item.is_dir() else [item])
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    for dist in sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions()):
        digest.update(dist.encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


def build(out: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; returns the bundle folder ``out/calms-desktop``.

    Raises:
        subprocess.CalledProcessError: PyInstaller failed (its output is on stderr).
    """
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(out), "--workpath", str(work), str(SPEC)],
        check=True, cwd=ROOT, timeout=BUILD_TIMEOUT,
    )
    bundle = out / NAME
    for extra in EXTRAS:
        shutil.copy2(extra, bundle / extra.name)
    return bundle


def cached_bundle(cache: Path = ROOT / "build" / "bundle") -> Path:
    """The bundle of the current sources, built once per :func:`inputs_hash`.

    Older builds in ``cache`` are removed when a new one is made.
    """
    key = inputs_hash()
    here = cache / key
    bundle = here / "dist" / NAME
    if (here / "complete").is_file() and (bundle / NAME).is_file():
        return bundle
    if cache.is_dir():
        for old in cache.iterdir():
            shutil.rmtree(old, ignore_errors=True)
    build(here / "dist", here / "work")
    shutil.rmtree(here / "work", ignore_errors=True)
    (here / "complete").write_text(key, encoding="utf-8")
    return bundle


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist",
                        help="where the bundle folder goes (default: dist/)")
    args = parser.parse_args(argv)
    try:
        bundle = build(args.out, ROOT / "build" / "pyinstaller")
    except subprocess.CalledProcessError as exc:
        print(f"error: PyInstaller failed ({exc.returncode}); see its output above",
              file=sys.stderr)
        return 1
    print(f"Built {bundle} — run {bundle / NAME}; "
          f"{bundle / 'install-desktop-entry.sh'} adds it to the application menu")
    return 0


if __name__ == "__main__":
    sys.exit(main())
