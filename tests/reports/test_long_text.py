"""Text longer than a page never stops a report: a 10,000-character action, note or name."""

from __future__ import annotations

import dataclasses

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
