"""Device bindings: named picks, taken names, newcomers, anonymous phones, persistence."""

from __future__ import annotations

from calms_desktop.core.model import VotingMode
from calms_desktop.room.phones import DeviceRegistry, Joined
from tests.core.factories import workshop


def test_a_named_pick_binds_and_a_taken_name_waits_for_the_facilitator(tmp_path):
    ws = workshop(people=3)
    reg = DeviceRegistry(tmp_path / "phones.json")
    first = reg.join(ws, "tok-a", participant_id="p0")
    assert first.status == Joined.JOINED and first.participant_id == "p0"
    reg.bind("tok-a", "p0")
    second = reg.join(ws, "tok-b", participant_id="p0")
    assert second.status == Joined.PENDING and "tok-b" in reg.pending
    granted = reg.approve(ws, "tok-b")
    reg.bind("tok-b", granted.participant_id)
    assert reg.devices == {"tok-b": "p0"}  # the name moved to the new device
    assert DeviceRegistry(tmp_path / "phones.json").devices == {"tok-b": "p0"}


def test_unknown_names_are_refused_and_newcomers_wait(tmp_path):
    ws = workshop(people=2)
    reg = DeviceRegistry()
    assert reg.join(ws, "t", participant_id="ghost").code == "unknown_participant"
    assert reg.join(ws, "t", newcomer_name="  Zoë   Q ").status == Joined.PENDING
    answer = reg.approve(ws, "t")
    assert answer.newcomer is not None and answer.newcomer.name == "Zoë Q"
    reg.decline("t")
    assert reg.approve(ws, "t").status == Joined.REFUSED


def test_anonymous_phones_get_a_participant_of_their_own():
    ws = workshop(people=0, mode=VotingMode.ANONYMOUS)
    reg = DeviceRegistry()
    answer = reg.join(ws, "t1")
    assert answer.status == Joined.JOINED and answer.newcomer is not None
    assert answer.newcomer.name == "Phone 1"
    assert reg.join(ws, "t2", participant_id="x").code == "wrong_mode"


def test_a_rejoin_with_the_same_token_speaks_for_the_same_person():
    ws = workshop(people=2)
    reg = DeviceRegistry()
    reg.bind("t", "p1")
    assert reg.join(ws, "t", participant_id="p0").participant_id == "p1"
    reg.remove("t")
    assert reg.participant_of("t") is None


def test_an_odd_bindings_file_counts_as_none(tmp_path):
    bad = tmp_path / "phones.json"
    for text in ('[1, 2]', '{', '{"t": 5}', '"x"'):
        bad.write_text(text, encoding="utf-8")
        assert DeviceRegistry(bad).devices == {}


def test_anonymous_phones_take_the_unbound_places_of_the_list_first():
    ws = workshop(people=2, mode=VotingMode.ANONYMOUS)
    reg = DeviceRegistry()
    first = reg.join(ws, "t1", address="10.0.0.5")
    assert first.status == Joined.JOINED and first.newcomer is None
    reg.bind("t1", first.participant_id)
    second = reg.join(ws, "t2", address="10.0.0.6")
    assert second.participant_id != first.participant_id and second.newcomer is None
    reg.bind("t2", second.participant_id)
    # the room is full: the third device waits for the facilitator
    assert reg.join(ws, "t3", address="10.0.0.7").status == Joined.PENDING
    let_in = reg.approve(ws, "t3")
    assert let_in.status == Joined.JOINED and let_in.newcomer is not None


def test_a_second_new_anonymous_device_from_one_address_waits():
    """Breaking pass: connect, join, vote, close — thirty times — was thirty votes."""
    ws = workshop(people=0, mode=VotingMode.ANONYMOUS)
    reg = DeviceRegistry()
    answer = reg.join(ws, "t1", address="10.0.0.5")
    assert answer.status == Joined.JOINED
    reg.bind("t1", answer.participant_id)
    assert reg.join(ws, "t2", address="10.0.0.5").status == Joined.PENDING
    assert reg.join(ws, "t3", address="10.0.0.9").status == Joined.JOINED  # another phone


def test_waiting_joins_are_capped():
    from calms_desktop.room.phones import MAX_PENDING

    ws = workshop(people=1)
    reg = DeviceRegistry()
    for i in range(MAX_PENDING):
        assert reg.join(ws, f"t{i}", newcomer_name=f"Spam {i}").status == Joined.PENDING
    refused = reg.join(ws, "one-more", newcomer_name="Spam")
    assert refused.status == Joined.REFUSED and refused.code == "busy"
    reg.decline_all()
    assert reg.join(ws, "one-more", newcomer_name="Real").status == Joined.PENDING


def test_the_bindings_file_is_for_the_owner_only(tmp_path):
    ws = workshop(people=1)
    reg = DeviceRegistry(tmp_path / "phones.json")
    reg.bind("t", ws.participants[0].id)
    assert (tmp_path / "phones.json").stat().st_mode & 0o777 == 0o600


def test_a_name_with_answers_already_waits_for_the_facilitator():
    """Breaking pass: any phone with the PIN picked the name of someone without a phone,
    received their console-typed answers before the reveal, and changed them."""
    from calms_desktop.core.model import Vote

    ws = workshop(people=3)
    sid = ws.questionnaire.statements[0].id
    ws.votes[(sid, "p2")] = Vote(sid, "p2", 4)  # typed on the console for p2
    reg = DeviceRegistry()
    asked = reg.join(ws, "tok-x", participant_id="p2")
    assert asked.status == Joined.PENDING and reg.pending["tok-x"].participant_id == "p2"
    assert reg.join(ws, "tok-y", participant_id="p1").status == Joined.JOINED  # no answers
    granted = reg.approve(ws, "tok-x")  # the facilitator knows it is p2's own phone
    assert granted.status == Joined.JOINED and granted.participant_id == "p2"


def test_an_anonymous_phone_never_takes_a_place_that_has_answers():
    from calms_desktop.core.model import Vote

    ws = workshop(people=2, mode=VotingMode.ANONYMOUS)
    sid = ws.questionnaire.statements[0].id
    first_place = ws.participants[0].id
    ws.votes[(sid, first_place)] = Vote(sid, first_place, 2)
    reg = DeviceRegistry()
    joined = reg.join(ws, "t1", address="10.0.0.5")
    assert joined.status == Joined.JOINED and joined.participant_id != first_place
    reg.bind("t1", joined.participant_id)
    assert reg.join(ws, "t2", address="10.0.0.6").status == Joined.PENDING


def test_bindings_are_kept_per_workshop_and_never_cross_over(tmp_path):
    """Two workshops with the same participant ids (one file imported twice)."""
    import json

    path = tmp_path / "phones.json"
    first, second = workshop(people=2, wid="ws-a"), workshop(people=2, wid="ws-b")
    a = DeviceRegistry(path, first.id)
    a.bind("tok-a", "p0")
    b = DeviceRegistry(path, second.id)
    assert b.devices == {}
    b.forget_missing(second)  # opening the other workshop wipes nothing
    answer = b.join(second, "tok-a")  # the first workshop's token, in the second one
    assert answer.status == Joined.REFUSED and answer.code == "unknown_participant"
    b.bind("tok-b", "p0")
    assert DeviceRegistry(path, first.id).devices == {"tok-a": "p0"}
    assert DeviceRegistry(path, second.id).devices == {"tok-b": "p0"}
    assert json.loads(path.read_text(encoding="utf-8")) == {
        first.id: {"tok-a": "p0"}, second.id: {"tok-b": "p0"}}
    b.remove("tok-b")
    assert json.loads(path.read_text(encoding="utf-8")) == {first.id: {"tok-a": "p0"}}


def test_the_old_flat_bindings_file_belongs_to_no_workshop(tmp_path):
    path = tmp_path / "phones.json"
    path.write_text('{"tok-old": "p0"}', encoding="utf-8")
    ws = workshop(people=2)
    reg = DeviceRegistry(path, ws.id)
    assert reg.devices == {}
    reg.bind("tok-new", "p1")
    assert DeviceRegistry(path, ws.id).devices == {"tok-new": "p1"}
    assert "tok-old" not in path.read_text(encoding="utf-8")


def test_a_newcomers_name_is_cleaned_with_the_name_rules_or_refused():
    ws = workshop(people=1)
    reg = DeviceRegistry()
    answer = reg.join(ws, "t1", newcomer_name="Zo\u00eb\x00 \u202eanA\u202c\x1b[31m\u200d")
    assert answer.status == Joined.PENDING
    assert reg.pending["t1"].newcomer_name == "Zoë anA[31m\u200d"
    for bad in ("\x00\x01", "\u202e\u2066", "\x07 \u200f"):
        refused = reg.join(ws, "t2", newcomer_name=bad)
        assert refused.status == Joined.REFUSED and refused.code == "invalid_name"
    assert "t2" not in reg.pending
