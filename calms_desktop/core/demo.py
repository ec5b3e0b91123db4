"""A realistic demo: one team assessed twice, about three months apart.

The first workshop is the baseline of the second; the second reviews the
first's actions (some done, some carried over), and the team has improved
where it acted. Names include non-ASCII ones. The data is the same on every
run (seeded), so screenshots and tests are repeatable.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, timedelta

from . import questionnaire as qmod
from .deploylog import measure
from .metrics import Basis, MetricRecord, estimate
from .model import (
    DONT_KNOW,
    PILLARS,
    ActionItem,
    ActionStatus,
    Participant,
    Pillar,
    PillarState,
    ReviewDecision,
    Vote,
    VotingMode,
    Workshop,
)
from .storage import Library

ORGANISATION = "Nordlicht Logistics"
TEAM = "Payments Platform"
DEMO_IDS = ("d3e0c0de-0000-4000-8000-000000000001", "d3e0c0de-0000-4000-8000-000000000002")

PEOPLE: list[tuple[str, str]] = [
    ("Zoë Müller", "Product owner"),
    ("José Álvarez", "Developer"),
    ("Åsa Lindqvist", "Operations"),
    ("Søren Østergaard", "SRE"),
    ("Nguyễn Thị Lan", "QA"),
    ("Łukasz Kowalczyk", "Developer"),
    ("Chiara Bianchi", "Designer"),
    ("Kwame Mensah", "Developer"),
    ("Priya Raghunathan", "Engineering manager"),
    ("李娜", "Data analyst"),
]

# Where the team stood on each pillar, first and second time.
LEVELS_BEFORE = {
    Pillar.CULTURE: 2.6, Pillar.AUTOMATION: 3.1, Pillar.LEAN: 2.3,
    Pillar.MEASUREMENT: 1.8, Pillar.SHARING: 2.4,
}
LEVELS_AFTER = {
    Pillar.CULTURE: 3.1, Pillar.AUTOMATION: 3.5, Pillar.LEAN: 2.8,
    Pillar.MEASUREMENT: 2.7, Pillar.SHARING: 2.6,
}
TARGETS = {
    Pillar.CULTURE: 4, Pillar.AUTOMATION: 4, Pillar.LEAN: 3,
    Pillar.MEASUREMENT: 4, Pillar.SHARING: 3,
}

NOTES_BEFORE = {
    Pillar.CULTURE.value: "Ops still hears about releases in the change board. Post-mortems "
    "after the March outage named people — the room wants that to stop.",
    Pillar.AUTOMATION.value: "CI is solid; deployments to production are scripted but run "
    "by hand on Thursdays. Staging drifts from production (TLS, feature flags).",
    Pillar.LEAN.value: "Retros happen but actions rarely land. Batch size is a sprint.",
    Pillar.MEASUREMENT.value: "Nobody could say how long a change takes to reach production, "
    "or how many merchants use the new checkout. Big disagreement on recovery time.",
    Pillar.SHARING.value: "Developers are not on call; the SRE pair carries the pager alone.",
}
NOTES_AFTER = {
    Pillar.CULTURE.value: "Ops joins planning and demos now. First blameless post-mortem "
    "held after the last incident; the room felt the difference.",
    Pillar.AUTOMATION.value: "Deployments are one click but still gated by a manual "
    "approval. Terraform covers two of three environments.",
    Pillar.LEAN.value: "Retro actions are tracked on the board. First A/B test on the "
    "checkout copy. Still disagreement on whether failures are 'safe'.",
    Pillar.MEASUREMENT.value: "Lead time and MTTR on a dashboard for six weeks now. Usage "
    "numbers still come from a monthly export.",
    Pillar.SHARING.value: "Developer-on-support rota started; two devs joined the pager. "
    "Review of infrastructure changes is still one person.",
}

ACTIONS_BEFORE = [
    ("Invite the SRE pair to sprint planning and demos", "Zoë Müller", Pillar.CULTURE, 21),
    ("Blameless post-mortem template; facilitator rotates", "Åsa Lindqvist", Pillar.CULTURE, 30),
    ("Automate the Thursday production deploy", "José Álvarez", Pillar.AUTOMATION, 45),
    ("Put lead time and time-to-recover on a team dashboard", "Søren Østergaard",
     Pillar.MEASUREMENT, 60),
    ("Start a developer-on-support rota", "Priya Raghunathan", Pillar.SHARING, 60),
    ("Manage staging with Terraform like production", "Kwame Mensah", Pillar.AUTOMATION, 90),
]
ACTIONS_AFTER = [
    ("Remove the manual approval for low-risk changes", "José Álvarez", Pillar.AUTOMATION, 30),
    ("Weekly usage and churn numbers from the product database", "李娜", Pillar.MEASUREMENT, 30),
    ("Pair reviews of infrastructure changes (two reviewers)", "Søren Østergaard",
     Pillar.SHARING, 45),
    ("Run a game day: break staging on purpose, time the recovery", "Åsa Lindqvist",
     Pillar.LEAN, 60),
]


def _votes(ws: Workshop, levels: dict[Pillar, float], rng: random.Random) -> None:
    for sec in ws.questionnaire.sections:
        for k, st in enumerate(sec.statements):
            centre = levels[sec.pillar] + rng.uniform(-0.6, 0.6)
            contested = k == 1  # one statement per pillar where the room splits
            for p in ws.participants:
                if rng.random() < 0.05:
                    score = DONT_KNOW
                else:
                    noise = rng.choice([-2, 2, 1, -1]) if contested else rng.gauss(0, 0.6)
                    score = max(1, min(5, round(centre + noise)))
                ws.votes[(st.id, p.id)] = Vote(st.id, p.id, score, "console", "")


def _workshop(
    wid: str, title: str, day: date, people: list[tuple[str, str]], rng: random.Random
) -> Workshop:
    return Workshop(
        id=wid,
        title=title,
        organisation=ORGANISATION,
        team=TEAM,
        date=day.isoformat(),
        location="Hamburg, room Elbe",
        facilitator="Mara Lindholm",
        questionnaire=qmod.builtin(),
        voting_mode=VotingMode.NAMED,
        participants=[
            Participant(f"{wid[-4:]}-p{i:02d}", name, role) for i, (name, role) in enumerate(people)
        ],
        pillar_states={p: PillarState.DONE for p in PILLARS},
        targets=dict(TARGETS),
        timebox_minutes={"intro": 10, "summary": 15, **{p.value: 20 for p in PILLARS}},
        created=f"{day.isoformat()}T09:00:00+00:00",
        updated=f"{day.isoformat()}T12:30:00+00:00",
    )


#: The baseline's room estimates: for each metric, each person's bucket (worst 0 … best),
#: in the order of the people. The room splits on recovery time (flagged).
ROOM_ESTIMATES = {
    "lead_time": (2, 2, 1, 2, 2, 3, 2, 1, 2),
    "deploy_frequency": (2, 2, 2, 3, 2, 2, 2, 2, 3),
    "recovery_time": (4, 1, 2, 4, 1, 3, 5, 2, 4),
    "change_fail_rate": (2, 1, 2, 2, 3, 2, 1, 2, 2),
}
#: The bundled deployment log the re-assessment measured.
SAMPLE_LOG = "sample-deployments.csv"


def sample_log() -> bytes:
    """The bundled sample deployment log (a CSV, see :mod:`calms_desktop.core.deploylog`)."""
    from importlib import resources

    return (resources.files("calms_desktop") / "resources" / "dora" / SAMPLE_LOG).read_bytes()


def _room_estimates(ws: Workshop) -> None:
    for metric, buckets in ROOM_ESTIMATES.items():
        rec = estimate(metric)
        for person, bucket in zip(ws.participants, buckets, strict=False):
            rec = rec.with_pick(person.id, bucket)
        ws.metrics[metric] = rec
    ws.metrics["users_now"] = MetricRecord("users_now", Basis.ESTIMATED, value=35_000,
                                           source="product owner's guess")


#: The sample log's period ends this many days before the re-assessment's date.
LOG_ENDS_DAYS_BEFORE = 3


def dated_log(raw: bytes, last_day: date) -> bytes:
    """A deployment log with every time moved by whole days so that its last deployment
    falls on ``last_day`` (the demo's log then lies between its two workshops, whatever
    day the demo is built)."""
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8"))))
    header, body = rows[0], rows[1:]
    at = header.index("deployed_at")
    last = max(datetime.fromisoformat(r[at]).date() for r in body if r and r[at])
    shift = timedelta(days=(last_day - last).days)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in body:
        writer.writerow([(datetime.fromisoformat(cell) + shift).isoformat(timespec="minutes")
                         if cell and cell[:1].isdigit() and "-" in cell else cell
                         for cell in r])
    return out.getvalue().encode("utf-8")


def _measured(ws: Workshop) -> None:
    log = dated_log(sample_log(), date.fromisoformat(ws.date)
                    - timedelta(days=LOG_ENDS_DAYS_BEFORE))
    _, records = measure(log, SAMPLE_LOG)
    ws.metrics.update(records)
    analytics = "product analytics, weekly export"
    for metric, value in (("users_now", 41_250), ("users_gained_week", 640),
                          ("users_lost_week", 210), ("recurring_failures_month", 3)):
        ws.metrics[metric] = MetricRecord(metric, Basis.MEASURED, value=value, source=analytics)


def build_demo(today: date | None = None) -> list[Workshop]:
    """The two demo workshops, oldest first (the second has the first as baseline)."""
    today = today or date.today()
    second_day = today - timedelta(days=7)
    first_day = second_day - timedelta(days=91)
    rng = random.Random(20260301)

    first = _workshop(
        DEMO_IDS[0], "CALMS baseline", first_day, PEOPLE[:9], rng
    )
    _votes(first, LEVELS_BEFORE, rng)
    _room_estimates(first)
    first.notes.update(NOTES_BEFORE)
    first.notes["summary"] = "Measurement is the weakest pillar; start with lead time and MTTR."
    for i, (text, owner, pillar, days) in enumerate(ACTIONS_BEFORE):
        first.actions.append(
            ActionItem(
                id=f"{first.id[-4:]}-a{i}",
                text=text,
                owner=owner,
                due=(first_day + timedelta(days=days)).isoformat(),
                pillar=pillar,
                status=ActionStatus.OPEN,
            )
        )

    # Second time round: one person left, two joined.
    people2 = [p for p in PEOPLE if p[0] != "Chiara Bianchi"] + [("Ines Ferreira", "SRE")]
    second = _workshop(
        DEMO_IDS[1], "CALMS re-assessment", second_day, people2, rng
    )
    second.baseline_id = first.id
    _votes(second, LEVELS_AFTER, rng)
    _measured(second)
    second.notes.update(NOTES_AFTER)
    second.notes["intro"] = "Four of six actions from the baseline are done; two carried over."
    second.notes["summary"] = (
        "Clear progress on Measurement and Culture. Next: remove the manual deploy gate."
    )
    carried = {2, 5}  # automate the deploy, Terraform for staging
    for i, action in enumerate(first.actions):
        decision = ReviewDecision.CARRIED if i in carried else ReviewDecision.DONE
        second.action_reviews[action.id] = decision
        if decision == ReviewDecision.CARRIED:
            second.actions.append(
                ActionItem(
                    id=f"{second.id[-4:]}-c{i}",
                    text=action.text,
                    owner=action.owner,
                    due=(second_day + timedelta(days=30)).isoformat(),
                    pillar=action.pillar,
                    status=ActionStatus.IN_PROGRESS,
                    carried_from=action.id,
                )
            )
    for i, (text, owner, pillar, days) in enumerate(ACTIONS_AFTER):
        second.actions.append(
            ActionItem(
                id=f"{second.id[-4:]}-a{i}",
                text=text,
                owner=owner,
                due=(second_day + timedelta(days=days)).isoformat(),
                pillar=pillar,
            )
        )
    return [first, second]


def install_demo(library: Library) -> list[Workshop]:
    """Add the demo workshops to ``library``; returns them, oldest first.

    A workshop already there under a demo id is the user's — perhaps edited,
    perhaps imported — and is kept as it is (it is returned in the demo's
    place when it can be read); only missing demo workshops are written.
    """
    from .errors import CalmsError

    out: list[Workshop] = []
    for ws in build_demo():
        if ws.id in library:
            try:
                out.append(library.load(ws.id))
                continue
            except (CalmsError, OSError):
                pass  # unreadable: it was set aside; the demo takes its place
        library.save(ws)
        out.append(ws)
    return out
