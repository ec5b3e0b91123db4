"""Delivery metrics: DORA's five, in the Quick Check's buckets, and the product questions.

The catalogue (the metrics, their buckets and the DORA performance levels
each bucket falls in) is a versioned data file shipped with the package,
``resources/dora/delivery-metrics.json``, which names the report it comes
from (the 2024 Accelerate State of DevOps Report; the file says why not
2025). A workshop records at most one :class:`MetricRecord` per metric:
measured (from which tool, over which period, from how many deployments)
or estimated by the room (each person's bucket; the median is recorded).

Buckets are ordered worst to best, so a larger index is better, as with the
1–5 maturity scores. Nothing here ranks teams against each other: a band
is where one team's bucket falls in DORA's published levels.

The data file is written in English; :func:`catalogue` reads it in the
active language (its names, questions, bucket labels and level names are
extracted into the translation catalogue with the context
:data:`DATA_CONTEXT`, see ``tools/i18n.py``). Records keep ids and bucket
indexes only, so a workshop reads alike in every language.
"""

from __future__ import annotations

import json
import re
import statistics
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from .i18n import Translator, _, active, format_number, format_period, ngettext
from .scoring import RANGE_LIMIT, SPREAD_LIMIT

CATALOGUE_FORMAT = "calms-delivery-metrics"
CATALOGUE_VERSION = 1
#: The message context of the data file's texts in the translation catalogue.
DATA_CONTEXT = "delivery-metrics"
#: The data file's fields that are shown to people (translated); the rest are ids.
SHOWN_FIELDS = ("name", "short", "question", "figure", "note", "label", "share", "why")


class MetricKind(StrEnum):
    BUCKET = "bucket"  # answered in buckets (the DORA metrics)
    COUNT = "count"  # a whole number (the product questions)


class Basis(StrEnum):
    """How a metric is known."""

    MEASURED = "measured"
    ESTIMATED = "estimated"


@dataclass(frozen=True)
class Bucket:
    id: str
    label: str
    levels: tuple[str, ...]  # the DORA levels whose published value falls in it
    short: str = ""  # the label for tight places: "one day–one week" (see short_label)


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    share: str


@dataclass(frozen=True)
class Metric:
    """One metric of the catalogue."""

    id: str
    kind: MetricKind
    name: str
    question: str
    buckets: tuple[Bucket, ...] = ()
    published: dict[str, str] = field(default_factory=dict)
    note: str = ""
    figure: str = ""  # how a measured figure is printed: "median {value:,.1f} hours"
    short: str = ""  # a short name for tight places (the projector): "Lead time"

    def bucket_index(self, bucket_id: str) -> int:
        for i, b in enumerate(self.buckets):
            if b.id == bucket_id:
                return i
        raise KeyError(bucket_id)


@dataclass(frozen=True)
class Catalogue:
    """The metrics and the bands they are shown against."""

    report: str
    report_year: int
    url: str
    why: str
    levels: tuple[Level, ...]
    metrics: tuple[Metric, ...]

    @property
    def source(self) -> str:
        """"2024 Accelerate State of DevOps Report" — printed beside every band."""
        return f"{self.report_year} {self.report}"

    def metric(self, metric_id: str) -> Metric:
        for m in self.metrics:
            if m.id == metric_id:
                return m
        raise KeyError(metric_id)

    def has(self, metric_id: str) -> bool:
        return any(m.id == metric_id for m in self.metrics)

    def level_name(self, level_id: str) -> str:
        for lv in self.levels:
            if lv.id == level_id:
                return lv.name
        return level_id

    def band(self, metric_id: str, bucket: int | None) -> str:
        """The bucket's place among the published levels: "Elite", "High / Medium", or
        for a bucket no level's published value falls in, where it lies: "worse than Low
        (2024)" (below every level), "between Medium and Low (2024)" (or "better than …");
        "" when the metric has no published levels."""
        m = self.metric(metric_id)
        if bucket is None or m.kind != MetricKind.BUCKET or not m.published:
            return ""
        levels = m.buckets[bucket].levels
        if levels:
            return " / ".join(self.level_name(x) for x in levels)
        # Buckets go worst to best; a level's list goes best to worst ("high", "medium").
        worse = next((b.levels[0] for b in reversed(m.buckets[:bucket]) if b.levels), None)
        better = next((b.levels[-1] for b in m.buckets[bucket + 1:] if b.levels), None)
        year = self.report_year
        if worse is None and better is not None:
            return _("worse than {level} ({year})").format(
                year=year, level=self.level_name(better))
        if better is None and worse is not None:
            return _("better than {level} ({year})").format(
                year=year, level=self.level_name(worse))
        if worse is not None and better is not None:
            return _("between {better} and {worse} ({year})").format(
                year=year, better=self.level_name(better), worse=self.level_name(worse))
        return ""


def short_label(label: str) -> str:
    """A bucket's label for tight places: "Between one day and one week" → "one day–one week"."""
    if label.startswith("Between "):
        return label[len("Between "):].replace(" and ", "–", 1)
    return label


def shown_texts(data: dict[str, Any]) -> list[str]:
    """Every text of a catalogue's data that people see (for extraction), in file order:
    names, questions, bucket labels and their short forms, level names, notes."""
    out: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in SHOWN_FIELDS and isinstance(value, str) and value:
                    out.append(value)
                    if key == "label" and short_label(value) != value:
                        out.append(short_label(value))
                elif key == "levels" and isinstance(value, list) and value \
                        and isinstance(value[0], dict):
                    out.extend(x["name"] for x in value)  # the bands' level names
                    walk(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return out


def _catalogue_from(data: dict[str, Any], translator: Translator | None = None) -> Catalogue:
    """The catalogue of ``data``, its shown texts in ``translator``'s language."""
    if data.get("format") != CATALOGUE_FORMAT or data.get("version") != CATALOGUE_VERSION:
        raise ValueError("not a version-1 delivery-metrics catalogue")

    def t(text: str) -> str:
        return translator.pgettext(DATA_CONTEXT, text) if translator and text else text

    bands = data["bands"]
    levels = tuple(Level(x["id"], t(x["name"]), t(x.get("share", "")))
                   for x in bands["levels"])
    metrics = tuple(
        Metric(
            id=m["id"], kind=MetricKind(m["kind"]), name=t(m["name"]),
            question=t(m["question"]),
            buckets=tuple(Bucket(b["id"], t(b["label"]), tuple(b["levels"]),
                                 short=t(short_label(b["label"])))
                          for b in m.get("buckets", ())),
            published=dict(m.get("published", {})), note=t(m.get("note", "")),
            figure=t(m.get("figure", "")), short=t(m.get("short", m["name"])),
        )
        for m in data["metrics"]
    )
    # The report's title is a name (printed as published), its reasoning is text.
    return Catalogue(bands["report"], int(bands["report_year"]), bands["url"], t(bands["why"]),
                     levels, metrics)


def catalogue_data() -> dict[str, Any]:
    """The shipped data file, as JSON data."""
    path = resources.files("calms_desktop") / "resources" / "dora" / "delivery-metrics.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def _catalogue_in(translator: Translator) -> Catalogue:
    return _catalogue_from(catalogue_data(), translator)


def catalogue() -> Catalogue:
    """The shipped catalogue in the active language (read once per language; immutable)."""
    return _catalogue_in(active())


#: Participant id -> bucket index, and bucket index -> hands (a show of hands).
Picks = tuple[tuple[str, int], ...]
Hands = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class MetricRecord:
    """What a workshop knows of one metric.

    Attributes:
        metric: the catalogue id ("lead_time").
        basis: measured or estimated.
        bucket: the bucket index (bucket metrics); for a room estimate, the
            median of the picks.
        value: the number (count metrics), or the measured figure behind the
            bucket (hours, deployments a week, percent).
        source: how it is known — the tool ("deployment log deploys.csv",
            "Grafana") or "room".
        period: the period measured ("2026-08-01 – 2026-08-31"), or "".
        sample: how many deployments (or answers) it rests on.
        picks: each person's bucket (room estimates, per person).
        hands: hands per bucket (room estimates, show of hands).
    """

    metric: str
    basis: Basis
    bucket: int | None = None
    value: float | None = None
    source: str = ""
    period: str = ""
    sample: int | None = None
    picks: Picks = ()
    hands: Hands = ()

    def all_picks(self) -> list[int]:
        """Every bucket picked, per person and by hand, in bucket order."""
        out = [b for _, b in self.picks]
        out += [b for b, n in self.hands for _ in range(n)]
        return sorted(out)

    @property
    def room_agrees(self) -> bool | None:
        """The room's verdict on its estimate (None: not a room estimate, or too few)."""
        return agrees(self.all_picks())

    def with_pick(self, participant_id: str, bucket: int | None) -> MetricRecord:
        """This estimate with one person's pick set (None: withdrawn), median recomputed."""
        picks = tuple(p for p in self.picks if p[0] != participant_id)
        if bucket is not None:
            picks += ((participant_id, bucket),)
        return replace(self, picks=picks).recounted()

    def with_hands(self, hands: dict[int, int]) -> MetricRecord:
        return replace(self, hands=tuple(sorted((b, n) for b, n in hands.items() if n))
                       ).recounted()

    def recounted(self) -> MetricRecord:
        answers = self.all_picks()
        return replace(self, bucket=median_bucket(answers), sample=len(answers) or None)


def median_bucket(picks: list[int]) -> int | None:
    """The room's bucket: the median pick; with an even count the lower of the two
    middle ones (a bucket must be one that was picked, and the cautious one)."""
    return statistics.median_low(picks) if picks else None


def agrees(picks: list[int]) -> bool | None:
    """The maturity statements' consensus rule applied to bucket picks.

    Picks in neighbouring buckets agree; otherwise the room agrees when the
    spread is at most :data:`~calms_desktop.core.scoring.SPREAD_LIMIT` and no
    two picks are :data:`~calms_desktop.core.scoring.RANGE_LIMIT` buckets
    apart. None below two picks.
    """
    if len(picks) < 2:
        return None
    if max(picks) - min(picks) <= 1:
        return True
    return statistics.pstdev(picks) <= SPREAD_LIMIT + 1e-9 and max(picks) - min(picks) < RANGE_LIMIT


def spread_text(rec: MetricRecord) -> str:
    """How far apart a room's picks were: "picks from less than one day to one to six
    months" ("" without picks)."""
    picks = rec.all_picks()
    if not picks:
        return ""
    m = catalogue().metric(rec.metric)
    low, high = m.buckets[picks[0]], m.buckets[picks[-1]]
    return _("picks from {low} to {high}").format(low=_lower_first(low.label),
                                                   high=_lower_first(high.label))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def estimate(metric_id: str) -> MetricRecord:
    """An empty room estimate of a metric."""
    return MetricRecord(metric_id, Basis.ESTIMATED, source="room")


def shown(cat: Catalogue, rec: MetricRecord, *, figure: bool = True) -> str:
    """The record's answer as printed: the bucket's label (with the measured figure,
    unless ``figure`` is False), or the number."""
    m = cat.metric(rec.metric)
    if m.kind == MetricKind.BUCKET:
        if rec.bucket is None:
            return "—"
        label = m.buckets[rec.bucket].label
        if figure and rec.value is not None and m.figure:
            return f"{label} ({_figure(m.figure, rec.value)})"
        return label
    return "—" if rec.value is None else active().format_integer(round(rec.value))


def _figure(pattern: str, value: float) -> str:
    """A measured figure in its pattern ("median {value:,.1f} hours"), the number with the
    active language's decimal and group marks (Babel's, never the machine's)."""

    def number(field: re.Match[str]) -> str:
        spec = field.group(1)
        decimals = re.search(r"\.(\d+)", spec)
        return format_number(value, int(decimals.group(1)) if decimals else 0,
                             grouped="," in spec)

    return _VALUE_FIELD.sub(number, pattern)


_VALUE_FIELD = re.compile(r"\{value:([^}]*)\}")



#: Measured records from a deployment log name it as ``LOG_SOURCE + file name`` (in
#: English in the file; shown in the active language by :func:`source_text`).
LOG_SOURCE = "deployment log "


def source_text(source: str) -> str:
    """A record's source as shown: "deployment log a.csv" in the active language
    ("Deployment-Log a.csv"), any other source (a tool, a person) as typed."""
    if source.startswith(LOG_SOURCE):
        return _("deployment log {file}").format(file=source[len(LOG_SOURCE):])
    return source


def how_known(rec: MetricRecord) -> str:
    """"measured (deployment log deploys.csv, 2026-08-01 – 2026-08-31, 38 deployments)"
    or "estimated by the room (9 answers)"."""
    if rec.basis == Basis.ESTIMATED:
        if rec.source == "room":
            n = len(rec.all_picks())
            return ngettext("estimated by the room ({n} answer)",
                            "estimated by the room ({n} answers)", n).format(n=n)
        return (_("estimated ({source})").format(source=source_text(rec.source))
                if rec.source else _("estimated"))
    parts = [p for p in (source_text(rec.source), format_period(rec.period)) if p]
    if rec.sample is not None:
        parts.append(ngettext("{n} deployment", "{n} deployments", rec.sample).format(
            n=rec.sample))
    return _("measured ({how})").format(how=", ".join(parts)) if parts else _("measured")


def change(cat: Catalogue, now: MetricRecord | None, before: MetricRecord | None) -> str:
    """Change since the earlier workshop, in words: "2 buckets better", "same bucket",
    "+120" (counts), or "" when either side is missing."""
    if now is None or before is None:
        return ""
    m = cat.metric(now.metric)
    if m.kind == MetricKind.BUCKET:
        if now.bucket is None or before.bucket is None:
            return ""
        d = now.bucket - before.bucket
        if d == 0:
            return _("same bucket")
        if d > 0:
            return ngettext("{n} bucket better", "{n} buckets better", d).format(n=d)
        return ngettext("{n} bucket worse", "{n} buckets worse", -d).format(n=-d)
    if now.value is None or before.value is None:
        return ""
    return format_number(now.value - before.value, 0, signed=True)


@dataclass(frozen=True)
class MetricRow:
    """One line of a delivery-metrics table (screen, PDF, CSV): all text."""

    metric_id: str
    name: str
    short: str  # the short name ("Lead time")
    answer: str  # with the measured figure: "Between one day and one week (median 30.2 hours)"
    label: str  # without it: "Between one day and one week"
    label_short: str  # for tight places: "one day–one week" (see short_label)
    basis: str  # "measured", "estimated", or "" when not recorded now
    band: str
    how: str
    before: str
    change: str
    flagged: bool  # the room disagrees about its estimate
    withheld: bool = False  # the privacy rule withholds the result (``answer`` says why)
    before_period: str = ""  # the period last time's figure was measured over, or ""


def metric_rows(records: dict[str, MetricRecord],
                baseline: dict[str, MetricRecord] | None = None,
                withheld: dict[str, str] | None = None) -> list[MetricRow]:
    """The rows every view shows, in catalogue order, for the metrics recorded
    now or last time.

    Args:
        records: this workshop's records (to show).
        baseline: last time's.
        withheld: metric id -> why its result is not shown (the privacy rule,
            :func:`~calms_desktop.core.privacy.withheld_metrics`): the row says so in
            place of the answer, with no band, change or verdict.
    """
    cat = catalogue()
    baseline = baseline or {}
    withheld = withheld or {}
    rows = []
    for m in cat.metrics:
        now, before = records.get(m.id), baseline.get(m.id)
        if m.id in withheld:
            text = withheld[m.id]
            rows.append(MetricRow(
                metric_id=m.id, name=m.name, short=m.short, answer=text, label=text,
                label_short=text, basis=Basis.ESTIMATED.value, band="",
                how=how_known(now) if now else "", before=shown(cat, before) if before else "",
                change="", flagged=False, withheld=True,
                before_period=format_period(before.period) if before else ""))
            continue
        if now is None and before is None:
            continue
        rows.append(MetricRow(
            metric_id=m.id, name=m.name, short=m.short,
            answer=shown(cat, now) if now else "—",
            label=shown(cat, now, figure=False) if now else "—",
            label_short=(m.buckets[now.bucket].short if now and now.bucket is not None
                         and m.kind == MetricKind.BUCKET else
                         shown(cat, now, figure=False) if now else "—"),
            basis=now.basis.value if now else "",
            band=cat.band(m.id, now.bucket) if now else "",
            how=how_known(now) if now else _("not recorded"),
            before=shown(cat, before) if before else "",
            change=change(cat, now, before),
            flagged=bool(now and now.room_agrees is False),
            before_period=format_period(before.period) if before else "",
        ))
    return rows


@dataclass(frozen=True)
class MetricDistribution:
    """How many teams' records fall in each bucket of one metric (the portfolio's view:
    a distribution, never a ranking of teams)."""

    metric_id: str
    name: str
    counts: tuple[int, ...]  # per bucket, worst first
    labels: tuple[str, ...]

    @property
    def teams(self) -> int:
        return sum(self.counts)

    def text(self) -> str:
        """"Change lead time (2 teams): 1 between one day and one week, 1 less than one day"."""
        parts = [f"{n} {label[0].lower()}{label[1:]}"
                 for n, label in zip(self.counts, self.labels, strict=True) if n]
        return ngettext("{metric} ({n} team): {counts}", "{metric} ({n} teams): {counts}",
                        self.teams).format(metric=self.name, n=self.teams,
                                           counts=", ".join(parts))


def distributions(records: list[dict[str, MetricRecord]]) -> list[MetricDistribution]:
    """Per bucket metric, how many of ``records`` (one per team) fall in each bucket."""
    out = []
    for m in catalogue().metrics:
        if m.kind != MetricKind.BUCKET:
            continue
        counts = [0] * len(m.buckets)
        for team in records:
            rec = team.get(m.id)
            if rec is not None and rec.bucket is not None:
                counts[rec.bucket] += 1
        if any(counts):
            out.append(MetricDistribution(m.id, m.name, tuple(counts),
                                          tuple(b.label for b in m.buckets)))
    return out
