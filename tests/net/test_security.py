"""Every point of the issue's security section, over real sockets on 127.0.0.1."""

from __future__ import annotations

import json

import aiohttp
import pytest

from calms_desktop.core.model import Pillar
from calms_desktop.net.protocol import Limits
from calms_desktop.net.testing import PhoneClient

from .conftest import PIN, joined_phone, run


def _statements(room, pillar=Pillar.CULTURE):
    return [s.id for s in room.workshop.questionnaire.section(pillar).statements]


# -- join PIN and tokens --------------------------------------------------------
def test_a_wrong_pin_is_refused_and_repeated_ones_lock_the_address_out(room, server):
    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.connect()
        for left in (4, 3, 2, 1):
            await phone.send({"type": "join", "pin": "000000"})
            error = await phone.expect("error")
            tries = f"{left} more tries" if left > 1 else "1 more try"  # ngettext's forms
            assert error["code"] == "wrong_pin" and tries in error["reason"]
        await phone.send({"type": "join", "pin": "000000"})
        assert (await phone.expect("error"))["code"] == "locked_out"
        assert await phone.closed() == 4001
        # Locked out even with the right PIN, for a while.
        again = PhoneClient(session, server.url)
        await again.connect()
        await again.send({"type": "join", "pin": PIN})
        assert (await again.expect("error"))["code"] == "locked_out"
        assert not any(m["type"] == "welcome" for m in again.inbox)

    run(scenario)


def test_no_names_or_view_before_the_right_pin(room, server):
    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.connect()
        await phone.send({"type": "join", "pin": "111111"})
        await phone.expect("error")
        await phone.send({"type": "ping"})
        await phone.expect("pong")
        assert [m["type"] for m in phone.inbox] == ["error", "pong"]
        # Anything but join/resume first is refused.
        await phone.send({"type": "vote", "id": "x1", "statement_id": "a", "score": 3})
        assert (await phone.expect("error"))["code"] == "join_first"

    run(scenario)


def test_a_rotated_pin_lets_no_one_in_with_the_old_one_but_keeps_joined_devices(room, server):
    async def scenario(session):
        phone = await joined_phone(session, server)
        new = server.rotate_pin()
        assert new != PIN and len(new) == 6 and new.isdigit()
        late = PhoneClient(session, server.url)
        await late.connect()
        await late.send({"type": "join", "pin": PIN})
        assert (await late.expect("error"))["code"] == "wrong_pin"
        await late.send({"type": "join", "pin": new})
        assert (await late.expect("welcome"))["token"]
        await phone.close()
        assert (await phone.resume())["status"] == "joined"

    run(scenario)


def test_forged_tokens_are_refused(room, server):
    async def scenario(session):
        for token in ("A" * 43, "not a token!", "short"):
            phone = PhoneClient(session, server.url)
            phone.token = token
            await phone.connect()
            await phone.send({"type": "resume", "token": token})
            error = await phone.expect("error")
            assert error["code"] in ("unknown_token", "bad_message")
            if error["code"] == "unknown_token":
                assert await phone.closed() == 4001

    run(scenario)


def test_tokens_are_unguessable_and_per_device(room, server):
    async def scenario(session):
        tokens = set()
        for _ in range(3):
            phone = PhoneClient(session, server.url)
            tokens.add((await phone.join(PIN))["token"])
        assert len(tokens) == 3
        assert all(len(t) >= 40 for t in tokens)  # 32 random bytes

    run(scenario)


def test_a_removed_device_is_closed_and_its_token_replayed_is_refused(room, server):
    async def scenario(session):
        phone = await joined_phone(session, server)
        room.remove_device(phone.token)
        await phone.expect("removed")
        assert await phone.closed() == 4003
        replay = PhoneClient(session, server.url)
        replay.token = phone.token
        await replay.connect()
        await replay.send({"type": "resume", "token": phone.token})
        assert (await replay.expect("error"))["code"] == "unknown_token"

    run(scenario)


def test_a_device_votes_only_as_the_participant_it_is_bound_to(room, server):
    room.open_pillar(Pillar.CULTURE)
    sid = _statements(room)[0]

    async def scenario(session):
        phone = await joined_phone(session, server, "p-bo")
        # There is no field to name another participant: the schema refuses it.
        await phone.send({"type": "vote", "id": "v1", "statement_id": sid, "score": 5,
                          "participant_id": "p-ana"})
        assert (await phone.expect("error"))["code"] == "bad_message"
        await phone.vote("v2", sid, 5)
        assert (await phone.expect("ack"))["accepted"]

    run(scenario)
    assert room.workshop.vote(sid, "p-ana") is None
    assert room.workshop.vote(sid, "p-bo").score == 5


def test_voting_before_joining_is_refused(room, server):
    room.open_pillar(Pillar.CULTURE)

    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.join(PIN)  # PIN right, but no name picked yet
        await phone.vote("v1", _statements(room)[0], 3)
        error = await phone.expect("error")
        assert error["code"] == "not_joined" and error["id"] == "v1"

    run(scenario)
    assert not room.workshop.votes


def test_a_name_taken_by_another_device_asks_the_facilitator(room, server):
    async def scenario(session):
        first = await joined_phone(session, server, "p-ana")
        second = PhoneClient(session, server.url)
        await second.join(PIN)
        await second.send({"type": "pick", "participant_id": "p-ana"})
        await second.expect("join_pending")
        assert second.token in room.pending
        room.approve(second.token)  # the facilitator moves the name to the new phone
        assert (await second.expect("joined"))["participant_id"] == "p-ana"
        await first.expect("removed")
        assert await first.closed() == 4003

    run(scenario)


def test_a_declined_request_says_so_and_the_phone_may_pick_again(room, server):
    async def scenario(session):
        await joined_phone(session, server, "p-ana")
        second = PhoneClient(session, server.url)
        await second.join(PIN)
        await second.send({"type": "pick", "participant_id": "p-ana"})
        await second.expect("join_pending")
        room.decline(second.token)
        assert (await second.expect("join_refused"))["code"] == "declined"
        await second.send({"type": "pick", "participant_id": "p-bo"})
        assert (await second.expect("joined"))["participant_id"] == "p-bo"

    run(scenario)


def test_a_newcomer_is_added_once_the_facilitator_approves(room, server):
    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.join(PIN)
        await phone.send({"type": "newcomer", "name": "  Kwame   Mensah "})
        await phone.expect("join_pending")
        pid = room.approve(phone.token)
        assert (await phone.expect("joined"))["participant_id"] == pid
        return pid

    pid = run(scenario)
    assert room.workshop.participant(pid).name == "Kwame Mensah"


def test_an_unknown_name_is_refused_with_a_reason(room, server):
    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.join(PIN)
        await phone.send({"type": "pick", "participant_id": "p-nobody"})
        refused = await phone.expect("join_refused")
        assert refused["code"] == "unknown_participant" and refused["reason"]

    run(scenario)


# -- Origin, Host, forms -----------------------------------------------------------
@pytest.mark.parametrize("origin", ["http://evil.example", "null", "",
                                    "http://127.0.0.1:1", "https://127.0.0.1"])
def test_a_websocket_from_another_origin_is_refused(server, origin):
    async def scenario(session):
        headers = {"Origin": origin} if origin else {}
        url = server.url.replace("http://", "ws://") + "ws"
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await session.ws_connect(url, headers=headers)
        assert caught.value.status == 403

    run(scenario)


@pytest.mark.parametrize("host", ["evil.example", "evil.example:80", "localhost",
                                  "127.0.0.1:1", ""])
def test_requests_for_another_host_name_are_refused(server, host):
    # DNS rebinding: a page of evil.example whose name now points at us.
    async def scenario(session):
        async with session.get(server.url, headers={"Host": host}) as response:
            assert response.status == 421
        url = server.url.replace("http://", "ws://") + "ws"
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await session.ws_connect(url, headers={"Host": host}, origin=f"http://{host}")
        assert caught.value.status == 421

    run(scenario)


def test_an_extra_host_name_can_be_allowed(room, make_server):
    server = make_server(room, allowed_hosts=["calms.local"])

    async def scenario(session):
        host = f"calms.local:{server.port}"
        async with session.get(server.url, headers={"Host": host}) as response:
            assert response.status == 200

    run(scenario)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_no_http_request_changes_anything(room, server, method):
    # A forged form (CSRF) has nothing to post to: every change goes over
    # the WebSocket, whose handshake checks the Origin.
    async def scenario(session):
        for path in ("/", "/ws", "/download/x/calms-summary.pdf"):
            async with session.request(method, server.url.rstrip("/") + path,
                                       data={"pin": PIN, "score": "5"}) as response:
                assert response.status == 405

    run(scenario)


# -- sizes, schemas, rates, connections -------------------------------------------
def test_an_oversized_message_closes_the_socket(room, server):
    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.send({"type": "newcomer", "name": "x" * 5000})
        assert await phone.closed() == 1009  # message too big

    run(scenario)


@pytest.mark.parametrize("text, code", [
    ("not json", "bad_json"),
    ("[1, 2]", "bad_json"),
    ('"vote"', "bad_json"),
    ('{"type": "shout"}', "unknown_type"),
    ('{"no": "type"}', "unknown_type"),
    ('{"type": "vote", "id": "a1", "statement_id": "s", "score": 7}', "bad_message"),
    ('{"type": "vote", "id": "a1", "statement_id": "s", "score": true}', "bad_message"),
    ('{"type": "vote", "id": "a1", "statement_id": "s", "score": 2.5}', "bad_message"),
    ('{"type": "vote", "id": "a1", "statement_id": "s"}', "bad_message"),
    ('{"type": "vote", "id": "a b", "statement_id": "s", "score": 1}', "bad_message"),
    ('{"type": "vote", "id": "a1", "statement_id": "", "score": 1}', "bad_message"),
    ('{"type": "vote", "id": "a1", "statement_id": ["s"], "score": 1}', "bad_message"),
    ('{"type": "pick", "participant_id": 3}', "bad_message"),
    ('{"type": "ping", "extra": 1}', "bad_message"),
])
def test_malformed_messages_get_a_clear_refusal_and_the_phone_stays(room, server, text, code):
    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.ws.send_str(text)
        error = await phone.expect("error")
        assert error["code"] == code and error["reason"]
        await phone.ws.send_bytes(b"\x00\x01")
        assert (await phone.expect("error"))["code"] == "bad_json"
        await phone.send({"type": "ping"})
        await phone.expect("pong")

    run(scenario)
    assert not room.workshop.votes


def test_flooding_is_rate_limited_then_disconnected(room, make_server):
    server = make_server(room, limits=Limits(rate_per_second=5, burst=10, max_rate_refusals=20))

    async def scenario(session):
        phone = await joined_phone(session, server)
        for _ in range(100):
            if phone.ws.closed:
                break
            await phone.ws.send_str(json.dumps({"type": "ping"}))
        assert await phone.closed() == 1008
        codes = [m.get("code") for m in phone.inbox if m["type"] == "error"]
        assert codes and set(codes) == {"rate_limited"}
        pongs = sum(1 for m in phone.inbox if m["type"] == "pong")
        assert 5 <= pongs < 30  # the burst (less what joining took), then the rate

    run(scenario)


def test_connections_are_capped_overall_and_per_address(room, make_server):
    server = make_server(room, limits=Limits(max_connections=3, max_per_address=2))

    async def scenario(session):
        url = server.url.replace("http://", "ws://") + "ws"
        origin = server.url.rstrip("/")
        open_ = [await session.ws_connect(url, origin=origin) for _ in range(2)]
        with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
            await session.ws_connect(url, origin=origin)
        assert caught.value.status == 503
        await open_[0].close()
        again = await session.ws_connect(url, origin=origin)  # a place is free again
        await again.close()

    run(scenario)


def test_a_phone_that_never_joins_is_closed(room, make_server):
    server = make_server(room, limits=Limits(handshake_seconds=0.3))

    async def scenario(session):
        phone = PhoneClient(session, server.url)
        await phone.connect()
        assert await phone.closed() == 4001

    run(scenario)


# -- the room's rules, relayed --------------------------------------------------------
def test_voting_on_a_closed_pillar_is_refused_with_the_rooms_reason(room, server):
    sid = _statements(room)[0]

    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.vote("v1", sid, 3)  # the pillar has not been opened
        ack = await phone.expect("ack")
        assert ack["accepted"] is False and ack["code"] == "not_current"
        room.open_pillar(Pillar.CULTURE)
        room.set_phone_voting(False)  # the facilitator pauses phone voting
        await phone.vote("v2", sid, 3)
        ack = await phone.expect("ack")
        assert ack["accepted"] is False and ack["code"] == "voting_closed" and ack["reason"]
        room.set_phone_voting(True)
        await phone.vote("v3", sid, 3)
        assert (await phone.expect("ack"))["accepted"]

    run(scenario)
    assert room.workshop.vote(sid, "p-ana").score == 3


def test_voting_on_a_revealed_pillar_is_refused(room, server):
    room.open_pillar(Pillar.CULTURE)
    sid = _statements(room)[0]

    async def scenario(session):
        phone = await joined_phone(session, server)
        await phone.vote("v1", sid, 2)
        assert (await phone.expect("ack"))["accepted"]
        room.reveal(Pillar.CULTURE)
        for mid, score in (("v2", 5), ("v3", None)):  # neither change nor withdraw
            await phone.vote(mid, sid, score)
            ack = await phone.expect("ack")
            assert ack["accepted"] is False and ack["code"] == "revealed"

    run(scenario)
    assert room.workshop.vote(sid, "p-ana").score == 2


def test_a_failed_save_is_not_acknowledged_and_a_resend_tries_again(room, server):
    room.open_pillar(Pillar.CULTURE)
    sid = _statements(room)[0]
    library = room.session.library
    real_save = library.save

    def broken(ws):
        raise OSError("disk full")

    async def scenario(session):
        phone = await joined_phone(session, server)
        library.save = broken
        await phone.vote("v1", sid, 4)
        ack = await phone.expect("ack")
        assert ack["accepted"] is False and ack["code"] == "save_failed"
        assert "disk full" in ack["reason"]
        library.save = real_save
        await phone.vote("v1", sid, 4)  # the same message again
        ack = await phone.expect("ack")
        assert ack["accepted"] and "duplicate" not in ack, ack["reason"]

    run(scenario)
    assert room.workshop.vote(sid, "p-ana").score == 4


# -- privacy ---------------------------------------------------------------------------
def test_no_phone_receives_another_persons_answer_or_results_before_the_reveal(room, server):
    room.open_pillar(Pillar.CULTURE)
    statements = _statements(room)

    async def scenario(session):
        ana = await joined_phone(session, server, "p-ana")
        bo = await joined_phone(session, server, "p-bo")
        for i, sid in enumerate(statements):
            await ana.vote(f"a{i}", sid, 1)
            await bo.vote(f"b{i}", sid, 5)
        for phone in (ana, bo):
            for _ in statements:
                await phone.expect("ack")
        room.publish_now()
        await ana.send({"type": "ping"})
        await ana.expect("pong")
        await bo.send({"type": "ping"})
        await bo.expect("pong")
        for phone, mine in ((ana, 1), (bo, 5)):
            for message in phone.inbox:
                if message["type"] == "private":
                    assert set(message["answers"].values()) <= {mine}
                if message["type"] == "view":
                    culture = message["view"]["pillars"][0]
                    assert "results" not in culture and "result" not in culture
            for message in phone.inbox:  # no bindings, no other device's token
                if message["type"] == "view":
                    assert not {"devices", "pending", "private"} & set(message["view"])
            others = {ana.token, bo.token} - {phone.token}
            assert not any(t in json.dumps(phone.inbox) for t in others)
        room.reveal(Pillar.CULTURE)
        view = await ana.expect("view")
        while "results" not in view["view"]["pillars"][0]:
            view = await ana.expect("view")
        assert view["view"]["pillars"][0]["results"][0]["counts"] == [1, 0, 0, 0, 1]

    run(scenario)


def test_an_anonymous_room_shows_no_names_and_withholds_thin_results(anonymous_room,
                                                                    make_server):
    room = anonymous_room
    server = make_server(room)
    room.open_pillar(Pillar.CULTURE)
    statements = _statements(room)

    async def scenario(session):
        phones = []
        for _ in range(2):
            phone = PhoneClient(session, server.url)
            welcome = await phone.join(PIN)
            assert welcome["anonymous"] and welcome["participants"] == []
            await phone.expect("joined")  # bound without a name
            phones.append(phone)
        await phones[0].send({"type": "pick", "participant_id": "anyone"})
        assert (await phones[0].expect("error"))["code"] == "already_joined"
        for n, phone in enumerate(phones):
            await phone.vote("v", statements[0], 2 + n)
            assert (await phone.expect("ack"))["accepted"]
        room.reveal(Pillar.CULTURE)
        view = await phones[0].expect("view")
        while "results" not in view["view"]["pillars"][0]:
            view = await phones[0].expect("view")
        first = view["view"]["pillars"][0]["results"][0]
        # Two answers: the projector withholds them, so does the phone.
        assert first["withheld"] and first["counts"] == [] and first["mean"] == ""
        assert all(m["type"] != "participants" or m["participants"] == []
                   for m in phones[0].inbox)

    run(scenario)


# -- raw TCP connections (breaking pass: idle sockets took the app's file handles) ----
def test_half_sent_requests_are_capped_per_address_and_closed_when_too_slow(room, make_server):
    """Plain TCP connections that send half a request head and wait: the ones over
    the per-address cap are closed at once, the rest when their time runs out —
    after which a phone's request is served again."""
    import asyncio

    server = make_server(room, limits=Limits(max_sockets_per_address=5, request_seconds=0.5))
    host, port = "127.0.0.1", server.port
    head = f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nX-a: ".encode()

    async def scenario(_session):
        held = []
        for _ in range(8):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(head)
            await writer.drain()
            held.append((reader, writer))
        await asyncio.sleep(0.1)
        closed = [await _eof_within(r, 0.05) for r, _ in held]
        assert closed.count(True) == 3  # over the cap of 5: closed at once
        assert server.guard.total == 5
        await asyncio.sleep(0.7)  # past request_seconds: the slow ones are closed too
        assert all([await _eof_within(r, 0.5) for r, _ in held])
        assert server.guard.total == 0
        async with aiohttp.ClientSession() as fresh:
            async with fresh.get(server.url) as response:
                assert response.status == 200
        for _, w in held:
            w.close()

    run(scenario)


async def _eof_within(reader, seconds: float) -> bool:
    import asyncio

    try:
        data = await asyncio.wait_for(reader.read(1024), seconds)
    except TimeoutError:
        return False
    except ConnectionResetError:  # closed with abort(): a reset
        return True
    return data == b"" or reader.at_eof()


def test_the_connection_cap_leaves_the_app_its_own_file_handles():
    from calms_desktop.net.guard import RESERVED_FDS, ConnectionGuard

    tight = ConnectionGuard(Limits(), open_file_limit=256 + 44)
    assert tight.max_total == 44 and RESERVED_FDS == 256
    assert ConnectionGuard(Limits(), open_file_limit=65536).max_total == Limits().max_sockets
    guard = ConnectionGuard(Limits(max_sockets=2, max_sockets_per_address=None))
    assert guard.admit("a") and guard.admit("b") and not guard.admit("c")
    guard.release("a")
    assert guard.admit("c") and guard.refused == 1


def test_an_unknown_address_gets_the_apps_own_page_in_the_rooms_language(room, make_server):
    from calms_desktop.core.i18n import Translator

    server = make_server(room, translator=Translator("de"))

    async def scenario(session):
        for path in ("/nothing-here", "/static/missing.js"):
            async with session.get(server.url.rstrip("/") + path) as response:
                assert response.status == 404
                text = await response.text()
                assert "Not Found" not in text and "Projektor" in text, text
                assert response.headers["X-Frame-Options"] == "DENY"

    run(scenario)
