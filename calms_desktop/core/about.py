"""What the app is made of, for the About dialog: libraries and fonts with their licences.

The libraries are read from the installed distributions' metadata: the app's
own requirements and theirs, transitively (what a wheel install pulls in and
a bundle carries), each with its version and the licence it declares. The
fonts are the files shipped in ``resources/fonts`` (each beside its licence
text) and DejaVu Sans, which comes with matplotlib.
"""

from __future__ import annotations

import json
import platform
import re
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from .assets import resource_dir
from .i18n import N_, _
from .validate import system_reason

DISTRIBUTION = "calms-desktop"


@dataclass(frozen=True)
class Component:
    """One library or font the app ships or runs on.

    Attributes:
        name: as its project calls it.
        version: the installed version ("" for a font).
        licence: the licence it declares (an SPDX expression where it gives one).
        licence_file: the full licence text shipped with the app, if any.
        source: who provides it, for a bundled shared library: its Debian package or
            Python wheel ("" otherwise).
    """

    name: str
    version: str
    licence: str
    licence_file: Path | None = None
    source: str = ""


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(line: str) -> str | None:
    """The distribution a ``Requires-Dist`` line names; ``None`` for an extra's."""
    if re.search(r"""\bextra\s*==""", line):
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", line)
    return match.group(1) if match else None


def licence_of(meta: Any) -> str:
    """The licence a distribution declares: SPDX expression, short field or classifier.

    Args:
        meta: a distribution's metadata (an email ``Message``: ``get``, ``get_all``).
    """
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    field = (meta.get("License") or "").strip()
    if field and "\n" not in field and len(field) <= 80:
        return field
    classifiers = [c.split(" :: ")[-1] for c in meta.get_all("Classifier") or []
                   if c.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    return field.splitlines()[0][:80] if field else _("not declared")


#: Licence texts the app ships for distributions whose wheels carry none (PySide6 and
#: shiboken6 declare LGPL-3.0 but their wheels hold no licence file), by distribution.
SHIPPED_LICENCES = {
    "pyside6-essentials": "LGPL-3.0-and-GPL-3.0.txt",
    "pyside6": "LGPL-3.0-and-GPL-3.0.txt",
    "shiboken6": "LGPL-3.0-and-GPL-3.0.txt",
}
_LICENCE_NAME = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.IGNORECASE)


def licence_dir() -> Path:
    """The licence texts the app ships itself (``resources/licences``)."""
    return resource_dir("licences")


def _licence_file(dist: metadata.Distribution) -> Path | None:
    """The licence text of a distribution: its ``License-File``, else a LICENSE/COPYING
    file in its metadata folder, else the text the app ships for it."""
    wanted = {Path(f).name for f in dist.metadata.get_all("License-File") or []}
    files = [f for f in dist.files or [] if ".dist-info" in str(f)]
    for pick in (lambda f: f.name in wanted, lambda f: bool(_LICENCE_NAME.match(f.name))):
        for file in files:
            if pick(file):
                path = Path(str(file.locate()))
                if path.is_file():
                    return path
    shipped = SHIPPED_LICENCES.get(_key(dist.metadata["Name"] or ""))
    if shipped and (licence_dir() / shipped).is_file():
        return licence_dir() / shipped
    return None


def libraries(root: str = DISTRIBUTION) -> list[Component]:
    """The installed distributions the app runs on (its requirements, transitively).

    A requirement that is not installed (one for another platform) is left out.
    Sorted by name, case-insensitively; the app itself is not listed.
    """
    found: dict[str, Component] = {}
    todo = [root]
    seen = {_key(root)}
    while todo:
        name = todo.pop()
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        if _key(name) != _key(root):
            found[_key(name)] = Component(dist.metadata["Name"], dist.version,
                                          licence_of(dist.metadata), _licence_file(dist))
        for line in dist.requires or []:
            wanted = _requirement_name(line)
            if wanted and _key(wanted) not in seen:
                seen.add(_key(wanted))
                todo.append(wanted)
    qt = next((c for k, c in found.items() if k in ("pyside6-essentials", "pyside6")), None)
    if qt is not None:  # the Qt 6 libraries come inside the PySide6 wheel, same version
        found["qt"] = Component(_("Qt 6 libraries (in PySide6)"), qt.version,
                                "LGPL-3.0-only", qt.licence_file)
    found["python"] = Component("Python", platform.python_version(), "PSF-2.0",
                                _python_licence())
    return sorted(found.values(), key=lambda c: c.name.lower())


#: The shipped font families: (name, file pattern, licence, licence file).
_FONTS = (
    (N_("Noto Sans (15 scripts)"), "NotoSans*-Regular.ttf", "OFL-1.1", "LICENSE-Noto.txt"),
    ("Droid Sans Fallback", "DroidSansFallback*.ttf", "Apache-2.0",
     "LICENSE-DroidSansFallback.txt"),
    ("Noto Emoji", "NotoEmoji-Regular.ttf", "OFL-1.1", "LICENSE-NotoEmoji.txt"),
    ("Symbola", "Symbola.ttf", N_("free for any use"), "LICENSE-Symbola.txt"),
)


def fonts(font_dir: Path | None = None) -> list[Component]:
    """The fonts the reports and the window use, with the licence text beside each.

    A family whose files are missing from ``font_dir`` is not listed.
    """
    folder = font_dir or resource_dir("fonts")
    shipped = [
        Component(_(name), "", _(licence), folder / licence_file)
        for name, pattern, licence, licence_file in _FONTS
        if any(folder.glob(pattern))
    ]
    # DejaVu Sans comes with matplotlib (reports/fonts.py uses its copy).
    dejavu: Path | None = None
    try:
        located = metadata.distribution("matplotlib").locate_file(
            "matplotlib/mpl-data/fonts/ttf/LICENSE_DEJAVU")
        dejavu = Path(str(located))
    except metadata.PackageNotFoundError:
        pass
    shipped.append(Component(_("DejaVu Sans (from matplotlib)"), "",
                             _("Bitstream Vera / DejaVu licence (free)"),
                             dejavu if dejavu and dejavu.is_file() else None))
    return shipped


#: Where the bundle's shared-library list is, inside the bundle's ``_internal`` folder
#: (written at build time by ``packaging/shared_libraries.py``).
SHARED_LIBRARY_LIST = Path("licenses") / "shared-libraries.json"


def bundle_folder() -> Path | None:
    """The running bundle's data folder (PyInstaller's ``_internal``); ``None`` outside one."""
    if not getattr(sys, "frozen", False):
        return None
    return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))


#: The list's own words (``packaging/shared_libraries.py`` writes them in English).
_LIST_WORDS = {"see copyright file": N_("see copyright file"),
               "no copyright file installed": N_("no copyright file installed")}


class SharedLibraryListError(ValueError):
    """The bundle's shared-library list is missing or unreadable (the message says which)."""


def _python_licence() -> Path | None:
    """The Python licence text the app ships (None if missing)."""
    python = licence_dir() / "Python-PSF-2.0.txt"
    return python if python.is_file() else None


def _provider_licence(entry: dict[str, str]) -> Path | None:
    """The licence text of the wheel (or the Python) a bundled library came with."""
    if entry["kind"] == "python":
        return _python_licence()
    try:
        return _licence_file(metadata.distribution(entry["provider"]))
    except metadata.PackageNotFoundError:
        return None


def shared_libraries(folder: Path | None = None) -> list[Component] | None:
    """The shared libraries a bundle carries, from its build-time list.

    Args:
        folder: the bundle's ``_internal`` folder; default :func:`bundle_folder`.

    Returns:
        One :class:`Component` per library file (name: its path in the bundle;
        source: its Debian package or wheel; licence file: the copyright file the
        bundle carries), links to another listed file left out; ``None`` when not
        running from a bundle (a wheel or a checkout uses the system's libraries).

    Raises:
        SharedLibraryListError: the list is missing or not the JSON the build writes.
    """
    folder = folder or bundle_folder()
    if folder is None:
        return None
    path = folder / SHARED_LIBRARY_LIST
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))["libraries"]
        found = []
        licences: dict[str, Path | None] = {}  # a wheel's licence text, looked up once
        for entry in entries:
            if entry["kind"] == "link":
                continue
            kind = {"debian": _("Debian package {name}"), "wheel": _("Python wheel {name}"),
                    "python": _("Python {name}")}.get(entry["kind"], _("not traced"))
            copyright_file = entry.get("copyright") or ""
            text = folder / copyright_file if copyright_file else None
            if text is None and entry["kind"] in ("wheel", "python"):
                text = licences.setdefault(entry["provider"], _provider_licence(entry))
            found.append(Component(
                entry["file"], entry["version"],
                _(_LIST_WORDS[entry["licence"]]) if entry["licence"] in _LIST_WORDS
                else entry["licence"],
                text, kind.format(name=entry["provider"])))
    except OSError as exc:
        raise SharedLibraryListError(_("Cannot read {path}: {reason}").format(
            path=path, reason=system_reason(exc))) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise SharedLibraryListError(_("{path} is not a shared-library list: {reason}").format(
            path=path, reason=exc)) from exc
    return sorted(found, key=lambda c: c.name.lower())
