"""The resume file: written atomically, read back, unreadable means none."""

from calms_desktop.core.resume import ResumeState, ResumeStore


def test_save_load_clear(tmp_path):
    store = ResumeStore(tmp_path)
    assert store.load() is None
    timer = {"step": "lean", "budget_ms": 1, "elapsed_ms": 0, "running": True}
    state = ResumeState("w1", "lean", "lean.retros", {"lean": timer})
    store.save(state)
    assert store.load() == state
    store.clear()
    assert store.load() is None
    store.clear()  # clearing twice is fine


def test_damaged_resume_file_reads_as_none(tmp_path):
    store = ResumeStore(tmp_path)
    for junk in ("{", "[]", '{"step": "x"}', "\x00\x01"):
        store.path.write_text(junk)
        assert store.load() is None


def test_no_temporary_files_left_behind(tmp_path):
    store = ResumeStore(tmp_path)
    for i in range(5):
        store.save(ResumeState("w", "intro", str(i)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["session.json"]


def test_the_resume_file_with_the_phones_pin_is_the_owners_only(tmp_path):
    store = ResumeStore(tmp_path)
    phones = {"open": True, "host": "127.0.0.1", "port": 8765, "pin": "123456"}
    store.save(ResumeState("w", "culture", phones=phones))
    assert store.load().phones == phones
    assert store.path.stat().st_mode & 0o777 == 0o600
