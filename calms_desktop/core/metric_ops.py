"""Changes to a workshop's delivery metrics, and the room's estimate ballots.

:class:`SetMetric` records (or clears) what the workshop knows of one metric
— typed in, or measured from a deployment log. A room estimate arrives one
pick at a time, from any source (console, a show of hands, a phone), as a
:class:`MetricBallot` or :class:`MetricHandsBallot`; :func:`to_operation`
checks it and turns it into a :class:`SetMetric` whose record holds every
pick and their median bucket.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .errors import OperationError
from .i18n import _
from .metrics import Basis, MetricKind, MetricRecord, catalogue, estimate
from .metrics_file import MAX_VALUE
from .model import Pillar, PillarState, Workshop
from .operations import Operation


def hands_refused(hands: object) -> str:
    """The problem of a count of raised hands that is not a whole number ≥ 0."""
    return _("hands must be a whole number ≥ 0, got {hands!r}").format(hands=hands)


def _no_bucket(metric: str, bucket: object) -> str:
    return _("{metric} has no bucket {bucket!r}").format(metric=metric, bucket=bucket)


@dataclass(frozen=True)
class SetMetric(Operation):
    """Set (or, with ``record=None``, clear) the record of one metric."""

    metric_id: str
    record: MetricRecord | None

    def apply(self, ws: Workshop) -> Operation:
        cat = catalogue()
        if not cat.has(self.metric_id):
            raise OperationError(_("unknown metric {id!r}").format(id=self.metric_id))
        previous = ws.metrics.get(self.metric_id)
        rec = self.record
        if rec is None:
            ws.metrics.pop(self.metric_id, None)
            return SetMetric(self.metric_id, previous)
        m = cat.metric(self.metric_id)
        if rec.metric != self.metric_id:
            raise OperationError(_("the record is of another metric"))
        if not isinstance(rec.basis, Basis):
            raise OperationError(_("a metric is measured or estimated, not {basis!r}").format(
                basis=rec.basis))
        if rec.value is not None and (isinstance(rec.value, bool)
                                      or not isinstance(rec.value, int | float)
                                      or not math.isfinite(rec.value)
                                      or abs(rec.value) > MAX_VALUE):
            raise OperationError(_("{metric}: not a number the file can hold ({value!r})").format(
                metric=m.name, value=rec.value))
        if len(rec.source) > 500 or len(rec.period) > 100:
            raise OperationError(_("{metric}: the source or period is too long").format(
                metric=m.name))
        if m.kind == MetricKind.BUCKET:
            for b in [rec.bucket, *(x for _, x in rec.picks), *(x for x, _ in rec.hands)]:
                if b is not None and not 0 <= b < len(m.buckets):
                    raise OperationError(_no_bucket(m.name, b))
        elif rec.bucket is not None or rec.picks or rec.hands:
            raise OperationError(_("{metric} is a number, not answered in buckets").format(
                metric=m.name))
        for pid, _bucket in rec.picks:
            try:
                ws.participant(pid)
            except KeyError:
                raise OperationError(_("unknown participant {id!r}").format(id=pid)) from None
        ws.metrics[self.metric_id] = rec
        return SetMetric(self.metric_id, previous)

    def describe(self, ws: Workshop) -> str:
        try:
            name = catalogue().metric(self.metric_id).name
        except KeyError:
            name = _("metric")
        return _("clear {metric}").format(metric=name) if self.record is None else name


@dataclass(frozen=True)
class MetricBallot:
    """One person's bucket for a metric the room estimates; ``bucket=None`` withdraws it."""

    metric_id: str
    participant_id: str
    bucket: int | None
    source: str = "console"


@dataclass(frozen=True)
class MetricHandsBallot:
    """A show of hands on a metric: bucket index -> hands."""

    metric_id: str
    hands: dict[int, int]
    source: str = "tally"


def to_operation(ws: Workshop, ballot: MetricBallot | MetricHandsBallot) -> SetMetric:
    """Check a metric ballot and turn it into the :class:`SetMetric` it makes.

    A ballot on a metric that was measured replaces the measurement with
    the room's estimate only when the metric has no record yet or is
    already estimated: a pick never overwrites a measurement.

    Raises:
        OperationError: unknown metric, bucket or person; a measured metric;
            the Measurement pillar is finished.
    """
    cat = catalogue()
    if not cat.has(ballot.metric_id):
        raise OperationError(_("unknown metric {id!r}").format(id=ballot.metric_id))
    m = cat.metric(ballot.metric_id)
    if m.kind != MetricKind.BUCKET:
        raise OperationError(_("{metric} is a number; the room estimates bucket metrics").format(
            metric=m.name))
    if ws.pillar_states.get(Pillar.MEASUREMENT) == PillarState.DONE:
        raise OperationError(_("{pillar} is finished; reopen it to change its estimates").format(
            pillar=Pillar.MEASUREMENT.title))
    current = ws.metrics.get(m.id)
    if current is not None and current.basis == Basis.MEASURED:
        raise OperationError(_("{metric} is measured ({source}); clear it to estimate").format(
            metric=m.name, source=current.source))
    rec = current or estimate(m.id)
    if isinstance(ballot, MetricHandsBallot):
        for b, n in ballot.hands.items():
            if not isinstance(b, int) or not 0 <= b < len(m.buckets):
                raise OperationError(_no_bucket(m.name, b))
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise OperationError(hands_refused(n))
        return SetMetric(m.id, rec.with_hands(ballot.hands))
    try:
        ws.participant(ballot.participant_id)
    except KeyError:
        raise OperationError(_("unknown participant {id!r}").format(
            id=ballot.participant_id)) from None
    pick = ballot.bucket
    if pick is not None and (isinstance(pick, bool) or not isinstance(pick, int)
                             or not 0 <= pick < len(m.buckets)):
        raise OperationError(_no_bucket(m.name, pick))
    return SetMetric(m.id, rec.with_pick(ballot.participant_id, pick))
