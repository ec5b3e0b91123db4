"""The workshop file format: one workshop = one JSON document.

See ``docs/file-format.md``. :func:`to_document` and :func:`from_document`
are inverses: export → import → export gives the same document.
:func:`from_document` validates everything and raises
:class:`~calms_desktop.core.errors.ValidationError` naming the place in the
document and the problem. Documents of older format versions are migrated
on load (:data:`MIGRATIONS`); newer ones are refused.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import metrics_file
from . import questionnaire as qmod
from . import validate as v
from .errors import ValidationError
from .i18n import Nn_, _
from .model import (
    DONT_KNOW,
    PILLARS,
    STEPS,
    ActionItem,
    ActionStatus,
    Participant,
    Pillar,
    PillarState,
    ReviewDecision,
    Vote,
    VoteMap,
    VotingMode,
    Workshop,
)

FORMAT = "calms-workshop"
FORMAT_VERSION = 2

#: Upgrades: ``MIGRATIONS[n]`` turns a version-n document into version n+1.
#: 1 → 2: the delivery metrics section (``metrics``), empty in older files.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    1: lambda doc: {**doc, "metrics": doc.get("metrics", [])},
}

_DK = "?"  # how "don't know" is written in files


def _answer_out(score: int) -> int | str:
    return _DK if score == DONT_KNOW else score


def _canonical_order(ws: Workshop) -> tuple[list[Vote], list[str], list[str], list[str]]:
    """Votes, tally ids, note steps and reviewed action ids in a fixed order.

    The document depends only on the workshop's state, not on the order its
    changes were made: votes follow the questionnaire, then the participant
    list; tallies the questionnaire; notes the steps. So undoing a change
    gives back the very same file, and two equal workshops export alike.
    """
    statement_rank = {s.id: i for i, s in enumerate(ws.questionnaire.statements)}
    person_rank = {p.id: i for i, p in enumerate(ws.participants)}
    unknown = len(statement_rank) + len(person_rank)
    votes = sorted(
        ws.votes.values(),
        key=lambda vt: (
            statement_rank.get(vt.statement_id, unknown),
            person_rank.get(vt.participant_id, unknown),
        ),
    )
    return (votes, *_canonical_rest(ws))


def _canonical_rest(ws: Workshop) -> tuple[list[str], list[str], list[str]]:
    """:func:`_canonical_order` without the votes."""
    statement_rank = {s.id: i for i, s in enumerate(ws.questionnaire.statements)}
    unknown = len(statement_rank)
    tallies = sorted(ws.tallies, key=lambda sid: statement_rank.get(sid, unknown))
    step_rank = {step: i for i, step in enumerate(STEPS)}
    notes = sorted(ws.notes, key=lambda step: step_rank.get(step, len(STEPS)))
    return tallies, notes, sorted(ws.action_reviews)


#: The workshop's set-up texts, in the order files and the index write them.
SET_UP_TEXTS = ("title", "organisation", "team", "date", "location", "facilitator")


def set_up_texts(ws: Workshop) -> dict[str, str]:
    """The workshop's id and set-up texts (title, organisation … facilitator)."""
    return {"id": ws.id, **{name: getattr(ws, name) for name in SET_UP_TEXTS}}


def _workshop_part(ws: Workshop, reviewed: list[str]) -> dict[str, Any]:
    return {
        **set_up_texts(ws),
        "voting_mode": ws.voting_mode.value,
        "baseline_id": ws.baseline_id,
        "targets": {p.value: ws.targets[p] for p in PILLARS if p in ws.targets},
        "timebox_minutes": dict(ws.timebox_minutes),
        "pillar_states": {p.value: ws.pillar_states[p].value for p in PILLARS},
        "action_reviews": {k: ws.action_reviews[k].value for k in reviewed},
        "created": ws.created,
        "updated": ws.updated,
    }


def _participants_part(ws: Workshop) -> list[dict[str, Any]]:
    return [{"id": p.id, "name": p.name, "role": p.role} for p in ws.participants]


def _vote_part(vt: Vote) -> dict[str, Any]:
    return {
        "statement": vt.statement_id,
        "participant": vt.participant_id,
        "score": _answer_out(vt.score),
        "source": vt.source,
        "at": vt.at,
    }


def _tallies_part(ws: Workshop, tally_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "statement": sid,
            "hands": {str(_answer_out(k)): n for k, n in sorted(ws.tallies[sid].items())},
        }
        for sid in tally_ids
    ]


def _actions_part(ws: Workshop) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "text": a.text,
            "owner": a.owner,
            "due": a.due,
            "pillar": a.pillar.value if a.pillar else None,
            "status": a.status.value,
            "carried_from": a.carried_from,
        }
        for a in ws.actions
    ]


def to_document(ws: Workshop) -> dict[str, Any]:
    """The workshop as a JSON-ready document (its parts in a canonical order)."""
    votes, tally_ids, note_steps, reviewed = _canonical_order(ws)
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "workshop": _workshop_part(ws, reviewed),
        "questionnaire": qmod.to_dict(ws.questionnaire),
        "participants": _participants_part(ws),
        "votes": [_vote_part(vt) for vt in votes],
        "tallies": _tallies_part(ws, tally_ids),
        "notes": {step: ws.notes[step] for step in note_steps},
        "actions": _actions_part(ws),
        "metrics": metrics_file.to_list(ws.metrics),
    }


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def dumps(ws: Workshop, *, compact: bool = False) -> str:
    """The workshop as JSON text: indented for people (exports), or compact.

    The library stores compact text: it is the same document, and Python's
    C encoder writes it several times faster than the indented form, which
    matters on the vote path (every vote rewrites the file).
    """
    if compact:
        return _compact(to_document(ws))
    return json.dumps(to_document(ws), ensure_ascii=False, indent=1)


class CompactWriter:
    """Writes :func:`dumps` ``(ws, compact=True)`` text, re-encoding only what changed.

    A vote changes one vote of thousands; the questionnaire, the participants,
    the notes, the actions and every other vote are the same (immutable)
    objects as at the last save, so their JSON is kept and reused. Sections
    are reused only when every object in them is the very same object, so
    the text is always identical to :func:`dumps` (the tests check that).
    """

    def __init__(self) -> None:
        self._sections: dict[str, tuple[tuple[object, ...], str]] = {}
        self._votes: dict[int, tuple[Vote, str]] = {}
        # a statement's votes as JSON, by the stamp its votes had (see VoteMap.stamp),
        # valid while the participant order is the one in _persons
        self._statements: dict[str, tuple[int, str]] = {}
        self._persons: tuple[str, ...] = ()

    def _section(self, name: str, objects: tuple[object, ...],
                 build: Callable[[], Any]) -> str:
        cached = self._sections.get(name)
        if cached is not None and len(cached[0]) == len(objects) and all(
                a is b for a, b in zip(cached[0], objects, strict=True)):
            return cached[1]
        text = _compact(build())
        self._sections[name] = (objects, text)
        return text

    def _vote(self, vt: Vote) -> str:
        hit = self._votes.get(id(vt))
        if hit is not None and hit[0] is vt:
            return hit[1]
        text = _compact(_vote_part(vt))
        self._votes[id(vt)] = (vt, text)
        return text

    def _votes_text(self, ws: Workshop) -> str:
        """The votes in :func:`_canonical_order`, only changed statements encoded anew."""
        votes = ws.votes
        person_rank = {p.id: i for i, p in enumerate(ws.participants)}
        persons = tuple(person_rank)
        if persons != self._persons:
            self._statements.clear()
            self._persons = persons
        statement_ids = [st.id for st in ws.questionnaire.statements]
        unknown = len(statement_ids) + len(person_rank)
        parts: list[str] = []
        for sid in statement_ids:
            those = votes.of_statement(sid)
            if not those:
                continue
            stamp = votes.stamp(sid)
            hit = self._statements.get(sid)
            if hit is not None and hit[0] == stamp:
                parts.append(hit[1])
                continue
            ordered = sorted(those.values(),
                             key=lambda vt: person_rank.get(vt.participant_id, unknown))
            text = ",".join(self._vote(vt) for vt in ordered)
            self._statements[sid] = (stamp, text)
            parts.append(text)
        known = set(statement_ids)
        if any(sid not in known for sid in votes.statements()):  # kept from an older file
            stray = [vt for vt in votes.values() if vt.statement_id not in known]
            stray.sort(key=lambda vt: person_rank.get(vt.participant_id, unknown))
            parts.append(",".join(self._vote(vt) for vt in stray))
        return ",".join(parts)

    def dumps(self, ws: Workshop) -> str:
        tally_ids, note_steps, reviewed = _canonical_rest(ws)
        votes = ws.votes
        if len(self._votes) > 2 * len(votes) + 64:  # forget votes that were replaced
            self._votes = {k: x for k, x in self._votes.items() if ws.votes.get(
                (x[0].statement_id, x[0].participant_id)) is x[0]}
        q = ws.questionnaire
        notes = tuple(x for step in note_steps for x in (step, ws.notes[step]))
        head = _compact({"format": FORMAT, "format_version": FORMAT_VERSION,
                         "workshop": _workshop_part(ws, reviewed)})
        return "".join((
            head[:-1],
            ',"questionnaire":', self._section("questionnaire", (q,), lambda: qmod.to_dict(q)),
            ',"participants":', self._section("participants", tuple(ws.participants),
                                              lambda: _participants_part(ws)),
            ',"votes":[', self._votes_text(ws), "]",
            ',"tallies":', _compact(_tallies_part(ws, tally_ids)),
            ',"notes":', self._section("notes", notes,
                                       lambda: {step: ws.notes[step] for step in note_steps}),
            ',"actions":', self._section("actions", tuple(ws.actions), lambda: _actions_part(ws)),
            ',"metrics":', _compact(metrics_file.to_list(ws.metrics)),
            "}",
        ))


def migrate(doc: dict[str, Any]) -> dict[str, Any]:
    """Bring a document up to :data:`FORMAT_VERSION` (or refuse it)."""
    version = doc.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValidationError("$.format_version", _("expected a version number, got {value!r}")
                              .format(value=version))
    if version > FORMAT_VERSION:
        raise ValidationError(
            "$.format_version",
            _("made by a newer CALMS Workshop (format {version}; this one reads up to "
              "{newest}): update the app to open it").format(version=version,
                                                             newest=FORMAT_VERSION),
        )
    while version < FORMAT_VERSION:
        if version not in MIGRATIONS:
            raise ValidationError("$.format_version",
                                  _("no migration from version {version}").format(version=version))
        doc = MIGRATIONS[version](doc)
        version += 1
        doc["format_version"] = version
    return doc


def from_document(data: Any, dropped: list[str] | None = None) -> Workshop:
    """Validate a document and build the :class:`Workshop` it describes.

    Args:
        data: the document as read.
        dropped: when given, a delivery-metric entry that cannot be read is left out
            (its problem appended here) instead of refusing the whole document — a
            library's own file opens without it (see ``metrics_file.from_list``).
    """
    doc = v.obj(data, "$")
    if doc.get("format") != FORMAT:
        raise ValidationError("$.format", _('expected "{format}", got {value!r}').format(
            format=FORMAT, value=doc.get("format")))
    doc = migrate(dict(doc))
    w = v.obj(v.field(doc, "workshop", "$"), "$.workshop")
    q = qmod.from_dict(v.field(doc, "questionnaire", "$"), "$.questionnaire")
    # The id names the workshop's file in the library (workshops/<id>.json).
    wid = v.workshop_id(v.field(w, "id", "$.workshop"), "$.workshop.id")

    participants: list[Participant] = []
    seen: set[str] = set()
    raw_people = v.lst(doc.get("participants", []), "$.participants")
    v.count(raw_people, "$.participants", v.MAX_PARTICIPANTS,
            Nn_("{count} participant; the limit is {most}",
                "{count} participants; the limit is {most}"))
    for i, raw in enumerate(raw_people):
        where = f"$.participants[{i}]"
        o = v.obj(raw, where)
        pid = v.text(v.field(o, "id", where), f"{where}.id", required=True, max_len=100)
        if pid in seen:
            raise ValidationError(f"{where}.id", _("participant id {id!r} is used twice")
                                  .format(id=pid))
        seen.add(pid)
        name = v.text(v.field(o, "name", where), f"{where}.name", required=True, max_len=500)
        participants.append(Participant(pid, name, v.text(o.get("role"), f"{where}.role")))

    statement_ids = {s.id for s in q.statements}
    votes = VoteMap()
    for i, raw in enumerate(v.lst(doc.get("votes", []), "$.votes")):
        where = f"$.votes[{i}]"
        o = v.obj(raw, where)
        sid = v.text(v.field(o, "statement", where), f"{where}.statement", required=True)
        if sid not in statement_ids:
            raise ValidationError(f"{where}.statement", _no_statement(sid))
        pid = v.text(v.field(o, "participant", where), f"{where}.participant", required=True)
        if pid not in seen:
            raise ValidationError(f"{where}.participant", v.no_participant(pid))
        score = _answer_in(v.field(o, "score", where), f"{where}.score")
        if (sid, pid) in votes:
            raise ValidationError(where, _("a second vote by {participant!r} on {statement!r}")
                                  .format(participant=pid, statement=sid))
        votes[(sid, pid)] = Vote(
            sid,
            pid,
            score,
            v.text(o.get("source", "console"), f"{where}.source", max_len=50),
            v.text(o.get("at", ""), f"{where}.at", max_len=50),
        )

    tallies: dict[str, dict[int, int]] = {}
    for i, raw in enumerate(v.lst(doc.get("tallies", []), "$.tallies")):
        where = f"$.tallies[{i}]"
        o = v.obj(raw, where)
        sid = v.text(v.field(o, "statement", where), f"{where}.statement", required=True)
        if sid not in statement_ids:
            raise ValidationError(f"{where}.statement", _no_statement(sid))
        if sid in tallies:
            raise ValidationError(where, _("a second tally for {statement!r}")
                                  .format(statement=sid))
        hands = v.obj(v.field(o, "hands", where), f"{where}.hands")
        tally: dict[int, int] = {}
        for k, n in hands.items():
            place = v.at(f"{where}.hands", k)
            if k not in _HAND_KEYS:
                raise ValidationError(place, _('a score must be 1–5 or "?" (don\'t know)'))
            tally[_HAND_KEYS[k]] = v.integer(n, place, 0, 10_000)
        tallies[sid] = tally

    notes = {}
    for key, text in v.obj(doc.get("notes", {}), "$.notes").items():
        if key not in STEPS:
            raise ValidationError(
                v.at("$.notes", key),
                _("unknown step; expected one of {steps}").format(steps=", ".join(STEPS)),
            )
        notes[key] = v.text(text, f"$.notes.{key}")

    actions = []
    action_ids: set[str] = set()
    raw_actions = v.lst(doc.get("actions", []), "$.actions")
    v.count(raw_actions, "$.actions", v.MAX_ACTIONS,
            Nn_("{count} action; the limit is {most}", "{count} actions; the limit is {most}"))
    for i, raw in enumerate(raw_actions):
        where = f"$.actions[{i}]"
        o = v.obj(raw, where)
        aid = v.text(v.field(o, "id", where), f"{where}.id", required=True, max_len=100)
        if aid in action_ids:
            raise ValidationError(f"{where}.id", _("action id {id!r} is used twice").format(id=aid))
        action_ids.add(aid)
        pillar = o.get("pillar")
        actions.append(
            ActionItem(
                id=aid,
                text=v.text(v.field(o, "text", where), f"{where}.text", required=True),
                owner=v.text(o.get("owner"), f"{where}.owner", max_len=500),
                due=v.iso_date(o.get("due"), f"{where}.due"),
                pillar=v.choice(pillar, f"{where}.pillar", Pillar) if pillar else None,
                status=v.choice(o.get("status", "open"), f"{where}.status", ActionStatus),
                carried_from=v.text(o.get("carried_from"), f"{where}.carried_from") or None,
            )
        )

    targets = {}
    for key, level in v.obj(w.get("targets", {}), "$.workshop.targets").items():
        place = v.at("$.workshop.targets", key)
        targets[v.choice(key, place, Pillar)] = v.integer(level, place, 1, 5)
    states = {p: PillarState.NOT_STARTED for p in PILLARS}
    for key, state in v.obj(w.get("pillar_states", {}), "$.workshop.pillar_states").items():
        place = v.at("$.workshop.pillar_states", key)
        states[v.choice(key, place, Pillar)] = v.choice(state, place, PillarState)
    timebox = {}
    for key, minutes in v.obj(w.get("timebox_minutes", {}), "$.workshop.timebox_minutes").items():
        place = v.at("$.workshop.timebox_minutes", key)
        if key not in STEPS:
            raise ValidationError(place, _("unknown step"))
        timebox[key] = v.integer(minutes, place, 0, 600)
    reviews = {}
    raw_reviews = v.obj(w.get("action_reviews", {}), "$.workshop.action_reviews")
    v.count(list(raw_reviews), "$.workshop.action_reviews", v.MAX_ACTIONS,
            Nn_("{count} action review; the limit is {most}",
                "{count} action reviews; the limit is {most}"))
    for k, d in raw_reviews.items():
        place = v.at("$.workshop.action_reviews", k)
        reviews[v.text(k, place, required=True, max_len=100)] = v.choice(d, place, ReviewDecision)
    baseline = v.text(w.get("baseline_id"), "$.workshop.baseline_id", max_len=100) or None
    if baseline is not None and baseline == wid:
        raise ValidationError("$.workshop.baseline_id",
                              _("a workshop cannot be its own earlier workshop"))
    return Workshop(
        id=wid,
        title=v.text(w.get("title"), "$.workshop.title", max_len=500),
        organisation=v.text(w.get("organisation"), "$.workshop.organisation", max_len=500),
        team=v.text(w.get("team"), "$.workshop.team", max_len=500),
        date=v.iso_date(w.get("date"), "$.workshop.date"),
        location=v.text(w.get("location"), "$.workshop.location", max_len=500),
        facilitator=v.text(w.get("facilitator"), "$.workshop.facilitator", max_len=500),
        voting_mode=v.choice(w.get("voting_mode", "named"), "$.workshop.voting_mode", VotingMode),
        questionnaire=q,
        participants=participants,
        pillar_states=states,
        notes=notes,
        actions=actions,
        targets=targets,
        baseline_id=baseline,
        timebox_minutes=timebox,
        votes=votes,
        tallies=tallies,
        action_reviews=reviews,
        metrics=metrics_file.from_list(doc.get("metrics", []), "$.metrics", seen, dropped),
        created=v.text(w.get("created"), "$.workshop.created", max_len=50),
        updated=v.text(w.get("updated"), "$.workshop.updated", max_len=50),
    )


def _no_statement(sid: str) -> str:
    return _("no statement {id!r} in the questionnaire").format(id=sid)


#: The keys a tally's ``hands`` may have, and the answers they stand for.
_HAND_KEYS = {**{str(n): n for n in (1, 2, 3, 4, 5)}, _DK: DONT_KNOW}


def _answer_in(value: Any, where: str) -> int:
    if value == _DK:
        return DONT_KNOW
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValidationError(where, _('a score must be 1–5 or "?" (don\'t know), got {value!r}')
                              .format(value=value))
    return value


def read_file(path: str | Path) -> Workshop:
    """Read and validate a workshop file.

    Raises:
        ValidationError: naming the file, the place in it and the problem.
    """
    path = Path(path)
    try:
        raw = v.read_limited(path)
    except FileNotFoundError as exc:
        raise ValidationError("$", v.cannot_read(exc), str(path)) from None
    return parse(raw, str(path))


def parse(raw: bytes, source: str, dropped: list[str] | None = None) -> Workshop:
    """Validate the bytes of a workshop file (within the size, depth and number limits).

    With ``dropped``, unreadable delivery-metric entries are left out and named there
    (see :func:`from_document`).

    Raises:
        ValidationError: naming ``source``, the place in the document and the problem.
    """
    data = v.loads(raw, source)
    try:
        return from_document(data, dropped)
    except ValidationError as exc:
        raise exc.with_source(source) from None
