"""Text longer than a page never stops a report: a 10,000-character action, note or name."""

from __future__ import annotations

import dataclasses
import re

import pytest

from calms_desktop.core.demo import build_demo
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
