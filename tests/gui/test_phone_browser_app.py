"""A phone in Debian's chromium votes in the REAL app: the console's phones panel
serves it, the facilitator reveals and moves to the summary from the console, the
phone downloads the PDF, and the workshop file holds what the phone was told was saved.

The browser is driven from a worker thread (Selenium blocks) while the test's
thread runs the Qt event loop, as the app's GUI thread would.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future

import pytest
from PySide6.QtCore import Qt

from calms_desktop.core.model import Pillar
from tests.net.test_phone_browser import (  # noqa: F401  (browser is a fixture)
    CHROMEDRIVER,
    CHROMIUM,
    SHOTS,
    _answer,
    _saved,
    _shown,
    _wait,
    browser,
    download_pdf,
)

PIN = "135790"
pytestmark = [
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Debian's chromium and chromium-driver"),
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


def _in_thread(fn) -> Future:  # type: ignore[no-untyped-def]
    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(fn())
        except BaseException as exc:  # reported in the test's thread
            future.set_exception(exc)

    threading.Thread(target=run, daemon=True).start()
    return future


def _join(driver, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    """Open the phone page, type the PIN and pick ``name``: the vote screen shows."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    driver.get(url)
    _shown(driver, "join")
    driver.find_element(By.ID, "pin").send_keys(PIN, Keys.ENTER)
    _shown(driver, "pick")
    driver.find_element(By.XPATH, f"//ul[@id='names']//button[text()='{name}']").click()
    _shown(driver, "vote")


def _done(qtbot, future: Future, timeout: int = 60):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(future.done, timeout=timeout * 1000)
    return future.result()


def test_a_phone_votes_in_the_real_app_end_to_end(qtbot, app_window, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    w, driver = app_window, browser
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.current_screen().add_names("Ana\nBo\nZoë Müller")
    w.go_to("culture")
    w.toggle_phones()
    panel = w.phones
    panel.port = 0
    assert panel.open_voting("127.0.0.1", PIN)
    c = w.controller
    statements = [s.id for s in c.workshop.questionnaire.section(Pillar.CULTURE).statements]
    zoe = c.workshop.participants[2]

    def join_and_vote() -> None:
        _join(driver, panel.server.url, "Zoë Müller")
        _answer(driver, statements[0], 2)
        _saved(driver, statements[0], "2")
        _answer(driver, statements[0], 4)  # changed before the reveal
        _saved(driver, statements[0], "4")
        _answer(driver, statements[1], 0)
        _saved(driver, statements[1], "Don't know")
        SHOTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(SHOTS / "phone-app-vote.png"))

    _done(qtbot, _in_thread(join_and_vote))
    assert c.workshop.vote(statements[0], zoe.id).score == 4
    assert w.current_screen().grid.model().index(2, 0).data() == "✓"  # a phone's vote, hidden

    w.current_screen().confirm = lambda title, text: True  # answers are missing: reveal anyway
    assert w.current_screen().reveal()

    def results() -> str:
        _shown(driver, "results")
        driver.save_screenshot(str(SHOTS / "phone-app-reveal.png"))
        return str(driver.find_element(By.ID, "results").text)

    assert "4.0" in _done(qtbot, _in_thread(results))

    w.go_to("summary")

    def download() -> bytes:
        pdf = download_pdf(driver)
        driver.save_screenshot(str(SHOTS / "phone-app-download.png"))
        return pdf

    assert _done(qtbot, _in_thread(download)).startswith(b"%PDF")
    stored = w.library.load(c.workshop.id)
    assert {sid: v.score for (sid, pid), v in stored.votes.items() if pid == zoe.id} == {
        statements[0]: 4, statements[1]: 0}
    panel.close_voting()


def test_a_phone_estimates_a_delivery_metric_in_chromium(qtbot, app_window, browser):  # noqa: F811
    """In the Measurement step the phone page lists the metrics after the statements;
    a tapped bucket is saved as the person's pick (the room records the median)."""

    from calms_desktop.core.model import PillarState

    w, driver = app_window, browser
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.current_screen().add_names("Ana\nBo")
    w.go_to("measurement")
    c = w.controller
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
    w.toggle_phones()
    panel = w.phones
    panel.port = 0
    assert panel.open_voting("127.0.0.1", PIN)
    ana = c.workshop.participants[0]

    def join_and_pick() -> None:
        _join(driver, panel.server.url, "Ana")
        _answer(driver, "metric:deploy_frequency", 3)
        _saved(driver, "metric:deploy_frequency", "Between once a day and once a week")
        SHOTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(SHOTS / "phone-app-metric.png"))

    _done(qtbot, _in_thread(join_and_pick))
    assert c.workshop.metrics["deploy_frequency"].picks == ((ana.id, 3),)
    assert w.library.load(c.workshop.id).metrics["deploy_frequency"].bucket == 3
    panel.close_voting()
