"""The About dialog's facts: libraries from the installed metadata, fonts with licences."""

from __future__ import annotations

from importlib import metadata

from calms_desktop.core import about


def test_libraries_are_the_requirements_transitively_with_their_versions():
    found = {c.name.lower().replace("_", "-"): c for c in about.libraries()}
    # direct requirements of the app …
    for name in ("pyside6-essentials", "matplotlib", "reportlab", "tinydb", "aiohttp", "segno"):
        assert name in found, name
        assert found[name].version == metadata.version(name)
    # … and theirs (shiboken6 comes with PySide6, numpy with matplotlib)
    assert "shiboken6" in found and "numpy" in found
    # but not what only the tests or the bundle build need, nor the app itself
    assert "pytest" not in found and "pyinstaller" not in found
    assert "calms-desktop" not in found


def test_every_library_names_a_licence():
    for c in about.libraries():
        assert c.licence and c.licence != "not declared", c
    pyside = next(c for c in about.libraries() if c.name.lower().startswith("pyside6"))
    assert "LGPL-3.0" in pyside.licence


def test_licence_prefers_spdx_then_a_short_field_then_classifiers():
    class Meta(dict):
        def get_all(self, key):
            v = self.get(key)
            return v if isinstance(v, list) else None

    assert about.licence_of(Meta({"License-Expression": "MIT", "License": "x"})) == "MIT"
    assert about.licence_of(Meta({"License": "BSD-3-Clause"})) == "BSD-3-Clause"
    long_text = "Copyright …\nPermission is hereby granted"
    assert about.licence_of(Meta({"License": long_text, "Classifier": [
        "Programming Language :: Python", "License :: OSI Approved :: MIT License"]})) \
        == "MIT License"
    assert about.licence_of(Meta({})) == "not declared"


def test_fonts_carry_their_licence_text(tmp_path):
    shipped = about.fonts()
    names = [c.name for c in shipped]
    assert names[0].startswith("Noto Sans") and "Symbola" in names and "Noto Emoji" in names
    for c in shipped:
        assert c.licence_file is not None and c.licence_file.is_file(), c
    assert "SIL OPEN FONT LICENSE" in shipped[0].licence_file.read_text("utf-8").upper()
    # a folder without the files lists only DejaVu (which comes with matplotlib)
    assert [c.name for c in about.fonts(tmp_path)] == ["DejaVu Sans (from matplotlib)"]


def test_every_library_carries_a_licence_text_pyside6_and_qt_the_lgpl():
    shipped = about.libraries()
    missing = [c.name for c in shipped if c.licence_file is None or not c.licence_file.is_file()]
    assert not missing, missing
    for name in ("PySide6_Essentials", "shiboken6", "Qt 6 libraries (in PySide6)"):
        c = next(c for c in shipped if c.name == name)
        text = c.licence_file.read_text("utf-8")
        assert "GNU LESSER GENERAL PUBLIC LICENSE" in text and "Version 3" in text, name
        assert "GNU GENERAL PUBLIC LICENSE" in text  # LGPLv3 is read with the GPLv3
    python = next(c for c in shipped if c.name == "Python")
    assert "PYTHON SOFTWARE FOUNDATION LICENSE" in python.licence_file.read_text("utf-8")
    # the texts the app ships itself are package data (a wheel and the bundle carry them)
    assert (about.licence_dir() / "LGPL-3.0-and-GPL-3.0.txt").is_file()


def test_shared_libraries_outside_a_bundle_is_none():
    from calms_desktop.core import about

    assert about.shared_libraries() is None


def test_shared_libraries_reads_the_bundle_list(tmp_path):
    import json

    from calms_desktop.core import about

    (tmp_path / "licenses" / "debian" / "libssl3").mkdir(parents=True)
    (tmp_path / "licenses" / "debian" / "libssl3" / "copyright").write_text("x", "utf-8")
    entries = [
        {"file": "libssl.so.3", "source": "/usr/lib/libssl.so.3", "kind": "debian",
         "provider": "libssl3", "version": "3.0", "licence": "Apache-2.0",
         "copyright": "licenses/debian/libssl3/copyright"},
        {"file": "libX11.so.6", "source": "/usr/lib/libX11.so.6", "kind": "debian",
         "provider": "libx11-6", "version": "1.8", "licence": "see copyright file",
         "copyright": ""},
        {"file": "libjpeg.so", "source": "", "kind": "link", "provider": "x/libjpeg.so",
         "version": "", "licence": "", "copyright": ""},
    ]
    (tmp_path / "licenses" / "shared-libraries.json").write_text(
        json.dumps({"libraries": entries}), "utf-8")
    listed = about.shared_libraries(tmp_path)
    assert [c.name for c in listed] == ["libssl.so.3", "libX11.so.6"]
    assert listed[0].source == "Debian package libssl3"
    assert listed[0].licence_file == tmp_path / "licenses/debian/libssl3/copyright"
    assert listed[1].licence == "see copyright file" and listed[1].licence_file is None


def test_a_broken_shared_library_list_says_which_file(tmp_path):
    import pytest

    from calms_desktop.core import about

    with pytest.raises(about.SharedLibraryListError, match="shared-libraries.json"):
        about.shared_libraries(tmp_path)
    (tmp_path / "licenses").mkdir()
    (tmp_path / "licenses" / "shared-libraries.json").write_text("[1]", "utf-8")
    with pytest.raises(about.SharedLibraryListError, match="not a shared-library list"):
        about.shared_libraries(tmp_path)


def test_a_library_from_a_wheel_shows_that_wheels_licence_text(tmp_path):
    """A .so that came inside a wheel (Qt's inside PySide6) points at the wheel's licence
    text, as the Libraries group does — LGPL and GPL need their text at hand."""
    import json

    from calms_desktop.core import about

    entries = [
        {"file": "PySide6/Qt/lib/libQt6Core.so.6", "source": "", "kind": "wheel",
         "provider": "PySide6_Essentials", "version": "6", "licence": "LGPL-3.0-only",
         "copyright": ""},
        {"file": "lib-dynload/_ssl.so", "source": "", "kind": "python", "provider": "3.11",
         "version": "3.11", "licence": "PSF-2.0", "copyright": ""},
        {"file": "gone.so", "source": "", "kind": "wheel", "provider": "no-such-wheel",
         "version": "1", "licence": "MIT", "copyright": ""},
    ]
    (tmp_path / "licenses").mkdir()
    (tmp_path / "licenses" / "shared-libraries.json").write_text(
        json.dumps({"libraries": entries}), "utf-8")
    by_name = {c.name: c for c in about.shared_libraries(tmp_path)}
    qt = next(c for c in about.libraries() if c.name.startswith("PySide6"))
    assert by_name["PySide6/Qt/lib/libQt6Core.so.6"].licence_file == qt.licence_file
    assert "Lesser General Public License" in qt.licence_file.read_text("utf-8")
    assert by_name["lib-dynload/_ssl.so"].licence_file.name == "Python-PSF-2.0.txt"
    assert by_name["gone.so"].licence_file is None
