"""CALMS Workshop: facilitate a live CALMS assessment of a team's DevOps practice.

The package is split in two:

* :mod:`calms_desktop.core` – plain Python (no Qt): workshops, questionnaires,
  votes, scoring, storage, file format, demo data.
* :mod:`calms_desktop.gui` – the thin PySide6 skin over the core.

:mod:`calms_desktop.charts` builds the matplotlib figures used both on screen
and in reports; :mod:`calms_desktop.reports` builds the PDF and CSV exports.
"""

__version__ = "0.1.0"


class CalmsWarning(UserWarning):
    """Warnings raised by CALMS Workshop itself (tests turn them into errors)."""
