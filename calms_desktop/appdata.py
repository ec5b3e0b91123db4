"""Where the library lives by default: Qt's app-data location.

Found with ``QStandardPaths`` and no ``QApplication`` (QtCore only, so the
CLI needs no display). ``--data-dir`` overrides it everywhere.
"""

from __future__ import annotations

import os
from pathlib import Path

ORGANISATION = "CALMS"
APPLICATION = "CALMS Workshop"


def default_data_dir() -> Path:
    """The folder of the user's library (``CALMS_DATA_DIR`` overrides it)."""
    override = os.environ.get("CALMS_DATA_DIR")
    if override:
        return Path(override)
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APPLICATION)
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(location)
