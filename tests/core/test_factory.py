"""New workshops and re-assessments."""

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.factory import DEFAULT_TIMEBOX, new_workshop, reassessment_of
from calms_desktop.core.fileformat import from_document, to_document
from calms_desktop.core.model import STEPS, PillarState, today_iso


def test_new_workshop_defaults_and_valid_document():
    ws = new_workshop(qmod.builtin(), organisation="Acme", team="Ops")
    assert ws.date == today_iso()
    assert ws.timebox_minutes == DEFAULT_TIMEBOX and set(DEFAULT_TIMEBOX) == set(STEPS)
    assert all(s == PillarState.NOT_STARTED for s in ws.pillar_states.values())
    assert to_document(from_document(to_document(ws))) == to_document(ws)


def test_reassessment_keeps_team_questionnaire_people_and_targets(demo_pair):
    first, second = demo_pair
    again = reassessment_of(second)
    assert again.baseline_id == second.id and again.id != second.id
    assert (again.organisation, again.team) == (second.organisation, second.team)
    assert again.questionnaire == second.questionnaire
    assert [p.name for p in again.participants] == [p.name for p in second.participants]
    assert not {p.id for p in again.participants} & {p.id for p in second.participants}
    assert again.targets == second.targets
    assert not again.votes and not again.tallies and not again.actions and not again.notes
    assert all(s == PillarState.NOT_STARTED for s in again.pillar_states.values())


def test_default_titles_are_in_the_active_language(demo_pair):
    from calms_desktop.core.i18n import Translator, activate

    with activate(Translator("de")):
        fresh = new_workshop(qmod.builtin())
        again = reassessment_of(demo_pair[1])
    assert (fresh.title, again.title) == ("CALMS-Assessment", "CALMS-Folgeassessment")
    assert new_workshop(qmod.builtin()).title == "CALMS assessment"
