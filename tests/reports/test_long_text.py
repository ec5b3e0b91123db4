"""Text longer than a page never stops a report: a 10,000-character action, note or name."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calms_desktop.core.demo import build_demo
from calms_desktop.core.model import PILLARS
from calms_desktop.reports.attendee import build_attendee_pdf
from calms_desktop.reports.facilitator import build_facilitator_pdf

LONG = " ".join(f"word{i}" for i in range(1700))  # about 10,000 characters


@pytest.mark.parametrize("build", [build_attendee_pdf, build_facilitator_pdf])
def test_a_ten_thousand_character_action_flows_over_pages(build):
    baseline, ws = build_demo()
    ws.actions[0] = dataclasses.replace(ws.actions[0], text=LONG)
    ws.notes["summary"] = LONG
    pdf = build(ws, baseline)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000


@pytest.mark.parametrize("build", [build_attendee_pdf, build_facilitator_pdf])
@pytest.mark.parametrize("summary", [LONG, "ملاحظة الفريق " * 700])
def test_a_long_note_starts_under_its_heading_and_leaves_no_page_nearly_blank(build, summary):
    """Kept together with its heading, a 10,000-character note left a page nearly blank."""
    from tests.reports.conftest import pdf_reader

    baseline, ws = build_demo()
    ws.notes = {"summary": summary}
    pages = [page.extract_text() for page in pdf_reader(build(ws, baseline)).pages]
    start = next(i for i, text in enumerate(pages) if "Facilitator’s summary" in text)
    above, below = pages[start].split("Facilitator’s summary", 1)
    # the heading follows what came before on its page (the running header is ~90
    # characters), or the page before is full
    assert len("".join(above.split())) > 250 or len("".join(pages[start - 1].split())) > 1000
    assert len("".join(below.split())) > 300  # the note begins on the heading's page
    def of_the_note(text: str) -> bool:  # Arabic extracts as presentation forms
        return "word1" in text or re.search("[\u0600-\u06ff\ufb50-\ufeff ]{40}", text) is not None

    spans = [i for i, text in enumerate(pages) if of_the_note(text)]
    assert len(spans) >= 2
    for i in range(spans[0], spans[-1]):  # every page the note runs over but its last is full
        assert len("".join(pages[i].split())) > 1500, f"page {i + 1} is nearly blank"


FIELDS = ("title", "organisation", "team", "location", "facilitator")


@pytest.mark.parametrize("build", [build_attendee_pdf, build_facilitator_pdf])
@pytest.mark.parametrize("word", ["Wolkenkratzer-Ausschreibung ", "W"])
def test_every_field_at_the_length_the_file_allows_builds_both_pdfs(build, word, tmp_path):
    """Breaking pass: a 500-character title and organisation with branding, or five
    fields of 250, made the cover taller than the page (ReportLab's LayoutError)."""
    from calms_desktop.reports.branding import Branding
    from tests.reports.test_branding import png

    baseline, ws = build_demo()
    text = (word * 500)[:500]
    ws = dataclasses.replace(ws, **dict.fromkeys(FIELDS, text))
    branding = Branding("Dr. Mara Lindholm", "Lindholm Agile", "mara@x.example",
                        png(tmp_path / "logo.png"), "Confidential")
    pdf = build(ws, baseline, branding=branding)
    assert pdf.startswith(b"%PDF")
    from tests.reports.conftest import pdf_reader

    cover = pdf_reader(pdf).pages[0].extract_text()
    assert "…" in cover  # shortened on the cover …
    if build is build_facilitator_pdf:  # … and given in full in its facts
        facts = "".join("".join(p.extract_text().split()) for p in pdf_reader(pdf).pages[:3])
        assert "".join(text.split()) in facts


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lengths=st.lists(st.integers(0, 500), min_size=5, max_size=5),
       branded=st.booleans())
def test_any_lengths_of_the_workshop_fields_build_both_pdfs(lengths, branded, tmp_path_factory):
    from calms_desktop.reports.branding import Branding
    from tests.reports.test_branding import png

    baseline, ws = build_demo()
    word = "Überwachungs-Plattform "
    ws = dataclasses.replace(ws, **{k: (word * 30)[:n] for k, n in zip(FIELDS, lengths,
                                                                       strict=True)})
    logo = png(tmp_path_factory.mktemp("logo") / "logo.png") if branded else None
    branding = Branding("Mara", "Lindholm Agile", "mara@x.example", logo, "Confidential")
    for build in (build_attendee_pdf, build_facilitator_pdf):
        assert build(ws, baseline, branding=branding).startswith(b"%PDF")


@pytest.mark.parametrize("count", [18, 20])
def test_twenty_long_actions_leave_no_blank_or_near_blank_page(count):
    """Breaking pass: a blank page (header and footer only) before "Actions" in the
    facilitator report, and an attendee summary whose second page held three rows (~15 %)
    because the heading and the long actions table were moved to the next page whole."""
    from calms_desktop.core.model import ActionItem
    from tests.reports.conftest import make_workshop, pdf_reader

    ws, baseline = make_workshop(), None
    ws.actions = [ActionItem(
        id=f"a{i}", text=f"Action {i}: introduce a weekly review of the deployment pipeline "
        "with the whole team " * (1 + i % 3), owner=ws.participants[i % 5].name,
        due="2027-01-01", pillar=PILLARS[i % 5]) for i in range(count)]
    for build in (build_attendee_pdf, build_facilitator_pdf):
        pages = [" ".join(p.extract_text().split()) for p in pdf_reader(build(ws, baseline)).pages]
        # a page holds more than its running header and footer (~200 characters); the
        # attendee summary's pages (but its last) are well filled
        least = 700 if build is build_attendee_pdf else 350
        assert all(len(text) > least for text in pages[1:-1]), [len(t) for t in pages]


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_attendee_summary_with_twenty_long_actions_stays_within_two_pages(language):
    """Breaking pass: 20 long actions made the take-home summary three pages (German too).
    It lists the ten most pressing (open, soonest due) in at most two lines each, numbered
    as in the facilitator report, and says how many more the facilitator report holds."""
    from calms_desktop.core.i18n import Translator, activate
    from calms_desktop.core.model import ActionItem, ActionStatus
    from calms_desktop.reports.attendee import TAKE_HOME_ACTIONS, take_home_actions
    from tests.reports.conftest import make_workshop, pdf_reader

    ws = make_workshop()
    ws.actions = [ActionItem(
        id=f"a{i}", text=f"Action {i + 1}: introduce a weekly review of the deployment pipeline "
        "with the whole team and write down what was learnt " * 4,
        owner=ws.participants[i % 5].name, due=f"2027-01-{28 - i:02d}" if i % 4 else "",
        pillar=PILLARS[i % 5], status=ActionStatus.DONE if i == 19 else ActionStatus.OPEN)
        for i in range(20)]
    shown, more = take_home_actions(ws.actions)
    assert len(shown) == TAKE_HOME_ACTIONS and more == 10
    assert ws.actions[19] not in shown  # done: not among the most pressing
    assert [ws.actions.index(a) for a in shown] == sorted(ws.actions.index(a) for a in shown)
    assert all(a.due for a in shown)  # the dated open ones come first
    with activate(Translator(language)):
        pages = [" ".join(p.extract_text().split())
                 for p in pdf_reader(build_attendee_pdf(ws, None)).pages]
    assert len(pages) <= 2, len(pages)
    assert all(len(text) > 700 for text in pages)  # no near-blank page
    text = " ".join(pages)
    assert ("and 10 more actions in the facilitator report" if language == "en"
            else "und 10 weitere Maßnahmen im Bericht für die Moderation") in text
    assert f"Action {ws.actions.index(shown[-1]) + 1}:" in text


def test_ten_actions_or_fewer_are_all_in_the_attendee_summary():
    from calms_desktop.core.model import ActionItem
    from calms_desktop.reports.attendee import take_home_actions

    actions = [ActionItem(id=f"a{i}", text="Review") for i in range(10)]
    assert take_home_actions(actions) == (actions, 0)


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_demo_attendee_summary_is_two_pages_in_every_language(language):
    """Final breaking pass: the German demo's take-home ran onto a third page holding only
    "Next steps" (its delivery-metrics table is taller in German). The summary gives way
    step by step — fewer actions, then the metrics' table for a line pointing to the
    facilitator report — until it fits two pages."""
    from calms_desktop.core.i18n import Translator, activate
    from tests.reports.conftest import pdf_reader

    baseline, ws = build_demo()
    with activate(Translator(language)):
        pages = [" ".join(p.extract_text().split())
                 for p in pdf_reader(build_attendee_pdf(ws, baseline)).pages]
    assert len(pages) == 2, [len(t) for t in pages]
    text = " ".join(pages)
    assert ("Nächste Schritte" if language == "de" else "Next steps") in text
    for action in ws.actions[:3]:  # the most pressing are there (the first words at least)
        assert " ".join(action.text.split()[:3]) in text


def test_the_footer_shortens_the_title_before_the_consultants_address():
    """Final breaking pass: a long consultant and company cut the e-mail address in the
    footer ("mara@lindholm-bera…"), which is no use; the title gives way first."""
    from calms_desktop.reports import common as c
    from calms_desktop.reports.branding import Branding

    ws = build_demo()[1]
    ws.title = "CALMS re-assessment of the payments platform after the migration"
    branding = Branding("Dr. Mara Lindholm-Weißenberger · مارا",
                        "Lindholm DevOps Beratung GmbH & Co. KG — שירותי ייעוץ",
                        "mara@lindholm-beratung.example", None, "")
    frame = c.frame_texts(ws, "CALMS report", branding)
    footer = " ".join(frame.footer_fields)
    assert "mara@lindholm-beratung.example" in footer
    assert "CALMS re-assessment of the payments platform" not in footer  # the title gave way


def test_the_reports_radar_keeps_german_pillar_names_inside_its_figure():
    """Final breaking pass: "Automatisierung" reached past the radar's figure into the key
    figures beside it on the German first page."""
    from calms_desktop.core.i18n import Translator, activate
    from calms_desktop.core.questionnaire import workshop_in_language
    from calms_desktop.core.scoring import score_workshop
    from calms_desktop.reports.blocks import RADAR_LABEL_MARGIN_PX, report_radar_figure

    baseline, ws = build_demo()
    with activate(Translator("de")):
        ws = workshop_in_language(ws, "de")
        fig = report_radar_figure(ws, score_workshop(ws, baseline))
        box = fig.axes[0].get_tightbbox(fig.canvas.get_renderer())
    width = fig.bbox.width
    assert box.x0 >= RADAR_LABEL_MARGIN_PX - 1 and box.x1 <= width - RADAR_LABEL_MARGIN_PX + 1
