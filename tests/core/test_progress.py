"""Progress over time: trend values, deltas, carried actions, portfolio aggregates, privacy."""

from __future__ import annotations

import statistics

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.demo import ORGANISATION, TEAM, build_demo
from calms_desktop.core.factory import reassessment_of
from calms_desktop.core.model import (
    PILLARS,
    ActionItem,
    ActionStatus,
    Pillar,
    ReviewDecision,
    Vote,
    VotingMode,
)
from calms_desktop.core.progress import (
    NO_ORGANISATION,
    Aggregate,
    PointCache,
    carried_actions,
    fold,
    point_of,
    portfolio,
    team_trend,
)
from calms_desktop.core.scoring import score_workshop
from calms_desktop.core.storage import Library

from .factories import all_pillars as _all
from .factories import scored_workshop as _workshop


@pytest.fixture
def demo_lib(library):
    first, second = build_demo()
    library.save(first)
    library.save(second)
    return library, first, second


def test_trend_values_equal_the_scoring_of_each_workshop(demo_lib):
    library, first, second = demo_lib
    third = reassessment_of(second)
    third.date = "2099-01-01"
    for st in third.questionnaire.statements:
        for p in third.participants[:5]:
            third.votes[(st.id, p.id)] = Vote(st.id, p.id, 4)
    library.save(third)

    cache = PointCache(library.path_of)
    trend = team_trend(library.summaries(), cache, ORGANISATION.upper(), f"  {TEAM} ")
    assert [p.id for p in trend.points] == [first.id, second.id, third.id]
    for ws, pt in zip((first, second, third), trend.points, strict=True):
        score = score_workshop(ws)
        for p in PILLARS:
            assert pt.means[p] == pytest.approx(score.pillars[p].mean)
        assert pt.overall == pytest.approx(score.overall)
        assert dict(trend.series(Pillar.LEAN))[pt] == pytest.approx(score.pillars[Pillar.LEAN].mean)
    assert trend.points[-1].means[Pillar.CULTURE] == pytest.approx(4.0)


def test_deltas_are_against_the_previous_workshop(library):
    a = _workshop("a", "Org", "T", "2025-01-01", _all([2, 2, 2, 2]))
    b = _workshop("b", "Org", "T", "2025-04-01", {**_all([3, 3, 3, 3]), Pillar.LEAN: []})
    c = _workshop("c", "Org", "T", "2025-07-01", _all([4, 4, 3, 3]))
    for ws in (c, a, b):  # saving order does not matter
        library.save(ws)
    trend = team_trend(library.summaries(), PointCache(library.path_of), "Org", "T")
    deltas = trend.deltas()
    assert all(v is None for v in deltas[0].values())
    assert deltas[1][Pillar.CULTURE] == pytest.approx(1.0)
    assert deltas[1][Pillar.LEAN] is None  # no votes on Lean in b
    assert deltas[2][Pillar.CULTURE] == pytest.approx(0.5)
    assert deltas[2][Pillar.LEAN] is None  # b had no Lean mean to compare with
    assert deltas[2][None] == pytest.approx(3.5 - 3.0)  # b's overall leaves Lean out


def test_other_teams_are_not_in_the_trend(library):
    library.save(_workshop("a", "Org", "Team", "2025-01-01", _all([2])))
    library.save(_workshop("b", "Org", "Other", "2025-02-01", _all([5])))
    library.save(_workshop("c", "Other org", "Team", "2025-03-01", _all([5])))
    trend = team_trend(library.summaries(), PointCache(library.path_of), "org", "TEAM")
    assert [p.id for p in trend.points] == ["a"]


def test_carried_actions_of_the_demo(demo_pair):
    first, second = demo_pair
    rows = carried_actions([point_of(second), point_of(first)])
    assert [r.action.id for r in rows] == [a.id for a in first.actions]
    outcomes = {r.action.text: r.outcome for r in rows}
    assert outcomes["Automate the Thursday production deploy"] == "Carried over — now in progress"
    assert outcomes["Invite the SRE pair to sprint planning and demos"] == "Done"
    assert all(r.from_point.id == first.id and r.to_point.id == second.id for r in rows)
    carried = [r for r in rows if r.decision == ReviewDecision.CARRIED]
    assert len(carried) == 2
    assert all(r.continued_as is not None and r.continued_as.carried_from == r.action.id
               for r in carried)


def test_carried_actions_follow_a_chain_and_skip_unknown_ids():
    a = _workshop("a", "O", "T", "2025-01-01", {})
    a.actions.append(ActionItem("x1", "Start on-call rota"))
    b = _workshop("b", "O", "T", "2025-04-01", {})
    b.action_reviews["x1"] = ReviewDecision.CARRIED
    b.action_reviews["from-another-team"] = ReviewDecision.DONE
    b.actions.append(ActionItem("x2", "Start on-call rota", status=ActionStatus.IN_PROGRESS,
                                carried_from="x1"))
    c = _workshop("c", "O", "T", "2025-07-01", {})
    c.actions.append(ActionItem("x3", "Rota for everyone", carried_from="x2"))  # not reviewed
    rows = carried_actions([point_of(w) for w in (a, b, c)])
    assert [(r.action.id, r.from_point.id, r.to_point.id) for r in rows] == [
        ("x1", "a", "b"), ("x2", "b", "c")]
    assert rows[1].decision is None and rows[1].outcome == "Carried over — now open"


def test_an_action_id_reused_by_a_later_workshop_resolves_to_the_baseline():
    # Action ids are unique within one workshop only: "a0" exists in both a and b.
    a = _workshop("a", "O", "T", "2025-01-01", {})
    a.actions.append(ActionItem("a0", "From the first workshop"))
    b = _workshop("b", "O", "T", "2025-04-01", {})
    b.baseline_id = "a"
    b.action_reviews["a0"] = ReviewDecision.DONE
    b.actions.append(ActionItem("a0", "From the second workshop"))
    c = _workshop("c", "O", "T", "2025-07-01", {})
    c.baseline_id = "b"
    c.action_reviews["a0"] = ReviewDecision.CARRIED
    rows = carried_actions([point_of(w) for w in (a, b, c)])
    assert [(r.action.text, r.from_point.id, r.to_point.id) for r in rows] == [
        ("From the first workshop", "a", "b"), ("From the second workshop", "b", "c")]
    c.baseline_id = "a"  # an explicit baseline wins over the nearest workshop
    rows = carried_actions([point_of(w) for w in (a, b, c)])
    assert rows[1].action.text == "From the first workshop" and rows[1].from_point.id == "a"


def test_anonymous_workshop_withholds_pillars_with_few_answers(library):
    few = {**_all([3, 4, 4]), Pillar.SHARING: [2, 5]}  # only two answers on Sharing
    ws = _workshop("anon", "Org", "T", "2025-01-01", few, mode=VotingMode.ANONYMOUS)
    library.save(ws)
    pt = point_of(ws)
    assert pt.withheld == {Pillar.SHARING}
    assert pt.means[Pillar.SHARING] is None
    assert pt.overall is None  # the overall would reveal the withheld pillar
    assert pt.means[Pillar.CULTURE] == pytest.approx(11 / 3)
    named = point_of(_workshop("named", "Org", "T", "2025-01-01", few))
    assert named.means[Pillar.SHARING] == pytest.approx(3.5) and not named.withheld

    result = portfolio(library.summaries(), PointCache(library.path_of))
    assert result is not None
    org = result.organisations[0]
    assert org.pillars[Pillar.SHARING].mean is None
    assert org.overall.mean is None
    assert org.pillars[Pillar.CULTURE].mean == pytest.approx(11 / 3)


def test_portfolio_aggregates_each_teams_latest_results(library):
    # Acme: team A old 1s then latest 3s; team B 5s; a not-started newest workshop of B.
    library.save(_workshop("a1", "Acme", "A", "2024-01-01", _all([1, 1])))
    library.save(_workshop("a2", "Acme", "A", "2025-01-01", _all([3, 3])))
    library.save(_workshop("b1", "ACME ", "B", "2025-02-01", _all([5, 5])))
    library.save(_workshop("b2", "acme", "b", "2025-06-01", {}))
    library.save(_workshop("z1", "Zeta", "Z", "2025-03-01", _all([2, 4])))
    library.save(_workshop("n1", "", "Solo", "2025-03-01", _all([4])))
    seen = []
    result = portfolio(library.summaries(), PointCache(library.path_of),
                       lambda done, total: seen.append((done, total)) or True)
    assert result is not None
    assert [o.organisation for o in result.organisations] == ["acme", "Zeta", NO_ORGANISATION]
    acme = result.organisations[0]
    assert (acme.workshops, acme.teams, acme.teams_with_results) == (4, 2, 2)
    culture = acme.pillars[Pillar.CULTURE]
    assert culture.mean == pytest.approx(4.0)  # (3 + 5) / 2, the old 1s not counted
    assert culture.spread == pytest.approx(statistics.pstdev([3, 5]))
    assert (culture.low, culture.high, culture.n) == (3, 5, 2)
    zeta = result.organisations[1]
    assert zeta.pillars[Pillar.LEAN].mean == pytest.approx(3.0)
    assert zeta.pillars[Pillar.LEAN].spread is None  # one team: no spread
    assert result.workshops == 6 and result.teams == 4
    assert seen[-1] == (4, 4)


def test_portfolio_can_be_cancelled(library):
    library.save(_workshop("a", "A", "T", "2025-01-01", _all([3])))
    library.save(_workshop("b", "B", "T", "2025-01-01", _all([3])))
    assert portfolio(library.summaries(), PointCache(library.path_of),
                     lambda done, total: False) is None


def test_portfolio_holds_no_votes(library):
    library.save(_workshop("a", "A", "T", "2025-01-01", _all([1, 5, 3])))
    result = portfolio(library.summaries(), PointCache(library.path_of))
    text = repr(result)
    assert "Vote(" not in text and "Person" not in text and "p0" not in text


def test_cache_reads_a_file_once_per_version(library, monkeypatch):
    ws = _workshop("a", "Org", "T", "2025-01-01", _all([2]))
    library.save(ws)
    reads = []
    real = fileformat.read_file
    monkeypatch.setattr(fileformat, "read_file", lambda p: reads.append(p) or real(p))
    cache = PointCache(library.path_of)
    row = library.summary("a")
    assert cache.point(row).means[Pillar.CULTURE] == 2
    assert cache.point(row) is cache.point(library.summary("a"))
    assert len(reads) == 1
    library.rename("a", "Renamed")
    reads.clear()
    pt = cache.point(library.summary("a"))
    assert len(reads) == 1 and pt.title == "Renamed"


def test_cache_reports_unreadable_files(library):
    library.save(_workshop("a", "Org", "T", "2025-01-01", _all([2])))
    row = library.summary("a")
    library.path_of("a").write_text("{ not json", encoding="utf-8")
    cache = PointCache(library.path_of)
    assert cache.point(row) is None
    assert "not valid JSON" in cache.problems["a"]
    trend = team_trend([row], cache, "Org", "T")
    assert trend.points == () and trend.unreadable == 1


def test_aggregate_of_nothing():
    assert Aggregate.of([None, None]) == Aggregate(0, None, None, None, None)


@pytest.mark.parametrize(("text", "folded"), [
    ("Zoë Müller", "zoe muller"), ("SØREN Østergaard", "soren ostergaard"),
    ("Łukasz", "lukasz"), ("Straße", "strasse"), ("李娜", "李娜"),
])
def test_fold_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


# -- library additions used by the screens -------------------------------------------------
def test_library_teams_lists_each_team_once(library):
    library.save(_workshop("a", "Acme ", "Core", "2024-01-01", {}))
    library.save(_workshop("b", "ACME", "core", "2025-01-01", {}))
    library.save(_workshop("c", "Acme", "Edge", "2025-01-01", {}))
    teams = library.teams()
    assert [(t["organisation"], t["team"], t["workshops"]) for t in teams] == [
        ("ACME", "core", 2), ("Acme", "Edge", 1)]
    assert teams[0]["latest"] == "2025-01-01"


def test_library_rename(library):
    library.save(_workshop("a", "Org", "T", "2025-01-01", {}))
    ws = library.rename("a", "<b>New</b> & 名前")
    assert library.load("a").title == "<b>New</b> & 名前" == ws.title
    assert library.summary("a")["title"] == "<b>New</b> & 名前"
    with pytest.raises(Exception, match="limit"):
        library.rename("a", "x" * 501)
    assert library.load("a").title == "<b>New</b> & 名前"


def test_readers_can_build_points_without_the_writer_lock(data_dir, library):
    library.save(_workshop("a", "O", "T", "2025-01-01", _all([3])))
    reader = Library(data_dir, read_only=True)
    try:
        trend = team_trend(reader.summaries(), PointCache(reader.path_of), "O", "T")
        assert trend.points[0].means[Pillar.LEAN] == 3
    finally:
        reader.close()


def test_a_delta_is_the_difference_of_the_printed_scores(library):
    """Breaking pass: 2.54 → 2.96 printed as 2.5 → 3.0 with a change of +0.4 (the
    unrounded means) in the progress table, while every other place said +0.5."""
    a = _workshop("a", "Org", "T", "2025-01-01", _all([3] * 27 + [2] * 23), people=50)
    b = _workshop("b", "Org", "T", "2025-04-01", _all([3] * 48 + [2] * 2), people=50)
    for ws in (a, b):
        library.save(ws)
    trend = team_trend(library.summaries(), PointCache(library.path_of), "Org", "T")
    first, last = trend.points
    assert first.means[Pillar.CULTURE] == pytest.approx(2.54)
    assert last.means[Pillar.CULTURE] == pytest.approx(2.96)
    assert trend.deltas()[1][Pillar.CULTURE] == pytest.approx(0.5)  # never 0.42 → "+0.4"


def test_progress_reads_only_the_metrics_each_room_saw(library):
    """Issue 14's breaking pass: point_of copied every record, so team progress, the
    small multiples and the portfolio showed one anonymous pick and unrevealed medians."""
    from calms_desktop.core.metrics import Basis, MetricRecord, estimate
    from calms_desktop.core.model import PillarState

    def picked(ws, metric, buckets):
        rec = estimate(metric)
        for person, bucket in zip(ws.participants, buckets, strict=False):
            rec = rec.with_pick(person.id, bucket)
        ws.metrics[metric] = rec

    old = _workshop("m1", "Org", "T", "2025-01-01", _all([3, 3]))
    old.pillar_states[Pillar.MEASUREMENT] = PillarState.DONE
    old.metrics["lead_time"] = MetricRecord("lead_time", Basis.MEASURED, bucket=3)
    picked(old, "deploy_frequency", [2, 2, 2])
    new = _workshop("m2", "Org", "T", "2025-06-01", _all([4, 4, 4]),
                    mode=VotingMode.ANONYMOUS)
    new.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    picked(new, "lead_time", [0])  # one anonymous pick: withheld
    picked(new, "recovery_time", [1, 2, 2])  # three: shown
    for ws in (old, new):
        library.save(ws)
    assert set(point_of(new).metrics) == {"recovery_time"}
    new.pillar_states[Pillar.MEASUREMENT] = PillarState.VOTING
    assert point_of(new).metrics == {}  # nothing before the reveal
    new.pillar_states[Pillar.MEASUREMENT] = PillarState.REVEALED
    result = portfolio(library.summaries(), PointCache(library.path_of))
    assert result is not None
    dists = {d.metric_id: d.counts for d in result.metrics}
    # per metric the newest record shown: lead time from the older workshop
    assert dists["lead_time"] == (0, 0, 0, 1, 0, 0)
    assert dists["deploy_frequency"] == (0, 0, 1, 0, 0, 0)
    assert dists["recovery_time"] == (0, 0, 1, 0, 0, 0)
