"""Property tests of the file format (Hypothesis).

* Round trip: any workshop the format can express survives dumps → parse unchanged.
* Any mutation of a valid document (a value replaced, a member removed or
  added, anywhere) is either refused with a named place, or loads — and then
  it can be stored, read back identically, scored and summarised. Nothing
  in between: no other exception, ever.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calms_desktop.core import fileformat, progress, scoring
from calms_desktop.core.errors import ValidationError
from calms_desktop.core.model import PILLARS, STEPS, ActionItem, Participant, Vote, Workshop
from calms_desktop.core.questionnaire import builtin
from calms_desktop.core.storage import Library, summary_of

QUESTIONNAIRE = builtin("quick-check")
STATEMENTS = [s.id for s in QUESTIONNAIRE.statements]
SETTINGS = settings(max_examples=100, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# Text the format accepts: any Unicode but NUL and lone surrogates.
texts = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
                max_size=40)
ids = st.text(st.characters(min_codepoint=33, max_codepoint=0x2FFF,
                            blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\"),
              min_size=1, max_size=20).filter(
    lambda s: not s.startswith(".") and s.strip() == s and bool(s.strip()))
dates = st.dates().filter(lambda d: 1900 <= d.year <= 2999).map(lambda d: d.isoformat())
answers = st.sampled_from([0, 1, 2, 3, 4, 5])


@st.composite
def workshops(draw) -> Workshop:
    people_ids = draw(st.lists(ids, min_size=0, max_size=6, unique=True))
    people = [Participant(pid, draw(texts.filter(lambda s: bool(s.strip()))), draw(texts))
              for pid in people_ids]
    votes = {}
    for pid in people_ids:
        for sid in draw(st.lists(st.sampled_from(STATEMENTS), unique=True, max_size=5)):
            votes[(sid, pid)] = Vote(sid, pid, draw(answers), draw(texts), draw(texts))
    tallies = {sid: draw(st.dictionaries(answers, st.integers(0, 10_000), max_size=6))
               for sid in draw(st.lists(st.sampled_from(STATEMENTS), unique=True, max_size=3))}
    actions = [ActionItem(aid, draw(texts.filter(lambda s: bool(s.strip()))), draw(texts),
                          draw(st.one_of(st.just(""), dates)),
                          draw(st.one_of(st.none(), st.sampled_from(PILLARS))))
               for aid in draw(st.lists(ids, unique=True, max_size=3))]
    return Workshop(
        id=draw(ids), title=draw(texts), organisation=draw(texts), team=draw(texts),
        date=draw(st.one_of(st.just(""), dates)), questionnaire=QUESTIONNAIRE,
        location=draw(texts), facilitator=draw(texts), participants=people, votes=votes,
        tallies=tallies, actions=actions,
        notes=draw(st.dictionaries(st.sampled_from(STEPS), texts.filter(bool), max_size=3)),
        targets=draw(st.dictionaries(st.sampled_from(PILLARS), st.integers(1, 5))),
        timebox_minutes=draw(st.dictionaries(st.sampled_from(STEPS), st.integers(0, 600))),
        created=draw(texts), updated=draw(texts),
    )


@SETTINGS
@given(workshops())
def test_round_trip(ws):
    text = fileformat.dumps(ws)
    back = fileformat.parse(text.encode("utf-8"), "generated.json")
    assert fileformat.dumps(back) == text
    assert Library.encode(back) == Library.encode(ws)


# -- mutations of a valid document ------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**30, 10**30) | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                               max_size=4),
    max_leaves=12,
)


def _containers(doc: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every object and list in the document."""
    found = []
    if isinstance(doc, dict):
        found.append(path)
        for k, x in doc.items():
            found += _containers(x, (*path, k))
    elif isinstance(doc, list):
        found.append(path)
        for i, x in enumerate(doc):
            found += _containers(x, (*path, i))
    return found


def _at(doc: Any, path: tuple) -> Any:
    for p in path:
        doc = doc[p]
    return doc


def _base_document() -> dict[str, Any]:
    from tests.hostile.corpus import valid_document

    doc = valid_document("mutated")
    doc["questionnaire"] = json.loads(json.dumps(fileformat.qmod.to_dict(QUESTIONNAIRE)))
    sid = QUESTIONNAIRE.statements[0].id
    doc["votes"] = [{"statement": sid, "participant": "p0", "score": 3}]
    doc["tallies"] = [{"statement": QUESTIONNAIRE.statements[1].id, "hands": {"2": 1, "?": 2}}]
    doc["actions"] = [{"id": "a1", "text": "Do it", "due": "2026-05-01", "pillar": "lean"}]
    doc["workshop"]["action_reviews"] = {"old": "done"}
    return doc


@SETTINGS
@given(st.data())
def test_any_mutation_is_refused_with_a_place_or_loads_saves_and_scores(data):
    doc = _base_document()
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        containers = _containers(doc)
        path = data.draw(st.sampled_from(containers), label="where")
        target = _at(doc, path)
        kind = data.draw(st.sampled_from(["replace", "remove", "add"]), label="how")
        value = data.draw(json_values, label="value")
        if isinstance(target, dict):
            if target and kind != "add":
                key = data.draw(st.sampled_from(sorted(target)), label="key")
                if kind == "remove":
                    del target[key]
                    continue
            else:
                key = data.draw(st.text(max_size=8), label="new")
            target[key] = value
        elif kind == "add":
            target.insert(data.draw(st.integers(0, len(target)), label="index"), value)
        elif target:
            index = data.draw(st.integers(0, len(target) - 1), label="index")
            if kind == "remove":
                del target[index]
            else:
                target[index] = value
    raw = json.dumps(doc).encode("utf-8")
    try:
        ws = fileformat.parse(raw, "mutated.json")
    except ValidationError as exc:
        assert exc.source == "mutated.json"
        assert exc.where.startswith(("$", "line ")) and exc.problem
        return
    stored = Library.encode(ws)
    again = fileformat.parse(stored, "stored.json")
    assert Library.encode(again) == stored
    scoring.score_workshop(again)
    progress.point_of(again)
    summary_of(again)


@SETTINGS
@given(workshops(), st.lists(st.tuples(st.sampled_from(["vote", "note", "rename", "action"]),
                                       answers, texts.filter(bool)), max_size=6))
def test_the_incremental_writer_writes_exactly_what_dumps_writes(ws, changes):
    from calms_desktop.core.fileformat import CompactWriter

    writer = CompactWriter()
    assert writer.dumps(ws) == fileformat.dumps(ws, compact=True)
    for kind, score, text in changes:
        if kind == "vote" and ws.participants:
            pid = ws.participants[0].id
            ws.votes[(STATEMENTS[0], pid)] = Vote(STATEMENTS[0], pid, score)
        elif kind == "note":
            ws.notes["intro"] = text
        elif kind == "rename" and ws.participants:
            ws.participants[0] = Participant(ws.participants[0].id, text)
        elif kind == "action":
            ws.actions.append(ActionItem(f"new-{len(ws.actions)}", text))
        assert writer.dumps(ws) == fileformat.dumps(ws, compact=True)


_KINDS = ["vote", "unvote", "other", "swap", "drop", "stranger", "stray", "copy"]


@SETTINGS
@given(workshops(), st.lists(st.tuples(st.sampled_from(_KINDS), answers,
                                       st.integers(0, len(STATEMENTS) - 1)), max_size=10))
def test_the_writer_keeps_a_statements_json_only_while_its_votes_and_people_are_unchanged(
        ws, changes):
    """Votes are encoded per statement and reused by the statement's stamp: any change
    to a statement's votes, or to the participants' order, is written anew."""
    import copy

    from calms_desktop.core.fileformat import CompactWriter

    writer = CompactWriter()
    assert writer.dumps(ws) == fileformat.dumps(ws, compact=True)
    for kind, score, k in changes:
        sid = STATEMENTS[k]
        people = ws.participants
        if kind == "vote" and people:
            pid = people[k % len(people)].id
            ws.votes[(sid, pid)] = Vote(sid, pid, score)
        elif kind == "unvote" and ws.votes:
            ws.votes.pop(next(iter(ws.votes)))
        elif kind == "other" and people:  # a second person on the same statement
            pid = people[-1].id
            ws.votes.setdefault((sid, pid), Vote(sid, pid, score))
        elif kind == "swap" and len(people) > 1:
            people[0], people[-1] = people[-1], people[0]
        elif kind == "drop" and people:
            gone = people.pop(k % len(people))
            for key in [key for key in ws.votes if key[1] == gone.id]:
                del ws.votes[key]
        elif kind == "stranger":  # a vote by nobody on the list (an older file's)
            ws.votes[(sid, f"x{k}")] = Vote(sid, f"x{k}", score)
        elif kind == "stray":  # a statement the questionnaire does not have
            ws.votes[(f"Z{k % 3}", f"x{k % 2}")] = Vote(f"Z{k % 3}", f"x{k % 2}", score)
        elif kind == "copy":  # a snapshot (the export worker's) has the same index
            ws = copy.deepcopy(ws)
        assert writer.dumps(ws) == fileformat.dumps(ws, compact=True)
        assert ws.voters_for(sid) == {pid for (s, pid) in ws.votes if s == sid}
        assert ws.votes_for(sid) == [v for (s, _p), v in ws.votes.items() if s == sid]


def test_votes_given_as_a_plain_dict_are_indexed_too():
    from calms_desktop.core.model import VoteMap

    ws = Workshop(id="w", title="t", organisation="o", team="t", date="2026-01-01",
                  questionnaire=QUESTIONNAIRE)
    ws.votes = {(STATEMENTS[0], "a"): Vote(STATEMENTS[0], "a", 3)}
    assert isinstance(ws.votes, VoteMap)
    assert ws.voters_for(STATEMENTS[0]) == {"a"} and ws.answer_count(STATEMENTS[0]) == 1
    del ws.votes[(STATEMENTS[0], "a")]
    assert ws.voters_for(STATEMENTS[0]) == set() and ws.votes.stamp(STATEMENTS[0]) > 0
