"""Workshops that stress the reports: markup in names, every script, anonymity, long notes."""

from __future__ import annotations

import io
import random
import unicodedata

import pytest
from pypdf import PdfReader

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.model import (
    DONT_KNOW,
    PILLARS,
    ActionItem,
    Participant,
    Pillar,
    PillarState,
    Vote,
    VotingMode,
    Workshop,
)

#: (name, role): markup characters, links, scripts, emoji, spreadsheet formulas.
PEOPLE = [
    ("R&D <team>", "Ops <b>lead"),
    ('<a href="http://x">click</a>', "QA <img src=\"http://x/y.png\"/>"),
    ("Zoë Müller", "Product owner"),
    ("李娜", "数据分析师"),
    ("Γιώργος Παπαδόπουλος", "Developer"),
    ("محمد علي", "SRE"),
    ("Олена Шевченко", "Developer"),
    ("Ana 🚀 Silva 👍", "Designer"),
    ("=HYPERLINK(\"http://x\")", "-Tester"),
    ("@admin", "+49 40 1234"),
]

CHINESE = "我们每周发布一次，但是生产环境的部署仍然需要人工审批。"
GREEK = "Η ομάδα συμφωνεί ότι οι αναπτύξεις είναι αργές."
ARABIC = "مرحبا بالعالم"
EMOJI = "🚀👍🎉"
MARKUP = 'R&D <team> said "Ops <b>lead" & <a href="http://x">link</a> <img src="http://x/y.png"/>'


def long_note(length: int = 2000) -> str:
    """A note of exactly ``length`` characters mixing scripts and markup characters."""
    parts = [
        "The room discussed deployment at length & agreed <nothing> yet. ",
        f"{CHINESE} ",
        f"{GREEK} ",
        "Emoji: 🚀 and 👍. ",
        "Ops <b>lead wants a <i>rota</i>; R&D <team> disagrees. ",
    ]
    text = ""
    i = 0
    while len(text) < length:  # numbered, so every stretch of the note is unique
        text += f"[{i}] " + parts[i % len(parts)]
        i += 1
    return text[:length - 1].rstrip() + "."


def make_workshop(
    *,
    anonymous: bool = False,
    people: list[tuple[str, str]] | None = None,
    seed: int = 7,
    wid: str = "ws-multi-0001",
    baseline: Workshop | None = None,
) -> Workshop:
    """A complete workshop with every statement voted (one withheld when anonymous)."""
    rng = random.Random(seed)
    people = PEOPLE if people is None else people
    ws = Workshop(
        id=wid,
        title="Multi-script <workshop> & friends",
        organisation="Nordlicht Logistics",
        team="Payments Platform",
        date="2026-11-19",
        questionnaire=qmod.builtin(),
        location="Hamburg, room Elbe",
        facilitator="Mara Lindholm",
        voting_mode=VotingMode.ANONYMOUS if anonymous else VotingMode.NAMED,
        participants=[Participant(f"{wid}-p{i:02d}", n, r) for i, (n, r) in enumerate(people)],
        pillar_states={p: PillarState.DONE for p in PILLARS},
        targets={p: 4 for p in PILLARS},
        baseline_id=baseline.id if baseline else None,
    )
    statements = ws.questionnaire.statements
    for k, s in enumerate(statements):
        centre = 1.5 + (k % 7) * 0.5
        voters = ws.participants
        if anonymous and k == 1:  # only two people answered: the privacy rule withholds it
            voters = ws.participants[:2]
        for p in voters:
            score = DONT_KNOW if rng.random() < 0.05 else max(1, min(5, round(
                rng.gauss(centre, 0.8))))
            ws.votes[(s.id, p.id)] = Vote(s.id, p.id, score, "console")
    ws.tallies[statements[2].id] = {3: 2, 4: 3, DONT_KNOW: 1}
    ws.notes.update({
        Pillar.CULTURE.value: MARKUP,
        Pillar.AUTOMATION.value: f"{CHINESE}\n{GREEK}\n{ARABIC}\n{EMOJI}",
        Pillar.LEAN.value: long_note(),
        "summary": "Next: <b>fix</b> the deploy gate & measure 🚀.",
    })
    ws.actions = [
        ActionItem("a1", "Pair <b>reviews</b> & R&D <team> sync", owner="R&D <team>",
                   due="2026-12-19", pillar=Pillar.SHARING),
        ActionItem("a2", f"Automate deploys {EMOJI}", owner="李娜", due="2027-01-15",
                   pillar=Pillar.AUTOMATION),
        ActionItem("a3", "=SUM(A1:A9) dashboard for lead time", owner="محمد علي",
                   due="2027-02-01", pillar=Pillar.MEASUREMENT),
    ]
    return ws


@pytest.fixture
def multi():
    """A named workshop with names in many scripts and markup characters."""
    return make_workshop()


@pytest.fixture
def anonymous():
    """The same room, anonymous, one statement with only two answers."""
    return make_workshop(anonymous=True, wid="ws-anon-0001")


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All text pypdf extracts, pages joined."""
    return "\n".join(page.extract_text() for page in pdf_reader(data).pages)


def squash(text: str) -> str:
    """Text without any whitespace (line wraps land anywhere in long or CJK text)."""
    return "".join(unicodedata.normalize("NFC", text).split())


def spaced(text: str) -> str:
    """Whitespace runs (line breaks included) collapsed to one space."""
    return " ".join(text.split())


def printed(sample: str, text: str) -> bool:
    """Is ``sample`` in the extracted ``text`` (whitespace normalised)?

    When ReportLab shapes Arabic (``uharfbuzz`` installed) the PDF holds the
    joined letter forms, which extract as presentation forms: equal to the
    sample after NFKC, word by word.
    """
    from calms_desktop.reports import fonts

    if fonts.SHAPING and fonts.needs_shaping(sample):
        flat = unicodedata.normalize("NFKC", text)
        return all(word in flat for word in unicodedata.normalize("NFKC", sample).split())
    return spaced(sample) in spaced(text)
