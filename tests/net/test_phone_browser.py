"""End to end in a real browser: Debian's chromium, headless, driven by Selenium.

A phone joins with the PIN, picks its name, votes, changes an answer, keeps
voting through a server restart (the Wi-Fi hiccup), sees the reveal,
downloads the summary PDF and reads its personal page; the workshop file on
disk holds exactly the answers the page said were saved. Screenshots of the
page go to ``out/phone-*.png`` (join, vote, reveal, download).

Selenium uses ``/usr/bin/chromedriver`` (package chromium-driver) and never
downloads a driver or a browser.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from calms_desktop.core.model import Pillar
from calms_desktop.core.storage import Library
from calms_desktop.net.server import PhoneServer

from .conftest import PIN

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SHOTS = Path(__file__).resolve().parents[2] / "out"

pytestmark = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="needs Debian's chromium and chromium-driver (packaging/bootstrap.sh installs them)",
)


def chromium(tmp_path, name: str = ""):  # type: ignore[no-untyped-def]
    """A headless Chromium phone; its downloads land in ``driver.downloads``."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / f"downloads{name}"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--user-data-dir={tmp_path / ('profile' + name)}",
                 "--window-size=412,1000"):
        options.add_argument(flag)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
    })
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)),
                              options=options)
    driver.set_page_load_timeout(30)
    driver.execute_cdp_cmd("Page.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads  # type: ignore[attr-defined]
    return driver


def download_pdf(driver) -> bytes:  # type: ignore[no-untyped-def]
    """On the summary screen: tap the PDF button and return the downloaded file."""
    from selenium.webdriver.common.by import By

    _shown(driver, "summary")
    button = driver.find_element(By.ID, "pdf-button")
    _wait(driver, lambda d: button.is_displayed(), what="the PDF button")
    button.click()
    pdf = driver.downloads / "calms-summary.pdf"
    _wait(driver, lambda d: pdf.exists() and pdf.stat().st_size > 0, timeout=30,
          what="the downloaded PDF")
    time.sleep(0.2)  # let chromium finish renaming its partial file
    return bytes(pdf.read_bytes())


@pytest.fixture
def browser(tmp_path):
    driver = chromium(tmp_path)
    yield driver
    driver.quit()


def _wait(driver, condition, timeout=15.0, what=""):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        condition, message=f"waited for {what}")


def _shown(driver, screen):
    from selenium.webdriver.common.by import By

    return _wait(driver, lambda d: d.find_element(By.ID, f"screen-{screen}").is_displayed(),
                 what=f"the {screen} screen")


def _shot(driver, name):
    SHOTS.mkdir(exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(412, min(max(height + 140, 800), 4000))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.save_screenshot(str(SHOTS / f"phone-{name}.png"))
    driver.set_window_size(412, 1000)


def _answer(driver, statement_id, score):
    from selenium.webdriver.common.by import By

    choice = driver.find_element(
        By.CSS_SELECTOR, f"input[name='answer-{statement_id}'][value='{score}']")
    label = choice.find_element(By.XPATH, "..")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", label)
    label.click()


def _note(driver, statement_id):
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, f"note-{statement_id}").text


def _saved(driver, statement_id, shown):
    _wait(driver, lambda d: _note(d, statement_id) == f"Saved ✓ ({shown})",
          what=f"{statement_id} saved as {shown}")


def test_a_phone_runs_a_pillar_end_to_end_in_chromium(browser, room, make_server, data_dir):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server = make_server(room)
    driver = browser
    statements = [s.id for s in room.workshop.questionnaire.section(Pillar.CULTURE).statements]

    # Join: a wrong PIN first, then the right one; pick a name.
    driver.get(server.url)
    _shown(driver, "join")
    pin = driver.find_element(By.ID, "pin")
    pin.send_keys("000000", Keys.ENTER)
    _wait(driver, lambda d: "wrong PIN" in d.find_element(By.ID, "join-error").text,
          what="the wrong PIN message")
    pin.clear()
    pin.send_keys(PIN)
    _shot(driver, "join")
    pin.send_keys(Keys.ENTER)
    _shown(driver, "pick")
    names = [b.text for b in driver.find_elements(By.CSS_SELECTOR, "#names button")]
    assert names == ["Ana", "Bo", "Zoë Müller"]
    driver.find_element(By.XPATH, "//ul[@id='names']//button[text()='Zoë Müller']").click()
    _shown(driver, "waiting")

    # The facilitator opens Culture: vote, change an answer.
    room.open_pillar(Pillar.CULTURE)
    _shown(driver, "vote")
    assert driver.find_element(By.ID, "vote-heading").text == "Culture"
    legends = driver.find_elements(By.CSS_SELECTOR, "#statements legend")
    assert len(legends) == len(statements) and legends[0].text.startswith("C1 ")
    _answer(driver, statements[0], 3)
    _saved(driver, statements[0], "3")
    _answer(driver, statements[0], 5)  # changed before the reveal
    _saved(driver, statements[0], "5")
    _answer(driver, statements[1], 0)
    _saved(driver, statements[1], "Don't know")
    assert "Saved" in driver.find_element(By.ID, "announce").text
    _shot(driver, "vote")

    # A Wi-Fi hiccup (here the whole server goes away and comes back on the
    # same port): the answer given meanwhile waits on the phone and is sent
    # once, after the page reconnects by itself.
    port = server.port
    server.stop(notice=False)
    _wait(driver, lambda d: "reconnecting" in d.find_element(By.ID, "connection").text,
          what="the page to notice")
    _answer(driver, statements[2], 4)
    assert _note(driver, statements[2]) == "Will be sent when the connection is back"
    writes = room.writes
    again = PhoneServer(room, "127.0.0.1", port, pin=PIN)
    room.connect(again.publish)
    again.start()
    try:
        _saved(driver, statements[2], "4")
        assert room.writes == writes + 1
        _answer(driver, statements[3], 1)
        _saved(driver, statements[3], "1")

        # The facilitator closes phone voting: the page says so and takes no answer;
        # reopened on the same address, it comes back by itself.
        again.stop()
        _wait(driver, lambda d: "paused by the facilitator"
              in d.find_element(By.ID, "vote-closed").text, what="the pause")
        assert "paused by the facilitator" in driver.find_element(By.ID, "connection").text
        choice = driver.find_element(
            By.CSS_SELECTOR, f"input[name='answer-{statements[4]}'][value='2']")
        assert not choice.is_enabled()
        again = PhoneServer(room, "127.0.0.1", port, pin=PIN)
        room.connect(again.publish)
        again.start()
        _wait(driver, lambda d: not d.find_element(By.ID, "vote-closed").is_displayed(),
              timeout=20, what="voting back after the pause")
        _answer(driver, statements[4], 2)
        _saved(driver, statements[4], "2")
        assert driver.find_element(By.ID, "who").text == "Voting as Zoë Müller"

        # The reveal: the page shows the room's result; answers are closed.
        room.reveal(Pillar.CULTURE)
        _shown(driver, "results")
        results = driver.find_element(By.ID, "results").text
        assert "5.0 · " in results and "1 answer" in results
        assert "Pillar 3.0" in driver.find_element(By.ID, "results-pillar").text
        _shot(driver, "reveal")

        # The end: download the attendee PDF; the personal page.
        room.go_to_summary()
        pdf = download_pdf(driver)
        assert pdf.startswith(b"%PDF")
        rows = driver.find_elements(By.CSS_SELECTOR, "#personal-rows tr")
        first = rows[0].find_elements(By.TAG_NAME, "td")
        assert [first[1].text, first[2].text] == ["5", "5.0"]
        assert rows[-1].find_elements(By.TAG_NAME, "td")[2].text == "not revealed"
        _shot(driver, "download")
        (SHOTS / "phone-summary.pdf").write_bytes(pdf)
    finally:
        again.stop()

    # The workshop file on disk: exactly what the phone said was saved.
    stored = Library(data_dir, read_only=True).load(room.workshop.id)
    mine = {sid: v.score for (sid, pid), v in stored.votes.items() if pid == "p-zoe"}
    assert mine == dict(zip(statements, (5, 0, 4, 1, 2, 3), strict=False))
    assert all(v.source == "phone" for v in stored.votes.values())


def test_the_phone_page_follows_the_rooms_language(browser, room, make_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from calms_desktop.core.i18n import Translator

    server = make_server(room, translator=Translator("de"))
    driver = browser
    driver.get(server.url)
    _shown(driver, "join")
    assert driver.execute_script("return document.documentElement.lang") == "de"
    assert driver.find_element(By.ID, "join-heading").text == "Dem Raum beitreten"
    pin = driver.find_element(By.ID, "pin")
    pin.send_keys("000000", Keys.ENTER)
    _wait(driver, lambda d: "falsche PIN" in d.find_element(By.ID, "join-error").text,
          what="the wrong PIN message in German")
    # the server's own detail is German too, with the catalogue's plural
    assert "noch 4 Versuche" in driver.find_element(By.ID, "join-error").text
    pin.clear()
    pin.send_keys(PIN, Keys.ENTER)
    _shown(driver, "pick")
    assert driver.find_element(By.ID, "pick-heading").text == "Wer sind Sie?"
    driver.find_element(By.XPATH, "//ul[@id='names']//button[text()='Ana']").click()
    _shown(driver, "waiting")
    room.open_pillar(Pillar.CULTURE)
    _shown(driver, "vote")
    # (the pillar's name and statements are the workshop's questionnaire, English here)
    _wait(driver, lambda d: d.find_element(By.ID, "vote-progress").text
          == "0 von 3 haben abgestimmt", what="the progress line in German")
    withdraw = driver.find_elements(By.CSS_SELECTOR, "#statements .withdraw")
    assert withdraw and withdraw[0].text == "Meine Antwort löschen"
    _shot(driver, "vote-de")


def test_a_removed_phone_that_joins_as_someone_else_shows_none_of_the_first_answers(
        browser, room, make_server):
    """Breaking pass (blocker): a phone removed by the facilitator joined again as Bo and
    showed Ana's answers as Bo's, "Saved ✓" — the room had none of them for Bo."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server = make_server(room)
    driver = browser
    sid = room.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    room.open_pillar(Pillar.CULTURE)
    driver.get(server.url)
    _shown(driver, "join")
    driver.find_element(By.ID, "pin").send_keys(PIN, Keys.ENTER)
    _shown(driver, "pick")
    driver.find_element(By.XPATH, "//ul[@id='names']//button[text()='Ana']").click()
    _shown(driver, "vote")
    _answer(driver, sid, 1)
    _saved(driver, sid, "1")
    token = driver.execute_script("return localStorage.getItem('calms.token')")
    room.remove_device(token)
    _shown(driver, "removed")
    driver.find_element(By.ID, "rejoin").click()
    _shown(driver, "join")
    pin = driver.find_element(By.ID, "pin")
    pin.clear()
    pin.send_keys(PIN, Keys.ENTER)
    _shown(driver, "pick")
    driver.find_element(By.XPATH, "//ul[@id='names']//button[text()='Bo']").click()
    _shown(driver, "vote")
    checked = driver.find_elements(By.CSS_SELECTOR, f"input[name='answer-{sid}']:checked")
    assert checked == [] and "Saved" not in _note(driver, sid)
