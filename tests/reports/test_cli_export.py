"""``calms-desktop export ID --pdf/--csv/--summary-csv``: files, baseline, clear errors."""

from __future__ import annotations

import csv
import io

import pytest

from calms_desktop.cli import EXIT_USER_ERROR, main
from calms_desktop.core.demo import install_demo
from calms_desktop.core.storage import Library
from tests.reports.conftest import pdf_reader, pdf_text


@pytest.fixture
def demo(tmp_path):
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        base, ws = install_demo(lib)
    return folder, base, ws


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_attendee_pdf_is_the_default(demo, tmp_path, capsys):
    folder, base, ws = demo
    f = tmp_path / "summary.pdf"
    code, out, err = run(capsys, "export", ws.id, "--pdf", f, "--data-dir", folder)
    assert code == 0, err
    assert "Exported" in out and str(f) in out
    reader = pdf_reader(f.read_bytes())
    assert 1 <= len(reader.pages) <= 2
    assert "Since" in pdf_text(f.read_bytes())  # compared with the baseline from the library


def test_facilitator_pdf(demo, tmp_path, capsys):
    folder, _, ws = demo
    f = tmp_path / "report.pdf"
    code, _, err = run(capsys, "export", ws.id[:-1] + "2", "--pdf", f, "--audience",
                       "facilitator", "--data-dir", folder)
    assert code == 0, err
    assert len(pdf_reader(f.read_bytes()).pages) > 5


def test_csv_and_summary_csv_together(demo, tmp_path, capsys):
    folder, _, ws = demo
    votes, summary = tmp_path / "votes.csv", tmp_path / "summary.csv"
    code, out, err = run(capsys, "export", ws.id, "--csv", votes, "--summary-csv", summary,
                         "--data-dir", folder)
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(votes.read_text(encoding="utf-8-sig"), newline="")))
    assert rows[0][0] == "workshop_id" and len(rows) == len(ws.votes) + 1
    srows = list(csv.DictReader(io.StringIO(summary.read_text(encoding="utf-8-sig"))))
    assert srows[-1]["pillar"] == "overall" and srows[0]["delta"] != ""


def test_pdf_to_stdout(demo, capsysbinary):
    folder, _, ws = demo
    code = main(["export", ws.id, "--pdf", "-", "--data-dir", str(folder)])
    out, err = capsysbinary.readouterr()
    assert code == 0
    assert out.startswith(b"%PDF") and out.rstrip().endswith(b"%%EOF")
    assert b"Exported" not in out


def test_missing_baseline_is_a_warning(demo, tmp_path, capsys):
    folder, base, ws = demo
    with Library(folder) as lib:
        lib.delete(base.id)
    f = tmp_path / "s.pdf"
    code, _, err = run(capsys, "export", ws.id, "--pdf", f, "--data-dir", folder)
    assert code == 0
    assert "warning: baseline not available" in err
    assert f.exists()


@pytest.mark.parametrize("args", [
    ["--audience", "facilitator"],
    ["--pdf", "-", "--csv", "-"],
    [],
])
def test_usage_errors_exit_2_without_traceback(demo, capsys, args):
    folder, _, ws = demo
    code, _, err = run(capsys, "export", ws.id, *args, "--data-dir", folder)
    assert code == EXIT_USER_ERROR
    assert err.startswith("error: ") and "Traceback" not in err


def test_unwritable_target_exits_2(demo, tmp_path, capsys):
    folder, _, ws = demo
    code, _, err = run(capsys, "export", ws.id, "--csv", tmp_path / "no" / "dir" / "x.csv",
                       "--data-dir", folder)
    assert code == EXIT_USER_ERROR
    assert "Traceback" not in err


def test_bad_audience_is_an_argparse_error(demo, capsys):
    folder, _, ws = demo
    with pytest.raises(SystemExit) as exc:
        main(["export", ws.id, "--pdf", "x.pdf", "--audience", "boss", "--data-dir", str(folder)])
    assert exc.value.code == 2


def test_pdf_export_uses_the_apps_report_branding(demo, tmp_path, capsys):
    folder, _, ws = demo
    (folder / "settings.ini").write_text(
        "[report_branding]\nconsultant=Mara Lindholm\ncompany=Lindholm Agile\n"
        "contact=mara@lindholm.example\nconfidentiality=Client confidential\n",
        encoding="utf-8")
    f = tmp_path / "report.pdf"
    code, _, err = run(capsys, "export", ws.id, "--pdf", f, "--audience", "facilitator",
                       "--data-dir", folder)
    assert code == 0, err
    text = pdf_text(f.read_bytes())
    assert "Client confidential" in text  # as typed, case too
    assert "Mara Lindholm, Lindholm Agile" in text
    assert pdf_reader(f.read_bytes()).metadata.author == "Mara Lindholm"


def test_csv_export_loads_neither_matplotlib_nor_reportlab(demo, tmp_path):
    import subprocess
    import sys

    folder, _, ws = demo
    f = tmp_path / "votes.csv"
    probe = ("import sys; from calms_desktop.cli import main; "
             f"code = main(['export', {ws.id!r}, '--csv', {str(f)!r}, '--data-dir', "
             f"{str(folder)!r}]); "
             "print(sorted(m for m in ('matplotlib', 'reportlab', 'PySide6') if m in sys.modules))"
             "; sys.exit(code)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
    assert f.read_bytes().startswith(b"\xef\xbb\xbf")


def test_a_source_date_that_is_no_number_is_ignored_with_a_warning(monkeypatch):
    """Breaking pass: SOURCE_DATE_EPOCH=garbage failed the whole PDF export."""
    import os

    from calms_desktop.reports import ExportKind, build_export, ignore_bad_source_date
    from tests.reports.conftest import make_workshop

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert ignore_bad_source_date() is None  # a real one stays
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "garbage")
    assert "garbage" in (ignore_bad_source_date() or "")
    assert "SOURCE_DATE_EPOCH" not in os.environ
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "garbage")
    assert build_export(ExportKind.ATTENDEE_PDF, make_workshop()).startswith(b"%PDF")
