"""Where the app's shipped files are: ``calms_desktop/resources`` inside the package.

Forms, questionnaires and fonts travel with the package (declared as package
data in ``pyproject.toml``), so a wheel installed anywhere, or a PyInstaller
bundle, finds them without the source checkout. They are located with
:mod:`importlib.resources`, never relative to the checkout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

PACKAGE = "calms_desktop"


def resource_dir(*parts: str) -> Path:
    """The folder ``calms_desktop/resources/<parts…>`` as a real directory on disk.

    Qt's font database, ``QFile`` and ReportLab open files by path, so the
    package must be installed unpacked (a wheel, an editable install or a
    bundle all are); a zipped install is refused with a clear message.

    Args:
        parts: sub-folders under ``resources`` (``"fonts"``, ``"ui"``, …).

    Raises:
        RuntimeError: the package is imported from an archive, not a folder.
    """
    found = resources.files(PACKAGE).joinpath("resources", *parts)
    if not isinstance(found, Path):
        raise RuntimeError(
            f"CALMS Workshop's files ({found}) are inside an archive; "
            "install the package unpacked (pip install, not a zipapp)"
        )
    return found
