"""Small builders for core tests: questionnaires and workshops with known votes."""

from __future__ import annotations

import copy
from typing import Any

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.model import (
    PILLARS,
    Participant,
    Pillar,
    Questionnaire,
    Vote,
    VotingMode,
    Workshop,
)

LEVEL_NAMES = ("Ad hoc", "Emerging", "Practised", "Embedded", "Leading")


def questionnaire_dict(per_pillar: int = 2, qid: str = "test-q") -> dict[str, Any]:
    """A valid questionnaire document; statement ids are ``<pillar>.s<n>``."""
    return {
        "format": "calms-questionnaire",
        "format_version": 1,
        "id": qid,
        "title": "Test questionnaire",
        "description": "For tests.",
        "levels": [{"level": n, "name": name} for n, name in enumerate(LEVEL_NAMES, 1)],
        "pillars": [
            {
                "id": p.value,
                "name": p.title,
                "explanation": f"What {p.title} means.",
                "statements": [
                    {
                        "id": f"{p.value}.s{j}",
                        "text": f"{p.title} statement {j}",
                        "levels": {str(n): f"{p.title} {j} at level {n}" for n in range(1, 6)},
                    }
                    for j in range(per_pillar)
                ],
            }
            for p in PILLARS
        ],
    }


def questionnaire(per_pillar: int = 2) -> Questionnaire:
    return qmod.from_dict(questionnaire_dict(per_pillar))


def fresh(d: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy(d)


def workshop(
    people: int = 4,
    *,
    q: Questionnaire | None = None,
    mode: VotingMode = VotingMode.NAMED,
    wid: str = "ws-test",
) -> Workshop:
    """A workshop with participants ``p0``…``p<people-1>`` and no votes."""
    return Workshop(
        id=wid,
        title="Test workshop",
        organisation="Org",
        team="Team",
        date="2026-03-31",
        questionnaire=q or questionnaire(),
        voting_mode=mode,
        participants=[Participant(f"p{i}", f"Person {i}") for i in range(people)],
        created="2026-03-31T09:00:00+00:00",
        updated="2026-03-31T09:00:00+00:00",
    )


def put_votes(ws: Workshop, statement_id: str, scores: list[int]) -> None:
    """Give participant ``p<i>`` the score ``scores[i]`` (directly, not via operations)."""
    for i, score in enumerate(scores):
        pid = ws.participants[i].id
        ws.votes[(statement_id, pid)] = Vote(statement_id, pid, score)


def fill(ws: Workshop, score_of=lambda s_index, p_index: 3) -> Workshop:
    """Every participant votes on every statement."""
    for si, st in enumerate(ws.questionnaire.statements):
        for pi, p in enumerate(ws.participants):
            ws.votes[(st.id, p.id)] = Vote(st.id, p.id, score_of(si, pi), "console", "")
    return ws


def first_statement(ws: Workshop, pillar: Pillar = Pillar.CULTURE) -> str:
    return ws.questionnaire.section(pillar).statements[0].id


def scored_workshop(wid: str, org: str, team: str, day: str, levels: dict[Pillar, list[int]],
              mode: VotingMode = VotingMode.NAMED, people: int = 4) -> Workshop:
    """A workshop where every statement of a pillar gets the given scores (one per person)."""
    q = questionnaire()
    ws = Workshop(
        id=wid, title=f"Workshop {wid}", organisation=org, team=team, date=day,
        questionnaire=q, voting_mode=mode,
        participants=[Participant(f"{wid}-p{i}", f"Person {i}") for i in range(people)],
        created=f"{day}T09:00:00+00:00", updated=f"{day}T09:00:00+00:00",
    )
    for sec in q.sections:
        for st in sec.statements:
            for i, score in enumerate(levels.get(sec.pillar, [])):
                ws.votes[(st.id, f"{wid}-p{i}")] = Vote(st.id, f"{wid}-p{i}", score)
    return ws


def all_pillars(scores: list[int]) -> dict[Pillar, list[int]]:
    """The same scores for every pillar (for :func:`scored_workshop`)."""
    return {p: scores for p in PILLARS}
