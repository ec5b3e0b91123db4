"""What phones are sent, built from the real room (net/room_view.py)."""

from __future__ import annotations

from calms_desktop.core.ballots import Ballot, TallyBallot
from calms_desktop.core.model import Pillar
from calms_desktop.core.session import WorkshopSession
from calms_desktop.net.room_view import build_view
from calms_desktop.room import presentation
from calms_desktop.room.live import Room
from calms_desktop.room.phones import DeviceRegistry
from tests.core.factories import workshop


def test_the_phones_count_is_the_projectors_count():
    """Breaking pass: 8 phones answered the whole pillar, the facilitator typed one more
    answer to C1 — the projector said 9 of 10, the phones 8 of 10."""
    ws = workshop(10)
    room = Room(WorkshopSession(ws, None))
    room.go_to(Pillar.CULTURE.value)
    ids = [s.id for s in ws.questionnaire.section(Pillar.CULTURE).statements]
    for p in ws.participants[:8]:
        for sid in ids:
            room.submit(Ballot(sid, p.id, 3))
    room.submit(Ballot(ids[0], ws.participants[8].id, 4))
    room.submit(TallyBallot(ids[1], {2: 1}))

    def projector() -> tuple[int, int]:
        slide = presentation.build_slide(ws, room.score(), room.step, room.statement_id)
        assert isinstance(slide, presentation.PillarSlide) and slide.progress is not None
        return slide.progress.answered, slide.progress.expected

    view = build_view(room, DeviceRegistry(), pdf_available=False)
    assert (view.voted, view.expected) == projector() == (9, 10)
    room.set_statement(ids[1])
    view = build_view(room, DeviceRegistry(), pdf_available=False)
    assert (view.voted, view.expected) == projector() == (9, 10)  # 8 votes and 1 hand
