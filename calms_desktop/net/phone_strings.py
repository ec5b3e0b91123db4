"""The phone page's words, in the workshop's language.

The page (``static/``) has no build step and no catalogue of its own: the
server puts these strings, translated with the room's
:class:`~calms_desktop.core.i18n.Translator`, into the page it serves
(``<script id="strings" type="application/json">``). ``static/index.html``
names its fixed texts with ``data-t="key"``; ``app.js`` looks the rest up
with ``t(key, values)`` and ``tn(key, n, values)``. Plural texts carry one
form per CLDR plural category of the language; the page picks one with the
browser's ``Intl.PluralRules`` (the page's CSP allows no ``eval``), so it never
pluralises English-style.
"""

from __future__ import annotations

import html
import json
import re

from ..core.i18n import N_, Nn_, Translator

#: key -> English text ({name} placeholders are filled in by app.js)
TEXTS: dict[str, str] = {
    "page_title": N_("CALMS Workshop — vote"),
    "app_name": N_("CALMS Workshop"),
    "not_connected": N_("Not connected"),
    "connecting": N_("Connecting…"),
    "connected": N_("Connected"),
    "other_tab": N_("Open in another tab or window — use that one"),
    "reconnecting": N_("Connection lost — reconnecting…"),
    "needs_js": N_("This page needs JavaScript to vote."),
    "join_heading": N_("Join the room"),
    "pin_label": N_("Join PIN (shown on the projector)"),
    "join": N_("Join"),
    "pick_heading": N_("Who are you?"),
    "pick_text": N_("Pick your name once. If someone else already uses it, the facilitator is "
                    "asked."),
    "newcomer_label": N_("Not on the list? Your name"),
    "ask_added": N_("Ask to be added"),
    "pending_heading": N_("Waiting for the facilitator"),
    "pending_text": N_("The facilitator has been asked to let this phone in. This page moves on "
                       "by itself."),
    "waiting_heading": N_("You are in"),
    "waiting_text": N_("Voting starts when the facilitator opens a pillar."),
    "connecting_room": N_("Connecting to the room…"),
    "voting_paused": N_("Voting is paused. Your answers are kept."),
    "paused_by_facilitator": N_("Voting is paused by the facilitator. Your answers are kept; "
                                "this page comes back by itself when voting reopens."),
    "summary_heading": N_("Summary"),
    "pdf_button": N_("Download the summary (PDF)"),
    "pdf_link": N_("Open the summary (PDF)"),
    "personal_heading": N_("Your answers beside the room's"),
    "col_statement": N_("Statement"),
    "col_you": N_("You"),
    "col_room": N_("Room"),
    "removed_heading": N_("This phone was removed"),
    "removed_text": N_("The facilitator removed this phone from the room."),
    "join_again": N_("Join again"),
    "you_are_in": N_("You are in."),
    "voting_as": N_("Voting as {name}"),
    "not_let_in": N_("Not let in."),
    "saved": N_("Saved ✓ ({answer})"),
    "saved_announce": N_("Saved: {code} {answer}"),
    "not_saved": N_("Not saved: {reason}"),
    "not_saved_announce": N_("Not saved: {code} — {reason}"),
    "join_again_pin": N_("Please join again with the PIN."),
    "summary_ready": N_("The summary is ready."),
    "saving": N_("Saving…"),
    "queued": N_("Will be sent when the connection is back"),
    "on_other_phone": N_(" (on another phone)"),
    "clear_answer": N_("Clear my answer"),
    "dont_know": N_("Don't know"),
    "agree": N_("✓ The room agrees"),
    "discuss": N_("⚑ Worth discussing"),
    "no_verdict": N_("Too few answers for a verdict"),
    "answers_per_level": N_("Answers per level"),
    "dont_know_count": N_("{n} don't know"),
    "room_result": N_("{pillar} — the room's result"),
    "not_revealed": N_("not revealed"),
    "withheld": N_("withheld"),
    "pin_digits": N_("The PIN is 6 digits."),
    "type_name": N_("Type your name first."),
    "try_again": N_("Not connected; try again in a moment."),
}

#: key -> (singular, plural) in English
PLURALS: dict[str, tuple[str, str]] = {
    "voted_of": Nn_("{voted} of {expected} has voted", "{voted} of {expected} have voted"),
    "voted": Nn_("{n} has voted", "{n} have voted"),
    "answers": Nn_("{n} answer", "{n} answers"),
}


def phone_strings(translator: Translator) -> dict[str, object]:
    """Every string the page shows, in ``translator``'s language, as JSON-ready data."""
    texts: dict[str, object] = {key: translator.gettext(text) for key, text in TEXTS.items()}
    samples = _category_samples(translator)
    for key, (one, other) in PLURALS.items():
        # The catalogue's own plural rule chooses the form for each category's example.
        texts[key] = {tag: translator.ngettext(one, other, n) for tag, n in samples.items()}
    return {"lang": translator.language, "texts": texts}


def _category_samples(translator: Translator) -> dict[str, int]:
    """One whole number for each CLDR plural category of the language ("one": 1, …)."""
    rule = translator.locale.plural_form
    samples: dict[str, int] = {}
    for n in range(0, 200):
        samples.setdefault(rule(n), n)
    return samples


def strings_script(translator: Translator) -> bytes:
    """The ``<script>`` element the server puts into the page (safe inside HTML)."""
    data = json.dumps(phone_strings(translator), ensure_ascii=True)
    # "</" can never end the script element early; JSON reads "<\\/" as "</".
    data = data.replace("</", "<\\/")
    return f'<script id="strings" type="application/json">{data}</script>'.encode()


#: An element the page fills from the strings (``data-t="key">English text<``).
_MARKED_TEXT = re.compile(rb'(data-t="(\w+)"[^>]*>)([^<]*)(</)')


def localise_page(page: bytes, translator: Translator) -> bytes:
    """The page with each ``data-t`` element's text in ``translator``'s language.

    The script fills them too, but the ``<title>``, a ``<noscript>`` notice and
    whatever shows before the script runs are read from the HTML as sent: a German
    page must not say "This page needs JavaScript to vote." in English.
    """
    def fill(match: re.Match[bytes]) -> bytes:
        text = TEXTS.get(match[2].decode())
        if text is None:
            return match[0]
        shown = html.escape(translator.gettext(text), quote=False).encode()
        return match[1] + shown + match[4]

    return _MARKED_TEXT.sub(fill, page)
