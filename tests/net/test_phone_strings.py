"""The phone page speaks the room's language: the served page carries its strings."""

from __future__ import annotations

import json
import re
from importlib import resources

from calms_desktop.core.i18n import Translator
from calms_desktop.net.phone_strings import PLURALS, TEXTS, phone_strings, strings_script
from tests.net.conftest import run

STATIC = resources.files("calms_desktop.net") / "static"


def _script() -> str:
    """app.js without its comment lines."""
    js = (STATIC / "app.js").read_text(encoding="utf-8")
    return "\n".join(line for line in js.splitlines() if not line.strip().startswith("//"))


def test_every_key_the_page_uses_has_a_string():
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    js = _script()
    used = set(re.findall(r'data-t="(\w+)"', html)) | set(re.findall(r'\bt\("(\w+)"', js))
    plural = set(re.findall(r'\btn\("(\w+)"', js))
    assert used and plural
    assert used <= set(TEXTS), used - set(TEXTS)
    assert plural <= set(PLURALS), plural - set(PLURALS)


def test_the_page_has_no_english_left_in_its_script():
    js = _script()
    # Strings the page shows come from t()/tn(); what is left are ids, classes and events.
    shown = re.findall(r'textContent = "([^"]*[A-Za-z]{3,}[^"]*)"', js)
    assert not shown, shown


def test_german_strings_and_plural_forms():
    data = phone_strings(Translator("de"))
    assert data["lang"] == "de"
    texts = data["texts"]
    assert texts["join_heading"] == "Dem Raum beitreten"
    assert texts["answers"] == {"one": "{n} Antwort", "other": "{n} Antworten"}
    assert texts["voted_of"]["other"] == "{voted} von {expected} haben abgestimmt"
    assert texts["voted"]["one"] == "{n} hat abgestimmt"
    assert phone_strings(Translator("en"))["texts"]["join_heading"] == "Join the room"


def test_the_script_element_cannot_end_early():
    tag = strings_script(Translator("de")).decode()
    body = tag.removeprefix('<script id="strings" type="application/json">')
    body = body.removesuffix("</script>")
    assert "</" not in body
    assert json.loads(body)["lang"] == "de"


def test_the_served_page_is_german_when_the_room_is(room, make_server):
    server = make_server(room, translator=Translator("de"))

    async def scenario(session):
        async with session.get(server.url) as response:
            return await response.text()

    page = run(scenario)
    assert '<html lang="de">' in page
    assert "Dem Raum beitreten" in page  # in the strings the page reads on load
    # what a browser reads before (or without) the script is German too
    assert "<title data-t=\"page_title\">CALMS Workshop — Abstimmung</title>" in page
    assert "Diese Seite braucht JavaScript zum Abstimmen." in page
    assert "This page needs JavaScript" not in page and "Join the room<" not in page
