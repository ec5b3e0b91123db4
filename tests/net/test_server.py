"""The phone server end to end over real sockets on 127.0.0.1 (fake room, real disk)."""

from __future__ import annotations

import asyncio

from calms_desktop.core.model import Pillar
from calms_desktop.core.storage import Library
from calms_desktop.net.testing import PhoneClient

from .conftest import PIN, joined_phone, run

C1 = "culture-1"


def _first_statement(room, pillar=Pillar.CULTURE):
    return room.workshop.questionnaire.section(pillar).statements[0].id


def test_a_phone_joins_votes_and_the_vote_is_on_disk(room, server, data_dir):
    room.open_pillar(Pillar.CULTURE)
    sid = _first_statement(room)

    async def scenario(session):
        phone = await joined_phone(session, server)
        view = await phone.expect("view")
        assert view["view"]["current"] == "culture"
        await phone.vote("m1", sid, 4)
        ack = await phone.expect("ack")
        assert ack == {"type": "ack", "id": "m1", "accepted": True}
        # The ack told the phone; a page that reconnects (or reloads) is told
        # its own answers again.
        await phone.close()
        await phone.resume()
        private = await phone.expect("private")
        while private["answers"].get(sid) != 4:
            private = await phone.expect("private")
        await phone.close()

    run(scenario)
    # Acknowledged means durable: a second reader sees it in the file now.
    reader = Library(data_dir, read_only=True)
    assert reader.load(room.workshop.id).vote(sid, "p-ana").score == 4
    assert reader.load(room.workshop.id).vote(sid, "p-ana").source == "phone"


def test_a_burst_of_ballots_from_many_phones_is_one_write(room, server):
    room.open_pillar(Pillar.CULTURE)
    statements = [s.id for s in room.workshop.questionnaire.section(Pillar.CULTURE).statements]
    writes_before = room.writes

    async def scenario(session):
        phones = [await joined_phone(session, server, pid) for pid in ("p-ana", "p-bo", "p-zoe")]
        for phone in phones:  # everything sent before any ack is read
            for i, sid in enumerate(statements):
                await phone.vote(f"v{i}", sid, 1 + i % 5)
        for phone in phones:
            acks = [await phone.expect("ack") for _ in statements]
            assert all(a["accepted"] for a in acks)
            assert sorted(a["id"] for a in acks) == sorted(f"v{i}" for i in range(len(statements)))

    run(scenario)
    ballots = 3 * len(statements)
    assert sum(server.bursts) == ballots
    assert len(server.bursts) < ballots  # several ballots shared a write
    assert room.writes - writes_before == len(server.bursts)
    for pid in ("p-ana", "p-bo", "p-zoe"):
        assert [room.workshop.vote(sid, pid).score for sid in statements] == [
            1 + i % 5 for i in range(len(statements))]


def test_changing_an_answer_keeps_one_current_answer(room, server):
    room.open_pillar(Pillar.CULTURE)
    sid = _first_statement(room)

    async def scenario(session):
        phone = await joined_phone(session, server)
        for i, score in enumerate((2, 5, 0)):
            await phone.vote(f"m{i}", sid, score)
            assert (await phone.expect("ack"))["accepted"]
        await phone.vote("m3", sid, None)  # withdraw
        assert (await phone.expect("ack"))["accepted"]
        await phone.vote("m4", sid, 3)
        assert (await phone.expect("ack"))["accepted"]

    run(scenario)
    assert [v.score for v in room.workshop.votes_for(sid)] == [3]


def test_a_resent_message_is_acknowledged_again_and_counted_once(room, server):
    room.open_pillar(Pillar.CULTURE)
    sid = _first_statement(room)

    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.vote("once", sid, 2)
        await phone.expect("ack")
        writes = room.writes
        # The Wi-Fi drops; the phone reconnects with its token and resends.
        await phone.close()
        welcome = await phone.resume()
        assert welcome["status"] == "joined" and welcome["participant_id"] == "p-ana"
        await phone.vote("once", sid, 2)
        ack = await phone.expect("ack")
        assert ack["accepted"] and ack["duplicate"]
        assert room.writes == writes  # nothing written twice

    run(scenario)
    assert len(room.workshop.votes_for(sid)) == 1


def test_a_device_that_connects_again_takes_over_its_old_socket(room, server):
    async def scenario(session):
        first = await joined_phone(session, server)
        second = PhoneClient(session, server.url)
        second.token = first.token
        await second.resume()
        assert await first.closed() == 4009
        # said in a message too, so a page that loses the close code does not fight back
        assert any(m["type"] == "superseded" for m in first.inbox)

    run(scenario)


def test_the_attendee_pdf_is_offered_at_the_end(room, server):
    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.send({"type": "pdf"})
        assert (await phone.expect("error"))["code"] == "pdf_unavailable"
        room.go_to_summary()
        view = await phone.expect("view")
        while not view["view"]["pdf_available"]:
            view = await phone.expect("view")
        await phone.send({"type": "pdf"})
        ready = await phone.expect("pdf_ready")
        async with session.get(server.url.rstrip("/") + ready["url"]) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "application/pdf"
            assert (await response.read()).startswith(b"%PDF")
        async with session.get(server.url + "download/forged/calms-summary.pdf") as response:
            assert response.status == 404

    run(scenario)


def test_the_page_and_its_files_are_served(server):
    async def scenario(session):
        async with session.get(server.url) as response:
            assert response.status == 200
            assert "text/html" in response.headers["Content-Type"]
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert "<html" in await response.text()
        for name in ("app.js", "style.css"):
            async with session.get(f"{server.url}static/{name}") as response:
                assert response.status == 200
        async with session.get(f"{server.url}static/secret.py") as response:
            assert response.status == 404

    run(scenario)


def test_stop_closes_phones_and_stops_listening(room, make_server):
    import aiohttp
    server = make_server(room)

    async def scenario(session):
        phone = await joined_phone(session, server)
        server.stop()
        assert await phone.closed() == 1001
        # told before the close: the page says "paused by the facilitator", not "reconnecting"
        assert [m["type"] for m in phone.inbox][-1] == "paused"
        try:
            async with session.get(server.url) as response:
                raise AssertionError(f"still answering: {response.status}")
        except aiohttp.ClientConnectionError:
            pass

    run(scenario)
    assert not server.running


def test_a_view_published_after_stop_is_ignored(room, make_server):
    server = make_server(room)
    server.stop()
    room.publish_now()  # does not raise, does not hang


def test_the_server_listens_only_on_one_chosen_address(room):
    import pytest

    from calms_desktop.net.server import PhoneServer
    for wildcard in ("0.0.0.0", "::", "localhost", ""):
        with pytest.raises(ValueError):
            PhoneServer(room, wildcard)
    server = PhoneServer(room, "127.0.0.1", 0, pin=PIN)
    assert not server.running  # nothing listens until start()
    server.start()
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/" and server.port > 0
    finally:
        server.stop()


def test_an_answer_given_elsewhere_reaches_the_phone(room, server):
    # E.g. the facilitator types a vote for someone, or their second device.
    from calms_desktop.core.ballots import Ballot

    room.open_pillar(Pillar.CULTURE)
    sid = _first_statement(room)

    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.vote("m1", sid, 2)
        await phone.expect("ack")
        room._call(lambda: room.session.submit(Ballot(sid, "p-ana", 5)))
        room.publish_now()
        private = await phone.expect("private")
        while private["answers"].get(sid) != 5:
            private = await phone.expect("private")

    run(scenario)


def test_the_console_can_see_which_devices_are_online(room, server):
    async def scenario(session):
        phone = await joined_phone(session, server)
        assert server.online() == {phone.token}
        await phone.close()
        for _ in range(100):
            if not server.online():
                break
            await asyncio.sleep(0.02)
        assert server.online() == frozenset()

    run(scenario)


def test_a_port_in_use_is_reported_when_starting(room, server):
    import pytest

    from calms_desktop.net.server import PhoneServer
    second = PhoneServer(room, "127.0.0.1", server.port, pin=PIN)
    with pytest.raises(OSError):
        second.start()
    assert not second.running


def test_phones_can_join_over_ipv6_loopback(room):
    import socket

    import pytest

    from calms_desktop.net.server import PhoneServer
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    server = PhoneServer(room, "::1", 0, pin=PIN)
    room.connect(server.publish)
    try:
        server.start()
    except OSError as exc:
        pytest.skip(f"::1 cannot be listened on here: {exc}")
    try:
        assert server.url == f"http://[::1]:{server.port}/"

        async def scenario(session):
            phone = await joined_phone(session, server)
            assert phone.token

        run(scenario)
    finally:
        server.stop()


def test_a_phone_that_changes_person_is_told_that_persons_answers(room, server):
    """Breaking pass: a removed phone that joined again as someone else kept showing the
    first person's answers as "Saved ✓" — the server sent no (empty) private message."""
    room.open_pillar(Pillar.CULTURE)
    sid = _first_statement(room)

    async def scenario(session):
        ana = await joined_phone(session, server, "p-ana")
        await ana.vote("m1", sid, 1)
        assert (await ana.expect("ack"))["accepted"]
        await ana.close()
        other = await joined_phone(session, server, "p-bo")  # a new page, another person
        private = await other.expect("private")
        assert private["answers"] == {}  # sent even though it is empty
        await other.close()

    run(scenario)
