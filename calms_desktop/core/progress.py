"""Progress over time: a team's trend, the actions it carried, the consultant's portfolio.

Everything here works on :class:`WorkshopPoint`\\ s: the few numbers of one
workshop that progress views need (pillar means, overall, actions and their
reviews), computed once from the file and kept in a :class:`PointCache`
keyed by the file's ``(mtime_ns, size)``.

**Privacy.** A point's pillar means already follow
:func:`calms_desktop.core.privacy.can_show`: in an anonymous workshop a
pillar whose statements have too few scored answers has no mean (it is
listed in :attr:`WorkshopPoint.withheld`), and neither has the overall
score. So trends, deltas, radar overlays and portfolio aggregates never show
what the workshop itself would withhold. Nothing here carries a vote.

**Portfolio.** Per organisation, each team counts once, by its latest
workshop that has results: a pillar's portfolio mean is the mean of those
teams' pillar means, its spread their population standard deviation (and
their range). Aggregates only.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import fileformat, privacy
from .errors import ValidationError
from .i18n import _, format_date
from .metrics import MetricDistribution, MetricRecord, catalogue, distributions
from .model import PILLARS, ActionItem, ActionStatus, Pillar, PillarState, ReviewDecision, Workshop
from .scoring import score_workshop, shown_difference

Row = Mapping[str, Any]

#: How an empty organisation is shown in the portfolio.
NO_ORGANISATION = "(no organisation)"
#: The portfolio looks this many workshops behind a team's latest for its delivery metrics.
METRICS_LOOKBACK = 2


# -- one workshop ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class WorkshopPoint:
    """What progress views need of one workshop (no votes).

    Attributes:
        means: each pillar's mean, or None (no scored answers, or withheld).
        withheld: pillars whose results the privacy rule withholds.
        overall: the mean of the pillar means; None if none or any is withheld.
        actions: the workshop's actions.
        action_reviews: decisions about earlier workshops' actions (by their id).
    """

    id: str
    title: str
    organisation: str
    team: str
    date: str
    created: str
    anonymous: bool
    participants: int
    baseline_id: str | None
    pillar_states: Mapping[Pillar, PillarState]
    means: Mapping[Pillar, float | None]
    withheld: frozenset[Pillar]
    overall: float | None
    actions: tuple[ActionItem, ...] = ()
    action_reviews: Mapping[str, ReviewDecision] = field(default_factory=dict)
    metrics: Mapping[str, MetricRecord] = field(default_factory=dict)  # delivery metrics

    @property
    def has_results(self) -> bool:
        return any(m is not None for m in self.means.values())

    @property
    def day(self) -> dt.date | None:
        """The workshop's date (its creation date if it has none), or None."""
        for text in (self.date, self.created[:10]):
            try:
                return date.fromisoformat(text)
            except ValueError:
                continue
        return None

    @property
    def label(self) -> str:
        """"31 Mar 2026 · CALMS baseline" (for legends and headers), the date in the
        active language."""
        title = " ".join(self.title.split()) or _("Untitled workshop")
        return f"{format_date(self.date, 'short')} · {title}" if self.date else title


def point_of(ws: Workshop) -> WorkshopPoint:
    """Score a workshop and keep what progress views need, applying the privacy rule."""
    score = score_workshop(ws)
    means: dict[Pillar, float | None] = {}
    withheld: set[Pillar] = set()
    for p in PILLARS:
        ps = score.pillars.get(p)
        if ps is None:
            means[p] = None
        elif privacy.can_show(ws, ps):
            means[p] = ps.mean
        else:
            means[p] = None
            withheld.add(p)
    return WorkshopPoint(
        id=ws.id,
        title=ws.title,
        organisation=ws.organisation,
        team=ws.team,
        date=ws.date,
        created=ws.created,
        anonymous=ws.is_anonymous,
        baseline_id=ws.baseline_id,
        participants=len(ws.participants),
        pillar_states=dict(ws.pillar_states),
        means=means,
        withheld=frozenset(withheld),
        overall=None if withheld else score.overall,
        actions=tuple(ws.actions),
        action_reviews=dict(ws.action_reviews),
        metrics=privacy.shown_metrics(ws),  # what its room saw (no empty estimates)
    )


class PointCache:
    """Points of a library's workshops, computed once per version of each file.

    The key is the index row's ``(id, mtime_ns, size)``, so a saved, renamed
    or replaced workshop is read again and an unchanged one never is. Reads
    go straight to the file (not through :meth:`Library.load`, which may
    write), so a worker thread may use the cache; a lock guards the map.

    Args:
        path_of: the file of a workshop id (``library.path_of``).
    """

    def __init__(self, path_of: Callable[[str], Any]) -> None:
        self._path_of = path_of
        self._points: dict[str, tuple[tuple[Any, Any], WorkshopPoint]] = {}
        self._lock = threading.Lock()
        #: Files that could not be read, by workshop id (the message).
        self.problems: dict[str, str] = {}

    def cached(self, row: Row) -> WorkshopPoint | None:
        """The point of a row if it is cached for this version of the file."""
        with self._lock:
            hit = self._points.get(row["id"])
        if hit is not None and hit[0] == (row.get("mtime_ns"), row.get("size")):
            return hit[1]
        return None

    def point(self, row: Row) -> WorkshopPoint | None:
        """The point of a summary row, or None if its file cannot be read."""
        found = self.cached(row)
        if found is not None:
            return found
        wid = row["id"]
        try:
            ws = fileformat.read_file(self._path_of(wid))
        except (ValidationError, OSError) as exc:
            with self._lock:
                self.problems[wid] = str(exc)
            return None
        pt = point_of(ws)
        with self._lock:
            self._points[wid] = ((row.get("mtime_ns"), row.get("size")), pt)
            self.problems.pop(wid, None)
        return pt

    def __len__(self) -> int:
        return len(self._points)


# -- a team's trend ---------------------------------------------------------------------------
def team_key(organisation: str, team: str) -> tuple[str, str]:
    """How workshops of one team are grouped (as :meth:`Library.team_workshops` does)."""
    return (organisation.strip().casefold(), team.strip().casefold())


def chronological(points: Iterable[WorkshopPoint]) -> list[WorkshopPoint]:
    """Oldest first: by date, then creation time."""
    return sorted(points, key=lambda p: (p.date or p.created[:10], p.created))


@dataclass(frozen=True)
class CarriedAction:
    """An action of one workshop as a later workshop of the team dealt with it.

    Attributes:
        action: the action in the earlier workshop.
        from_point: the workshop the action was agreed in.
        to_point: the later workshop that reviewed or continued it.
        decision: the later workshop's review (None: continued but not reviewed).
        continued_as: the action that carries it on in the later workshop, if any.
    """

    action: ActionItem
    from_point: WorkshopPoint
    to_point: WorkshopPoint
    decision: ReviewDecision | None
    continued_as: ActionItem | None

    @property
    def outcome(self) -> str:
        """"Done", "Carried over — in progress", … (for people)."""
        if self.decision == ReviewDecision.DONE:
            return "Done"
        if self.decision == ReviewDecision.CARRIED or self.continued_as is not None:
            status = self.continued_as.status if self.continued_as else None
            now = f" — now {STATUS_TEXT[status].lower()}" if status else ""
            return f"Carried over{now}"
        return "Not reviewed"


STATUS_TEXT = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}


def carried_actions(points: Sequence[WorkshopPoint]) -> list[CarriedAction]:
    """Every action a later workshop of the team reviewed or carried on.

    An action is matched by id: a later workshop's ``action_reviews`` names
    it, or one of its actions has ``carried_from`` set to it. The action is
    looked up in the later workshop's baseline first, then in the nearest
    earlier workshop that has an action with that id (ids need only be
    unique within one workshop). Actions of a workshop outside ``points``
    (another team's) are not listed. Oldest first, in the earlier
    workshop's action order.
    """
    ordered = chronological(points)
    owners: dict[str, list[tuple[int, WorkshopPoint, ActionItem]]] = {}
    rows: list[tuple[int, int, int, CarriedAction]] = []
    for j, later in enumerate(ordered):
        continued = {a.carried_from: a for a in later.actions if a.carried_from}
        mentioned = list(later.action_reviews) + [k for k in continued
                                                  if k not in later.action_reviews]
        for aid in mentioned:
            candidates = owners.get(aid)
            if not candidates:
                continue
            from_baseline = [c for c in candidates if c[1].id == later.baseline_id]
            i, earlier, action = (from_baseline or candidates)[-1]
            rows.append((
                j,
                i,
                earlier.actions.index(action),
                CarriedAction(action, earlier, later, later.action_reviews.get(aid),
                              continued.get(aid)),
            ))
        for a in later.actions:
            owners.setdefault(a.id, []).append((j, later, a))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return [r[3] for r in rows]


@dataclass(frozen=True)
class TeamTrend:
    """One team's workshops, oldest first, with the numbers progress views show.

    Attributes:
        unreadable: how many of the team's workshop files could not be read.
    """

    organisation: str
    team: str
    points: tuple[WorkshopPoint, ...]
    unreadable: int = 0

    def series(self, pillar: Pillar | None) -> list[tuple[WorkshopPoint, float | None]]:
        """Each workshop with the pillar's mean (``None``: the overall score)."""
        return [(p, p.overall if pillar is None else p.means[pillar]) for p in self.points]

    def deltas(self) -> list[dict[Pillar | None, float | None]]:
        """Per workshop, each pillar's change (key None: overall) since the previous one.

        The first workshop has no deltas; a delta is None when either mean is missing.
        """
        out: list[dict[Pillar | None, float | None]] = []
        previous: WorkshopPoint | None = None
        for pt in self.points:
            row: dict[Pillar | None, float | None] = {}
            for p in (*PILLARS, None):
                now = pt.overall if p is None else pt.means[p]
                before = None if previous is None else (
                    previous.overall if p is None else previous.means[p])
                row[p] = shown_difference(now, before)  # of the printed scores
            out.append(row)
            previous = pt
        return out

    @property
    def withheld(self) -> bool:
        """Does any workshop withhold a pillar's results (anonymous, too few answers)?"""
        return any(p.withheld for p in self.points)

    def carried(self) -> list[CarriedAction]:
        return carried_actions(self.points)


def team_trend(
    rows: Iterable[Row], cache: PointCache, organisation: str, team: str
) -> TeamTrend:
    """The trend of one team from the library's summary rows (any order)."""
    key = team_key(organisation, team)
    mine = [r for r in rows if team_key(r["organisation"], r["team"]) == key]
    points = [cache.point(r) for r in mine]
    good = [p for p in points if p is not None]
    return TeamTrend(organisation.strip(), team.strip(), tuple(chronological(good)),
                     unreadable=len(points) - len(good))


def overlay_values(points: Sequence[WorkshopPoint]) -> list[tuple[str, dict[Pillar, float | None]]]:
    """(label, pillar means) per workshop, for a radar overlay."""
    return [(p.label, dict(p.means)) for p in points]


# -- the portfolio ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Aggregate:
    """Teams' means of one pillar (or overall) in one organisation.

    Attributes:
        n: how many teams have a mean.
        mean: their mean (None if ``n`` is 0).
        spread: population standard deviation (None with fewer than 2 teams).
        low, high: the lowest and highest team mean.
    """

    n: int
    mean: float | None
    spread: float | None
    low: float | None
    high: float | None

    @classmethod
    def of(cls, values: Iterable[float | None]) -> Aggregate:
        xs = [v for v in values if v is not None]
        if not xs:
            return cls(0, None, None, None, None)
        return cls(
            len(xs),
            statistics.fmean(xs),
            statistics.pstdev(xs) if len(xs) > 1 else None,
            min(xs),
            max(xs),
        )


@dataclass(frozen=True)
class OrganisationSummary:
    """An organisation in the portfolio: counts and per-pillar aggregates.

    Attributes:
        teams_with_results: teams that have a workshop with results.
        pillars: aggregate of each pillar over those teams' latest results.
        overall: aggregate of their overall scores.
    """

    organisation: str
    workshops: int
    teams: int
    teams_with_results: int
    latest: str
    pillars: Mapping[Pillar, Aggregate]
    overall: Aggregate


@dataclass(frozen=True)
class Portfolio:
    """The whole library by organisation (aggregates only).

    Attributes:
        unreadable: workshop files that could not be read.
    """

    organisations: tuple[OrganisationSummary, ...]
    workshops: int
    unreadable: int = 0
    #: the teams' delivery metrics (per metric, each team's newest record its room saw, at
    #: most :data:`METRICS_LOOKBACK` workshops behind its latest with results), as
    #: distributions — no ranking
    metrics: tuple[MetricDistribution, ...] = ()

    @property
    def teams(self) -> int:
        return sum(o.teams for o in self.organisations)


def fold(text: str) -> str:
    """Case- and accent-insensitive form of a text, for searching and sorting."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_FOLD_EXTRA)


_FOLD_EXTRA = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ð": "d",
                             "þ": "th", "ı": "i"})


def latest_of(points: Sequence[WorkshopPoint]) -> dict[str, MetricRecord]:
    """Per metric, the newest record among ``points`` (newest first; their records are
    already what each room saw, see :func:`point_of`)."""
    out: dict[str, MetricRecord] = {}
    for pt in points:
        for mid, rec in pt.metrics.items():
            out.setdefault(mid, rec)
    return out


def portfolio(
    rows: Sequence[Row],
    cache: PointCache,
    progress: Callable[[int, int], bool] | None = None,
) -> Portfolio | None:
    """Aggregate the library by organisation.

    Each team counts once, with its latest workshop that has results
    (older ones are read only when newer ones have none).

    Args:
        rows: the library's summary rows.
        cache: where points come from (may be shared with other views).
        progress: called with (teams done, teams) after each team; returning
            False cancels (then None is returned).
    """
    teams: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        teams.setdefault(team_key(r["organisation"], r["team"]), []).append(r)
    orgs: dict[str, dict[str, Any]] = {}
    unreadable = 0
    total = len(teams)
    for done, (key, team_rows) in enumerate(sorted(teams.items())):
        newest_first = sorted(team_rows, key=lambda r: (r.get("date") or "",
                                                       r.get("created") or ""), reverse=True)
        chosen: WorkshopPoint | None = None
        chosen_at = len(newest_first)
        read: list[WorkshopPoint] = []  # newest first, the unreadable left out
        for i, r in enumerate(newest_first):
            if i > chosen_at + METRICS_LOOKBACK:
                break
            pt = cache.point(r)
            if pt is None:
                unreadable += chosen is None  # a file looked at for its metrics only: not
                continue  # counted (it would not have been read for the scores)
            read.append(pt)
            if chosen is None and pt.has_results:
                chosen, chosen_at = pt, i
            if chosen is not None and len(latest_of(read)) == len(catalogue().metrics):
                break
        org = orgs.setdefault(key[0], {"names": [], "workshops": 0, "teams": 0, "points": [],
                                       "latest": "", "metrics": []})
        if (team_metrics := latest_of(read)):
            org["metrics"].append(team_metrics)
        org["workshops"] += len(team_rows)
        org["teams"] += 1
        org["names"].append((newest_first[0].get("date") or "",
                             newest_first[0]["organisation"].strip()))
        org["latest"] = max(org["latest"], newest_first[0].get("date") or "")
        if chosen is not None:
            org["points"].append(chosen)
        if progress is not None and progress(done + 1, total) is False:
            return None
    summaries = []
    for org in orgs.values():
        name = max(org["names"])[1] or NO_ORGANISATION
        pts: list[WorkshopPoint] = org["points"]
        summaries.append(OrganisationSummary(
            organisation=name,
            workshops=org["workshops"],
            teams=org["teams"],
            teams_with_results=len(pts),
            latest=org["latest"],
            pillars={p: Aggregate.of(pt.means[p] for pt in pts) for p in PILLARS},
            overall=Aggregate.of(pt.overall for pt in pts),
        ))
    summaries.sort(key=lambda o: (o.organisation == NO_ORGANISATION, fold(o.organisation)))
    latest = [m for org in orgs.values() for m in org["metrics"]]
    return Portfolio(tuple(summaries), len(rows), unreadable, tuple(distributions(latest)))
