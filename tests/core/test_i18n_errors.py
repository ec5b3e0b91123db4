"""What a facilitator reads when a file or a change is refused, in the active language."""

from __future__ import annotations

import json

import pytest

from calms_desktop.core import fileformat
from calms_desktop.core import validate as v
from calms_desktop.core.errors import LibraryLocked, OperationError, ValidationError
from calms_desktop.core.i18n import Translator, activate
from calms_desktop.core.merge import import_files
from calms_desktop.core.model import Participant
from calms_desktop.core.operations import PutParticipant, SetFields
from calms_desktop.core.storage import Library

GERMAN = Translator("de")


@pytest.fixture
def refused_files(tmp_path, demo_pair):
    """A workshop file with a score of 9, and one a little over the size limit."""
    doc = fileformat.to_document(demo_pair[0])
    doc["votes"][0]["score"] = 9
    bad = tmp_path / "bad-score.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    large = tmp_path / "too-large.json"
    large.write_bytes(b'{"padding": "' + b"x" * v.MAX_FILE_BYTES + b'"}')
    return bad, large


def test_a_refused_import_speaks_german_with_german_numbers(library, refused_files):
    bad, large = refused_files
    size = large.stat().st_size
    with activate(GERMAN):
        report = import_files(library, [bad, large], lambda clash: "skip")
        summary = report.summary()
    by_file = {p.source: p for p in report.problems}
    assert set(by_file) == {str(bad), str(large)}
    score = by_file[str(bad)]
    assert score.where == "$.votes[0].score"  # a JSON path stays as it is
    assert score.problem == "ein Wert muss 1–5 oder „?“ (weiß nicht) sein, nicht 9"
    too_large = by_file[str(large)]
    assert too_large.problem == (
        f"die Datei hat {size:,} Byte; erlaubt sind höchstens 1.048.576".replace(",", "."))
    assert "1.048.576" in str(too_large)  # German grouping, not the machine's locale
    assert summary == "2 Dateien ließen sich nicht lesen."
    assert not library.summaries()  # nothing was lost or half-imported


def test_the_same_import_in_english(library, refused_files):
    bad, large = refused_files
    report = import_files(library, [bad, large], lambda clash: "skip")
    problems = sorted(p.problem for p in report.problems)
    assert problems == [
        """a score must be 1–5 or "?" (don't know), got 9""",
        f"the file is {large.stat().st_size:,} bytes; the limit is 1,048,576",
    ]


def test_limits_and_places_are_written_the_german_way(demo_pair):
    doc = fileformat.to_document(demo_pair[0])
    doc["tallies"] = [{"statement": doc["votes"][0]["statement"], "hands": {"3": 10_001}}]
    with activate(GERMAN):
        with pytest.raises(ValidationError) as hands:
            fileformat.from_document(doc)
        with pytest.raises(ValidationError) as broken:
            fileformat.parse(b'{\n  "format": }', "kaputt.json")
    assert hands.value.problem == "muss 0–10.000 sein, nicht 10001"
    assert str(broken.value).startswith("kaputt.json: Zeile 2, Spalte 13: kein gültiges JSON (")


def test_too_many_participants_is_a_german_plural(demo_pair):
    doc = fileformat.to_document(demo_pair[0])
    doc["participants"] = [{"id": f"p{i}", "name": f"P {i}"} for i in range(1, 1252)]
    doc["votes"] = []
    with activate(GERMAN), pytest.raises(ValidationError) as too_many:
        fileformat.from_document(doc)
    assert too_many.value.problem == "1.251 Teilnehmende; erlaubt sind höchstens 250"


def test_a_refused_change_speaks_german(demo_pair):
    ws = demo_pair[0]
    with activate(GERMAN):
        with pytest.raises(OperationError) as long_name:
            PutParticipant(Participant("x", "n" * 501)).apply(ws)
        with pytest.raises(OperationError) as own_baseline:
            SetFields((("baseline_id", ws.id),)).apply(ws)
    assert str(long_name.value) == "Name: der Text hat 501 Zeichen; erlaubt sind höchstens 500"
    assert str(own_baseline.value) == "ein Workshop kann nicht sein eigener früherer Workshop sein"


def test_a_locked_library_says_so_in_german(data_dir):
    with Library(data_dir), activate(GERMAN), pytest.raises(LibraryLocked) as locked:
        Library(data_dir)
    assert "ist in einem anderen CALMS Workshop geöffnet" in str(locked.value)
    assert "Schließen Sie sie dort zuerst" in str(locked.value)
