"""The bundle's shared-library list: every ``.so*`` file, where it comes from, its licence.

Run by ``calms-desktop.spec`` after PyInstaller has collected the bundle (so it
is a step of ``make dist``), on Linux. For each shared library in the bundle
(all of them: the system's, the ones inside Python wheels, Python's own
extension modules) it records:

- where PyInstaller copied it from (the analysis' binaries list);
- who provides it: the Debian package that owns that file (``dpkg -S``), else
  the Python wheel (installed distribution) whose files include it, else the
  Python interpreter (files under ``sys.base_prefix``), else "not traced";
- its licence: for a Debian package the short names of the machine-readable
  (DEP-5) ``License:`` lines of ``/usr/share/doc/<package>/copyright``, else
  "see copyright file"; for a wheel the licence its metadata declares.

It writes ``licenses/shared-libraries.json`` and ``licenses/shared-libraries.txt``
into the bundle and copies every named package's copyright file to
``licenses/debian/<package>/copyright`` (the LGPL and GPL want their text beside
the binary). The About dialog reads the JSON (``calms_desktop.core.about``).

No Qt here, and every outside call (``dpkg``) goes through a ``Runner`` so the
tests can run it on a fake tree. Usable by hand too::

    python packaging/shared_libraries.py dist/calms-desktop/_internal
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

#: Runs a command, returns (exit status, stdout). Replaced in the tests.
Runner = Callable[[Sequence[str]], tuple[int, str]]

LIST_DIR = "licenses"
LIST_JSON = "shared-libraries.json"
LIST_TEXT = "shared-libraries.txt"
COPYRIGHT_DIR = "debian"
SEE_FILE = "see copyright file"
NO_COPYRIGHT = "no copyright file installed"
DEP5_FORMATS = ("copyright-format/1.0", "/dep5", "dep-5")


def run(command: Sequence[str]) -> tuple[int, str]:
    """The real :data:`Runner`: status and stdout of ``command`` (127 when it is missing)."""
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=60,
                              check=False)
    except (OSError, subprocess.TimeoutExpired):
        return 127, ""
    return done.returncode, done.stdout


@dataclass(frozen=True)
class SharedLibrary:
    """One shared library in the bundle.

    Attributes:
        file: its path inside the bundle folder (``_internal/``), with ``/``.
        source: the file PyInstaller copied ("" when not traced).
        kind: ``debian``, ``wheel``, ``python``, ``link`` or ``untraced``.
        provider: the Debian package, wheel (distribution) or "Python"; for a link, its
            target in the bundle.
        version: the provider's version.
        licence: short licence names, or :data:`SEE_FILE`.
        copyright: the licence/copyright text in the bundle, relative to it ("" if none).
    """

    file: str
    source: str
    kind: str
    provider: str
    version: str
    licence: str
    copyright: str


def is_shared_library(path: Path) -> bool:
    """``libfoo.so``, ``libfoo.so.6``, ``_ssl.cpython-311-x86_64-linux-gnu.so`` …"""
    name = path.name
    return name.endswith(".so") or ".so." in name


def dep5_licences(text: str) -> str:
    """The short licence names of a Debian copyright file, or :data:`SEE_FILE`.

    Only a machine-readable (DEP-5) file names them reliably: its ``License:``
    fields, each name once, in order of appearance.
    """
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    if not (first.startswith("Format:") and any(f in first for f in DEP5_FORMATS)):
        return SEE_FILE
    names: list[str] = []
    for line in text.splitlines():
        if line.startswith("License:"):
            name = line.removeprefix("License:").strip()
            if name and name not in names:
                names.append(name)
    return ", ".join(names) if names else SEE_FILE


def _usr_variants(path: str) -> list[str]:
    """The path and its twin across the /usr merge (dpkg knows only one of them)."""
    twin = path.removeprefix("/usr") if path.startswith("/usr/") else "/usr" + path
    return [path, twin]


def debian_package(source: Path, runner: Runner) -> str | None:
    """The Debian package owning ``source`` (or the file it links to), without ``:arch``."""
    candidates: list[str] = []
    for path in (str(source), os.path.realpath(source)):
        candidates += [p for p in _usr_variants(path) if p not in candidates]
    for path in candidates:
        status, out = runner(["dpkg", "-S", path])
        if status != 0:
            continue
        for line in out.splitlines():
            if line.startswith("diversion ") or ": " not in line:
                continue
            owners, _, owned = line.partition(": ")
            if owned.strip() == path:
                return owners.split(",")[0].strip().split(":")[0]
    return None


def package_version(package: str, runner: Runner) -> str:
    status, out = runner(["dpkg-query", "-W", "-f=${Version}", package])
    return out.strip() if status == 0 else ""


@dataclass(frozen=True)
class Wheel:
    """An installed distribution a library came with."""

    name: str
    version: str
    licence: str


def wheel_files(distributions: Iterable[object] | None = None) -> dict[str, Wheel]:
    """Every shared library the installed distributions hold, by its real path."""
    from importlib import metadata

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from calms_desktop.core.about import licence_of

    found: dict[str, Wheel] = {}
    for dist in distributions if distributions is not None else metadata.distributions():
        assert isinstance(dist, metadata.Distribution)
        wheel = Wheel(dist.metadata["Name"], dist.version, licence_of(dist.metadata))
        for file in dist.files or []:
            if is_shared_library(Path(str(file))):
                found[os.path.realpath(str(file.locate()))] = wheel
    return found


def copy_copyright(package: str, doc_root: Path, into: Path) -> str:
    """Copy ``<doc_root>/<package>/copyright`` into the bundle; its bundle path or ""."""
    source = doc_root / package / "copyright"
    if not source.is_file():
        return ""
    target = into / LIST_DIR / COPYRIGHT_DIR / package / "copyright"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)  # follows the doc folder's symlink, if any
    return target.relative_to(into).as_posix()


def survey(
    bundle: Path,
    binaries: Iterable[tuple[str, str]],
    *,
    runner: Runner = run,
    wheels: dict[str, Wheel] | None = None,
    python_prefix: Path = Path(sys.base_prefix),
    python_licence: str = "",
    doc_root: Path = Path("/usr/share/doc"),
) -> list[SharedLibrary]:
    """Describe every shared library in ``bundle`` and copy the copyright files it needs.

    Args:
        bundle: the bundle's ``_internal`` folder (PyInstaller ≥ 6), already collected.
        binaries: (path in the bundle, source file) pairs — PyInstaller's ``a.binaries``.
        runner: runs ``dpkg``/``dpkg-query``.
        wheels: shared libraries of the installed distributions (:func:`wheel_files`).
        python_prefix: the interpreter's installation; files under it (not in a wheel)
            are Python's.
        python_licence: Python's licence text in the bundle, relative to it.
        doc_root: where the Debian copyright files are.
    """
    wheels = wheel_files() if wheels is None else wheels
    sources = {Path(dest).as_posix(): src for dest, src in binaries}
    versions: dict[str, str] = {}
    copyrights: dict[str, tuple[str, str]] = {}
    out: list[SharedLibrary] = []
    for path in sorted(p for p in bundle.rglob("*") if is_shared_library(p)
                       and (p.is_file() or p.is_symlink())):
        rel = path.relative_to(bundle).as_posix()
        if LIST_DIR in path.relative_to(bundle).parts[:1]:
            continue
        if path.is_symlink():
            target = os.path.relpath(os.path.realpath(path), os.path.realpath(bundle))
            out.append(SharedLibrary(rel, "", "link", Path(target).as_posix(), "", "", ""))
            continue
        source = sources.get(rel, "")
        if not source:
            out.append(SharedLibrary(rel, "", "untraced", "", "", SEE_FILE, ""))
            continue
        package = debian_package(Path(source), runner)
        real = os.path.realpath(source)
        if package is not None:
            if package not in copyrights:
                copied = copy_copyright(package, doc_root, bundle)
                text = (bundle / copied).read_text("utf-8", errors="replace") if copied else ""
                copyrights[package] = (dep5_licences(text) if copied else NO_COPYRIGHT, copied)
                versions[package] = package_version(package, runner)
            licence, copied = copyrights[package]
            out.append(SharedLibrary(rel, source, "debian", package, versions[package],
                                     licence, copied))
        elif real in wheels:
            wheel = wheels[real]
            out.append(SharedLibrary(rel, source, "wheel", wheel.name, wheel.version,
                                     wheel.licence, ""))
        elif Path(real).is_relative_to(os.path.realpath(python_prefix)):
            out.append(SharedLibrary(rel, source, "python", "Python",
                                     ".".join(map(str, sys.version_info[:3])), "PSF-2.0",
                                     python_licence))
        else:
            out.append(SharedLibrary(rel, source, "untraced", "", "", SEE_FILE, ""))
    return out


def text_table(libraries: Sequence[SharedLibrary]) -> str:
    """The list as plain text, one library a line."""
    lines = ["Shared libraries in this bundle: file — provider version — licence", ""]
    for lib in libraries:
        if lib.kind == "link":
            lines.append(f"{lib.file} — link to {lib.provider}")
            continue
        provider = {"debian": "Debian package ", "wheel": "Python wheel "}.get(lib.kind, "")
        who = f"{provider}{lib.provider} {lib.version}".strip() or "not traced"
        where = f" ({lib.copyright})" if lib.copyright else ""
        lines.append(f"{lib.file} — {who} — {lib.licence}{where}")
    return "\n".join(lines) + "\n"


def write(bundle: Path, libraries: Sequence[SharedLibrary]) -> Path:
    """Write the JSON and text lists into ``bundle/licenses``; returns the JSON's path."""
    folder = bundle / LIST_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / LIST_JSON
    target.write_text(json.dumps({"libraries": [asdict(lib) for lib in libraries]},
                                 indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / LIST_TEXT).write_text(text_table(libraries), encoding="utf-8")
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, help="the bundle's _internal folder")
    parser.add_argument("--binaries", type=Path,
                        help="JSON list of [path in bundle, source] pairs (default: none "
                             "traced; every library is looked up by its bundle path)")
    args = parser.parse_args(argv)
    if not args.bundle.is_dir():
        print(f"error: {args.bundle} is not a folder", file=sys.stderr)
        return 2
    pairs = json.loads(args.binaries.read_text("utf-8")) if args.binaries else []
    print(write(args.bundle, survey(args.bundle, pairs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
