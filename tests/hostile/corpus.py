"""The hostile corpus: everything that may turn up in a library folder or an import.

A library may sit in a synced folder or be handed files by hand, so anything
can appear in it. Each :class:`Case` makes one hostile entry at a path: a
document that is valid JSON but not a workshop the app can handle, bytes
that are not JSON at all, or something that is not a regular file (links,
pipes, devices, sockets, folders). ``where`` is the place the refusal must
name (a JSON path, ``line …`` for a parse error, ``$`` for the file itself).

The documents start from a valid workshop (``valid_document()``) and change
one thing, so each case tests exactly the class it is named after. Cases are
made at test time: links, pipes and sockets cannot live in git.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from calms_desktop.core import fileformat
from calms_desktop.core.model import Participant, Vote, Workshop
from calms_desktop.core.questionnaire import builtin

VALID_ID = "valid-workshop"


def valid_workshop(wid: str = VALID_ID, title: str = "A good workshop") -> Workshop:
    """A small valid workshop with votes, a tally, a note and an action."""
    q = builtin()
    people = [Participant(f"p{i}", f"Person {i}") for i in range(3)]
    ws = Workshop(id=wid, title=title, organisation="Org", team="Team", date="2026-03-31",
                  questionnaire=q, participants=people)
    first, second = q.statements[0], q.statements[1]
    for i, p in enumerate(people):
        ws.votes[(first.id, p.id)] = Vote(first.id, p.id, 1 + i)
    ws.tallies[second.id] = {3: 2, 4: 1}
    ws.notes["intro"] = "Notes"
    return ws


def valid_document(wid: str = "hostile") -> dict[str, Any]:
    return json.loads(fileformat.dumps(valid_workshop(wid)))


@dataclass(frozen=True)
class Case:
    """One hostile entry.

    Attributes:
        name: the class it stands for.
        make: ``make(path)`` creates it at ``path``.
        where: the place the refusal names (a prefix of ``ValidationError.where``),
            or None for entries that are refused as files (links, pipes …).
        problem: words the refusal's message must contain.
        importable_as_file: False for entries an import never even picks up
            (an import of a folder lists regular files only).
        imported: an import (not the library) takes it as a workshop: a link the
            user hands in is their file, read once and stored as a copy.
    """

    name: str
    make: Callable[[Path], None]
    where: str | None
    problem: str
    importable_as_file: bool = True
    imported: bool = False


def _doc(mutate: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        doc = valid_document(path.stem)
        mutate(doc)
        # ensure_ascii: a lone surrogate is written as its JSON escape, as a hostile file would
        path.write_text(json.dumps(doc), encoding="ascii")
    return make


def _text(transform: Callable[[str], str]) -> Callable[[Path], None]:
    """Edit the JSON text itself (for what ``json.dumps`` would never write)."""
    def make(path: Path) -> None:
        text = json.dumps(valid_document(path.stem), ensure_ascii=True)
        path.write_text(transform(text), encoding="ascii")
    return make


def _raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _hands(key: str) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        doc["tallies"][0]["hands"] = {key: 2}
    return mutate


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target = doc
        for p in parents:
            target = target[int(p)] if isinstance(target, list) else target[p]
        if isinstance(target, list):
            target[int(last)] = value
        else:
            target[last] = value
    return mutate


def _deep(levels: int) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        value: Any = "bottom"
        for _ in range(levels):
            value = [value]
        doc["extra"] = value
    return mutate


def _many_participants(doc: dict[str, Any]) -> None:
    doc["participants"] = [{"id": f"p{i}", "name": f"P {i}", "role": ""} for i in range(251)]
    doc["votes"] = []


def _many_actions(doc: dict[str, Any]) -> None:
    doc["actions"] = [{"id": f"a{i}", "text": "t"} for i in range(501)]


def _padding(doc: dict[str, Any]) -> None:
    doc["padding"] = "x" * (1024 * 1024 + 10)


def _symlink_to(target: str) -> Callable[[Path], None]:
    return lambda path: os.symlink(target, path)


def _loop(path: Path) -> None:
    os.symlink(path.name, path)  # points at itself


def _link_to_valid(path: Path) -> None:
    elsewhere = path.parent.parent / f"elsewhere-{path.stem}.json"
    elsewhere.write_text(fileformat.dumps(valid_workshop(path.stem)), encoding="utf-8")
    os.symlink(elsewhere, path)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.bind(str(path))
    finally:
        s.close()


def _folder(path: Path) -> None:
    path.mkdir()
    (path / "inside.json").write_text("{}", encoding="utf-8")


HUGE_INT = "9" * 5000

DOCUMENTS: list[Case] = [
    # values that validate by type but broke the code after load
    Case("tally key superscript digit", _doc(_hands("²")), "$.tallies[0].hands", "score"),
    Case("tally key with a leading zero", _doc(_hands("01")), "$.tallies[0].hands", "score"),
    Case("tally key of spaces", _doc(_hands(" 3")), "$.tallies[0].hands", "score"),
    Case("integer of thousands of digits",
         _text(lambda t: t.replace('"score": 1', f'"score": {HUGE_INT}', 1)), "$", "digits"),
    Case("integer of thousands of digits as a count",
         _text(lambda t: t.replace('"hands": {"3": 2', f'"hands": {{"3": {HUGE_INT}', 1)),
         "$", "digits"),
    Case("lone surrogate in the title",
         _text(lambda t: t.replace('"title": "A good workshop"', '"title": "A \\ud800 b"', 1)),
         "$.workshop.title", "surrogate"),
    Case("lone low surrogate in a name",
         _text(lambda t: t.replace('"name": "Person 0"', '"name": "\\udc80"', 1)),
         "$.participants[0].name", "surrogate"),
    Case("lone surrogate in an object key", _doc(_set("workshop.action_reviews",
                                                      {"\ud800": "done"})),
         "$.workshop.action_reviews", "surrogate"),
    Case("NaN", _text(lambda t: t.replace('"score": 1', '"score": NaN', 1)), "$", "NaN"),
    Case("Infinity", _text(lambda t: t.replace('"score": 1', '"score": -Infinity', 1)),
         "$", "Infinity"),
    Case("nested 100,000 deep", _raw(b"[" * 100_000 + b"]" * 100_000), "$", "nested"),
    Case("nested 40 deep in an unknown field", _doc(_deep(40)), "$", "nested"),
    Case("larger than the limit", _doc(_padding), "$", "the limit is"),
    Case("251 participants", _doc(_many_participants), "$.participants", "limit is 250"),
    Case("501 actions", _doc(_many_actions), "$.actions", "limit is 500"),
    Case("id longer than a file name allows", _doc(_set("workshop.id", "é" * 100)),
         "$.workshop.id", "too long"),
    Case("id with a control character", _doc(_set("workshop.id", "a\x1b[2Jb")),
         "$.workshop.id", "control"),
    Case("id with a path", _doc(_set("workshop.id", "../../etc/passwd")), "$.workshop.id", "/"),
    Case("date in the basic ISO form", _doc(_set("workshop.date", "20260331")),
         "$.workshop.date", "2026-03-31"),
    Case("date in week form", _doc(_set("workshop.date", "2026-W14-2")), "$.workshop.date",
         "2026-03-31"),
    Case("date in year 9999", _doc(_set("workshop.date", "9999-12-31")), "$.workshop.date",
         "year"),
    Case("due date in year 1", _doc(_set("actions", [{"id": "a", "text": "t",
                                                      "due": "0001-01-01"}])),
         "$.actions[0].due", "year"),
    Case("NUL in a note", _doc(_set("notes", {"intro": "a\x00b"})), "$.notes.intro", "NUL"),
    Case("key that is not a step", _doc(_set("notes", {"\x1b]0;owned\x07": "x"})), "$.notes",
         "unknown step"),
    Case("top level is a list", _raw(b"[]"), "$", "expected an object"),
    Case("byte order mark", _raw(b"\xef\xbb\xbf{}"), "line 1", "JSON"),
    Case("not UTF-8", _raw(b'{"title": "\xff\xfe"}'), "$", "UTF-8"),
    Case("truncated", _text(lambda t: t[: len(t) // 2]), "line 1", "JSON"),
    Case("empty file", _raw(b""), "line 1", "JSON"),
]

ENTRIES: list[Case] = [
    Case("dangling symbolic link", _symlink_to("no-such-target.json"), None, "symbolic link",
         importable_as_file=False),
    Case("symbolic link loop", _loop, None, "symbolic link", importable_as_file=False),
    Case("symbolic link to a device", _symlink_to("/dev/zero"), None, "symbolic link",
         importable_as_file=False),
    Case("symbolic link to a valid workshop elsewhere", _link_to_valid, None, "symbolic link",
         importable_as_file=False, imported=True),
    Case("FIFO named .json", _fifo, None, "not a regular file", importable_as_file=False),
    Case("socket named .json", _socket, None, "not a regular file", importable_as_file=False),
    Case("folder named .json", _folder, None, "a folder", importable_as_file=False),
]

#: Index files that are valid JSON of the wrong shape.
INDEXES: dict[str, Any] = {
    "a list": [],
    "tables of the wrong type": {"meta": [], "workshops": 5},
    "document ids that are not numbers": {"meta": {"x": {"version": 2}},
                                          "workshops": {"abc": {"id": VALID_ID}}},
    "rows missing fields": {"meta": {"1": {"version": 2}},
                            "workshops": {"1": {"id": VALID_ID}}},
    "rows of the wrong types": {"meta": {"1": {"version": 2}}, "workshops": {"1": {
        "id": VALID_ID, "title": 5, "organisation": None, "team": [], "date": {},
        "location": "", "facilitator": "", "baseline_id": None, "voting_mode": "named",
        "questionnaire": "q", "participants": "3", "pillar_states": [], "created": "",
        "mtime_ns": 0, "size": 0, "ino": 0}}},
    "a row for a file that is not there": {"meta": {"1": {"version": 2}}, "workshops": {"1": {
        "id": "ghost", "title": "Ghost", "organisation": "", "team": "", "date": "",
        "location": "", "facilitator": "", "baseline_id": None, "voting_mode": "named",
        "questionnaire": "q", "participants": 0, "pillar_states": {}, "created": "",
        "mtime_ns": 0, "size": 0, "ino": 0}}},
    "a huge number": {"meta": {"1": {"version": int("9" * 4000)}}},
    "deeply nested": json.loads("[" * 500 + "]" * 500),
}

ALL = DOCUMENTS + ENTRIES
