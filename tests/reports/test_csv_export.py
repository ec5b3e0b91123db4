"""CSV exports: round trip through csv.reader, the OWASP injection rule, privacy."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest

from calms_desktop.core.model import DONT_KNOW, PILLARS
from calms_desktop.core.scoring import fmt, level_name
from calms_desktop.reports import csv_export as ce
from calms_desktop.reports import summary_csv, votes_csv
from calms_desktop.reports.scores import private_score
from tests.reports.conftest import PEOPLE, make_workshop


def read(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for spreadsheets
    assert b"\r\n" in data
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(("cell", "expected"), [
    ("=1+1", "'=1+1"),
    ("+49 40 1234", "'+49 40 1234"),
    ("-Tester", "'-Tester"),
    ("@admin", "'@admin"),
    ("\tindent", "'\tindent"),
    ("\rreturn", "'\rreturn"),
    ('=HYPERLINK("http://x")', "'=HYPERLINK(\"http://x\")"),
    ("Zoë = 1", "Zoë = 1"),
    (" =1", " =1"),
    ("R&D <team>", "R&D <team>"),
    ("李娜", "李娜"),
    ("", ""),
])
def test_text_cells_that_could_start_a_formula_get_a_quote(cell, expected):
    assert ce.cell(cell) == expected


def test_numbers_stay_numbers_even_when_negative():
    assert ce.cell(-0.3) == "-0.30"
    assert ce.cell(0.25) == "0.25"
    assert ce.cell(-2) == "-2"
    assert ce.cell(None) == ""
    assert float(ce.cell(-0.3)) == pytest.approx(-0.3)


def test_votes_round_trip_one_row_per_vote(multi):
    rows = read(votes_csv(multi))
    assert list(rows[0]) == list(ce.VOTE_COLUMNS)
    votes = [r for r in rows if r["source"] == "console"]
    assert len(votes) == len(multi.votes)
    names = {r["participant"] for r in votes}
    for name, _ in PEOPLE:
        assert ce.safe_text(name) in names
    # a name that looks like a formula is written with the quote, everything else unchanged
    assert "'=HYPERLINK(\"http://x\")" in names and "'@admin" in names
    assert 'R&D <team>' in names and '<a href="http://x">click</a>' in names
    for r in votes:
        assert r["answer"] in {"1", "2", "3", "4", "5", "don't know"}
        if r["answer"] == "don't know":
            assert (r["score"], r["dont_know"]) == ("", "1")
        else:
            assert (r["score"], r["dont_know"]) == (r["answer"], "0")
        assert r["workshop_id"] == multi.id
        assert (r["organisation"], r["team"], r["workshop"], r["date"]) == (
            multi.organisation, multi.team, multi.title, multi.date)
        person = multi.participant(r["participant_id"])
        assert r["role"] == ce.safe_text(person.role)


def test_votes_csv_has_every_answer_of_every_person(multi):
    rows = read(votes_csv(multi))
    by_key = {(r["statement_id"], r["participant"]): r["answer"] for r in rows
              if r["source"] == "console"}
    for (sid, pid), vote in multi.votes.items():
        name = ce.safe_text(multi.participant(pid).name)
        expected = "don't know" if vote.score == DONT_KNOW else str(vote.score)
        assert by_key[(sid, name)] == expected


def test_a_tally_is_one_row_per_level_with_its_hands_as_the_weight(multi):
    rows = [r for r in read(votes_csv(multi)) if r["source"] == "tally"]
    tally = next(iter(multi.tallies.values()))
    sid = next(iter(multi.tallies))
    weights = {(r["statement_id"], r["answer"]): int(r["weight"]) for r in rows}
    assert weights == {(sid, "don't know" if k == DONT_KNOW else str(k)): v
                       for k, v in tally.items()}
    assert len(rows) == len(tally)  # not one row per hand
    assert all(r["participant"] == "" for r in rows)


def test_a_room_of_many_hands_is_a_few_rows():
    ws = make_workshop()
    sid = ws.questionnaire.statements[0].id
    ws.tallies[sid] = {1: 120, 3: 250, 5: 30, DONT_KNOW: 9}
    rows = [r for r in read(votes_csv(ws)) if r["statement_id"] == sid and r["source"] == "tally"]
    assert [(r["answer"], r["weight"], r["weighted_score"], r["scored"]) for r in rows] == [
        ("1", "120", "120", "120"), ("3", "250", "750", "250"), ("5", "30", "150", "30"),
        ("don't know", "9", "", "0")]


def test_the_weighted_average_of_the_score_column_is_the_statement_mean(multi):
    """Long form with a weight: SUMPRODUCT(score, weight) / scored weight is the mean."""
    rows = read(votes_csv(multi))
    score = private_score(multi, None)
    for p in PILLARS:
        for ss in score.pillars[p].statements:
            mine = [r for r in rows if r["statement_id"] == ss.statement.id]
            total = sum(int(r["weighted_score"]) for r in mine if r["weighted_score"])
            assert total / sum(int(r["scored"]) for r in mine) == pytest.approx(ss.stats.mean)
            scored = [r for r in mine if r["score"]]
            assert sum(int(r["score"]) * int(r["weight"]) for r in scored) / sum(
                int(r["weight"]) for r in scored) == pytest.approx(ss.stats.mean)
            assert sum(int(r["weight"]) for r in mine) == ss.stats.distribution.total
            assert sum(int(r["dont_know"]) * int(r["weight"]) for r in mine) == \
                ss.stats.distribution.dont_know
            if all(r["weight"] == "1" for r in mine):  # no tally: a plain AVERAGE is right
                assert sum(int(r["score"]) for r in scored) / len(scored) == \
                    pytest.approx(ss.stats.mean)


def test_control_characters_and_bidi_overrides_never_reach_the_spreadsheet(multi):
    multi.participants[0] = multi.participants[0].__class__(
        multi.participants[0].id, "Eve\u202egnp.exe\x07\u2066x\u2069", "QA\x1b[31m")
    rows = read(votes_csv(multi))
    mine = [r for r in rows if r["participant_id"] == multi.participants[0].id]
    assert {r["participant"] for r in mine} == {"Evegnp.exex"}
    assert {r["role"] for r in mine} == {"QA[31m"}


@pytest.mark.parametrize(("typed", "expected"), [
    ("Ana\u200bMaria", "AnaMaria"),               # zero-width space
    ("\ufeffOps\u2060Team", "OpsTeam"),            # byte-order mark, word joiner
    ("\u200fمحمد\u200e علي", "محمد علي"),          # RLM, LRM
    ("Dev\u200dOps\u200d", "DevOps"),              # a joiner between Latin letters
    ("👨\u200d👩\u200d👧 team", "👨\u200d👩\u200d👧 team"),  # a family emoji stays one
    ("🏳\ufe0f\u200d🌈", "🏳\ufe0f\u200d🌈"),           # rainbow flag
    ("Ana\u00adMaria", "AnaMaria"),               # soft hyphen
    ("Ops\u180eTeam", "OpsTeam"),                 # Mongolian vowel separator
    ("QA\u206aLead\ufff9x\ufffb", "QALeadx"),    # deprecated format, annotation marks
    ("Eve\U000e0041\U000e0042", "Eve"),          # tag characters hiding text
    ("\u3164", ""),                              # a blank Hangul filler as a name
    ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
     "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"),  # England's flag
    ("می\u200cخواهم", "می\u200cخواهم"),            # Persian needs its ZWNJ
    ("अवन\u094d\u200d", "अवन\u094d\u200d"),        # virama + ZWJ (half form / chillu)
])
def test_invisible_marks_are_removed_where_no_script_needs_them(multi, typed, expected):
    first = multi.participants[0]
    multi.participants[0] = first.__class__(first.id, typed, "QA")
    rows = read(votes_csv(multi))
    assert {r["participant"] for r in rows if r["participant_id"] == first.id} == {expected}


def test_anonymous_votes_carry_no_names_and_no_withheld_answers(anonymous):
    data = votes_csv(anonymous)
    text = data.decode("utf-8-sig")
    for name, _ in PEOPLE:
        assert ce.safe_text(name) not in text and name not in text
    rows = read(data)
    assert all(r["participant"] == "" for r in rows)
    withheld_sid = anonymous.questionnaire.statements[1].id
    withheld = [r for r in rows if r["statement_id"] == withheld_sid]
    assert len(withheld) == 1
    assert withheld[0]["answer"] == "withheld" and withheld[0]["note"] == "2 answers"
    assert withheld[0]["score"] == "" and withheld[0]["dont_know"] == ""
    # one row per answer of each statement shown, sorted by answer
    for s in anonymous.questionnaire.statements:
        if s.id == withheld_sid:
            continue
        mine = [r for r in rows if r["statement_id"] == s.id]
        assert sum(int(r["weight"]) for r in mine) == anonymous.answer_count(s.id)
        votes = [r for r in mine if r["source"] == "votes"]
        keys = [99 if r["score"] == "" else int(r["score"]) for r in votes]
        assert keys == sorted(keys)


def test_pillar_summary(demo_pair):
    base, ws = demo_pair
    rows = read(summary_csv(ws, base))
    assert list(rows[0]) == list(ce.SUMMARY_COLUMNS)
    assert [r["pillar"] for r in rows] == [p.value for p in PILLARS] + ["overall"]
    assert [r["row"] for r in rows] == ["pillar"] * 5 + ["overall"]  # totals never count it twice
    assert all(r["organisation"] == ws.organisation and r["date"] == ws.date for r in rows)
    score = private_score(ws, base)
    for r, p in zip(rows, PILLARS, strict=False):
        ps = score.pillars[p]
        assert float(r["mean_exact"]) == pytest.approx(ps.mean, abs=1e-6)
        # every printed number by the one rounding rule; changes of the printed scores
        assert r["score"] == fmt(ps.mean) and r["baseline_score"] == fmt(ps.baseline_mean)
        assert Decimal(r["delta"]) == Decimal(r["score"]) - Decimal(r["baseline_score"])
        assert float(r["delta"]) == pytest.approx(ps.delta)
        assert int(r["target"]) == ps.target
        assert Decimal(r["gap"]) == Decimal(r["target"]) - Decimal(r["score"])
        assert int(r["answers"]) == ps.pooled.distribution.total
        assert int(r["dont_know"]) == ps.pooled.distribution.dont_know
        assert int(r["agree"]) + int(r["discuss"]) <= int(r["statements"])
    assert float(rows[-1]["mean_exact"]) == pytest.approx(score.overall, abs=1e-6)
    assert Decimal(rows[-1]["delta"]) == Decimal(rows[-1]["score"]) - Decimal(
        rows[-1]["baseline_score"])
    means = [score.pillars[p].mean for p in PILLARS] + [score.overall]
    for r, mean in zip(rows, means, strict=True):  # the printed score and its level agree
        assert r["score"] == fmt(mean)
        assert r["level"] == level_name(ws, float(r["score"])) == level_name(ws, mean)


def test_negative_deltas_are_numbers_not_quoted_text(demo_pair):
    base, ws = demo_pair
    for p in PILLARS:  # make every pillar worse than the baseline
        ws.targets[p] = 1
    ws.votes = {k: v.__class__(v.statement_id, v.participant_id, 1, v.source, v.at)
                for k, v in ws.votes.items()}
    rows = read(summary_csv(ws, base))
    for r in rows[:-1]:
        assert r["delta"].startswith("-") and not r["delta"].startswith("'")
        assert float(r["delta"]) < 0
        assert float(r["gap"]) == 0.0


def test_anonymous_summary_withholds_the_pillar(anonymous):
    rows = read(summary_csv(anonymous))
    culture = rows[0]
    assert culture["mean_exact"] == "" and culture["note"].startswith("withheld")
    assert rows[-1]["mean_exact"] == "" and rows[-1]["note"] == "withheld"
    assert rows[1]["mean_exact"] != ""


def test_statement_text_with_commas_quotes_and_newlines_round_trips(multi):
    multi.participants[0] = multi.participants[0].__class__(
        multi.participants[0].id, 'He said "hi",\nthen left', "x")
    rows = read(votes_csv(multi))
    assert 'He said "hi",\nthen left' in {r["participant"] for r in rows}


def test_a_workshop_without_votes_has_just_a_header():
    ws = make_workshop()
    ws.votes.clear()
    ws.tallies.clear()
    assert read(votes_csv(ws)) == []


def test_a_change_is_the_difference_of_the_printed_scores():
    """Breaking pass: "delta 0.90 although 3.55 − 2.55 = 1.00" (plain float formatting)."""
    assert ce._difference(3.55, 2.55) == Decimal("1.0")
    assert ce._difference(3.5499999999, 2.45) == Decimal("1.1")
    assert ce.cell(ce._difference(2.0, 2.04)) == "0.0"
    assert ce.cell(ce._exact(3.475)) == "3.475000"


def test_a_plain_pivot_sum_gives_the_pillar_and_overall_scores_of_the_report(multi):
    """Breaking pass: AVERAGE(score) is wrong for a statement with a tally, and the pillar
    score (the mean of its statements' means) could not be had from any column."""
    ws = multi
    ws.tallies[ws.questionnaire.statements[1].id] = {1: 120, 5: 3, DONT_KNOW: 2}
    assert ws.tallies  # the file holds a show of hands next to votes
    rows = read(votes_csv(ws))
    score = private_score(ws, None)
    for p in PILLARS:  # a pivot: rows pillar, values SUM of pillar_part
        total = sum(Decimal(r["pillar_part"]) for r in rows
                    if r["pillar"] == p.value and r["pillar_part"])
        assert float(total) == pytest.approx(score.pillars[p].mean, abs=1e-6)
        assert fmt(float(total)) == fmt(score.pillars[p].mean)
    overall = sum(Decimal(r["overall_part"]) for r in rows if r["overall_part"])
    assert float(overall) == pytest.approx(score.overall, abs=1e-6)
    assert all(r["pillar_part"] == "" for r in rows if r["dont_know"] == "1")
