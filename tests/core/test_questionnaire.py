"""Questionnaires: the shipped ones load; a broken one is refused saying where."""

from __future__ import annotations

import json

import pytest

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.errors import ValidationError
from calms_desktop.core.model import PILLARS, Pillar

from .factories import LEVEL_NAMES, questionnaire_dict


def refused(doc) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        qmod.from_dict(doc)
    return info.value


# -- the shipped questionnaires ------------------------------------------------------------


def test_builtin_ids():
    assert {"calms-default", "quick-check"} <= set(qmod.builtin_ids())


def test_default_questionnaire_has_five_pillars_of_four_to_six_statements():
    q = qmod.builtin("calms-default")
    assert q.id == qmod.DEFAULT_ID
    assert [sec.pillar for sec in q.sections] == list(PILLARS)
    for sec in q.sections:
        assert 4 <= len(sec.statements) <= 6, sec.pillar
        assert len(sec.explanation) > 80, f"{sec.pillar}: explanation too short for the room"
        for s in sec.statements:
            assert s.pillar == sec.pillar
            assert s.text.strip()
            assert len(s.levels) == 5
            assert all(d.strip() for d in s.levels)
            assert len(set(s.levels)) == 5, f"{s.id}: descriptors must differ per level"
    ids = [s.id for s in q.statements]
    assert len(ids) == len(set(ids))
    assert [lv.level for lv in q.levels] == [1, 2, 3, 4, 5]
    assert all(lv.name for lv in q.levels)


def test_default_questionnaire_covers_the_seed_topics():
    q = qmod.builtin("calms-default")
    text = " ".join(
        [sec.explanation for sec in q.sections]
        + [s.text + " " + " ".join(s.levels) for s in q.statements]
    ).lower()
    for topic in ("postmortem", "blameless", "swarm", "deploy", "configuration", "drift",
                  "retrospective", "experiment", "recover", "on-call", "peer review",
                  "you built it", "developer-on-support"):
        assert topic in text, topic


def test_quick_check_has_one_statement_per_pillar():
    q = qmod.builtin("quick-check")
    assert q.id == qmod.QUICK_CHECK_ID
    assert [len(sec.statements) for sec in q.sections] == [1, 1, 1, 1, 1]
    assert len(q.statements) == 5


@pytest.mark.parametrize("qid", ["calms-default", "quick-check"])
def test_to_dict_and_from_dict_are_inverses(qid):
    q = qmod.builtin(qid)
    assert qmod.from_dict(qmod.to_dict(q)) == q
    raw = json.loads((qmod.QUESTIONNAIRE_DIR / f"{qid}.json").read_text(encoding="utf-8"))
    assert qmod.to_dict(q) == raw  # the shipped file is already in canonical form


def test_look_ups():
    q = qmod.from_dict(questionnaire_dict(3))
    assert q.section(Pillar.LEAN).statements[2].id == "lean.s2"
    assert q.statement("lean.s2").pillar == Pillar.LEAN
    assert q.statement("lean.s2").descriptor(4) == "Lean 2 at level 4"
    assert q.has_statement("lean.s2") and not q.has_statement("lean.s3")
    assert q.level_name(3) == LEVEL_NAMES[2]
    with pytest.raises(KeyError):
        q.statement("nope")


def test_levels_default_to_numbers():
    d = questionnaire_dict(1)
    del d["levels"]
    q = qmod.from_dict(d)
    assert [lv.name for lv in q.levels] == ["1", "2", "3", "4", "5"]


def test_pillars_may_come_in_any_order():
    d = questionnaire_dict(1)
    d["pillars"].reverse()
    q = qmod.from_dict(d)
    assert [sec.pillar for sec in q.sections] == list(PILLARS)


# -- validation: the message names the place and the problem -------------------------------


def test_missing_pillar():
    d = questionnaire_dict()
    del d["pillars"][4]
    e = refused(d)
    assert e.where == "$.pillars"
    assert e.problem == "missing pillar: sharing"
    assert str(e) == "$.pillars: missing pillar: sharing"


def test_pillar_twice():
    d = questionnaire_dict()
    d["pillars"][1]["id"] = "culture"
    d["pillars"][1]["statements"][0]["id"] = "x1"
    d["pillars"][1]["statements"][1]["id"] = "x2"
    e = refused(d)
    assert e.where == "$.pillars[1].id"
    assert "appears twice" in e.problem


def test_unknown_pillar():
    d = questionnaire_dict()
    d["pillars"][2]["id"] = "tooling"
    e = refused(d)
    assert e.where == "$.pillars[2].id"
    assert '"culture"' in e.problem and "'tooling'" in e.problem


def test_duplicate_statement_id():
    d = questionnaire_dict()
    d["pillars"][3]["statements"][1]["id"] = "culture.s0"
    e = refused(d)
    assert e.where == "$.pillars[3].statements[1].id"
    assert e.problem == 'statement id "culture.s0" is used twice'


def test_missing_level_descriptor():
    d = questionnaire_dict()
    del d["pillars"][0]["statements"][1]["levels"]["3"]
    e = refused(d)
    assert e.where == "$.pillars[0].statements[1].levels"
    assert e.problem == 'missing the descriptor for level "3"'


def test_empty_level_descriptor():
    d = questionnaire_dict()
    d["pillars"][0]["statements"][0]["levels"]["5"] = "  "
    e = refused(d)
    assert e.where == "$.pillars[0].statements[0].levels.5"
    assert e.problem == "must not be empty"


def test_extra_level_descriptor():
    d = questionnaire_dict()
    d["pillars"][0]["statements"][0]["levels"]["6"] = "beyond"
    e = refused(d)
    assert e.where == "$.pillars[0].statements[0].levels"
    assert "unexpected level: 6" in e.problem


@pytest.mark.parametrize(
    ("mutate", "where", "problem"),
    [
        (lambda d: d.update(pillars="culture"), "$.pillars", "expected a list, got text"),
        (lambda d: d["pillars"][0].update(statements={}), "$.pillars[0].statements",
         "expected a list, got an object"),
        (lambda d: d["pillars"][1]["statements"].__setitem__(0, "text"),
         "$.pillars[1].statements[0]", "expected an object, got text"),
        (lambda d: d["pillars"][0]["statements"][0].update(text=42),
         "$.pillars[0].statements[0].text", "expected text, got a number"),
        (lambda d: d["pillars"][0]["statements"][0]["levels"].update({"2": None}),
         "$.pillars[0].statements[0].levels.2", "expected text, got null"),
        (lambda d: d["pillars"][0]["statements"][0]["levels"].update({"2": ["a"]}),
         "$.pillars[0].statements[0].levels.2", "expected text, got a list"),
        (lambda d: d["pillars"][0]["statements"][0].update(levels=["a"] * 5),
         "$.pillars[0].statements[0].levels", "expected an object, got a list"),
        (lambda d: d.update(title=True), "$.title", "expected text, got true/false"),
        (lambda d: d.pop("id"), "$", 'missing required field "id"'),
        (lambda d: d["pillars"][4].pop("explanation"), "$.pillars[4]",
         'missing required field "explanation"'),
        (lambda d: d["pillars"][0]["statements"][0].pop("levels"),
         "$.pillars[0].statements[0]", 'missing required field "levels"'),
        (lambda d: d.update(levels=d["levels"][:4]), "$.levels", "expected 5 levels, got 4"),
        (lambda d: d["levels"][2].update(level=4), "$.levels[2].level", "expected level 3, got 4"),
        (lambda d: d["levels"][0].update(level="1"), "$.levels[0].level",
         "expected a whole number 1–5, got text"),
        (lambda d: d["pillars"][0].update(statements=[]), "$.pillars[0].statements",
         "a pillar needs 1–10 statements, got 0"),
        (lambda d: d.update(format="calms-workshop"), "$.format",
         "expected \"calms-questionnaire\", got 'calms-workshop'"),
        (lambda d: d.update(format_version=2), "$.format_version",
         "unsupported version 2 (this app reads 1)"),
    ],
)
def test_validation_names_the_place_and_the_problem(mutate, where, problem):
    d = questionnaire_dict()
    mutate(d)
    e = refused(d)
    assert (e.where, e.problem) == (where, problem)


def test_eleven_statements_are_too_many():
    d = questionnaire_dict(11)
    e = refused(d)
    assert e.where == "$.pillars[0].statements"
    assert "got 11" in e.problem


def test_not_an_object():
    e = refused(["pillars"])
    assert (e.where, e.problem) == ("$", "expected an object, got a list")


# -- files ------------------------------------------------------------------------------------


def test_load_file(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(questionnaire_dict(4)), encoding="utf-8")
    q = qmod.load_file(path)
    assert len(q.statements) == 20


def test_load_file_names_the_file(tmp_path):
    path = tmp_path / "mine.json"
    d = questionnaire_dict()
    del d["pillars"][0]["statements"][0]["levels"]["1"]
    path.write_text(json.dumps(d), encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        qmod.load_file(path)
    assert str(info.value) == (
        f'{path}: $.pillars[0].statements[0].levels: missing the descriptor for level "1"'
    )


def test_load_file_not_json(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"id": ', encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        qmod.load_file(path)
    assert info.value.source == str(path)
    assert "not valid JSON" in info.value.problem


def test_load_file_missing(tmp_path):
    with pytest.raises(ValidationError) as info:
        qmod.load_file(tmp_path / "nope.json")
    assert "cannot read the file" in str(info.value)
    assert "nope.json" in str(info.value)
