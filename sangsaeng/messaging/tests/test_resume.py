"""Resuming over /ws/chat/: edits, deletes for everyone and reactions made while a client was
offline come back with the new messages, exactly once and in order."""

from unittest import mock

import pytest
from asgiref.sync import sync_to_async

from sangsaeng.messaging import services
from sangsaeng.messaging.models import Message
from sangsaeng.messaging.tests.test_websocket import _connect, _frames_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def _post(user, conversation, text):
    return await sync_to_async(services.message_post)(actor=user, conversation_id=conversation.public_id, text=text)


async def _sync(socket, conversation, seq, ev=None):
    frame = {"type": "sync", "cursors": {str(conversation.public_id): seq}}
    if ev is not None:
        frame["events"] = {str(conversation.public_id): ev}
    await socket.send_json_to(frame)
    return await _frames_until(socket, lambda f: f["type"] == "synced")


async def _nothing_more(socket):
    leftovers = []
    while not await socket.receive_nothing(timeout=0.2):
        leftovers.append(await socket.receive_json_from())
    return leftovers


def _summary(frame):
    m = frame["message"]
    return (frame["type"], frame["ev"], m["seq"], m["text"], m["deleted"], m["reactions"])


async def test_a_client_that_reconnects_gets_exactly_the_changes_it_missed_in_order(alice, bob):
    # given alice online, having seen bob's three messages and a reaction
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    first, second, third = [await _post(bob, direct, f"원래 {n}") for n in (1, 2, 3)]
    socket, _ = await _connect(alice)
    frames = await _sync(socket, direct, 0, ev=0)
    assert [(f["type"], f.get("ev")) for f in frames] == [
        ("message", 1),
        ("message", 2),
        ("message", 3),
        ("synced", None),
    ]
    assert frames[-1] == {"type": "synced", "cursors": {str(direct.public_id): 3}, "events": {str(direct.public_id): 3}}
    await sync_to_async(services.reaction_add)(actor=bob, message_id=first.public_id, emoji="👍")
    live = await socket.receive_json_from(timeout=3)
    assert (live["type"], live["ev"], live["message"]["reactions"]) == (
        "message_updated",
        4,
        {"👍": [str(bob.public_id)]},
    )
    await socket.disconnect()

    # when, while she is offline, bob edits one message, deletes another, reacts to a third and sends two
    await sync_to_async(services.message_edit)(actor=bob, message_id=first.public_id, text="고친 1")
    await sync_to_async(services.message_delete)(actor=bob, message_id=second.public_id)
    await sync_to_async(services.reaction_add)(actor=bob, message_id=third.public_id, emoji="❤️")
    await _post(bob, direct, "새 4")
    await _post(bob, direct, "새 5")

    # then she reconnects with the last seq and event she saw, and gets exactly those five changes, in order
    socket, _ = await _connect(alice)
    frames = await _sync(socket, direct, 3, ev=4)
    bob_id = str(bob.public_id)
    assert [_summary(f) for f in frames[:-1]] == [
        ("message_updated", 5, 1, "고친 1", False, {"👍": [bob_id]}),
        ("message_updated", 6, 2, "", True, {}),
        ("message_updated", 7, 3, "원래 3", False, {"❤️": [bob_id]}),
        ("message", 8, 4, "새 4", False, {}),
        ("message", 9, 5, "새 5", False, {}),
    ]
    assert frames[0]["message"]["edited"] is True
    assert frames[-1] == {"type": "synced", "cursors": {str(direct.public_id): 5}, "events": {str(direct.public_id): 9}}
    assert await _nothing_more(socket) == []
    # and live delivery goes on from there, once
    await _post(bob, direct, "새 6")
    live = await socket.receive_json_from(timeout=3)
    assert (live["type"], live["ev"], live["message"]["text"]) == ("message", 10, "새 6")
    assert await _nothing_more(socket) == []
    await socket.disconnect()


async def test_a_message_sent_and_changed_while_offline_comes_once_in_its_final_state(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    await _post(bob, direct, "하나")
    socket, _ = await _connect(alice)
    await _sync(socket, direct, 0, ev=0)
    await socket.disconnect()
    two = await _post(bob, direct, "둘")  # ev 2
    await _post(bob, direct, "셋")  # ev 3
    await sync_to_async(services.message_edit)(actor=bob, message_id=two.public_id, text="둘!")  # ev 4
    await sync_to_async(services.reaction_add)(actor=alice, message_id=two.public_id, emoji="🎉")  # ev 5

    socket, _ = await _connect(alice)
    frames = await _sync(socket, direct, 1, ev=1)
    # seq order for new messages, each once, as they are now
    assert [(f["type"], f["ev"], f["message"]["seq"], f["message"]["text"]) for f in frames[:-1]] == [
        ("message", 2, 2, "둘!"),
        ("message", 3, 3, "셋"),
    ]
    assert frames[0]["message"]["ev"] == 5 and frames[0]["message"]["reactions"] == {"🎉": [str(alice.public_id)]}
    assert frames[-1]["events"] == {str(direct.public_id): 5}
    # a later change to it comes live, once
    await sync_to_async(services.reaction_remove)(actor=alice, message_id=two.public_id, emoji="🎉")
    live = await socket.receive_json_from(timeout=3)
    assert (live["type"], live["ev"], live["message"]["reactions"]) == ("message_updated", 6, {})
    assert await _nothing_more(socket) == []
    await socket.disconnect()


async def test_a_change_the_channel_layer_dropped_is_read_from_the_database(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    first = await _post(bob, direct, "첫째")
    second = await _post(bob, direct, "둘째")
    socket, _ = await _connect(alice)
    await _sync(socket, direct, 2, ev=2)
    with mock.patch("sangsaeng.messaging.delivery._send"):
        await sync_to_async(services.message_edit)(actor=bob, message_id=first.public_id, text="첫째(수정)")
    await sync_to_async(services.reaction_add)(actor=bob, message_id=second.public_id, emoji="👏")
    one = await socket.receive_json_from(timeout=3)
    two = await socket.receive_json_from(timeout=3)
    assert [(one["ev"], one["message"]["text"]), (two["ev"], two["message"]["text"])] == [
        (3, "첫째(수정)"),
        (4, "둘째"),
    ]
    assert await _nothing_more(socket) == []
    await socket.disconnect()


async def test_a_client_that_only_knows_its_last_seq_still_gets_the_missed_changes(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    first = await _post(bob, direct, "처음")
    await _post(bob, direct, "다음")
    await sync_to_async(services.message_edit)(actor=bob, message_id=first.public_id, text="처음(수정)")
    socket, _ = await _connect(alice)
    frames = await _sync(socket, direct, 2)
    assert [(f["type"], f["message"]["text"]) for f in frames[:-1]] == [("message_updated", "처음(수정)")]
    # the answer keeps the shape such a client knows
    assert frames[-1] == {"type": "synced", "cursors": {str(direct.public_id): 2}}
    await socket.disconnect()


async def test_bad_event_cursors_get_an_error_and_change_nothing(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    await _post(bob, direct, "안녕")
    socket, _ = await _connect(alice)
    for events in ("all", [1, 2], {str(n): 0 for n in range(1001)}):
        await socket.send_json_to({"type": "sync", "cursors": {str(direct.public_id): 0}, "events": events})
        frame = await socket.receive_json_from(timeout=3)
        assert (frame["type"], frame["code"]) == ("error", "malformed_frame")
    # a cursor that isn't a count is read as "from the start"
    frames = await _sync(socket, direct, 0, ev=-5)
    assert [f["message"]["text"] for f in frames[:-1]] == ["안녕"]
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()
