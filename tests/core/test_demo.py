"""The demo: one team assessed twice, about three months apart."""

from __future__ import annotations

from datetime import date

from calms_desktop.core import fileformat
from calms_desktop.core.demo import DEMO_IDS, build_demo, install_demo
from calms_desktop.core.model import ANSWERS, DONT_KNOW, PILLARS, ActionStatus, PillarState
from calms_desktop.core.scoring import score_workshop


def test_two_workshops_of_the_same_team_about_three_months_apart():
    first, second = build_demo(date(2026, 6, 15))
    assert (first.id, second.id) == DEMO_IDS
    assert first.team_key() == second.team_key()
    assert second.date == "2026-06-08"
    days = (date.fromisoformat(second.date) - date.fromisoformat(first.date)).days
    assert 80 <= days <= 100
    assert second.baseline_id == first.id
    assert first.baseline_id is None


def test_participants_with_non_ascii_names():
    for ws in build_demo():
        assert 8 <= len(ws.participants) <= 12
        names = [p.name for p in ws.participants]
        assert any(not n.isascii() for n in names)
        assert len({p.id for p in ws.participants}) == len(names)


def test_every_statement_has_votes_and_some_dont_know():
    for ws in build_demo():
        assert all(ws.pillar_states[p] == PillarState.DONE for p in PILLARS)
        for s in ws.questionnaire.statements:
            assert len(ws.votes_for(s.id)) == len(ws.participants)
        scores = [v.score for v in ws.votes.values()]
        assert set(scores) <= set(ANSWERS)
        assert DONT_KNOW in scores


def test_notes_actions_and_reviews():
    first, second = build_demo()
    assert set(first.notes) >= {p.value for p in PILLARS}
    assert first.actions and second.actions
    assert all(a.status == ActionStatus.OPEN for a in first.actions)
    assert set(second.action_reviews) == {a.id for a in first.actions}
    carried = [a for a in second.actions if a.carried_from]
    assert carried and all(a.carried_from in second.action_reviews for a in carried)


def test_the_room_disagrees_somewhere_and_the_team_improves():
    first, second = build_demo()
    score = score_workshop(second, first)
    assert score.delta > 0
    assert any(p.discuss_count for p in score.pillars.values())


def test_the_same_on_every_run():
    a = build_demo(date(2026, 1, 1))
    b = build_demo(date(2026, 1, 1))
    assert [fileformat.dumps(w) for w in a] == [fileformat.dumps(w) for w in b]


def test_demo_documents_are_valid():
    for ws in build_demo():
        assert fileformat.to_document(fileformat.from_document(fileformat.to_document(ws))) == (
            fileformat.to_document(ws)
        )


def test_install_demo_saves_both_and_can_run_again(library):
    installed = install_demo(library)
    assert [w.id for w in installed] == list(DEMO_IDS)
    install_demo(library)
    assert len(library) == 2
    assert library.load(DEMO_IDS[1]).baseline_id == DEMO_IDS[0]


def test_installing_the_demo_keeps_a_users_workshop_under_a_demo_id(tmp_path):
    from calms_desktop.core.demo import DEMO_IDS, install_demo
    from calms_desktop.core.storage import Library

    with Library(tmp_path / "lib") as lib:
        first = install_demo(lib)
        mine = lib.load(DEMO_IDS[1])
        mine.title = "MY OWN EDITED WORK"
        lib.save(mine)
        again = install_demo(lib)
        assert lib.load(DEMO_IDS[1]).title == "MY OWN EDITED WORK"
        assert [w.id for w in again] == [w.id for w in first]


def test_the_sample_logs_period_lies_between_the_two_workshops():
    """Breaking pass: the bundled log's fixed dates overlapped the baseline's date."""
    for today in (date(2026, 12, 2), date(2027, 3, 1), date(2026, 8, 1)):
        first, second = build_demo(today)
        start, _dash, end = second.metrics["lead_time"].period.partition(" – ")
        assert first.date < start <= end < second.date
        assert second.metrics["lead_time"].value == 30.18  # durations kept, dates moved
