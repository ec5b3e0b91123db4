"""The ``metrics`` section of a workshop file (format version 2; docs/file-format.md).

One entry per recorded metric, in catalogue order::

    {"metric": "lead_time", "basis": "estimated", "bucket": "1-week-to-1-month",
     "value": null, "source": "room", "period": "", "sample": 9,
     "picks": [{"participant": "p01", "bucket": "1-day-to-1-week"}, …],
     "hands": {"less-than-1-day": 2}}

Buckets are written by their catalogue id (never an index), so a file stays
readable if a later catalogue adds buckets. A room estimate's ``bucket`` is
recomputed from its picks on load: the file cannot claim another median.

Reading a library's own file, one bad entry (an unknown metric or bucket, a
value out of range) must not cost the whole workshop: :func:`from_list` with
``dropped`` leaves that entry out and says why, and the library keeps the
original file (see :class:`calms_desktop.core.storage.Repair`).
"""

from __future__ import annotations

import math
from typing import Any

from . import deploylog
from . import validate as v
from .errors import ValidationError
from .i18n import _
from .metrics import Basis, Metric, MetricKind, MetricRecord, catalogue

MAX_VALUE = 1e12


def to_list(records: dict[str, MetricRecord]) -> list[dict[str, Any]]:
    cat = catalogue()
    out = []
    for m in cat.metrics:
        rec = records.get(m.id)
        if rec is None:
            continue
        ids = [b.id for b in m.buckets]
        out.append({
            "metric": m.id,
            "basis": rec.basis.value,
            "bucket": ids[rec.bucket] if rec.bucket is not None else None,
            "value": rec.value,
            "source": rec.source,
            "period": rec.period,
            "sample": rec.sample,
            "picks": [{"participant": p, "bucket": ids[b]} for p, b in rec.picks],
            "hands": {ids[b]: n for b, n in rec.hands},
        })
    return out


def _bucket(m: Metric, value: Any, place: str) -> int:
    if not isinstance(value, str):
        raise ValidationError(place, _("expected a bucket id, got {kind}").format(
            kind=v.type_name(value)))
    try:
        return m.bucket_index(value)
    except KeyError:
        raise ValidationError(
            place, _("{metric} has no bucket {value!r}; expected one of {buckets}").format(
                metric=m.id, value=value, buckets=", ".join(b.id for b in m.buckets))) from None


def from_list(raw: Any, where: str, participants: set[str],
              dropped: list[str] | None = None) -> dict[str, MetricRecord]:
    """Validate the section and build the records (metric id -> record).

    Args:
        raw: the section as read.
        where: its place in the document ("$.metrics").
        participants: the workshop's participant ids (picks must name one).
        dropped: when given, an entry that cannot be read is left out and its
            problem appended here ("$.metrics[2].bucket: …"); otherwise it raises.

    Raises:
        ValidationError: naming the place and the problem (without ``dropped``).
    """
    out: dict[str, MetricRecord] = {}
    try:
        items = v.lst(raw, where)
    except ValidationError as exc:
        if dropped is None:
            raise
        dropped.append(str(exc))
        return out
    for i, item in enumerate(items):
        try:
            rec = _entry(item, f"{where}[{i}]", participants, out, dropped)
        except ValidationError as exc:
            if dropped is None:
                raise
            dropped.append(str(exc))
            continue
        out[rec.metric] = rec
    return out


def _entry(item: Any, at: str, participants: set[str],
           earlier: dict[str, MetricRecord], dropped: list[str] | None = None) -> MetricRecord:
    """One entry of the section, checked against the catalogue and the entries before it.

    A pick naming nobody in the workshop is left out on its own when ``dropped`` is
    given (its problem appended there): the other picks still make the estimate."""
    cat = catalogue()
    o = v.obj(item, at)
    mid = v.text(v.field(o, "metric", at), f"{at}.metric", required=True, max_len=100)
    if not cat.has(mid):
        raise ValidationError(f"{at}.metric", _("unknown metric {id!r}").format(id=mid))
    if mid in earlier:
        raise ValidationError(f"{at}.metric", _("{id!r} is recorded twice").format(id=mid))
    m = cat.metric(mid)

    basis = v.choice(o.get("basis"), f"{at}.basis", Basis)
    raw_bucket = o.get("bucket")
    if raw_bucket is not None and m.kind != MetricKind.BUCKET:
        raise ValidationError(f"{at}.bucket", _("{metric} is a number, not answered in buckets")
                              .format(metric=mid))
    value = o.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                              or not math.isfinite(value) or abs(value) > MAX_VALUE):
        raise ValidationError(f"{at}.value", _("expected a number, got {value!r}").format(
            value=value))
    sample = o.get("sample")
    picks = []
    seen: set[str] = set()
    for k, p in enumerate(v.lst(o.get("picks", []), f"{at}.picks")):
        pat = f"{at}.picks[{k}]"
        po = v.obj(p, pat)
        pid = v.text(v.field(po, "participant", pat), f"{pat}.participant", required=True)
        if pid not in participants:
            ghost = ValidationError(f"{pat}.participant", v.no_participant(pid))
            if dropped is None:
                raise ghost
            dropped.append(str(ghost))
            continue
        if pid in seen:
            raise ValidationError(f"{pat}.participant", _("{id!r} picked twice").format(id=pid))
        seen.add(pid)
        picks.append((pid, _bucket(m, v.field(po, "bucket", pat), f"{pat}.bucket")))
    hands = {}
    for key, n in v.obj(o.get("hands", {}), f"{at}.hands").items():
        place = v.at(f"{at}.hands", key)
        hands[_bucket(m, key, place)] = v.integer(n, place, 0, 10_000)
    if m.kind == MetricKind.COUNT and value is not None and (value < 0 or value != int(value)):
        raise ValidationError(f"{at}.value", _(
            "{metric} is a count of people or failures: a whole number from 0, not {value!r}"
        ).format(metric=mid, value=value))
    if m.kind == MetricKind.BUCKET and value is not None and value < 0:
        raise ValidationError(f"{at}.value", _(
            "a measured figure is never negative, not {value!r}").format(value=value))
    if basis == Basis.MEASURED and (picks or hands):
        raise ValidationError(f"{at}.picks", _(
            "a measured metric has no picks or hands of the room (those make an estimate)"))
    rec = MetricRecord(
        metric=mid, basis=basis,
        bucket=_bucket(m, raw_bucket, f"{at}.bucket") if raw_bucket is not None else None,
        value=value,
        source=v.text(o.get("source"), f"{at}.source", max_len=500),
        period=v.text(o.get("period"), f"{at}.period", max_len=100),
        sample=v.integer(sample, f"{at}.sample", 0, 10_000_000) if sample is not None
        else None,
        picks=tuple(picks), hands=tuple(sorted((b, n) for b, n in hands.items() if n)),
    )
    if rec.picks or rec.hands:
        return rec.recounted()
    if rec.bucket is not None and rec.value is not None and not _fits(mid, rec.bucket,
                                                                       rec.value):
        raise ValidationError(f"{at}.bucket", _(
            "{bucket!r} contradicts the figure {value!r} (its bucket is {fits!r})").format(
                bucket=m.buckets[rec.bucket].id, value=rec.value,
                fits=m.buckets[_fits_bucket(mid, rec.value)].id))
    return rec


def _fits_bucket(metric_id: str, value: float) -> int:
    bucket = deploylog.bucket_of_figure(metric_id, value)
    assert bucket is not None
    return bucket


def _fits(metric_id: str, bucket: int, value: float) -> bool:
    """Does a figure fall in ``bucket`` (give or take the file's rounding to 2 places)?"""
    if deploylog.bucket_of_figure(metric_id, value) is None:
        return True  # no figure to check it against
    return bucket in {deploylog.bucket_of_figure(metric_id, x)
                      for x in (value - 0.005, value, value + 0.005)}
