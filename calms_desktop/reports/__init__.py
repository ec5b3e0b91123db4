"""Reports: the attendee summary and facilitator report (PDF) and CSV exports.

Plain Python, no Qt: every function takes a workshop (and its baseline, if
loaded) and returns bytes, so the CLI writes them to a file and the GUI builds
them on a worker thread (:mod:`calms_desktop.gui.export_dialog`).

    >>> pdf = build_attendee_pdf(ws, baseline)          # at most 2 pages
    >>> pdf = build_facilitator_pdf(ws, baseline)       # full report
    >>> data = build_export(ExportKind.VOTES_CSV, ws)   # any kind by name
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ..core.i18n import Translator, _, activate, active
from ..core.model import Workshop
from ..core.progress import WorkshopPoint
from ..core.questionnaire import workshop_in_language
from .branding import Branding
from .csv_export import summary_csv, votes_csv
from .filenames import suggest_filename

if TYPE_CHECKING:
    from .attendee import build_attendee_pdf
    from .facilitator import build_facilitator_pdf


def __getattr__(name: str) -> Any:
    # The PDFs need ReportLab and matplotlib (a second to import): loaded when first
    # asked for, so the CSV export (and `calms-desktop export --csv`) never loads them.
    if name == "build_attendee_pdf":
        from .attendee import build_attendee_pdf

        return build_attendee_pdf
    if name == "build_facilitator_pdf":
        from .facilitator import build_facilitator_pdf

        return build_facilitator_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class ExportKind(StrEnum):
    """What can be exported from a workshop."""

    ATTENDEE_PDF = "attendee"
    FACILITATOR_PDF = "facilitator"
    VOTES_CSV = "votes-csv"
    SUMMARY_CSV = "summary-csv"
    METRICS_CSV = "metrics-csv"

    @property
    def label(self) -> str:
        return {
            ExportKind.ATTENDEE_PDF: _("Attendee summary (PDF)"),
            ExportKind.FACILITATOR_PDF: _("Facilitator report (PDF)"),
            ExportKind.VOTES_CSV: _("Votes (CSV)"),
            ExportKind.SUMMARY_CSV: _("Pillar summary (CSV)"),
            ExportKind.METRICS_CSV: _("Delivery metrics (CSV)"),
        }[self]

    @property
    def suffix(self) -> str:
        return ".pdf" if self in (ExportKind.ATTENDEE_PDF, ExportKind.FACILITATOR_PDF) else ".csv"

    @property
    def document(self) -> str:
        """The document's name in a suggested file name."""
        return {
            ExportKind.ATTENDEE_PDF: _("CALMS summary"),
            ExportKind.FACILITATOR_PDF: _("CALMS report"),
            ExportKind.VOTES_CSV: _("CALMS votes"),
            ExportKind.SUMMARY_CSV: _("CALMS pillar summary"),
            ExportKind.METRICS_CSV: _("CALMS delivery metrics"),
        }[self]


def ignore_bad_source_date() -> str | None:
    """Leave out a ``SOURCE_DATE_EPOCH`` that is no whole number of seconds, and say so.

    ReportLab reads it for the PDFs' creation date and failed the whole export
    on ``SOURCE_DATE_EPOCH=garbage``; the PDFs then carry the real date.
    """
    value = os.environ.get("SOURCE_DATE_EPOCH")
    if value is None or value.strip().lstrip("-").isdigit() or not value.strip():
        return None
    del os.environ["SOURCE_DATE_EPOCH"]
    return _("SOURCE_DATE_EPOCH is not a number of seconds ({value}); the PDFs carry "
             "today's date").format(value=value[:40])


def build_export(kind: ExportKind, ws: Workshop, baseline: Workshop | None = None, *,
                 branding: Branding | None = None,
                 history: Sequence[WorkshopPoint] = (),
                 translator: Translator | None = None) -> bytes:
    """Build one export of ``ws`` (compared with ``baseline`` where that applies).

    Args:
        branding: who prepared the PDFs (cover, footer, confidentiality label).
        history: the team's assessments, for the facilitator report's progress section.
        translator: the report's language, its dates and numbers (default: the
            active one); a report may be in another language than the app.
    """
    with activate(translator or active()) as tr:
        if kind in (ExportKind.ATTENDEE_PDF, ExportKind.FACILITATOR_PDF):
            problem = ignore_bad_source_date()  # (the CLI and the app say so first)
            if problem:
                logging.getLogger(__name__).warning("%s", problem)
        # Statements, pillar and level names in the report's language, CSVs included
        # (their keys and numbers stay as they are, see reports.csv_export).
        ws = workshop_in_language(ws, tr.language)
        if baseline is not None:
            baseline = workshop_in_language(baseline, tr.language)
        return _build(kind, ws, baseline, branding, history)


def _build(kind: ExportKind, ws: Workshop, baseline: Workshop | None,
           branding: Branding | None, history: Sequence[WorkshopPoint]) -> bytes:
    if kind == ExportKind.ATTENDEE_PDF:
        from .attendee import build_attendee_pdf

        return build_attendee_pdf(ws, baseline, branding=branding)
    if kind == ExportKind.FACILITATOR_PDF:
        from .facilitator import build_facilitator_pdf

        return build_facilitator_pdf(ws, baseline, branding=branding, history=history)
    if kind == ExportKind.VOTES_CSV:
        return votes_csv(ws)
    if kind == ExportKind.METRICS_CSV:
        from .metrics_csv import metrics_csv

        return metrics_csv(ws, baseline)
    return summary_csv(ws, baseline)


def export_filename(kind: ExportKind, ws: Workshop) -> str:
    """A file name to suggest, e.g. ``2026-11-19 Nordlicht Logistics - Payments Platform -
    CALMS summary.pdf``."""
    return suggest_filename(ws, kind.document, kind.suffix)


__all__ = [
    "ExportKind",
    "build_attendee_pdf",
    "build_facilitator_pdf",
    "build_export",
    "export_filename",
    "summary_csv",
    "votes_csv",
]
