"""A room of phones in Debian's chromium runs a WHOLE workshop in the real app.

Two phones (two headless Chromium pages, one each for Ana and Bo) and a console
vote for Chen, who has no phone: every pillar is voted, counted on the projector
("n of 3 have voted"), revealed with the facilitator's keys, shown on the phones
after the reveal only, and at the end both phones download the summary PDF. The
workshop file holds exactly the answers the phones were told were saved.
Screenshots (projector with its QR code, each phone at each stage) go to out/.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from calms_desktop.core.model import PILLARS, Pillar
from calms_desktop.core.scoring import fmt
from tests.gui.test_phone_browser_app import PIN, _done, _in_thread, _join
from tests.net import test_phone_browser as pb

pytestmark = [
    pytest.mark.skipif(not (pb.CHROMIUM.exists() and pb.CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
    pytest.mark.slow,
]

KEYS = {Pillar.CULTURE: Qt.Key.Key_2, Pillar.AUTOMATION: Qt.Key.Key_3, Pillar.LEAN: Qt.Key.Key_4,
        Pillar.MEASUREMENT: Qt.Key.Key_5, Pillar.SHARING: Qt.Key.Key_6}


def _score(person: int, k: int) -> int:
    return 1 + (person * 2 + k) % 5  # Ana and Bo differ on most statements


@pytest.fixture
def phones(tmp_path):
    made: list = []

    def make(name):  # type: ignore[no-untyped-def]
        made.append(pb.chromium(tmp_path, f"-{name}"))
        return made[-1]

    yield make
    for driver in made:
        driver.quit()


def _grab(widget, name: str) -> None:
    pb.SHOTS.mkdir(exist_ok=True)
    QApplication.processEvents()
    widget.grab().save(str(pb.SHOTS / name))


def test_a_room_of_phones_runs_a_whole_workshop(qtbot, app_window, phones):
    from selenium.webdriver.common.by import By

    w = app_window
    w.resize(1366, 768)
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.current_screen().add_names("Ana\nBo\nChen")
    w.go_to("culture")
    w.toggle_projector()
    projector = w.projector
    projector.resize(1366, 768)
    w.toggle_phones()
    panel = w.phones
    panel.port = 0
    assert panel.open_voting("127.0.0.1", PIN)
    c = w.controller
    people = c.workshop.participants
    ana, bo = phones("ana"), phones("bo")
    url = panel.server.url
    _grab(projector, "projector-room-join.png")  # the QR code, address and PIN on show
    assert projector.join_info[0] == url
    w.activateWindow()  # the facilitator's keys go to the console (offscreen activates
    qtbot.waitUntil(lambda: QApplication.activeWindow() is w)  # every window it shows)

    joined = _in_thread(lambda: (_join(ana, url, "Ana"), _join(bo, url, "Bo")))
    _done(qtbot, joined)
    told: dict[tuple[str, str], int] = {}

    for pillar in PILLARS:
        qtbot.keyClick(w, KEYS[pillar], Qt.KeyboardModifier.ControlModifier)
        assert c.step == pillar.value
        sids = [s.id for s in c.workshop.questionnaire.section(pillar).statements]

        def vote(driver, person, sids=sids):  # type: ignore[no-untyped-def]
            pb._shown(driver, "vote")
            for k, sid in enumerate(sids):
                pb._answer(driver, sid, _score(person, k))
                pb._saved(driver, sid, str(_score(person, k)))

        for person, driver in ((0, ana), (1, bo)):
            _done(qtbot, _in_thread(lambda d=driver, p=person: vote(d, p)), timeout=90)
            for k, sid in enumerate(sids):
                told[(sid, people[person].id)] = _score(person, k)
        for sid in sids:  # Chen has no phone: the facilitator types his answers
            assert c.vote(sid, people[2].id, 3)
            told[(sid, people[2].id)] = 3
        qtbot.waitUntil(lambda: projector.ui.progressCount.text().startswith("3"), timeout=5000)
        assert "3" in projector.ui.progressCount.text()
        before = c.workshop.pillar_states[pillar]
        if pillar == Pillar.CULTURE:
            _grab(projector, "projector-room-voting.png")
            _grab(w, "console-room-voting.png")
            ana.save_screenshot(str(pb.SHOTS / "phone-room-vote.png"))
        screen = w.current_screen()
        screen.grid.setFocus()
        qtbot.keyClick(screen, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert c.workshop.pillar_states[pillar] != before, f"{pillar} was not revealed"

        def results(driver) -> str:  # type: ignore[no-untyped-def]
            pb._shown(driver, "results")
            return str(driver.find_element(By.ID, "results").text)

        shown = _done(qtbot, _in_thread(lambda: results(bo)))
        mean = c.score().pillars[pillar].mean
        assert mean is not None and fmt(mean) in shown  # the score the projector shows
        if pillar == Pillar.CULTURE:
            bo.save_screenshot(str(pb.SHOTS / "phone-room-reveal.png"))
            _grab(projector, "projector-room-reveal.png")

    w.go_to("summary")
    _grab(projector, "projector-room-summary.png")

    assert _done(qtbot, _in_thread(lambda: pb.download_pdf(ana))).startswith(b"%PDF")
    ana.save_screenshot(str(pb.SHOTS / "phone-room-download.png"))
    assert _done(qtbot, _in_thread(lambda: pb.download_pdf(bo))).startswith(b"%PDF")
    panel.close_voting()
    stored = w.library.load(c.workshop.id)
    assert {key: v.score for key, v in stored.votes.items()} == told
    assert all(v.source == "phone" for (sid, pid), v in stored.votes.items()
               if pid != people[2].id)

