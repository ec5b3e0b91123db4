"""The workshop file format: round trips, and malformed documents refused saying where."""

from __future__ import annotations

import copy
import json

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core.errors import ValidationError
from calms_desktop.core.model import DONT_KNOW, Participant, Pillar, Vote

from .factories import fill, workshop


@pytest.fixture
def demo_doc(demo_pair):
    ws = demo_pair[1]
    ws.tallies["lean.retrospectives"] = {2: 3, 4: 1, DONT_KNOW: 1}
    return fileformat.to_document(ws)


def refused(doc) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        fileformat.from_document(doc)
    return info.value


def write(tmp_path, text: str | bytes, name: str = "in.json"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# -- round trips ---------------------------------------------------------------------------


def test_document_layout(demo_doc):
    assert list(demo_doc) == [
        "format", "format_version", "workshop", "questionnaire", "participants",
        "votes", "tallies", "notes", "actions", "metrics",
    ]
    assert demo_doc["format"] == "calms-workshop"
    assert demo_doc["format_version"] == fileformat.FORMAT_VERSION == 2
    assert all(set(p) == {"id", "name", "role"} for p in demo_doc["participants"])
    assert set(demo_doc["votes"][0]) == {"statement", "participant", "score", "source", "at"}
    assert demo_doc["tallies"] == [
        {"statement": "lean.retrospectives", "hands": {"?": 1, "2": 3, "4": 1}}
    ]


def test_dont_know_is_written_as_a_question_mark():
    ws = workshop(2)
    ws.votes[("culture.s0", "p0")] = Vote("culture.s0", "p0", DONT_KNOW)
    d = fileformat.to_document(ws)
    assert d["votes"][0]["score"] == "?"
    assert fileformat.from_document(d).vote("culture.s0", "p0").score == DONT_KNOW


def test_export_import_export_is_identical(demo_pair):
    for ws in demo_pair:
        doc = fileformat.to_document(ws)
        again = fileformat.from_document(json.loads(json.dumps(doc)))
        assert fileformat.to_document(again) == doc
        assert fileformat.dumps(again) == fileformat.dumps(ws)


def test_round_trip_through_a_file(tmp_path, demo_pair):
    ws = demo_pair[0]
    path = write(tmp_path, fileformat.dumps(ws))
    assert fileformat.dumps(fileformat.read_file(path)) == path.read_text(encoding="utf-8")


def test_the_workshop_comes_back_equal(demo_pair):
    ws = demo_pair[1]
    again = fileformat.from_document(fileformat.to_document(ws))
    assert again == ws


def test_a_minimal_document_is_enough(demo_doc):
    minimal = {
        "format": "calms-workshop",
        "format_version": 1,
        "workshop": {"id": "w1"},
        "questionnaire": demo_doc["questionnaire"],
    }
    ws = fileformat.from_document(minimal)
    assert ws.id == "w1"
    assert ws.title == "" and ws.participants == [] and ws.votes == {}


def test_a_long_note_is_kept_intact(tmp_path):
    ws = workshop(1)
    note = ("Lorem ipsum — ünïcödé ✓ " * 500)[:10_000]
    assert len(note) == 10_000
    ws.notes["culture"] = note
    path = write(tmp_path, fileformat.dumps(ws))
    assert fileformat.read_file(path).notes["culture"] == note


@pytest.mark.parametrize(
    "name",
    [
        "<b>Bold</b> & <script>alert('x')</script>",
        "Zoë 👩🏽‍💻 🇩🇪",
        "مريم العلي",  # right to left
        "שָׁלוֹם‏ Dan",  # RTL with a mark
        "李娜",
        "O'Brien \"Quote\" \\ back\\slash",
        "line\nbreak\ttab",
        "‮override",
    ],
)
def test_any_unicode_name_is_kept_intact(tmp_path, name):
    ws = workshop(0)
    ws.participants.append(Participant("x", name, role=name))
    ws.title = name
    ws.votes[("culture.s0", "x")] = Vote("culture.s0", "x", 3)
    path = write(tmp_path, fileformat.dumps(ws))
    again = fileformat.read_file(path)
    assert again.participants[0].name == name
    assert again.participants[0].role == name
    assert again.title == name
    assert fileformat.dumps(again) == fileformat.dumps(ws)


def test_non_ascii_is_written_as_utf8_text():
    ws = workshop(0)
    ws.title = "Zoë"
    assert '"title": "Zoë"' in fileformat.dumps(ws)


def test_export_does_not_depend_on_the_order_changes_were_made(demo_pair):
    a = demo_pair[1]
    b = fileformat.from_document(fileformat.to_document(a))
    b.votes = dict(reversed(list(b.votes.items())))
    b.notes = dict(reversed(list(b.notes.items())))
    b.action_reviews = dict(reversed(list(b.action_reviews.items())))
    assert fileformat.dumps(a) == fileformat.dumps(b)


# -- malformed documents: the message names the place and the problem -----------------------


def test_not_json(tmp_path):
    path = write(tmp_path, '{"format": "calms-workshop",\n "workshop": ')
    with pytest.raises(ValidationError) as info:
        fileformat.read_file(path)
    e = info.value
    assert e.source == str(path)
    assert e.where == "line 2, column 14"
    assert e.problem.startswith("not valid JSON")
    assert str(e).startswith(f"{path}: line 2, column 14: not valid JSON")


def test_not_utf8(tmp_path):
    path = write(tmp_path, b'{"title": "\xff\xfe"}')
    with pytest.raises(ValidationError, match="not UTF-8 text"):
        fileformat.read_file(path)


def test_empty_file(tmp_path):
    with pytest.raises(ValidationError, match="not valid JSON"):
        fileformat.read_file(write(tmp_path, ""))


def test_nested_too_deeply(tmp_path):
    with pytest.raises(ValidationError) as info:
        fileformat.read_file(write(tmp_path, "[" * 200_000 + "]" * 200_000))
    assert info.value.source == str(tmp_path / "in.json")


def test_missing_file(tmp_path):
    with pytest.raises(ValidationError, match="cannot read the file"):
        fileformat.read_file(tmp_path / "absent.json")


def test_errors_from_a_file_name_the_file(tmp_path, demo_doc):
    demo_doc["votes"][3]["score"] = 7
    path = write(tmp_path, json.dumps(demo_doc), "team.json")
    with pytest.raises(ValidationError) as info:
        fileformat.read_file(path)
    assert str(info.value) == (
        f"{path}: $.votes[3].score: a score must be 1–5 or \"?\" (don't know), got 7"
    )


def _set(path: list, value):
    def mutate(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return mutate


def _del(path: list):
    def mutate(doc):
        target = doc
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]
    return mutate


MALFORMED = [
    ("wrong format", _set(["format"], "calms-questionnaire"), "$.format",
     "expected \"calms-workshop\", got 'calms-questionnaire'"),
    ("no format", _del(["format"]), "$.format", "expected \"calms-workshop\", got None"),
    ("newer version", _set(["format_version"], 3), "$.format_version",
     "made by a newer CALMS Workshop (format 3; this one reads up to 2): "
     "update the app to open it"),
    ("version as text", _set(["format_version"], "1"), "$.format_version",
     "expected a version number, got '1'"),
    ("version 0", _set(["format_version"], 0), "$.format_version",
     "expected a version number, got 0"),
    ("score 7", _set(["votes", 0, "score"], 7), "$.votes[0].score",
     "a score must be 1–5 or \"?\" (don't know), got 7"),
    ("score 0", _set(["votes", 0, "score"], 0), "$.votes[0].score",
     "a score must be 1–5 or \"?\" (don't know), got 0"),
    ("score x", _set(["votes", 5, "score"], "x"), "$.votes[5].score",
     "a score must be 1–5 or \"?\" (don't know), got 'x'"),
    ("score true", _set(["votes", 0, "score"], True), "$.votes[0].score",
     "a score must be 1–5 or \"?\" (don't know), got True"),
    ("score 2.0", _set(["votes", 0, "score"], 2.0), "$.votes[0].score",
     "a score must be 1–5 or \"?\" (don't know), got 2.0"),
    ("no score", _del(["votes", 1, "score"]), "$.votes[1]", 'missing required field "score"'),
    ("vote for unknown participant", _set(["votes", 2, "participant"], "ghost"),
     "$.votes[2].participant", "no participant 'ghost'"),
    ("vote on unknown statement", _set(["votes", 2, "statement"], "culture.nope"),
     "$.votes[2].statement", "no statement 'culture.nope' in the questionnaire"),
    ("votes not a list", _set(["votes"], {}), "$.votes", "expected a list, got an object"),
    ("vote not an object", _set(["votes", 0], 4), "$.votes[0]",
     "expected an object, got a number"),
    ("duplicate participant id", lambda d: d["participants"][1].update(
        id=d["participants"][0]["id"]), "$.participants[1].id", "is used twice"),
    ("participant without a name", _set(["participants", 2, "name"], "  "),
     "$.participants[2].name", "must not be empty"),
    ("participant name a number", _set(["participants", 2, "name"], 12),
     "$.participants[2].name", "expected text, got a number"),
    ("bad date", _set(["workshop", "date"], "31/12/2025"), "$.workshop.date",
     "expected a date like 2026-03-31, got '31/12/2025'"),
    ("impossible date", _set(["workshop", "date"], "2025-02-30"), "$.workshop.date",
     "expected a date like 2026-03-31, got '2025-02-30'"),
    ("missing workshop.id", _del(["workshop", "id"]), "$.workshop",
     'missing required field "id"'),
    ("empty workshop.id", _set(["workshop", "id"], ""), "$.workshop.id", "must not be empty"),
    ("workshop.id with a slash", _set(["workshop", "id"], "../../etc/x"), "$.workshop.id",
     "must not contain / or \\ or start with a dot"),
    ("workshop.id hidden", _set(["workshop", "id"], ".x"), "$.workshop.id",
     "must not contain / or \\ or start with a dot"),
    ("missing workshop", _del(["workshop"]), "$", 'missing required field "workshop"'),
    ("missing questionnaire", _del(["questionnaire"]), "$",
     'missing required field "questionnaire"'),
    ("questionnaire without a pillar", lambda d: d["questionnaire"]["pillars"].pop(),
     "$.questionnaire.pillars", "missing pillar: sharing"),
    ("voting mode", _set(["workshop", "voting_mode"], "secret"), "$.workshop.voting_mode",
     "must be one of \"named\", \"anonymous\", got 'secret'"),
    ("target 6", _set(["workshop", "targets", "culture"], 6), "$.workshop.targets.culture",
     "must be 1–5, got 6"),
    ("target for unknown pillar", _set(["workshop", "targets", "tooling"], 3),
     "$.workshop.targets.tooling", "must be one of"),
    ("pillar state", _set(["workshop", "pillar_states", "lean"], "open"),
     "$.workshop.pillar_states.lean", "must be one of"),
    ("timebox step", _set(["workshop", "timebox_minutes", "lunch"], 30),
     "$.workshop.timebox_minutes.lunch", "unknown step"),
    ("note for unknown step", _set(["notes", "lunch"], "x"), "$.notes.lunch", "unknown step"),
    ("note not text", _set(["notes", "culture"], ["x"]), "$.notes.culture",
     "expected text, got a list"),
    ("tally with score 6", _set(["tallies", 0, "hands", "6"], 1), "$.tallies[0].hands.6",
     "a score must be 1–5"),
    ("tally with negative hands", _set(["tallies", 0, "hands", "2"], -1),
     "$.tallies[0].hands.2", "must be 0–10,000, got -1"),
    ("second tally", lambda d: d["tallies"].append(copy.deepcopy(d["tallies"][0])),
     "$.tallies[1]", "a second tally for 'lean.retrospectives'"),
    ("second vote", lambda d: d["votes"].append(copy.deepcopy(d["votes"][0])),
     None, "a second vote by"),
    ("action due date", _set(["actions", 1, "due"], "soon"), "$.actions[1].due",
     "expected a date like 2026-03-31, got 'soon'"),
    ("action without text", _set(["actions", 0, "text"], ""), "$.actions[0].text",
     "must not be empty"),
    ("action status", _set(["actions", 0, "status"], "later"), "$.actions[0].status",
     "must be one of"),
    ("duplicate action id", lambda d: d["actions"][1].update(id=d["actions"][0]["id"]),
     "$.actions[1].id", "is used twice"),
    ("review decision", lambda d: d["workshop"]["action_reviews"].update(x="maybe"),
     "$.workshop.action_reviews.x", "must be one of"),
    ("NUL in text", _set(["workshop", "title"], "a\x00b"), "$.workshop.title",
     "text contains a NUL character"),
    ("huge title", _set(["workshop", "title"], "x" * 501), "$.workshop.title",
     "text is 501 characters; the limit is 500"),
]


@pytest.mark.parametrize(("mutate", "where", "problem"),
                         [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_documents_are_refused(demo_doc, mutate, where, problem):
    mutate(demo_doc)
    e = refused(json.loads(json.dumps(demo_doc)))
    if where is None:
        assert e.where.startswith("$.votes[")
    else:
        assert e.where == where
    assert problem in e.problem
    assert str(e) == f"{e.where}: {e.problem}"


@pytest.mark.parametrize("doc", [[], "calms", 3, None])
def test_not_an_object(doc):
    e = refused(doc)
    assert e.where == "$"
    assert e.problem.startswith("expected an object")


def test_score_out_of_range_anywhere_in_a_big_document():
    ws = fill(workshop(30, q=None), lambda si, pi: 1 + (si * pi) % 5)
    d = fileformat.to_document(ws)
    d["votes"][217]["score"] = 6
    assert refused(d).where == "$.votes[217].score"


# -- migrations -------------------------------------------------------------------------------


def test_migrate_runs_each_step_in_turn(monkeypatch, demo_doc):
    """Pretend the format is at version 3 and version 1 named participants "people"."""
    calls = []

    def v1_to_v2(doc):
        calls.append(("1→2", doc["format_version"]))
        doc = dict(doc)
        doc["participants"] = doc.pop("people")
        return doc

    def v2_to_v3(doc):
        calls.append(("2→3", doc["format_version"]))
        doc = dict(doc)
        doc["workshop"] = {**doc["workshop"], "title": doc["workshop"]["title"] + " (migrated)"}
        return doc

    monkeypatch.setattr(fileformat, "FORMAT_VERSION", 3)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {1: v1_to_v2, 2: v2_to_v3})
    old = copy.deepcopy(demo_doc)
    old["format_version"] = 1
    old["people"] = old.pop("participants")
    frozen = copy.deepcopy(old)

    ws = fileformat.from_document(old)
    assert calls == [("1→2", 1), ("2→3", 2)]
    assert old == frozen  # the caller's document is left alone
    assert len(ws.participants) == len(demo_doc["participants"])
    assert ws.title == "CALMS re-assessment (migrated)"
    assert fileformat.to_document(ws)["format_version"] == 3

    migrated = fileformat.migrate(copy.deepcopy(frozen))
    assert migrated["format_version"] == 3
    assert "participants" in migrated and "people" not in migrated


def test_a_current_document_is_not_migrated(monkeypatch, demo_doc):
    monkeypatch.setattr(fileformat, "MIGRATIONS", {1: lambda d: pytest.fail("migrated")})
    assert fileformat.migrate(demo_doc) is demo_doc


def test_a_missing_migration_is_reported(monkeypatch, demo_doc):
    monkeypatch.setattr(fileformat, "FORMAT_VERSION", 3)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {1: lambda d: d})
    e = refused(demo_doc)
    assert (e.where, e.problem) == ("$.format_version", "no migration from version 2")


def test_migrated_file_on_disk_is_read(monkeypatch, tmp_path, demo_doc):
    monkeypatch.setattr(fileformat, "FORMAT_VERSION", 2)
    monkeypatch.setattr(fileformat, "MIGRATIONS", {1: lambda d: {**d, "notes": {}}})
    path = write(tmp_path, json.dumps({**demo_doc, "format_version": 1}))
    ws = fileformat.read_file(path)
    assert ws.notes == {}
    assert ws.targets[Pillar.CULTURE] == 4


# -- the documentation's example ----------------------------------------------------------------


def _doc_example() -> dict:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "file-format.md").read_text(
        encoding="utf-8"
    )
    start = text.index("```json\n") + len("```json\n")
    return json.loads(text[start:text.index("\n```", start)])


def test_the_documented_example_matches_the_format(demo_doc):
    example = _doc_example()
    assert list(example) == list(demo_doc)
    assert list(example["workshop"]) == list(demo_doc["workshop"])
    for part in ("participants", "votes", "tallies", "actions"):
        assert list(example[part][0]) == list(demo_doc[part][0]), part
    q, demo_q = example["questionnaire"], demo_doc["questionnaire"]
    assert list(q) == list(demo_q)
    assert list(q["pillars"][0]) == list(demo_q["pillars"][0])
    assert list(q["pillars"][0]["statements"][0]) == list(demo_q["pillars"][0]["statements"][0])


def test_the_documented_example_is_valid_with_its_full_questionnaire(demo_doc):
    example = _doc_example()
    example["questionnaire"] = demo_doc["questionnaire"]  # only this part is abridged
    ws = fileformat.from_document(example)
    assert ws.vote("culture.product-teams", "d3e0c0de-p00").score == DONT_KNOW
    assert ws.participants[2].name == "李娜"
    assert fileformat.to_document(ws) == example
