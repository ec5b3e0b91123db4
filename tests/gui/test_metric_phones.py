"""A phone estimates a delivery metric in the Measurement step: a vote on ``metric:<id>``
with the bucket as its score, saved through the room's one ballot path; refused elsewhere."""

from __future__ import annotations

import aiohttp
import pytest

from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.net.room_view import build_view
from calms_desktop.net.testing import PhoneClient
from tests.gui.test_phones import room, wait  # noqa: F401  (the fixture)

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_a_phone_picks_a_bucket_in_the_measurement_step(qtbot, room):  # noqa: F811
    w, panel, phones = room
    c = w.controller
    ana = c.workshop.participants[0]
    url, pin = panel.server.url, panel.server.pin
    box: list = []

    async def join_and_pick() -> dict:
        session = aiohttp.ClientSession()
        client = PhoneClient(session, url)
        box.append((session, client))
        await client.join(pin)
        await client.send({"type": "pick", "participant_id": ana.id})
        await client.expect("joined")
        await client.vote("e1", "metric:lead_time", 3)  # the room is on Culture
        return await client.expect("ack")

    ack = wait(qtbot, phones.run(join_and_pick()))
    assert (ack["accepted"], ack["code"]) == (False, "not_current")

    w.go_to("measurement")
    c.set_pillar_state(Pillar.MEASUREMENT, PillarState.VOTING)
    session, client = box[0]

    async def pick(mid: str, metric: str, bucket) -> dict:  # type: ignore[no-untyped-def]
        await client.vote(mid, metric, bucket)
        return await client.expect("ack")

    ack = wait(qtbot, phones.run(pick("e2", "metric:lead_time", 3)))
    assert ack["accepted"] is True
    rec = c.workshop.metrics["lead_time"]
    assert rec.picks == ((ana.id, 3),) and rec.bucket == 3
    assert w.library.load(c.workshop.id).metrics["lead_time"].bucket == 3  # on disk
    ack = wait(qtbot, phones.run(pick("e3", "metric:speed", 1)))
    assert (ack["accepted"], ack["code"]) == (False, "unknown_statement")
    ack = wait(qtbot, phones.run(pick("e4", "metric:change_fail_rate", 5)))  # 5 buckets: 0–4
    assert (ack["accepted"], ack["code"]) == (False, "invalid_score")
    assert "change_fail_rate" not in c.workshop.metrics

    view = build_view(c.room, panel.devices, pdf_available=False)  # what phones are sent
    measurement = view.pillar("measurement")
    assert [m.id for m in measurement.metrics][:2] == ["metric:lead_time",
                                                      "metric:deploy_frequency"]
    assert view.pillar("culture").metrics == ()
    assert view.public_json()["pillars"][3]["metrics"][0]["buckets"][0] == "More than six months"
    assert view.private_json(ana.id)["answers"]["metric:lead_time"] == 3
    wait(qtbot, phones.run(client.close()))
    wait(qtbot, phones.run(session.close()))
