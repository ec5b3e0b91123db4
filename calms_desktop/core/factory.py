"""Making new workshops: from scratch, or as a re-assessment of an earlier one."""

from __future__ import annotations

from .i18n import _
from .model import PILLARS, STEPS, Participant, Questionnaire, Workshop, new_id, today_iso

DEFAULT_TIMEBOX = {"intro": 10, "summary": 15, **{p.value: 20 for p in PILLARS}}


def new_workshop(questionnaire: Questionnaire, **fields: object) -> Workshop:
    """A fresh workshop dated today with the default timeboxes."""
    defaults: dict[str, object] = {
        "id": new_id(),
        "title": _("CALMS assessment"),
        "organisation": "",
        "team": "",
        "date": today_iso(),
        "questionnaire": questionnaire,
        "timebox_minutes": dict(DEFAULT_TIMEBOX),
    }
    defaults.update(fields)
    return Workshop(**defaults)  # type: ignore[arg-type]


def reassessment_of(previous: Workshop) -> Workshop:
    """A new workshop for the same team, with ``previous`` as its baseline.

    It keeps the questionnaire (so statements compare one to one), the
    participants (new ids; the room edits the list), the targets and the
    timeboxes.
    """
    return new_workshop(
        previous.questionnaire,
        title=_("CALMS re-assessment"),
        organisation=previous.organisation,
        team=previous.team,
        location=previous.location,
        facilitator=previous.facilitator,
        voting_mode=previous.voting_mode,
        participants=[Participant(new_id(), p.name, p.role) for p in previous.participants],
        targets=dict(previous.targets),
        timebox_minutes={k: v for k, v in previous.timebox_minutes.items() if k in STEPS}
        or dict(DEFAULT_TIMEBOX),
        baseline_id=previous.id,
    )
