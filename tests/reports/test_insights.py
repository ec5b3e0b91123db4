"""The executive summary, next steps and progress are sentences built from the data."""

from __future__ import annotations

from calms_desktop.core.model import PILLARS
from calms_desktop.core.progress import point_of
from calms_desktop.core.scoring import fmt, level_name, level_of
from calms_desktop.reports import build_facilitator_pdf, insights
from calms_desktop.reports.blocks import prepare
from calms_desktop.reports.isolates import isolate

from .conftest import pdf_reader, spaced
from .world import world_history


def _data(n: int = 3):
    history = world_history(n, people=8)
    ws = history[-1]
    return history, prepare(ws, history[-2], history=[point_of(h) for h in history[:-1]])


def test_executive_summary_says_where_the_team_stands_and_what_moved():
    history, data = _data()
    parts = dict(insights.executive_summary(data.ws, data.baseline, data.score, data.codes))
    assert list(parts) == ["Where the team stands", "What moved", "Where the room disagreed",
                           "What the team will do"]
    score = data.score
    best = score.strongest()[0]
    assert f"Overall the team scores {fmt(score.overall)} of 5" in parts["Where the team stands"]
    # user text (the questionnaire's pillar name) is a directional isolate in the sentence
    assert f"{isolate(data.pillar_name(best.pillar))} ({fmt(best.mean)}" in \
        parts["Where the team stands"]
    assert fmt(score.baseline_overall) in parts["What moved"]
    discuss = sum(1 for ss in data.statements() if ss.stats.consensus is False)
    assert f"disagreed on {discuss} of 25 statements" in parts["Where the room disagreed"]
    assert f"agreed {len(data.ws.actions)} actions" in parts["What the team will do"]


def test_next_steps_are_the_weakest_statements_with_the_next_level_descriptor():
    _, data = _data()
    for p in PILLARS:
        ps = data.score.pillars[p]
        steps = insights.next_steps(data.ws, ps)
        means = sorted(ss.stats.mean for ss in ps.statements
                       if ss.stats.mean is not None and level_of(ss.stats.mean) < 5)
        assert [s.score for s in steps] == means[:2]
        for step in steps:
            assert step.next_level == level_of(step.score) + 1
            assert step.next_descriptor == step.statement.descriptor(step.next_level)


def test_progress_covers_every_assessment_of_the_team():
    history, data = _data(4)
    assert [p.id for p in data.trend.points] == [h.id for h in history]
    first, last = data.trend.points[0], data.trend.points[-1]
    text = insights.biggest_movers(data.ws, data.trend)
    assert text.startswith("Across 4 assessments since 2 March 2026")
    moves = sorted(((p, last.means[p] - first.means[p]) for p in PILLARS),
                   key=lambda pd: -abs(pd[1]))
    assert isolate(data.pillar_name(moves[0][0])) in text
    pdf = build_facilitator_pdf(data.ws, data.baseline,
                                history=[point_of(h) for h in history[:-1]])
    titles = [item.title for item in pdf_reader(pdf).outline]
    assert "9 Progress over time" in titles
    assert "1 Executive summary" in titles


def test_a_printed_pillar_score_and_level_agree_in_the_summary_sentence():
    _, data = _data()
    standing = insights.executive_summary(data.ws, None, data.score, data.codes)[0][1]
    overall = data.score.overall
    assert f"{fmt(overall)} of 5, “{isolate(level_name(data.ws, float(fmt(overall))))}”" in \
        spaced(standing)


def test_progress_counts_a_copied_or_twice_listed_assessment_once_and_says_so():
    import copy
    import io
    import subprocess

    from pypdf import PdfReader

    history = world_history(3, people=6)
    ws = history[-1]
    copied = copy.deepcopy(history[0])
    copied.id = "world-copy"  # a copied file: a new id, the same workshop
    points = [point_of(w) for w in history[:-1]]
    listed = [*points, points[1], point_of(copied)]  # the baseline listed twice, and the copy
    trend = insights.team_trend_of(ws, listed)
    assert [p.id for p in trend.points] == [w.id for w in history]
    data = prepare(ws, history[-2], history=listed)
    assert sorted(p.id for p in data.left_out) == sorted([history[1].id, "world-copy"])
    pdf = build_facilitator_pdf(ws, history[-2], history=listed)
    text = " ".join(subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                                   check=True).stdout.decode().split())
    assert "Included: the 3 assessments above, each counted once." in text
    assert "Left out as copies of them" in text and "2 March 2026 · CALMS re-assessment" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) > 5


def test_baseline_actions_nobody_reviewed_are_called_not_reviewed():
    """Breaking pass: "0 are done and 0 carried over" when the baseline's actions were
    simply not reviewed."""
    from calms_desktop.core.demo import build_demo
    from calms_desktop.core.model import ReviewDecision

    baseline, ws = build_demo()
    n = len(baseline.actions)
    ws.action_reviews = {}
    parts = dict(insights.executive_summary(ws, baseline, prepare(ws, baseline).score, {}))
    assert f"The baseline’s {n} actions are not reviewed yet." in parts["What the team will do"]
    assert "0 are done" not in parts["What the team will do"]
    ws.action_reviews = {baseline.actions[0].id: ReviewDecision.DONE}
    parts = dict(insights.executive_summary(ws, baseline, prepare(ws, baseline).score, {}))
    assert f"{n - 1} are not reviewed yet." in parts["What the team will do"]
