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


@dataclass(frozen=True)
class SetMetric(Operation):
    """Set (or, with ``record=None``, clear) the record of one metric."""

    metric_id: str
    record: MetricRecord | None

    def apply(self, ws: Workshop) -> Operation:
        cat = catalogue()
        if not cat.has(self.metric_id):
            raise OperationError(f"unknown metric {self.metric_id!r}")
        previous = ws.metrics.get(self.metric_id)
        rec = self.record
        if rec is None:
            ws.metrics.pop(self.metric_id, None)
            return SetMetric(self.metric_id, previous)
        m = cat.metric(self.metric_id)
        if rec.metric != self.metric_id:
            raise OperationError("the record is of another metric")
        if not isinstance(rec.basis, Basis):
            raise OperationError(f"a metric is measured or estimated, not {rec.basis!r}")
        if rec.value is not None and (isinstance(rec.value, bool)
                                      or not isinstance(rec.value, int | float)
                                      or not math.isfinite(rec.value)
                                      or abs(rec.value) > MAX_VALUE):
            raise OperationError(f"{m.name}: not a number the file can hold ({rec.value!r})")
        if len(rec.source) > 500 or len(rec.period) > 100:
            raise OperationError(f"{m.name}: the source or period is too long")
        if m.kind == MetricKind.BUCKET:
            for b in [rec.bucket, *(x for _, x in rec.picks), *(x for x, _ in rec.hands)]:
                if b is not None and not 0 <= b < len(m.buckets):
                    raise OperationError(f"{m.name} has no bucket {b!r}")
        elif rec.bucket is not None or rec.picks or rec.hands:
            raise OperationError(f"{m.name} is a number, not answered in buckets")
        for pid, _bucket in rec.picks:
            try:
                ws.participant(pid)
            except KeyError:
                raise OperationError(f"unknown participant {pid!r}") from None
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
        raise OperationError(f"unknown metric {ballot.metric_id!r}")
    m = cat.metric(ballot.metric_id)
    if m.kind != MetricKind.BUCKET:
        raise OperationError(f"{m.name} is a number; the room estimates bucket metrics")
    if ws.pillar_states.get(Pillar.MEASUREMENT) == PillarState.DONE:
        raise OperationError("Measurement is finished; reopen it to change its estimates")
    current = ws.metrics.get(m.id)
    if current is not None and current.basis == Basis.MEASURED:
        raise OperationError(f"{m.name} is measured ({current.source}); clear it to estimate")
    rec = current or estimate(m.id)
    if isinstance(ballot, MetricHandsBallot):
        for b, n in ballot.hands.items():
            if not isinstance(b, int) or not 0 <= b < len(m.buckets):
                raise OperationError(f"{m.name} has no bucket {b!r}")
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise OperationError(f"hands must be a whole number ≥ 0, got {n!r}")
        return SetMetric(m.id, rec.with_hands(ballot.hands))
    try:
        ws.participant(ballot.participant_id)
    except KeyError:
        raise OperationError(f"unknown participant {ballot.participant_id!r}") from None
    pick = ballot.bucket
    if pick is not None and (isinstance(pick, bool) or not isinstance(pick, int)
                             or not 0 <= pick < len(m.buckets)):
        raise OperationError(f"{m.name} has no bucket {pick!r}")
    return SetMetric(m.id, rec.with_pick(ballot.participant_id, pick))
