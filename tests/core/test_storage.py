"""The library: one file per workshop, a derived index, damaged files set aside, one writer."""

from __future__ import annotations

import json
import os

import pytest

from calms_desktop.core import fileformat, storage
from calms_desktop.core.ballots import Ballot
from calms_desktop.core.errors import LibraryLocked, NotFound, ValidationError
from calms_desktop.core.operations import SetFields, SetNote
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import AtomicJSONStorage, Library, atomic_write

from .factories import fill, workshop


def make(wid: str, date: str = "2026-03-31", title: str = "Workshop", **kw):
    ws = workshop(3, wid=wid, **kw)
    ws.date = date
    ws.title = title
    return fill(ws, lambda si, pi: 1 + (si + pi) % 5)


def files_in(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def snapshot(folder):
    """Every file under ``folder`` with its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "library.lock"
    }


# -- basics ----------------------------------------------------------------------------------


def test_layout_of_a_new_library(library, data_dir):
    assert {"workshops", "trash", "damaged", "library.lock", "index.json"} <= set(
        files_in(data_dir)
    )
    assert len(library) == 0
    assert library.summaries() == []
    assert library.problems == []


def test_save_and_load(library, data_dir):
    ws = make("w1")
    library.save(ws)
    stored = (data_dir / "workshops" / "w1.json").read_text(encoding="utf-8")
    assert stored == fileformat.dumps(ws, compact=True)  # compact: cheaper per vote
    assert json.loads(stored) == json.loads(fileformat.dumps(ws))  # the export's document
    assert "w1" in library and len(library) == 1
    assert fileformat.dumps(library.load("w1")) == fileformat.dumps(ws)


def test_summaries_newest_first(library):
    library.save(make("old", "2025-01-10", "Old"))
    library.save(make("new", "2026-02-01", "New"))
    library.save(make("mid", "2025-06-01", "Mid"))
    rows = library.summaries()
    assert [r["id"] for r in rows] == ["new", "mid", "old"]
    assert {"id", "title", "organisation", "team", "date", "participants"} <= set(rows[0])
    assert rows[0]["participants"] == 3
    assert rows[0]["questionnaire"] == "test-q"


def test_summaries_survive_reopening(data_dir):
    with Library(data_dir) as lib:
        for i in range(5):
            lib.save(make(f"w{i}", f"2026-01-0{i + 1}", f"Title {i}"))
        before = lib.summaries()
    with Library(data_dir, read_only=True) as lib:
        assert lib.summaries() == before


def test_unknown_ids(library):
    with pytest.raises(NotFound):
        library.load("nope")
    for bad in ("../etc/passwd", "a/b", ".hidden", "a\\b"):
        with pytest.raises(NotFound):
            library.path_of(bad)


def test_team_workshops_oldest_first_case_insensitive(library, demo_pair):
    for ws in demo_pair:
        library.save(ws)
    library.save(make("other"))
    rows = library.team_workshops("  nordlicht logistics", "PAYMENTS PLATFORM ")
    assert [r["id"] for r in rows] == [ws.id for ws in demo_pair]


def test_iter_workshops(library):
    for i in range(3):
        library.save(make(f"w{i}"))
    assert sorted(ws.id for ws in library.iter_workshops()) == ["w0", "w1", "w2"]


def test_files_other_than_workshops_are_ignored(data_dir):
    Library(data_dir).close()
    (data_dir / "workshops" / "README.txt").write_text("notes", encoding="utf-8")
    with Library(data_dir) as lib:
        assert len(lib) == 0 and lib.problems == []
    assert (data_dir / "workshops" / "README.txt").exists()


# -- damaged files ------------------------------------------------------------------------


def _damage_truncated(data_dir, lib):
    path = data_dir / "workshops" / "bad.json"
    text = fileformat.dumps(make("bad"))
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    return path, "not valid JSON"


def _damage_invalid(data_dir, lib):
    path = data_dir / "workshops" / "bad.json"
    doc = fileformat.to_document(make("bad"))
    doc["votes"][0]["score"] = 7
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, "$.votes[0].score: a score must be 1–5"


def _damage_name(data_dir, lib):
    path = data_dir / "workshops" / "bad.json"
    path.write_text(fileformat.dumps(make("not-bad")), encoding="utf-8")
    return path, "the file name does not match its id 'not-bad'"


def _damage_binary(data_dir, lib):
    path = data_dir / "workshops" / "bad.json"
    path.write_bytes(os.urandom(300) + b"\xff")
    return path, "not UTF-8"


DAMAGE = {
    "truncated": _damage_truncated,
    "invalid": _damage_invalid,
    "name": _damage_name,
    "binary": _damage_binary,
}


@pytest.mark.parametrize("kind", DAMAGE)
def test_a_damaged_file_is_set_aside_untouched_and_the_rest_opens(data_dir, kind):
    with Library(data_dir) as lib:
        lib.save(make("good1"))
        lib.save(make("bad"))
        lib.save(make("good2"))
        path, expected = DAMAGE[kind](data_dir, lib)
    damaged_bytes = path.read_bytes()

    with Library(data_dir) as lib:
        assert sorted(r["id"] for r in lib.summaries()) == ["good1", "good2"]
        assert lib.load("good1").id == "good1"
        assert len(lib.problems) == 1
        problem = lib.problems[0]
        assert problem.file == str(path)
        assert expected in problem.message
        assert str(path) in problem.message or kind == "name"
        moved = data_dir / "damaged" / os.path.basename(problem.moved_to)
        assert moved.parent == data_dir / "damaged"
        assert moved.name.startswith("bad.") and moved.suffix == ".json"
        assert moved.read_bytes() == damaged_bytes
    assert not path.exists()

    with Library(data_dir) as lib:  # reported once, then the library is clean
        assert lib.problems == []
        assert len(lib) == 2


def test_damaged_files_never_overwrite_each_other(data_dir):
    Library(data_dir).close()
    contents = []
    for i in range(3):
        path = data_dir / "workshops" / "bad.json"
        path.write_text(f"broken {i}", encoding="utf-8")
        contents.append(path.read_bytes())
        with Library(data_dir) as lib:
            assert len(lib.problems) == 1
    kept = sorted((data_dir / "damaged").iterdir())
    assert len(kept) == 3
    assert sorted(p.read_bytes() for p in kept) == sorted(contents)


def test_read_only_reports_but_moves_nothing(data_dir):
    with Library(data_dir) as lib:
        lib.save(make("good"))
    bad = data_dir / "workshops" / "bad.json"
    bad.write_text("{", encoding="utf-8")
    before = snapshot(data_dir)
    with Library(data_dir, read_only=True) as lib:
        assert [r["id"] for r in lib.summaries()] == ["good"]
        assert len(lib.problems) == 1
        assert lib.problems[0].moved_to is None
    assert snapshot(data_dir) == before


def test_a_file_damaged_after_opening_is_set_aside_on_load(library, data_dir):
    library.save(make("w1"))
    path = data_dir / "workshops" / "w1.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ValidationError, match="w1.json"):
        library.load("w1")
    assert "w1" not in library
    assert len(list((data_dir / "damaged").iterdir())) == 1
    assert library.problems and library.problems[0].file == str(path)


# -- the index -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "damage",
    ["{not json", "", "[]", '{"meta": {"1": {"version": 99}}, "workshops": {}}', None],
    ids=["garbage", "empty", "list", "old-version", "missing"],
)
def test_a_damaged_or_missing_index_is_rebuilt(data_dir, damage):
    with Library(data_dir) as lib:
        for i in range(4):
            lib.save(make(f"w{i}", title=f"T{i}"))
        before = sorted(lib.summaries(), key=lambda r: r["id"])
    index = data_dir / "index.json"
    if damage is None:
        index.unlink()
    else:
        index.write_text(damage, encoding="utf-8")
    with Library(data_dir) as lib:
        assert sorted(lib.summaries(), key=lambda r: r["id"]) == before
        assert lib.problems == []
    data = json.loads(index.read_text(encoding="utf-8"))
    assert data["meta"]["1"]["version"] == storage.INDEX_VERSION
    assert len(data["workshops"]) == 4


def test_index_is_not_rewritten_for_a_vote_but_is_for_a_title(library, data_dir):
    ws = make("w1")
    library.save(ws)
    session = WorkshopSession(ws, library)
    index = data_dir / "index.json"
    before_bytes = index.read_bytes()
    before_mtime = index.stat().st_mtime_ns
    before_inode = index.stat().st_ino

    session.submit(Ballot("culture.s0", "p1", 5))
    session.submit(Ballot("lean.s1", "p0", 0))
    session.execute(SetNote("culture", "a note is not in the index either"))
    assert index.read_bytes() == before_bytes
    assert index.stat().st_mtime_ns == before_mtime
    assert index.stat().st_ino == before_inode  # not even replaced by an identical copy

    session.execute(SetFields.of(title="A new title"))
    assert index.read_bytes() != before_bytes
    rows = json.loads(index.read_text(encoding="utf-8"))["workshops"]
    assert [r["title"] for r in rows.values()] == ["A new title"]


def test_votes_saved_without_index_writes_are_there_after_reopening(data_dir):
    with Library(data_dir) as lib:
        ws = make("w1")
        lib.save(ws)
        session = WorkshopSession(ws, lib)
        for score in (1, 2, 3, 4):
            session.submit(Ballot("sharing.s1", "p2", score))
    with Library(data_dir) as lib:
        assert lib.problems == []
        assert lib.load("w1").vote("sharing.s1", "p2").score == 4


def test_files_changed_behind_the_librarys_back_are_picked_up(data_dir):
    with Library(data_dir) as lib:
        lib.save(make("w1", title="Before"))
        lib.save(make("w2"))
    # e.g. a synced folder brings a newer copy of w1, a new w3, and removes w2
    atomic_write(data_dir / "workshops" / "w1.json",
                 fileformat.dumps(make("w1", title="After, longer")).encode())
    atomic_write(data_dir / "workshops" / "w3.json", fileformat.dumps(make("w3")).encode())
    (data_dir / "workshops" / "w2.json").unlink()
    with Library(data_dir) as lib:
        assert {r["id"]: r["title"] for r in lib.summaries()} == {
            "w1": "After, longer", "w3": "Workshop"
        }


def test_atomic_json_storage_reads_garbage_as_nothing(tmp_path):
    path = tmp_path / "index.json"
    s = AtomicJSONStorage(path)
    assert s.read() is None
    path.write_text("{oops", encoding="utf-8")
    assert s.read() is None
    s.write({"t": {"1": {"a": "ü"}}})
    assert s.read() == {"t": {"1": {"a": "ü"}}}


# -- crash safety of a single write ------------------------------------------------------------


def test_atomic_write_replaces_the_file(tmp_path):
    path = tmp_path / "f.json"
    atomic_write(path, b"one")
    atomic_write(path, b"two")
    assert path.read_bytes() == b"two"
    assert files_in(tmp_path) == ["f.json"]


def test_a_failed_atomic_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "f.json"
    atomic_write(path, b"old")

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(storage.os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(path, b"new")
    assert path.read_bytes() == b"old"
    assert files_in(tmp_path) == ["f.json"]


def test_leftover_temp_files_are_cleaned_by_a_writer_only(data_dir):
    with Library(data_dir) as lib:
        lib.save(make("w1"))
    leftover = data_dir / "workshops" / ".w1.json.abc123.tmp"
    leftover.write_text('{"half": ', encoding="utf-8")
    with Library(data_dir, read_only=True) as lib:
        assert lib.problems == [] and len(lib) == 1
    assert leftover.exists()
    with Library(data_dir) as lib:
        assert lib.problems == [] and len(lib) == 1
    assert not leftover.exists()
    assert files_in(data_dir / "workshops") == ["w1.json"]


def test_leftover_temp_files_of_the_index_are_cleaned(data_dir):
    with Library(data_dir) as lib:
        lib.save(make("w1"))
    leftover = data_dir / ".index.json.k1ll3d.tmp"
    leftover.write_text('{"meta": ', encoding="utf-8")
    keep = data_dir / "notes.tmp"  # not one of ours: left alone
    keep.write_text("mine", encoding="utf-8")
    with Library(data_dir) as lib:
        assert lib.problems == [] and len(lib) == 1
    assert not leftover.exists()
    assert keep.exists()


# -- one writer ---------------------------------------------------------------------------------


def test_a_second_writer_is_refused_with_a_clear_message(library, data_dir):
    library.save(make("w1"))
    with pytest.raises(LibraryLocked) as info:
        Library(data_dir)
    message = str(info.value)
    assert str(data_dir) in message
    assert f"pid {os.getpid()}" in message
    assert "open in another CALMS Workshop" in message
    assert "--data-dir" in message


def test_readers_need_no_lock(library, data_dir):
    library.save(make("w1"))
    with Library(data_dir, read_only=True) as reader:
        assert [r["id"] for r in reader.summaries()] == ["w1"]
        assert reader.load("w1").id == "w1"
        with pytest.raises(LibraryLocked, match="read-only"):
            reader.save(make("w2"))
        with pytest.raises(LibraryLocked):
            reader.delete("w1")


def test_the_lock_is_released_on_close(data_dir):
    Library(data_dir).close()
    lib = Library(data_dir)
    lib.close()


def test_the_lock_holds_against_another_process(data_dir):
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from calms_desktop.core.storage import Library\n"
        "from calms_desktop.core.errors import LibraryLocked\n"
        "try:\n"
        f"    Library({str(data_dir)!r})\n"
        "except LibraryLocked as exc:\n"
        "    print(exc); sys.exit(3)\n"
    )
    with Library(data_dir):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                              timeout=60)
        assert proc.returncode == 3, proc.stderr
        assert f"pid {os.getpid()}" in proc.stdout
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_read_only_on_a_missing_folder_creates_nothing(tmp_path):
    folder = tmp_path / "none"
    with Library(folder, read_only=True) as lib:
        assert len(lib) == 0
    assert not folder.exists()


# -- trash ----------------------------------------------------------------------------------------


def test_delete_goes_to_the_trash_and_restore_brings_it_back(library, data_dir):
    ws = make("w1", title="Keep me")
    library.save(ws)
    library.save(make("w2"))
    content = (data_dir / "workshops" / "w1.json").read_bytes()

    library.delete("w1")
    assert "w1" not in library
    assert [r["id"] for r in library.summaries()] == ["w2"]
    assert (data_dir / "trash" / "w1.json").read_bytes() == content
    trash = library.trash()
    assert [(r["id"], r["title"]) for r in trash] == [("w1", "Keep me")]
    assert "deleted" in trash[0]

    library.restore("w1")
    assert "w1" in library
    assert (data_dir / "workshops" / "w1.json").read_bytes() == content
    assert library.trash() == []
    assert fileformat.dumps(library.load("w1")) == fileformat.dumps(ws)


def test_deletion_and_restore_survive_reopening(data_dir):
    with Library(data_dir) as lib:
        lib.save(make("w1"))
        lib.save(make("w2"))
        lib.delete("w1")
    with Library(data_dir) as lib:
        assert [r["id"] for r in lib.summaries()] == ["w2"]
        lib.restore("w1")
    with Library(data_dir) as lib:
        assert sorted(r["id"] for r in lib.summaries()) == ["w1", "w2"]


def test_trash_errors(library):
    with pytest.raises(NotFound):
        library.delete("nope")
    with pytest.raises(NotFound):
        library.restore("nope")
    library.save(make("w1"))
    library.delete("w1")
    library.save(make("w1"))  # a new workshop with the same id meanwhile
    with pytest.raises(ValidationError, match="already|in the library"):
        library.restore("w1")


# -- import -------------------------------------------------------------------------------------


@pytest.fixture
def existing(library):
    ws = make("w1", title="Original")
    library.save(ws)
    return ws


def imported():
    return make("w1", title="Imported")


def test_import_refuses_a_clash_by_default(library, data_dir, existing):
    before = snapshot(data_dir)
    with pytest.raises(ValidationError) as info:
        library.import_workshop(imported())
    assert info.value.where == "$.workshop.id"
    assert "already in the library" in info.value.problem
    assert snapshot(data_dir) == before


def test_import_replace(library, existing):
    assert library.import_workshop(imported(), "replace") == "w1"
    assert library.load("w1").title == "Imported"
    assert len(library) == 1


def test_import_keep_both(library, existing):
    new = library.import_workshop(imported(), "keep-both")
    assert new not in (None, "w1")
    assert library.load("w1").title == "Original"
    assert library.load(new).title == "Imported"
    assert library.load(new).id == new
    assert len(library) == 2


def test_import_skip(library, data_dir, existing):
    before = snapshot(data_dir)
    assert library.import_workshop(imported(), "skip") is None
    assert library.load("w1").title == "Original"
    assert snapshot(data_dir) == before


def test_import_without_a_clash(library):
    assert library.import_workshop(make("fresh")) == "fresh"
    assert "fresh" in library
