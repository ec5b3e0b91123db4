"""A full disk and a read-only drive: a failed change is never on disk, an acknowledged one is.

Run on a real small tmpfs (mounted here as root; skipped with the reason
where mounting is impossible).
"""

from __future__ import annotations

import errno
import json
import os

import pytest

from calms_desktop import cli
from calms_desktop.core import fileformat, storage
from calms_desktop.core.ballots import Ballot
from calms_desktop.core.errors import LibraryUnavailable, ValidationError
from calms_desktop.core.merge import import_files
from calms_desktop.core.operations import SetFields
from calms_desktop.core.session import WorkshopSession
from calms_desktop.core.storage import Library

from .factories import workshop
from .tmpfs import fill, remount, small_tmpfs


@pytest.fixture
def disk(tmp_path):
    with small_tmpfs(tmp_path / "mnt") as where:
        yield where


def _votes(folder, wid):
    with Library(folder, read_only=True) as lib:
        return dict(lib.load(wid).votes)


def test_a_vote_that_cannot_be_saved_is_not_on_disk_nor_in_memory(disk):
    folder = disk / "lib"
    lib = Library(folder)
    ws = workshop(4, wid="w1")
    lib.save(ws)
    session = WorkshopSession(lib.load("w1"), lib)
    s0 = session.workshop.questionnaire.statements[0].id
    session.submit(Ballot(s0, "p0", 3))  # acknowledged
    filler = fill(disk)
    with pytest.raises(OSError) as info:
        session.submit(Ballot(s0, "p1", 4))
    assert info.value.errno == errno.ENOSPC
    assert (s0, "p1") not in session.workshop.votes  # rolled back in memory
    assert [p.name for p in (folder / "workshops").iterdir()] == ["w1.json"]  # no temp left
    lib.close()
    filler.unlink()
    votes = _votes(folder, "w1")
    assert votes[(s0, "p0")].score == 3 and (s0, "p1") not in votes


def test_an_index_that_cannot_be_written_never_undoes_an_acknowledged_save(
        data_dir, monkeypatch):
    with Library(data_dir) as lib:
        lib.save(workshop(3, wid="w1"))
    lib = Library(data_dir)
    session = WorkshopSession(lib.load("w1"), lib)

    def no_space(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", no_space)
    session.execute(SetFields.of(title="Renamed while the index could not be written"))
    assert lib.summary("w1")["title"].startswith("Renamed")  # acknowledged, so listed
    lib.close()
    monkeypatch.undo()
    with Library(data_dir) as lib:  # the index row disagrees with the file: rebuilt
        assert lib.summary("w1")["title"] == "Renamed while the index could not be written"
        assert lib.load("w1").title == "Renamed while the index could not be written"


def test_a_failed_workshop_write_leaves_file_and_index_as_they_were(data_dir, monkeypatch):
    with Library(data_dir) as lib:
        lib.save(workshop(3, wid="w1"))
    before = (data_dir / "workshops" / "w1.json").read_bytes()
    index_before = (data_dir / "index.json").read_bytes()
    lib = Library(data_dir)
    session = WorkshopSession(lib.load("w1"), lib)

    def io_error(*_a, **_k):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(storage.os, "fsync", io_error)
    with pytest.raises(OSError):
        session.execute(SetFields.of(title="Never saved"))
    monkeypatch.undo()
    assert session.workshop.title != "Never saved"
    assert lib.summary("w1")["title"] != "Never saved"
    lib.close()
    assert (data_dir / "workshops" / "w1.json").read_bytes() == before
    assert (data_dir / "index.json").read_bytes() == index_before
    with Library(data_dir) as lib:
        assert lib.load("w1").title != "Never saved"


def test_an_import_on_a_full_disk_imports_nothing_and_names_the_users_file(disk, tmp_path):
    folder = disk / "lib"
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for i in range(3):
        ws = workshop(30, wid=f"in{i}")
        (incoming / f"{i}.json").write_text(fileformat.dumps(ws), encoding="utf-8")
    with Library(folder) as lib:
        lib.save(workshop(3, wid="mine"))
        filler = fill(disk)
        # Leave room for one file and a half, not for three.
        one = (incoming / "0.json").stat().st_size
        os.truncate(filler, os.path.getsize(filler) - one * 3 // 2)
        report = import_files(lib, [incoming], lambda clash: "skip")
        assert report.failed is not None and report.changed == 0
        assert str(incoming) in report.failed.source and "the disk is full" in str(report.failed)
        assert report.summary().startswith("Nothing was imported")
        assert [r["id"] for r in lib.summaries()] == ["mine"]
    assert sorted(p.name for p in (folder / "workshops").iterdir()) == ["mine.json"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".staging-")]
    with Library(folder) as lib:
        assert [r["id"] for r in lib.summaries()] == ["mine"]


def test_cli_import_on_a_full_disk(disk, tmp_path, capsys):
    folder = disk / "lib"
    Library(folder).close()
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    for i in range(3):
        (incoming / f"{i}.json").write_text(fileformat.dumps(workshop(30, wid=f"in{i}")),
                                            encoding="utf-8")
    filler = fill(disk)
    one = (incoming / "0.json").stat().st_size
    os.truncate(filler, os.path.getsize(filler) - one * 3 // 2)
    assert cli.main(["import", str(incoming), "--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(incoming) in err and ".tmp" not in err and ".staging" not in err
    assert "Nothing was imported" in err
    filler.unlink()
    with Library(folder) as lib:
        assert len(lib) == 0


def test_a_read_only_library_is_refused_clearly_and_readers_still_work(disk, capsys):
    folder = disk / "lib"
    with Library(folder) as lib:
        lib.save(workshop(3, wid="w1"))
    remount(disk, "ro")
    try:
        with pytest.raises(LibraryUnavailable, match="read-only"):
            Library(folder)
        assert cli.main(["list", "--data-dir", str(folder)]) == 0
        assert "w1" in capsys.readouterr().out
        assert cli.main(["demo", "--data-dir", str(folder)]) == 2
        assert "read-only" in capsys.readouterr().err
    finally:
        remount(disk, "rw")


def test_a_library_on_a_missing_drive_is_refused_clearly(tmp_path):
    (tmp_path / "not-a-drive").write_text("a file where the drive's folder should be")
    with pytest.raises(LibraryUnavailable, match="connected"):
        Library(tmp_path / "not-a-drive" / "CALMS")


def test_a_lock_file_that_cannot_be_written_is_refused_clearly(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "library.lock").mkdir()  # a folder where the lock file should be
    with pytest.raises(LibraryUnavailable, match="lock file"):
        Library(data_dir)


def test_deleting_the_lock_file_lets_no_second_writer_in(data_dir):
    from calms_desktop.core.errors import LibraryLocked

    with Library(data_dir):
        (data_dir / "library.lock").unlink()
        with pytest.raises(LibraryLocked):
            Library(data_dir)


def test_trashing_an_id_already_in_the_trash_keeps_both(library):
    first = workshop(3, wid="w1")
    first.title = "First"
    library.save(first)
    library.delete("w1")
    second = workshop(3, wid="w1")
    second.title = "Second"
    library.save(second)
    library.delete("w1")
    assert sorted(r["title"] for r in library.trash()) == ["First", "Second"]
    library.restore("w1")  # the one deleted last
    assert library.load("w1").title == "Second"
    assert [r["title"] for r in library.trash()] == ["First"]


def test_a_reader_skips_a_file_the_writer_moves_during_its_scan(library, data_dir,
                                                                  monkeypatch):
    library.save(workshop(3, wid="w1"))
    library.save(workshop(3, wid="w2"))
    (data_dir / "index.json").unlink()  # make the reader read the files
    real = storage.v.read_limited

    def moved_meanwhile(path, *a):
        if path.name == "w2.json":
            library.delete("w2")  # the app moves it to the trash right now
        return real(path, *a)

    monkeypatch.setattr(storage.v, "read_limited", moved_meanwhile)
    with Library(data_dir, read_only=True) as reader:
        assert [r["id"] for r in reader.summaries()] == ["w1"] and reader.problems == []
    monkeypatch.undo()
    with Library(data_dir, read_only=True) as reader:
        library.delete("w1")
        with pytest.raises(Exception, match="no longer in"):
            reader.load("w1")


def test_exports_follow_the_umask_and_leftovers_are_swept(library, tmp_path):
    import fcntl

    library.save(workshop(3, wid="w1"))
    out = tmp_path / "out.json"
    dead = tmp_path / ".out.json.killed.tmp"
    dead.write_bytes(b"half")
    live = tmp_path / ".out.json.writing.tmp"
    live.write_bytes(b"someone is writing")
    fd = os.open(live, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)
    old = os.umask(0o022)
    try:
        assert cli.main(["export", "w1", "--json", str(out),
                         "--data-dir", str(library.folder)]) == 0
        assert oct(os.stat(out).st_mode & 0o777) == oct(0o644)
        os.unlink(out)
        os.umask(0o077)
        assert cli.main(["export", "w1", "--json", str(out),
                         "--data-dir", str(library.folder)]) == 0
        assert oct(os.stat(out).st_mode & 0o777) == oct(0o600)
    finally:
        os.umask(old)
        os.close(fd)
    assert not dead.exists()  # left by a killed export: gone
    assert live.exists()  # a live writer's: kept
    assert json.loads(out.read_text(encoding="utf-8"))["workshop"]["id"] == "w1"


def test_a_workshop_over_the_size_limit_is_refused_before_it_reaches_disk(library):
    from calms_desktop.core.model import ActionItem
    from calms_desktop.core.operations import PutAction

    session = WorkshopSession(workshop(3, wid="big"), library)
    library.save(session.workshop)
    for i in range(20):  # 20 × 100,000 characters > 1 MiB
        try:
            session.execute(PutAction(ActionItem(f"a{i}", "x" * 100_000)))
        except ValidationError as exc:
            assert "limit" in str(exc)
            break
    else:
        pytest.fail("a workshop over the limit was saved")
    on_disk = fileformat.read_file(library.path_of("big"))
    assert len(on_disk.actions) == len(session.workshop.actions)  # memory == disk


def test_an_id_too_long_for_this_drive_is_refused_before_anything_is_staged(
        library, tmp_path, monkeypatch):
    ws = workshop(3, wid="x" * 90)
    mine = tmp_path / "long-id.json"
    mine.write_text(fileformat.dumps(ws), encoding="utf-8")
    monkeypatch.setattr(storage.os, "pathconf", lambda _path, _name: 100)  # e.g. eCryptfs
    report = import_files(library, [tmp_path / "long-id.json", ], lambda clash: "skip")
    assert report.failed is not None and report.failed.source == str(mine)
    assert report.failed.where == "$.workshop.id" and "too long" in report.failed.problem
    assert len(library) == 0
    assert not [p for p in library.folder.iterdir() if p.name.startswith(".staging-")]


def test_a_text_the_encoder_refuses_names_the_users_file(library, tmp_path):
    from calms_desktop.core.storage import StagedImport

    good = workshop(3, wid="good")
    bad = workshop(3, wid="bad")
    bad.title = "lone \ud800 surrogate"  # made in memory, past the loader's check
    with pytest.raises(ValidationError) as info:
        library.commit_imports([StagedImport("good.json", good), StagedImport("bad.json", bad)])
    assert info.value.source == "bad.json" and "cannot be stored" in info.value.problem
    assert len(library) == 0 and list((library.folder / "workshops").iterdir()) == []


def test_a_folder_fsync_failing_after_the_rename_counts_as_saved(data_dir, monkeypatch):
    with Library(data_dir) as lib:
        lib.save(workshop(3, wid="w1"))
    lib = Library(data_dir)
    session = WorkshopSession(lib.load("w1"), lib)

    def io_error(_folder):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(storage, "_fsync_dir", io_error)
    session.execute(SetFields.of(title="On disk, so acknowledged"))  # does not raise
    monkeypatch.undo()
    lib.close()
    with Library(data_dir) as lib:  # memory and disk agree
        assert lib.load("w1").title == "On disk, so acknowledged"
