"""A deployment log (CSV) turned into four of DORA's metrics.

The CSV has a header row and one row per deployment to production::

    deployed_at,committed_at,failed,restored_at
    2026-08-03T10:15,2026-08-02T16:40,no,
    2026-08-04T09:05,2026-08-03T11:00,yes,2026-08-04T10:35

* ``deployed_at`` (required): when it reached production (see *Times* below).
* ``committed_at``: the commit or merge time of the change (its lead time
  starts there); empty when unknown.
* ``failed``: ``yes`` / ``no`` (also ``true``/``false``, ``1``/``0``).
* ``restored_at``: when service was restored after a failed deployment;
  empty while it is not (or for a deployment that did not fail).

**Times** are written in exactly one of these ISO 8601 forms (see
:data:`ACCEPTED_FORMS`): ``2026-08-03`` (a date: midnight), ``2026-08-03T14:05``
or ``2026-08-03T14:05:30`` (a space may stand for the ``T``, seconds may carry a
fraction), each optionally followed by ``Z`` or a UTC offset ``+02:00``. Anything
else — ``03.08.2026``, ``2026-8-3``, ``20260803``, week dates, a time without
minutes — is refused, naming the line: a guessed day-month order would move a
deployment by months. Times with a UTC offset are converted to UTC; times without
one are taken as they are, so a log must not mix the two. Columns are separated
by commas (a log separated by ``;`` is refused with that hint). Other columns are
ignored. Every bad row is reported with its line number and nothing is imported.

**Importing a second log replaces the first** (:func:`plan_import`): every metric
an earlier log measured is replaced by the new log's figure, or cleared when the
new log does not measure it, so a workshop never mixes two logs' periods.

From the rows: **change lead time** is the median of deployed − committed;
**deployment frequency** is deployments per week over the period (first to
last deployment day, inclusive); **change fail rate** is failed ÷ all;
**failed deployment recovery time** is the median of restored − deployed
over the failed deployments that were restored.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import statistics
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .errors import CalmsError
from .i18n import _, format_date, format_number, ngettext, round_half_up
from .metrics import LOG_SOURCE, Basis, MetricRecord, catalogue, source_text

#: Larger logs are refused before they are read: a year of deployments every working
#: hour is ~0.1 MB, and 1 MB (~25,000 deployments) measures in well under a second on the
#: GUI thread (``make bench``).
MAX_LOG_BYTES = 1_000_000
#: How many bad rows one message lists.
MAX_REPORTED = 10

REQUIRED = ("deployed_at",)
#: deployments are dated within these years (anything else is a typo or junk)
FIRST_YEAR, LAST_YEAR = 1990, 2100
#: a frequency needs at least this many deployments over at least this many days
MIN_FREQUENCY_DEPLOYMENTS, MIN_FREQUENCY_DAYS = 2, 7
KNOWN = ("deployed_at", "committed_at", "failed", "restored_at")
#: The time forms a log may use (listed once under a refusal of a time).
ACCEPTED_FORMS = "2026-08-03, 2026-08-03T14:05, 2026-08-03T14:05:30 (optionally with Z or +02:00)"
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}"
                   r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
                   r"(?:Z|[+-]\d{2}:\d{2})?")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0", ""}


class DeployLogError(CalmsError):
    """A log that cannot be read; ``problems`` are ``(line, message)`` pairs."""

    def __init__(self, source: str, problems: list[tuple[int, str]], more: int = 0,
                 note: str = "") -> None:
        self.source = source
        self.problems = problems
        self.more = more
        lines = [_("line {n}: {problem}").format(n=n, problem=msg) if n else msg
                 for n, msg in problems]
        if more:
            lines.append(ngettext("… and {n} more bad row", "… and {n} more bad rows",
                                  more).format(n=more))
        if note:  # said once under the lines (the accepted time forms)
            lines.append(note)
        super().__init__(_("{file}: not imported —").format(file=source) + "\n"
                         + "\n".join(lines))


@dataclass(frozen=True)
class Deployment:
    line: int
    deployed_at: datetime
    committed_at: datetime | None
    failed: bool
    restored_at: datetime | None


@dataclass(frozen=True)
class LogSummary:
    """The figures computed from a log (see the module docstring)."""

    first: datetime
    last: datetime
    deployments: int
    days: int
    failed: int
    lead_time_hours: float | None
    lead_time_sample: int
    per_week: float
    fail_rate: float
    recovery_hours: float | None
    restored: int
    #: whether the log has a ``failed`` column (without one, nothing says a
    #: deployment failed: no change fail rate is measured, not 0 %)
    has_failed: bool = True

    @property
    def period(self) -> str:
        return f"{self.first.date().isoformat()} – {self.last.date().isoformat()}"

    def records(self, source: str) -> dict[str, MetricRecord]:
        """The metric records this log measures, each naming ``source`` and the period."""
        def rec(metric: str, value: float, sample: int) -> MetricRecord:
            return MetricRecord(metric, Basis.MEASURED, bucket_of_figure(metric, value),
                                round(value, 2), source, self.period, sample)

        out: dict[str, MetricRecord] = {}
        # one deployment, or a few days, say nothing about how often the team deploys
        if (self.deployments >= MIN_FREQUENCY_DEPLOYMENTS
                and self.days >= MIN_FREQUENCY_DAYS):
            out["deploy_frequency"] = rec("deploy_frequency", self.per_week, self.deployments)
        if self.has_failed:
            out["change_fail_rate"] = rec("change_fail_rate", self.fail_rate, self.deployments)
        if self.lead_time_hours is not None:
            out["lead_time"] = rec("lead_time", self.lead_time_hours, self.lead_time_sample)
        if self.recovery_hours is not None:
            out["recovery_time"] = rec("recovery_time", self.recovery_hours, self.restored)
        return out


def duration_bucket(hours: float) -> int:
    """Lead time and recovery time buckets (worst 0 … best 5): more than six months,
    one to six months, one week to a month, a day to a week, under a day, under an hour."""
    for limit, bucket in ((1, 5), (24, 4), (24 * 7, 3), (24 * 30, 2), (24 * 182, 1)):
        if hours < limit:
            return bucket
    return 0


def frequency_bucket(per_week: float) -> int:
    """Deployment frequency buckets (worst 0 … best 5) from deployments a week:
    at least twice a day is on demand; at least daily, "between once an hour and
    once a day"; then weekly, monthly (12 a year) and six-monthly (2 a year)."""
    for least, bucket in ((14, 5), (7, 4), (1, 3), (12 / 52, 2), (2 / 52, 1)):
        if per_week >= least - 1e-9:
            return bucket
    return 0


def fail_rate_bucket(percent: float) -> int:
    """Change fail rate (and rework rate) buckets, worst 0 … best 4:
    over 45%, 31–45%, 16–30%, 6–15%, 0–5% (rounded half up to whole percent, as the
    figure is printed: 30.5% is "31%", so 31–45%)."""
    p = round_half_up(percent)
    for most, bucket in ((5, 4), (15, 3), (30, 2), (45, 1)):
        if p <= most:
            return bucket
    return 0


#: A cell's value quoted in a refusal is cut to this many characters (a 2,400-character
#: cell made a message no dialog could show).
MAX_QUOTED = 60


def quoted(text: str) -> str:
    """A cell's value as a refusal quotes it: ``'2026-13-01'``, at most
    :data:`MAX_QUOTED` characters of it (then "…")."""
    return repr(text) if len(text) <= MAX_QUOTED else repr(text[:MAX_QUOTED]) + "…"


class _TimeFormError(ValueError):
    """A time not in :data:`ACCEPTED_FORMS` (the refusal then lists the forms once)."""


def bucket_of_figure(metric_id: str, value: float) -> int | None:
    """The bucket a measured figure falls in (hours, deployments a week, percent), or
    None for a metric measured in no such figure."""
    by = {"lead_time": duration_bucket, "recovery_time": duration_bucket,
          "deploy_frequency": frequency_bucket, "change_fail_rate": fail_rate_bucket,
          "rework_rate": fail_rate_bucket}.get(metric_id)
    return by(value) if by is not None else None


def _when(text: str, column: str) -> datetime:
    text = text.strip()
    # A time only in ACCEPTED_FORMS (Python's fromisoformat would also take 20260803,
    # 2026-W31-1 or 2026-08-03T14 — a loose log is a sign of a wrong column).
    try:
        if _TIME.fullmatch(text) is None:
            raise ValueError(text)
        value = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise _TimeFormError(_("{column} {text} is not a date and time in an accepted "
                               "form").format(column=column, text=quoted(text))) from None
    try:
        if value.tzinfo is not None:
            value.astimezone(UTC)  # 0001-01-01T00:00+05:00 has no UTC time
    except (OverflowError, ValueError):
        raise ValueError(_("{column} {text} is outside the dates a log can hold").format(
            column=column, text=quoted(text))) from None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(_("{column} {text} is not a plausible deployment date "
                           "(years {first}–{last})").format(
            column=column, text=quoted(text), first=FIRST_YEAR, last=LAST_YEAR))
    return value


def read_log(raw: bytes, source: str) -> list[Deployment]:
    """Read a deployment log's bytes.

    Raises:
        DeployLogError: naming every bad line (up to :data:`MAX_REPORTED`).
    """
    if len(raw) > MAX_LOG_BYTES:
        raise DeployLogError(source, [(0, _("the file is larger than {limit} bytes").format(
            limit=format_number(MAX_LOG_BYTES, 0)))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DeployLogError(source, [(line, _("not UTF-8 text"))]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        raise DeployLogError(source, [(0, _("the file is empty"))]) from None
    except csv.Error as exc:
        raise DeployLogError(source, [(1, _("not CSV ({reason})").format(reason=exc))]) from None
    missing = [c for c in REQUIRED if c not in header]
    if missing and any(";" in h for h in header):
        raise DeployLogError(source, [(1, _("the columns are separated by ';' — save the log "
                                            "as CSV with commas (in a spreadsheet: CSV UTF-8, "
                                            "comma-delimited)"))])
    if missing:
        raise DeployLogError(source, [(1, _("no {columns} column; the header must name "
                                            "{known}").format(columns=", ".join(missing),
                                                              known=", ".join(KNOWN)))])
    col = {name: header.index(name) for name in KNOWN if name in header}
    problems: list[tuple[int, str]] = []
    rows: list[Deployment] = []
    aware: set[bool] = set()
    forms = False  # a time in a form not accepted: the forms are listed once
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append((reader.line_num, _("not CSV ({reason})").format(reason=exc)))
            break
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = col.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        try:
            if not cell("deployed_at"):
                raise ValueError(_("deployed_at is empty"))
            deployed = _when(cell("deployed_at"), "deployed_at")
            committed = _when(cell("committed_at"), "committed_at") if cell("committed_at") \
                else None
            flag = cell("failed").casefold()
            if flag not in _YES | _NO:
                raise ValueError(_("failed must be yes or no, not {value}").format(
                    value=quoted(cell("failed"))))
            failed = flag in _YES
            restored = _when(cell("restored_at"), "restored_at") if cell("restored_at") \
                else None
            stamps = [t for t in (deployed, committed, restored) if t is not None]
            aware.update(t.tzinfo is not None for t in stamps)
            if len(aware) > 1:
                raise ValueError(_("mixes times with and without a UTC offset; "
                                   "give every time an offset, or none"))
            if committed is not None and committed > deployed:
                raise ValueError(_("committed_at is after deployed_at"))
            if restored is not None and not failed:
                raise ValueError(_("restored_at is given but the deployment did not fail"))
            if restored is not None and restored < deployed:
                raise ValueError(_("restored_at is before deployed_at"))
        except _TimeFormError as exc:
            problems.append((line, str(exc)))
            forms = True
            continue
        except ValueError as exc:
            problems.append((line, str(exc)))
            continue
        rows.append(Deployment(line, _utc(deployed), committed and _utc(committed), failed,
                               restored and _utc(restored)))
    if problems:
        raise DeployLogError(source, problems[:MAX_REPORTED],
                             max(0, len(problems) - MAX_REPORTED),
                             _("Accepted date and time forms: {forms}").format(
                                 forms=ACCEPTED_FORMS) if forms else "")
    if not rows:
        raise DeployLogError(source, [(0, _("no deployments in the file"))])
    return rows


def _utc(t: datetime) -> datetime:
    return t.astimezone(UTC).replace(tzinfo=None) if t.tzinfo is not None else t


def summarise(rows: list[Deployment]) -> LogSummary:
    """The figures of a non-empty list of deployments."""
    first = min(r.deployed_at for r in rows)
    last = max(r.deployed_at for r in rows)
    days = (last.date() - first.date()).days + 1
    leads = [(r.deployed_at - r.committed_at).total_seconds() / 3600
             for r in rows if r.committed_at is not None]
    failed = [r for r in rows if r.failed]
    recoveries = [(r.restored_at - r.deployed_at).total_seconds() / 3600
                  for r in failed if r.restored_at is not None]
    return LogSummary(
        first=first, last=last, deployments=len(rows), days=days, failed=len(failed),
        lead_time_hours=statistics.median(leads) if leads else None,
        lead_time_sample=len(leads),
        per_week=len(rows) / days * 7,
        fail_rate=len(failed) / len(rows) * 100,
        recovery_hours=statistics.median(recoveries) if recoveries else None,
        restored=len(recoveries),
    )


def measure(raw: bytes, source: str) -> tuple[LogSummary, dict[str, MetricRecord]]:
    """Read a log and return its figures and the metric records they give.

    Raises:
        DeployLogError: the log cannot be read; nothing is returned.
    """
    summary = summarise(read_log(raw, source))
    if "failed" not in _header(raw):
        summary = dataclasses.replace(summary, has_failed=False)
    return summary, summary.records(LOG_SOURCE + source)


def imported_text(file: str, summary: LogSummary, measured: int) -> str:
    """The success message of an import: "deploys.csv imported: 33 deployments from
    2026-08-03 – 2026-09-11 — 4 metrics measured"."""
    return (ngettext("{file} imported: {n} deployment, {period}",
                     "{file} imported: {n} deployments, {period}",
                     summary.deployments).format(file=file, n=summary.deployments,
                                                 period=summary.period)
            + " — " + ngettext("{n} metric measured", "{n} metrics measured",
                               measured).format(n=measured))


def period_warnings(summary: LogSummary, day: str, baseline_day: str = "") -> list[str]:
    """What is odd about a log's period for this workshop (each a sentence; none when
    fine or the dates are unknown): deployments after the workshop's date ``day`` (a
    wrong year, another team's log), or a log that ends before the date of the workshop
    it is compared with, ``baseline_day`` (its figures say nothing of the time since)."""
    out = []
    workshop, baseline = _day(day), _day(baseline_day)
    last = summary.last.date()
    if workshop is not None and last > workshop:
        out.append(_("The log has deployments after this workshop's date ({day}), the last "
                     "on {last} — check that it is this team's log and the dates are "
                     "right.").format(day=format_date(workshop), last=format_date(last)))
    if baseline is not None and last < baseline:
        out.append(_("The log ends on {last}, before the last workshop ({day}): its figures "
                     "describe the time before that one, not since.").format(
                         last=format_date(last), day=format_date(baseline)))
    return out


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def from_a_log(rec: MetricRecord) -> bool:
    """Was this record measured from a deployment log?"""
    return rec.basis == Basis.MEASURED and rec.source.startswith(LOG_SOURCE)


@dataclass(frozen=True)
class ImportPlan:
    """What importing a log does to a workshop's metrics (see :func:`plan_import`).

    Attributes:
        changes: metric id -> the new record, or None to clear it.
        replaced: metric ids whose current record (measured or typed in) gets the
            log's figure.
        cleared: metric ids an earlier log measured that this log does not: cleared.
        earlier: the earlier logs' sources and periods ("deployment log a.csv,
            2026-08-01 – 2026-08-31"), in catalogue order, without repeats.
    """

    changes: dict[str, MetricRecord | None]
    replaced: tuple[str, ...]
    cleared: tuple[str, ...]
    earlier: tuple[str, ...]

    def text(self) -> str:
        """What the import replaces, in words ("" when it replaces nothing)."""
        names = {m.id: m.name for m in catalogue().metrics}
        parts = []
        if self.earlier:
            parts.append(_("This log replaces the earlier one ({logs}); the two are never "
                           "mixed.").format(logs="; ".join(self.earlier)))
        if self.replaced:
            parts.append(_("Replaced with this log's figures: {metrics}.").format(
                metrics=", ".join(names.get(m, m) for m in self.replaced)))
        if self.cleared:
            parts.append(_("Cleared, because this log does not measure them: {metrics}.")
                         .format(metrics=", ".join(names.get(m, m) for m in self.cleared)))
        return "\n".join(parts)


def plan_import(current: dict[str, MetricRecord],
                records: dict[str, MetricRecord]) -> ImportPlan:
    """How a log's ``records`` replace ``current``: the log's metrics are set; what an
    earlier log measured and this one does not is cleared (never kept from the old log);
    metrics typed in or estimated that the log does not measure stay as they are."""
    order = [m.id for m in catalogue().metrics]
    changes: dict[str, MetricRecord | None] = dict(records)
    replaced = tuple(m for m in order if m in records and m in current)
    cleared = tuple(m for m in order if m not in records and m in current
                    and from_a_log(current[m]))
    for m in cleared:
        changes[m] = None
    earlier: list[str] = []
    for m in order:
        rec = current.get(m)
        if rec is not None and from_a_log(rec):
            what = ", ".join(x for x in (source_text(rec.source), rec.period) if x)
            if what not in earlier:
                earlier.append(what)
    return ImportPlan(changes, replaced, cleared, tuple(earlier))


def _header(raw: bytes) -> list[str]:
    """The column names of a log :func:`read_log` accepted."""
    first = raw.decode("utf-8-sig").splitlines()[:1]
    return [h.strip().casefold() for h in next(csv.reader(first), [])]
