"""The delivery-metrics CSV: one row per metric the workshop (or its baseline) records.

Long form like the other CSV exports (the workshop's id, organisation,
team, title and date on every row), with the same cleaning and formula
guard (:mod:`calms_desktop.reports.csv_export`). Columns: the metric's id
and name, ``basis`` (measured / estimated), ``bucket`` (the bucket's label)
and ``bucket_index`` (0 = worst), ``value`` (the number or the measured
figure), ``dora_level`` and ``dora_report`` (the year the levels come from),
``source``, ``period``, ``sample``, ``answers`` and ``room_agrees`` (room
estimates: how many picks; 1 / 0, empty below two picks), and last time's
bucket and value with the ``change`` as a number: in buckets for bucket
metrics (1 = one bucket better, -1 one worse), in the metric's unit for the
product questions; empty when either side is missing.

The privacy rule of the votes CSV applies (:func:`calms_desktop.core.privacy.can_show_metric`):
a room estimate before the reveal, or an anonymous one from fewer than three picks, is a
row whose ``bucket`` is ``withheld`` with only its ``answers`` count; an estimate with every
pick withdrawn has no row, and a baseline's withheld record no last-time value.

The texts people read (``metric``, ``bucket``, ``baseline_bucket``,
``dora_level``, the withheld word, a deployment log's ``source``) follow the
report language, as the PDFs do. The column names and the keys stay fixed in
every language: ``metric_id``, ``basis`` (``measured`` / ``estimated``),
``bucket_index``, ``dora_report``, ISO dates, and numbers with a "." decimal
point (a spreadsheet parses them), so scripts read a German and an English
export alike.
"""

from __future__ import annotations

from decimal import Decimal

from ..core import privacy
from ..core.i18n import _
from ..core.metrics import MetricKind, MetricRecord, catalogue, source_text
from ..core.model import Workshop
from .csv_export import WITHHELD, WORKSHOP_COLUMNS, Cell, workshop_cells, write_rows

METRIC_COLUMNS = (*WORKSHOP_COLUMNS, "metric_id", "metric", "basis", "bucket", "bucket_index",
                  "value", "dora_level", "dora_report", "source", "period", "sample", "answers",
                  "room_agrees", "baseline_bucket", "baseline_value", "change")


def _bucket(rec: MetricRecord | None) -> str:
    if rec is None or rec.bucket is None:
        return ""
    return catalogue().metric(rec.metric).buckets[rec.bucket].label


def _number(value: float | None) -> Cell:
    return None if value is None else Decimal(str(value))


def _change(kind: MetricKind, now: MetricRecord, before: MetricRecord | None) -> Cell:
    if before is None:
        return None
    if kind == MetricKind.BUCKET:
        if now.bucket is None or before.bucket is None:
            return None
        return now.bucket - before.bucket
    if now.value is None or before.value is None:
        return None
    return Decimal(str(now.value)) - Decimal(str(before.value))


def metric_rows(ws: Workshop, baseline: Workshop | None = None) -> list[list[Cell]]:
    cat = catalogue()
    records = privacy.shown_metrics(ws)
    withheld = privacy.withheld_metrics(ws)
    before_all = privacy.shown_metrics(baseline) if baseline is not None else {}
    rows: list[list[Cell]] = []
    for m in cat.metrics:
        rec, before = records.get(m.id), before_all.get(m.id)
        held = ws.metrics.get(m.id) if m.id in withheld else None
        if held is not None:  # as the votes CSV withholds a statement: only how many
            rows.append([
                *workshop_cells(ws), m.id, m.name, held.basis.value, _(WITHHELD), None, None,
                "", None, source_text(held.source), held.period, None, len(held.all_picks()),
                None,
                _bucket(before), _number(before.value) if before else None, None,
            ])
            continue
        if rec is None:
            continue
        agrees = rec.room_agrees
        rows.append([
            *workshop_cells(ws), m.id, m.name, rec.basis.value, _bucket(rec),
            rec.bucket, _number(rec.value),
            cat.band(m.id, rec.bucket) if m.kind == MetricKind.BUCKET else "",
            cat.report_year if m.kind == MetricKind.BUCKET else None,
            source_text(rec.source), rec.period, rec.sample, len(rec.all_picks()) or None,
            None if agrees is None else int(agrees),
            _bucket(before), _number(before.value) if before else None,
            _change(m.kind, rec, before),
        ])
    return rows


def metrics_csv(ws: Workshop, baseline: Workshop | None = None) -> bytes:
    """The delivery-metrics CSV of ``ws`` (with last time's values from ``baseline``), its
    texts in the active language."""
    return write_rows(METRIC_COLUMNS, metric_rows(ws, baseline))
