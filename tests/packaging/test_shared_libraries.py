"""packaging/shared_libraries.py on a fake bundle: a fake dpkg, a fake doc tree."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("shared_libraries",
                                               ROOT / "packaging" / "shared_libraries.py")
assert _spec and _spec.loader
shared_libraries = importlib.util.module_from_spec(_spec)
sys.modules["shared_libraries"] = shared_libraries
_spec.loader.exec_module(shared_libraries)

DEP5 = """Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: OpenSSL

Files: *
Copyright: 1998-2024 The OpenSSL Project
License: Apache-2.0

Files: debian/*
License: Apache-2.0

License: Apache-2.0
 Licensed under the Apache License, Version 2.0.
"""


def fake_dpkg(owners: dict[str, str]):
    """A runner answering ``dpkg -S`` from ``owners`` (path → package) and dpkg-query."""
    calls: list[list[str]] = []

    def runner(command):
        calls.append(list(command))
        if command[:2] == ["dpkg", "-S"]:
            path = command[2]
            if path in owners:
                return 0, f"{owners[path]}: {path}\n"
            return 1, ""
        if command[:2] == ["dpkg-query", "-W"]:
            return 0, "1.2-3"
        raise AssertionError(command)

    runner.calls = calls  # type: ignore[attr-defined]
    return runner


def test_dep5_licences_lists_each_short_name_once():
    assert shared_libraries.dep5_licences(DEP5) == "Apache-2.0"
    two = DEP5.replace("Files: debian/*\nLicense: Apache-2.0", "Files: x\nLicense: GPL-3+")
    assert shared_libraries.dep5_licences(two) == "Apache-2.0, GPL-3+"
    assert shared_libraries.dep5_licences("This package was downloaded from …\n") == \
        shared_libraries.SEE_FILE
    assert shared_libraries.dep5_licences("") == shared_libraries.SEE_FILE


def test_survey_names_every_library_with_its_package_wheel_or_python(tmp_path):
    system = tmp_path / "usr" / "lib"
    system.mkdir(parents=True)
    (system / "libssl.so.3").write_bytes(b"elf")
    site = tmp_path / "site"
    (site / "pillow.libs").mkdir(parents=True)
    (site / "pillow.libs" / "libjpeg-1a.so.62").write_bytes(b"elf")
    python = tmp_path / "python"
    (python / "lib").mkdir(parents=True)
    (python / "lib" / "libpython3.11.so.1.0").write_bytes(b"elf")
    stray = tmp_path / "elsewhere" / "libodd.so"
    stray.parent.mkdir()
    stray.write_bytes(b"elf")
    docs = tmp_path / "doc"
    (docs / "libssl3").mkdir(parents=True)
    (docs / "libssl3" / "copyright").write_text(DEP5, encoding="utf-8")

    bundle = tmp_path / "_internal"
    (bundle / "pillow.libs").mkdir(parents=True)
    for name in ("libssl.so.3", "libpython3.11.so.1.0", "libodd.so", "libnobody.so.1"):
        (bundle / name).write_bytes(b"elf")
    (bundle / "pillow.libs" / "libjpeg-1a.so.62").write_bytes(b"elf")
    (bundle / "libjpeg-1a.so.62").symlink_to("pillow.libs/libjpeg-1a.so.62")
    (bundle / "notes.txt").write_text("not a library", encoding="utf-8")
    binaries = [("libssl.so.3", str(system / "libssl.so.3")),
                ("pillow.libs/libjpeg-1a.so.62", str(site / "pillow.libs/libjpeg-1a.so.62")),
                ("libpython3.11.so.1.0", str(python / "lib" / "libpython3.11.so.1.0")),
                ("libodd.so", str(stray))]
    # dpkg knows the /usr-less twin only (the /usr merge)
    runner = fake_dpkg({_twin(str(system / "libssl.so.3")): "libssl3:amd64"})
    wheel = shared_libraries.Wheel("pillow", "13.0.0", "MIT-CMU")
    listed = shared_libraries.survey(
        bundle, binaries, runner=runner,
        wheels={str((site / "pillow.libs" / "libjpeg-1a.so.62").resolve()): wheel},
        python_prefix=python, python_licence="licences/Python.txt", doc_root=docs)
    by_file = {lib.file: lib for lib in listed}
    assert set(by_file) == {"libssl.so.3", "libpython3.11.so.1.0", "libodd.so",
                            "libnobody.so.1", "pillow.libs/libjpeg-1a.so.62",
                            "libjpeg-1a.so.62"}
    ssl = by_file["libssl.so.3"]
    assert (ssl.kind, ssl.provider, ssl.version, ssl.licence) == \
        ("debian", "libssl3", "1.2-3", "Apache-2.0")
    assert (bundle / ssl.copyright).read_text("utf-8") == DEP5
    jpeg = by_file["pillow.libs/libjpeg-1a.so.62"]
    assert (jpeg.kind, jpeg.provider, jpeg.licence) == ("wheel", "pillow", "MIT-CMU")
    assert by_file["libjpeg-1a.so.62"].kind == "link"
    assert by_file["libjpeg-1a.so.62"].provider == "pillow.libs/libjpeg-1a.so.62"
    py = by_file["libpython3.11.so.1.0"]
    assert (py.kind, py.licence, py.copyright) == ("python", "PSF-2.0", "licences/Python.txt")
    assert by_file["libodd.so"].kind == "untraced"      # copied from a file nobody owns
    assert by_file["libnobody.so.1"].kind == "untraced"  # not in PyInstaller's list

    written = shared_libraries.write(bundle, listed)
    data = json.loads(written.read_text("utf-8"))
    assert {e["file"] for e in data["libraries"]} == set(by_file)
    text = (bundle / "licenses" / "shared-libraries.txt").read_text("utf-8")
    assert "libssl.so.3 — Debian package libssl3 1.2-3 — Apache-2.0" in text
    assert "libjpeg-1a.so.62 — link to pillow.libs/libjpeg-1a.so.62" in text
    # a second survey does not list the list's own folder
    again = shared_libraries.survey(bundle, binaries, runner=runner, wheels={},
                                    python_prefix=python, doc_root=docs)
    assert not any(lib.file.startswith("licenses/") for lib in again)


def test_a_package_without_a_copyright_file_says_so(tmp_path):
    bundle = tmp_path / "_internal"
    bundle.mkdir()
    (bundle / "libz.so.1").write_bytes(b"elf")
    source = tmp_path / "libz.so.1"
    source.write_bytes(b"elf")
    (listed,) = shared_libraries.survey(
        bundle, [("libz.so.1", str(source))], runner=fake_dpkg({str(source): "zlib1g"}),
        wheels={}, python_prefix=tmp_path / "py", doc_root=tmp_path / "no-docs")
    assert (listed.provider, listed.licence, listed.copyright) == \
        ("zlib1g", shared_libraries.NO_COPYRIGHT, "")


def _twin(path: str) -> str:
    return path.removeprefix("/usr") if path.startswith("/usr/") else "/usr" + path
