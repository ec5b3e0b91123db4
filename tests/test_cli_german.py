"""The command line in German: whole messages in German, naming the user's own path."""

from __future__ import annotations

import errno

import pytest

from calms_desktop.cli import EXIT_USER_ERROR, build_parser, cannot_write, main
from calms_desktop.core.demo import DEMO_IDS, install_demo
from calms_desktop.core.i18n import Translator, activate
from calms_desktop.core.storage import Library
from calms_desktop.core.validate import json_reason, system_reason

#: Words of the system's and the json module's English that must not reach a German message.
ENGLISH = ("No such file", "Invalid", "Unterminated", "Expecting", "denied", "$:", " FILE",
           "Permission", "Extra data")


@pytest.fixture
def german_dir(tmp_path, monkeypatch, capsys):
    """A demo library whose app language is German (View → Language), on a German system."""
    monkeypatch.setenv("LANGUAGE", "de")
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    folder = tmp_path / "lib"
    with Library(folder) as lib:
        install_demo(lib)
    (folder / "settings.ini").write_text("[ui]\nlanguage=de\n", encoding="utf-8")
    capsys.readouterr()
    return folder


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out + err


def assert_german(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, (word, text)


@pytest.mark.parametrize(("content", "reason"), [
    (b'{"broken', "ein Text in Anführungszeichen wird nicht geschlossen"),
    (b'{"broken\x01"}', "ein Steuerzeichen in einem Text in Anführungszeichen"),
    (b'{"a" 1}', "ein Doppelpunkt (:) fehlt"),
    (b'{"a": 1} x', "nach dem Ende des Dokuments folgt noch Text"),
    (b"", "ein Wert fehlt"),
])
def test_a_broken_json_file_is_described_in_german(german_dir, tmp_path, capsys, content,
                                                   reason):
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    code, text = run(capsys, "import", bad, "--data-dir", german_dir)
    assert code == EXIT_USER_ERROR
    assert f"Fehler: {bad}: Zeile 1, Spalte" in text and f"kein gültiges JSON ({reason})" in text
    assert "Nichts wurde importiert" in text and "Prüfen Sie" in text  # … and what to do
    assert_german(text)


def test_a_missing_file_names_no_json_path(german_dir, tmp_path, capsys):
    missing = tmp_path / "nonexist.json"
    code, text = run(capsys, "import", missing, "--data-dir", german_dir)
    assert code == EXIT_USER_ERROR
    assert f"Fehler: {missing}: diese Datei oder dieser Ordner existiert nicht" in text
    assert_german(text)


def test_a_pdf_into_a_missing_folder_names_the_users_path(german_dir, tmp_path, capsys):
    target = tmp_path / "nonexist" / "x.pdf"
    code, text = run(capsys, "export", DEMO_IDS[1], "--pdf", target, "--data-dir", german_dir)
    assert code == EXIT_USER_ERROR
    assert f"{target} kann nicht geschrieben werden" in text
    assert f"der Ordner {target.parent} existiert nicht" in text  # the hint
    assert ".tmp" not in text and ".x.pdf." not in text  # not the hidden temporary file
    assert_german(text)
    assert not target.parent.exists()


def test_usage_and_messages_spell_the_placeholders_alike(german_dir, capsys):
    with activate(Translator("de")):
        usage = build_parser().format_help()
    code, text = run(capsys, "export", DEMO_IDS[1], "--data-dir", german_dir)
    assert code == EXIT_USER_ERROR and "--json DATEI" in text
    assert "--data-dir ORDNER" in usage and "FILE" not in usage and "DIR " not in usage


@pytest.mark.parametrize("code", [errno.ENOENT, errno.EACCES, errno.ENOSPC, errno.EROFS,
                                  errno.EXDEV])
def test_system_errors_in_german(code):
    with activate(Translator("de")):
        reason = system_reason(OSError(code, "English words"))
        message = cannot_write("/nowhere/x.csv", OSError(code, "English words"))
    assert "English" not in reason and "English" not in message
    assert message.startswith("/nowhere/x.csv kann nicht geschrieben werden")


def test_every_json_message_has_words_of_its_own():
    import json

    for text in ('{"a', '{"a"', '{"a":', "[1 2]", '{"a":1,}', '"\\x"', '"\\u12"', "[1] 2",
                 "{1: 2}"):
        with pytest.raises(json.JSONDecodeError) as info:
            json.loads(text)
        with activate(Translator("de")):
            assert json_reason(info.value.msg) != "der Text folgt nicht den Regeln von JSON", text
