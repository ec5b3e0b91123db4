"""Phones in the real console: the panel opens voting on 127.0.0.1, a scripted phone
joins with the PIN, picks a name, votes; the vote is on disk, the projector counts it,
answers close at the reveal, and the facilitator can remove the phone."""

from __future__ import annotations

import asyncio
import json
import threading
from concurrent.futures import Future

import aiohttp
import pytest
from PySide6.QtCore import Qt

from calms_desktop.core.model import Pillar, PillarState
from calms_desktop.net.testing import PhoneClient

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


class PhoneThread:
    """Runs one scripted phone's coroutine on its own loop, off the GUI thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro) -> Future:  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


def wait(qtbot, future: Future, timeout: float = 10.0):  # type: ignore[no-untyped-def]
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
    return future.result()


async def join_and_vote(box: list, url: str, pin: str, participant_id: str, sid: str,
                        score: int) -> dict:
    """A phone joins as ``participant_id``, votes ``score`` on ``sid``; its ack."""
    session = aiohttp.ClientSession()
    client = PhoneClient(session, url)
    box.append((session, client))
    await client.join(pin)
    await client.send({"type": "pick", "participant_id": participant_id})
    await client.expect("joined")
    await client.vote("m1", sid, score)
    return await client.expect("ack")


def open_room(qtbot, w, **fields):
    """A new workshop of Ana, Bo and Chen on Culture, projector and phone voting open."""
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.current_screen().add_names("Ana\nBo\nChen")
    if fields:
        w.controller.set_fields(**fields)
    w.go_to("culture")
    w.toggle_projector()
    w.toggle_phones()
    panel = w.phones
    panel.port = 0
    assert panel.open_voting("127.0.0.1")
    return panel, PhoneThread()


@pytest.fixture
def room(qtbot, app_window):
    w = app_window
    panel, phones = open_room(qtbot, w)
    yield w, panel, phones
    phones.stop()
    if w.projector is not None:
        w.projector.close()


def test_a_phone_joins_votes_and_is_counted(qtbot, room):
    w, panel, phones = room
    c = w.controller
    ws = c.workshop
    sid = ws.questionnaire.section(Pillar.CULTURE).statements[0].id
    ana = ws.participants[0]
    url, pin = panel.server.url, panel.server.pin
    assert w.projector.join_info == (url, pin) and w.projector.join_box.isVisibleTo(w.projector)

    box: list = []
    ack = wait(qtbot, phones.run(join_and_vote(box, url, pin, ana.id, sid, 4)))
    assert ack["accepted"] is True
    assert c.workshop.vote(sid, ana.id).score == 4
    assert c.workshop.vote(sid, ana.id).source == "phone"
    assert w.library.load(ws.id).vote(sid, ana.id).score == 4  # acknowledged = on disk
    qtbot.waitUntil(lambda: w.projector.ui.progressCount.text() == "1 of 3")
    assert c.undo_stack.count() == 0 or "vote" not in c.undo_stack.undoText()
    panel._fill_devices()
    assert panel.table.item(0, 0).text() == "Ana"

    c.set_pillar_state(Pillar.CULTURE, c.workshop.pillar_states[Pillar.CULTURE].REVEALED)
    session, client = box[0]

    async def late() -> dict:
        await client.vote("m2", sid, 1)
        return await client.expect("ack")

    refused = wait(qtbot, phones.run(late()))
    assert refused["accepted"] is False and refused["code"] == "revealed"
    assert c.workshop.vote(sid, ana.id).score == 4

    panel.table.selectRow(0)
    asked: list[str] = []

    def answer(button):
        def question(_parent, _title, text, *_args):
            asked.append(text)
            return button
        return question

    from PySide6.QtWidgets import QMessageBox

    real = QMessageBox.question
    QMessageBox.question = answer(QMessageBox.StandardButton.Cancel)
    try:
        assert not panel.remove_selected()  # asked first; Cancel keeps the binding
        assert panel.devices.devices and "Ana" in asked[0]
        QMessageBox.question = answer(QMessageBox.StandardButton.Yes)
        assert panel.remove_selected()
    finally:
        QMessageBox.question = real
    assert panel.devices.devices == {}
    assert panel._selected_token() == ""  # the selection does not move on to someone else
    wait(qtbot, phones.run(client.close()))
    wait(qtbot, phones.run(session.close()))


def test_a_taken_name_waits_for_the_facilitator(qtbot, room):
    w, panel, phones = room
    ws = w.controller.workshop
    bo = ws.participants[1]
    url, pin = panel.server.url, panel.server.pin

    async def pick() -> tuple:
        session = aiohttp.ClientSession()
        first, second = PhoneClient(session, url), PhoneClient(session, url)
        await first.join(pin)
        await first.send({"type": "pick", "participant_id": bo.id})
        await first.expect("joined")
        await second.join(pin)
        await second.send({"type": "pick", "participant_id": bo.id})
        return session, first, second, await second.expect("join_pending")

    session, first, second, _pending = wait(qtbot, phones.run(pick()))
    qtbot.waitUntil(lambda: bool(panel.devices.pending))
    panel._fill_devices()
    assert not panel.approve_button.isEnabled()  # nothing chosen: Let in lets no one in
    panel._decide(True)
    assert second.token not in panel.devices.devices
    panel.table.selectRow(1)  # the waiting request
    assert panel.approve_button.isEnabled() and not panel.remove_button.isEnabled()
    panel._decide(True)
    assert list(panel.devices.devices.values()) == [bo.id]
    assert second.token in panel.devices.devices

    async def done() -> None:
        await first.close()
        await second.close()
        await session.close()

    wait(qtbot, phones.run(done()))


def test_closing_phone_voting_stops_the_server_and_hides_the_code(qtbot, room):
    w, panel, _phones = room
    panel.close_voting()
    assert not panel.running
    assert w.projector.join_info == ("", "") and not w.controller.room.phones_open


def test_while_phones_vote_the_collector_walks_only_new_objects(qtbot, room):
    """Full garbage collections were the longest GUI pauses under a room of phones:
    what exists at opening and at each step is frozen until phone voting closes."""
    import gc

    w, panel, _phones = room
    frozen = gc.get_freeze_count()
    assert frozen > 0
    kept = [object() for _ in range(10)] + [{"x": [i]} for i in range(100)]  # noqa: F841
    w.go_to("automation")
    assert gc.get_freeze_count() > frozen
    panel.close_voting()
    assert gc.get_freeze_count() == 0
    w.go_to("lean")  # not frozen again while phones do not vote
    assert gc.get_freeze_count() == 0


def test_a_phone_vote_that_cannot_be_written_is_refused_and_leaves_the_room(qtbot, room):
    """The burst is in the room while its write is on the writer thread; when the
    disk refuses it, the phone hears "save_failed", the room takes it back out and
    the facilitator is told — nothing shows that the disk does not hold."""
    w, panel, phones = room
    c = w.controller
    ws = c.workshop
    sid = ws.questionnaire.section(Pillar.CULTURE).statements[0].id
    chen = ws.participants[2]
    url, pin = panel.server.url, panel.server.pin
    errors: list[str] = []
    c.error.connect(errors.append)

    def full(*_args):
        raise OSError(28, "No space left on device")

    w.library.store = full

    box: list = []
    ack = wait(qtbot, phones.run(join_and_vote(box, url, pin, chen.id, sid, 2)))
    assert ack["accepted"] is False and ack["code"] == "save_failed"
    qtbot.waitUntil(lambda: bool(errors))
    assert "could not be saved" in errors[0] and "No space" in errors[0]
    assert c.workshop.vote(sid, chen.id) is None
    assert w.library.load(ws.id).vote(sid, chen.id) is None
    assert w.projector.ui.progressCount.text() == "0 of 3"

    del w.library.store  # the disk has room again: the phone's resend is stored

    async def again() -> dict:
        await box[0][1].vote("m1", sid, 2)
        return await box[0][1].expect("ack")

    assert wait(qtbot, phones.run(again()))["accepted"] is True
    assert w.library.load(ws.id).vote(sid, chen.id).score == 2
    session, client = box[0]
    wait(qtbot, phones.run(client.close()))
    wait(qtbot, phones.run(session.close()))


def test_anonymous_phones_speak_for_the_list_and_a_second_device_waits(qtbot, app_window):
    """Breaking pass: in an anonymous workshop with a list of 3, phones became extra
    participants ("2 of 5"), and one person could join again and again (a private
    tab) to vote thirty times. Now a phone takes an unbound place on the list and a
    second new device from one address waits for the facilitator."""
    from calms_desktop.core.model import VotingMode

    w = app_window
    panel, phones = open_room(qtbot, w, voting_mode=VotingMode.ANONYMOUS)
    c = w.controller
    ids = [p.id for p in c.workshop.participants]
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    url, pin = panel.server.url, panel.server.pin

    async def two() -> tuple:
        session = aiohttp.ClientSession()
        first, second = PhoneClient(session, url), PhoneClient(session, url)
        await first.join(pin)
        await first.expect("joined")
        await first.vote("a1", sid, 4)
        await first.expect("ack")
        await second.join(pin)
        return session, first, second, await second.expect("join_pending")

    try:
        session, first, second, _ = wait(qtbot, phones.run(two()))
        assert [p.id for p in c.workshop.participants] == ids  # no extra participant
        assert panel.devices.devices == {first.token: ids[0]}
        qtbot.waitUntil(lambda: w.projector.ui.progressCount.text() == "1 of 3")
        panel._fill_devices()
        texts = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
        assert texts == ["Phone 1", "waits: a new phone"]
        panel.table.selectRow(1)
        panel._decide(True)
        assert panel.devices.devices[second.token] == ids[1]
        assert len(c.workshop.participants) == 3
        wait(qtbot, phones.run(second.expect("joined")))

        async def done() -> None:
            await first.close()
            await second.close()
            await session.close()

        wait(qtbot, phones.run(done()))
    finally:
        phones.stop()
        w.projector.close()


def _kill_with_phones_open(qtbot, data_dir, pin: str):  # type: ignore[no-untyped-def]
    """A console with phone voting open on 127.0.0.1; its resume file as a kill -9 leaves it."""
    from calms_desktop.gui.app import create_window

    w = create_window(data_dir)
    qtbot.addWidget(w)
    w.show()
    w.new_workshop()
    w.current_screen().add_names("Ana\nBo")
    w.go_to("culture")
    w.toggle_phones()
    panel = w.phones
    panel.port = 0
    assert panel.open_voting("127.0.0.1", pin)
    port = panel.server.port
    left = json.loads((data_dir / "session.json").read_text(encoding="utf-8"))
    w.close()  # (a clean close removes the resume file: it is put back below)
    w.library.close()
    return left, port


def _restart(qtbot, data_dir, left: dict):  # type: ignore[no-untyped-def]
    from calms_desktop.gui.app import create_window, offer_resume

    (data_dir / "session.json").write_text(json.dumps(left), encoding="utf-8")
    w = create_window(data_dir)
    qtbot.addWidget(w)
    w.show()
    questions: list[str] = []
    assert offer_resume(w, lambda text: questions.append(text) or True)
    return w, questions


def test_a_resumed_workshop_reopens_phone_voting_where_it_was(qtbot, data_dir):
    left, port = _kill_with_phones_open(qtbot, data_dir, "246810")
    assert left["phones"] == {"open": True, "host": "127.0.0.1", "port": port, "pin": "246810"}
    w, questions = _restart(qtbot, data_dir, left)
    try:
        assert f"Phone voting reopens on 127.0.0.1:{port} with the same PIN" in questions[0]
        panel = w.phones
        assert panel is not None and panel.running
        assert (panel.server.host, panel.server.port, panel.server.pin) == (
            "127.0.0.1", port, "246810")
        assert panel.chosen_address() == "127.0.0.1"  # not the default-route address
        phones = PhoneThread()
        box: list = []
        sid = w.controller.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
        ana = w.controller.workshop.participants[0].id
        ack = wait(qtbot, phones.run(join_and_vote(box, panel.server.url, "246810", ana, sid,
                                                   4)))
        assert ack["type"] == "ack" and w.controller.workshop.vote(sid, ana).score == 4
        for session, _client in box:
            wait(qtbot, phones.run(session.close()))
        phones.stop()
    finally:
        w.close()
        w.library.close()


def test_a_resumed_workshop_says_plainly_when_the_phones_address_is_gone(qtbot, data_dir):
    left, _port = _kill_with_phones_open(qtbot, data_dir, "246810")
    left["phones"]["host"] = "10.255.255.1"  # an address this computer does not have
    w, _questions = _restart(qtbot, data_dir, left)
    try:
        panel = w.phones
        assert panel is not None and not panel.running
        text = panel.status.text()
        assert "10.255.255.1" in text and "no longer has that address" in text
        assert w.statusBar().currentMessage() == text
    finally:
        w.close()
        w.library.close()


def test_the_panel_says_what_phones_can_do_now(qtbot, room):
    w, panel, _phones = room
    c = w.controller
    c.set_pillar_state(Pillar.CULTURE, PillarState.VOTING)
    assert panel.status.text() == "Phones can join and answer Culture."
    c.set_pillar_state(Pillar.CULTURE, PillarState.REVEALED)
    assert "results are shown" in panel.status.text()
    assert "answers are closed" in panel.status.text()
    assert "vote on the current pillar" not in panel.status.text()
    w.go_to("intro")
    assert "answers open when" in panel.status.text()


def test_letting_a_newcomer_in_is_one_undo_step_and_undoing_it_unbinds_the_phone(qtbot, room):
    w, panel, phones = room
    c = w.controller
    url, pin = panel.server.url, panel.server.pin
    sid = c.workshop.questionnaire.section(Pillar.CULTURE).statements[0].id
    assert c.vote(sid, c.workshop.participants[0].id, 3)  # an earlier, unrelated vote

    async def ask() -> tuple:
        session = aiohttp.ClientSession()
        phone = PhoneClient(session, url)
        await phone.join(pin)
        await phone.send({"type": "newcomer", "name": "Kwame\u202e\x00 Mensah"})
        return session, phone, await phone.expect("join_pending")

    session, phone, _pending = wait(qtbot, phones.run(ask()))
    qtbot.waitUntil(lambda: bool(panel.devices.pending))
    panel._fill_devices()
    panel.table.selectRow(0)
    panel._decide(True)
    names = [p.name for p in c.workshop.participants]
    assert names[-1] == "Kwame Mensah"  # cleaned with the name rules
    assert phone.token in panel.devices.devices
    assert "Kwame Mensah" in c.undo_stack.undoText()
    assert c.undo()  # Ctrl+Z: the newcomer goes, not the earlier vote
    assert "Kwame Mensah" not in [p.name for p in c.workshop.participants]
    assert c.workshop.vote(sid, c.workshop.participants[0].id).score == 3
    assert phone.token not in panel.devices.devices  # the phone no longer speaks for anyone

    async def removed() -> dict:
        return await phone.expect("removed")

    assert wait(qtbot, phones.run(removed()))["type"] == "removed"
    wait(qtbot, phones.run(session.close()))


def test_a_port_in_use_is_said_in_the_app_language_with_a_way_out(qtbot, app_window, qapp):
    import socket

    from calms_desktop.core.i18n import Translator
    from tests.gui.conftest import ui_language

    w = app_window
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    w.current_screen().add_names("Ana\nBo")
    w.go_to("culture")
    w.toggle_phones()
    panel = w.phones
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        panel.port = taken.getsockname()[1]
        with ui_language(qapp, Translator("de")):
            assert not panel.open_voting("127.0.0.1")
            text = panel.status.text()
    assert text.startswith(f"Port {panel.port} wird auf 127.0.0.1 schon verwendet"), text
    assert "--phone-port" in text and "in use" not in text
    assert panel.server is None
