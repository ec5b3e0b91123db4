"""A team as engineering teams really are: names in every script the reports must print.

Used by the report tests (text layer, word order, running header) and by
``benchmarks/bench_reports.py`` (30 people × 25 statements).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from calms_desktop.core import questionnaire as qmod
from calms_desktop.core.model import (
    DONT_KNOW,
    PILLARS,
    ActionItem,
    Participant,
    PillarState,
    Vote,
    Workshop,
)

#: (script, name, role): one realistic name per script, in the order they are listed.
NAMES: list[tuple[str, str, str]] = [
    ("Devanagari", "अनिल कुमार", "Platform engineer"),
    ("Bengali", "সৌমিত্র চট্টোপাধ্যায়", "SRE"),
    ("Gurmukhi", "ਹਰਪ੍ਰੀਤ ਸਿੰਘ", "Developer"),
    ("Gujarati", "કૃણાલ પટેલ", "QA engineer"),
    ("Oriya", "ସୁଶ୍ରୀ ମହାପାତ୍ର", "Developer"),
    ("Tamil", "கார்த்திக் சுப்பிரமணியன்", "Tech lead"),
    ("Telugu", "వెంకట లక్ష్మి", "Developer"),
    ("Kannada", "ಶ್ರೀಧರ ಹೆಗ್ಡೆ", "Architect"),
    ("Malayalam", "അനന്തു കൃഷ്ണൻ", "Developer"),
    ("Sinhala", "නිමල් පෙරේරා", "Release manager"),
    ("Thai", "สมชาย ใจดี", "Developer"),
    ("Lao", "ສົມພອນ ແກ້ວມະນີ", "Tester"),
    ("Khmer", "សុខ ចាន់ធី", "Developer"),
    ("Myanmar", "အောင်ကျော်မင်း", "Data engineer"),
    ("Ethiopic", "አበበ ቢቂላ", "Developer"),
    ("Arabic", "محمد علي", "SRE"),
    ("Hebrew", "עמית כהן", "Security engineer"),
    ("Chinese", "李娜", "Data analyst"),
    ("Japanese", "佐藤 花子", "Developer"),
    ("Korean", "김민준", "Developer"),
    ("Greek", "Γιώργος Παπαδόπουλος", "Developer"),
    ("Cyrillic", "Олена Шевченко", "Product owner"),
    ("Armenian", "Արամ Պետրոսյան", "Developer"),
    ("Georgian", "ნინო ბერიძე", "Scrum master"),
    ("Latin", "Zoë Müller", "Engineering manager"),
    ("Vietnamese", "Nguyễn Thị Hương", "Developer"),
    ("Turkish", "Çağla Öztürk", "Developer"),
    ("Polish", "Łukasz Wójcik", "Ops lead"),
    ("Latin", "Logistics Lead Frost", "Logistics"),
    ("Latin", "Siobhán O’Sullivan", "Designer"),
    # mixed direction: brackets, a Latin part, a hyphen, a second name in another script
    ("Arabic + Latin", "فاطمة الزهراء (QA lead)", "Tester"),
    ("Hebrew + Latin", "דוד-Smith", "Developer"),
    ("Latin + Arabic", "Omar Haddad · عمر حداد", "Developer"),
    ("Hebrew + Latin", "שרה לוי (Ops)", "SRE"),
]

#: Exactly 80 characters (checked by the tests).
ORGANISATION = "Nordlicht Logistics & Supply Chain Services GmbH – Digital Platforms Division XY"
#: Exactly 60 characters, right to left (a Latin organisation with an Arabic team).
TEAM = "فريق منصة المدفوعات والتسويات الرقمية لعملاء الشركات الكبرى"



def team_name(length: int = 60) -> str:
    """:data:`TEAM` cut or padded to ``length`` characters."""
    return (TEAM + " ج" * length)[:length]


def world_workshop(seed: int = 1, *, people: int = len(NAMES), baseline: Workshop | None = None,
                   day: date = date(2026, 11, 19)) -> Workshop:
    """A named workshop of ``people`` (names cycle through :data:`NAMES`), every statement voted."""
    rng = random.Random(seed)
    q = qmod.builtin()
    ws = Workshop(
        id=f"world-{seed:04d}", title="CALMS re-assessment", organisation=ORGANISATION,
        team=team_name(), date=day.isoformat(), questionnaire=q, location="Hamburg",
        facilitator="Mara Lindholm",
        participants=[Participant(f"world-{seed:04d}-p{i:02d}", NAMES[i % len(NAMES)][1],
                                  NAMES[i % len(NAMES)][2]) for i in range(people)],
        pillar_states={p: PillarState.DONE for p in PILLARS},
        targets={p: 4 for p in PILLARS},
        baseline_id=baseline.id if baseline else None,
    )
    for k, s in enumerate(q.statements):
        centre = rng.uniform(1.5, 4.5)
        spread = 1.4 if k % 6 == 0 else 0.6
        for person in ws.participants:
            score = DONT_KNOW if rng.random() < 0.04 else max(1, min(5, round(
                rng.gauss(centre, spread))))
            ws.votes[(s.id, person.id)] = Vote(s.id, person.id, score)
    for i, p in enumerate(PILLARS):
        ws.notes[p.value] = (f"{NAMES[i][1]} and {NAMES[15][1]} discussed {p.title.lower()}: "
                             "the Logistics team wants fewer hand-offs.")
        ws.actions.append(ActionItem(
            f"a{i}", f"Improve {p.title.lower()} practice ({NAMES[i * 3][1]})",
            owner=NAMES[(i * 5) % len(NAMES)][1], due=(day + timedelta(days=30)).isoformat(),
            pillar=p))
    return ws


def world_history(n: int = 3, people: int = len(NAMES)) -> list[Workshop]:
    """``n`` assessments of the same team three months apart, oldest first, each the next's
    baseline."""
    out: list[Workshop] = []
    day = date(2026, 3, 2)
    for k in range(n):
        out.append(world_workshop(k + 1, people=people, baseline=out[-1] if out else None,
                                  day=day + timedelta(weeks=13 * k)))
    return out
