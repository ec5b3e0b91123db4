"""The command line: list, export, import, demo — no display, clear errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from calms_desktop.cli import EXIT_LOCKED, EXIT_USER_ERROR, main
from calms_desktop.core import fileformat
from calms_desktop.core.demo import DEMO_IDS
from calms_desktop.core.storage import Library


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder):
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "library.lock"
    }


@pytest.fixture
def demo_dir(tmp_path, capsys):
    d = tmp_path / "lib"
    code, out, err = run(capsys, "demo", "--data-dir", d)
    assert code == 0, err
    return d


def test_demo_then_list_json(demo_dir, capsys):
    code, out, err = run(capsys, "list", "--json", "--data-dir", demo_dir)
    assert code == 0 and err == ""
    rows = json.loads(out)
    assert isinstance(rows, list) and len(rows) == 2
    for r in rows:
        assert {"id", "title", "organisation", "team", "date"} <= set(r)
        assert r["organisation"] == "Nordlicht Logistics"
    assert [r["id"] for r in rows] == [DEMO_IDS[1], DEMO_IDS[0]]  # newest first
    assert rows[0]["baseline_id"] == DEMO_IDS[0]
    assert 8 <= rows[0]["participants"] <= 12


def test_demo_prints_what_it_added_and_can_run_twice(demo_dir, capsys):
    code, out, _ = run(capsys, "demo", "--data-dir", demo_dir)
    assert code == 0
    assert DEMO_IDS[0] in out and DEMO_IDS[1] in out
    with Library(demo_dir, read_only=True) as lib:
        assert len(lib) == 2


def test_list_as_text(demo_dir, capsys, tmp_path):
    code, out, _ = run(capsys, "list", "--data-dir", demo_dir)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(DEMO_IDS[1]) and "CALMS re-assessment" in lines[0]
    code, out, _ = run(capsys, "list", "--data-dir", tmp_path / "empty")
    assert code == 0 and "No workshops" in out and "calms-desktop demo" in out


def test_demo_list_export_import_export_round_trips(demo_dir, tmp_path, capsys):
    rows = json.loads(run(capsys, "list", "--json", "--data-dir", demo_dir)[1])
    exported = []
    for r in rows:
        f = tmp_path / f"first-{r['id']}.json"
        code, out, err = run(capsys, "export", r["id"], "--json", f, "--data-dir", demo_dir)
        assert code == 0, err
        assert "Exported" in out
        exported.append(f)

    empty = tmp_path / "other"
    for f in exported:
        code, out, err = run(capsys, "import", f, "--data-dir", empty)
        assert code == 0, err
        assert out.startswith("Imported ")

    assert json.loads(run(capsys, "list", "--json", "--data-dir", empty)[1]) == rows
    for r, first in zip(rows, exported, strict=True):
        again = tmp_path / f"second-{r['id']}.json"
        assert run(capsys, "export", r["id"], "--json", again, "--data-dir", empty)[0] == 0
        assert again.read_bytes() == first.read_bytes()
        with Library(demo_dir, read_only=True) as lib:  # the library's document, indented
            stored = json.loads(lib.path_of(r["id"]).read_bytes())
            assert json.loads(first.read_bytes()) == stored


def test_export_to_stdout(demo_dir, capsys):
    code, out, _ = run(capsys, "export", DEMO_IDS[0], "--json", "-", "--data-dir", demo_dir)
    assert code == 0
    assert fileformat.from_document(json.loads(out)).id == DEMO_IDS[0]


def test_export_by_unique_prefix(demo_dir, tmp_path, capsys):
    f = tmp_path / "x.json"
    assert run(capsys, "export", DEMO_IDS[0][:-1] + "1", "--json", f,
               "--data-dir", demo_dir)[0] == 0
    code, _, err = run(capsys, "export", "d3e0c0de", "--json", f, "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert "matches 2 workshops" in err


def test_data_dir_before_or_after_the_command(demo_dir, capsys):
    before = run(capsys, "--data-dir", demo_dir, "list", "--json")
    after = run(capsys, "list", "--json", "--data-dir", demo_dir)
    assert before[0] == after[0] == 0
    assert before[1] == after[1]
    assert len(json.loads(before[1])) == 2


def test_unknown_id(demo_dir, tmp_path, capsys):
    code, out, err = run(capsys, "export", "no-such-id", "--json", tmp_path / "x.json",
                         "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert err.startswith("error: no workshop 'no-such-id'")
    assert "Traceback" not in err
    assert not (tmp_path / "x.json").exists()


def test_export_needs_a_format(demo_dir, capsys):
    code, _, err = run(capsys, "export", DEMO_IDS[0], "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert "--json FILE" in err


def _malformed(tmp_path, demo_dir, capsys):
    f = tmp_path / "exported.json"
    run(capsys, "export", DEMO_IDS[1], "--json", f, "--data-dir", demo_dir)
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc["workshop"]["id"] = "another-id"
    doc["votes"][4]["score"] = 9
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    return bad


def test_import_of_a_malformed_file(demo_dir, tmp_path, capsys):
    bad = _malformed(tmp_path, demo_dir, capsys)
    before = snapshot(demo_dir)
    code, out, err = run(capsys, "import", bad, "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert f"error: {bad}: $.votes[4].score: a score must be 1–5" in err
    assert "got 9" in err
    assert "library is unchanged" in err
    assert "Traceback" not in err
    assert out == ""
    assert snapshot(demo_dir) == before


def test_import_of_an_id_that_cannot_be_a_file_name(demo_dir, tmp_path, capsys):
    f = tmp_path / "exported.json"
    run(capsys, "export", DEMO_IDS[1], "--json", f, "--data-dir", demo_dir)
    doc = json.loads(f.read_text(encoding="utf-8"))
    doc["workshop"]["id"] = "../../outside"
    f.write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(demo_dir)
    code, _, err = run(capsys, "import", f, "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert f"{f}: $.workshop.id: must not contain /" in err
    assert snapshot(demo_dir) == before


def test_import_of_a_file_that_is_not_json(demo_dir, tmp_path, capsys):
    bad = tmp_path / "notes.json"
    bad.write_text("Just some notes, not a workshop.", encoding="utf-8")
    before = snapshot(demo_dir)
    code, _, err = run(capsys, "import", bad, "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert f"{bad}: line 1, column 1: not valid JSON" in err
    assert snapshot(demo_dir) == before


def test_one_bad_file_in_a_folder_imports_nothing(demo_dir, tmp_path, capsys):
    folder = tmp_path / "batch"
    folder.mkdir()
    bad = _malformed(tmp_path, demo_dir, capsys)
    bad.rename(folder / "b.json")
    good = tmp_path / "good.json"
    run(capsys, "export", DEMO_IDS[0], "--json", good, "--data-dir", demo_dir)
    good.rename(folder / "a.json")
    empty = tmp_path / "fresh"
    code, _, err = run(capsys, "import", folder, "--data-dir", empty)
    assert code == EXIT_USER_ERROR
    assert "b.json" in err and "a.json" not in err
    with Library(empty, read_only=True) as lib:
        assert len(lib) == 0


def test_import_a_folder(demo_dir, tmp_path, capsys):
    folder = tmp_path / "batch"
    folder.mkdir()
    for i, wid in enumerate(DEMO_IDS):
        run(capsys, "export", wid, "--json", folder / f"{i}.json", "--data-dir", demo_dir)
    code, out, err = run(capsys, "import", folder, "--data-dir", tmp_path / "fresh")
    assert code == 0, err
    assert out.count("Imported") == 2


def test_import_of_missing_paths(tmp_path, capsys):
    code, _, err = run(capsys, "import", tmp_path / "nope.json", "--data-dir", tmp_path / "l")
    assert code == EXIT_USER_ERROR
    assert "no such file or folder" in err
    (tmp_path / "emptydir").mkdir()
    code, _, err = run(capsys, "import", tmp_path / "emptydir", "--data-dir", tmp_path / "l")
    assert code == EXIT_USER_ERROR
    assert "no .json workshop files" in err


def test_import_conflicts(demo_dir, tmp_path, capsys):
    f = tmp_path / "w.json"
    run(capsys, "export", DEMO_IDS[0], "--json", f, "--data-dir", demo_dir)
    before = snapshot(demo_dir)

    code, _, err = run(capsys, "import", f, "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert "already in the library" in err and "--replace, --keep-both or --skip" in err
    assert snapshot(demo_dir) == before

    code, out, _ = run(capsys, "import", f, "--skip", "--data-dir", demo_dir)
    assert code == 0 and out.startswith("Skipped")
    assert snapshot(demo_dir) == before

    code, out, _ = run(capsys, "import", f, "--replace", "--data-dir", demo_dir)
    assert code == 0 and out.startswith("Imported")
    with Library(demo_dir, read_only=True) as lib:
        assert len(lib) == 2

    code, out, _ = run(capsys, "import", f, "--keep-both", "--data-dir", demo_dir)
    assert code == 0 and "as a copy" in out
    with Library(demo_dir, read_only=True) as lib:
        assert len(lib) == 3


def test_conflict_options_are_exclusive(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["import", "x.json", "--skip", "--replace", "--data-dir", str(tmp_path)])
    assert info.value.code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_a_locked_library(demo_dir, tmp_path, capsys):
    f = tmp_path / "w.json"
    run(capsys, "export", DEMO_IDS[0], "--json", f, "--data-dir", demo_dir)
    with Library(demo_dir):
        code, _, err = run(capsys, "import", f, "--skip", "--data-dir", demo_dir)
        assert code == EXIT_LOCKED
        assert "open in another CALMS Workshop" in err and "Traceback" not in err
        code, _, err = run(capsys, "demo", "--data-dir", demo_dir)
        assert code == EXIT_LOCKED
        # reading needs no lock
        assert run(capsys, "list", "--json", "--data-dir", demo_dir)[0] == 0


def test_damaged_files_are_reported_by_list(demo_dir, capsys):
    (demo_dir / "workshops" / "broken.json").write_text("{", encoding="utf-8")
    code, out, err = run(capsys, "list", "--json", "--data-dir", demo_dir)
    assert code == 0
    assert len(json.loads(out)) == 2
    assert err.startswith("warning: ") and "broken.json" in err


def test_unwritable_destination(demo_dir, tmp_path, capsys):
    code, _, err = run(capsys, "export", DEMO_IDS[0], "--json", tmp_path / "no" / "dir.json",
                       "--data-dir", demo_dir)
    assert code == EXIT_USER_ERROR
    assert err.startswith("error: ") and "Traceback" not in err


def test_python_m_help_in_a_subprocess(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "calms_desktop", "--help"],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "usage: calms-desktop" in proc.stdout
    for command in ("list", "export", "import", "demo", "--data-dir"):
        assert command in proc.stdout


def test_python_m_list_needs_no_display(demo_dir):
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [sys.executable, "-m", "calms_desktop", "--data-dir", str(demo_dir), "list", "--json"],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(proc.stdout)) == 2


def test_an_export_of_a_workshop_with_a_bad_metric_entry_warns_and_goes_on(demo_dir, capsys):
    path = demo_dir / "workshops" / f"{DEMO_IDS[1]}.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["metrics"][0]["basis"] = "guessed"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = snapshot(demo_dir)
    code, out, err = run(capsys, "export", DEMO_IDS[1], "--json", "-", "--data-dir", demo_dir)
    assert code == 0
    exported = fileformat.from_document(json.loads(out))
    assert "lead_time" not in exported.metrics and len(exported.votes) == len(doc["votes"])
    assert err.startswith("warning: This workshop opened, but 1 delivery-metric entry")
    assert "$.metrics[0].basis" in err and "The file itself is unchanged." in err
    assert "\\x0a" not in err and "\n• $.metrics[0].basis" in err  # lines, not escapes
    assert snapshot(demo_dir) == before  # a read-only export changes nothing


def test_the_help_and_argparse_errors_are_in_the_systems_language(monkeypatch, capsys):
    """Breaking pass: German --help was half English ("usage:", "options:", argparse's
    own errors)."""
    import pytest

    from calms_desktop.cli import main

    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("Aufruf: ") and "Optionen:" in out and "Befehle:" in out
    assert "diese Hilfe zeigen und beenden" in out and "usage" not in out
    with pytest.raises(SystemExit):
        main(["export"])
    assert "Fehler: diese Argumente fehlen: id" in capsys.readouterr().err


def test_german_export_messages_start_with_a_capital(demo_dir, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LC_ALL", "de_DE.UTF-8")
    pdf = tmp_path / "bericht.pdf"
    code, out, err = run(capsys, "export", DEMO_IDS[1], "--pdf", pdf, "--data-dir", demo_dir)
    assert code == 0, err
    line = (out or err).strip().splitlines()[-1]
    assert line.startswith("Exportiert: Zusammenfassung für Teilnehmende (PDF) von "), line
    assert line[0].isupper()
