"""/ws/chat/ through the real ASGI application: live delivery, reconnect without loss, bad frames, floods."""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.test import Client

from sangsaeng.asgi import application
from sangsaeng.messaging import services
from sangsaeng.messaging.models import Message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


def _headers(user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [(b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()), (b"origin", b"http://127.0.0.1")]


async def _connect(user):
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=await sync_to_async(_headers)(user))
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    return communicator, hello


async def _post(user, conversation, text, client_id=None):
    return await sync_to_async(services.message_post)(
        actor=user, conversation_id=conversation.public_id, text=text, client_id=client_id
    )


async def _frames_until(communicator, predicate, limit=200):
    frames = []
    for _ in range(limit):
        frame = await communicator.receive_json_from(timeout=3)
        frames.append(frame)
        if predicate(frame):
            return frames
    raise AssertionError(frames)


async def test_anonymous_sockets_are_closed():
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=[(b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


async def test_messages_arrive_live_and_a_send_frame_is_acknowledged(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    bob_socket, hello = await _connect(bob)
    assert hello["conversations"] == [str(direct.public_id)]
    alice_socket, _ = await _connect(alice)
    await alice_socket.send_json_to(
        {"type": "send", "conversation": str(direct.public_id), "text": "안녕 밥", "client_id": "m1"}
    )
    frames = await _frames_until(alice_socket, lambda f: f["type"] == "ack")
    ack = frames[-1]
    assert ack["seq"] == 1 and ack["client_id"] == "m1"
    live = await bob_socket.receive_json_from(timeout=3)
    assert live["type"] == "message" and live["message"]["text"] == "안녕 밥" and live["message"]["seq"] == 1
    await alice_socket.send_json_to({"type": "typing", "conversation": str(direct.public_id)})
    typing = await bob_socket.receive_json_from(timeout=3)
    assert typing == {
        "type": "typing",
        "conversation": str(direct.public_id),
        "user": str(alice.public_id),
        "name": "앨리스",
    }
    await bob_socket.send_json_to({"type": "read", "conversation": str(direct.public_id), "seq": 1})
    frames = await _frames_until(alice_socket, lambda f: f["type"] == "read")
    assert frames[-1] == {"type": "read", "conversation": str(direct.public_id), "user": str(bob.public_id), "seq": 1}
    await alice_socket.disconnect()
    await bob_socket.disconnect()


async def test_a_reconnecting_client_gets_exactly_the_missed_messages_in_order(alice, bob):
    # given bob saw messages 1-3, then went offline while 4-10 were sent
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    bob_socket, _ = await _connect(bob)
    await bob_socket.send_json_to({"type": "sync", "cursors": {str(direct.public_id): 0}})
    await _frames_until(bob_socket, lambda f: f["type"] == "synced")
    for n in range(1, 4):
        await _post(alice, direct, f"메시지 {n}")
    seen = [(await bob_socket.receive_json_from(timeout=3))["message"]["seq"] for _ in range(3)]
    assert seen == [1, 2, 3]
    await bob_socket.disconnect()
    for n in range(4, 11):
        await _post(alice, direct, f"메시지 {n}")

    # when bob reconnects with his cursor, while alice keeps sending
    bob_socket, _ = await _connect(bob)
    await bob_socket.send_json_to({"type": "sync", "cursors": {str(direct.public_id): 3}})
    sender = asyncio.ensure_future(_post_many(alice, direct, range(11, 16)))
    frames: list[dict] = []
    while len([f for f in frames if f["type"] == "message"]) < 12:
        frames.append(await bob_socket.receive_json_from(timeout=5))
    await sender

    # then he has every seq from 4 to 15 exactly once and in order, and nothing more comes
    seqs = [f["message"]["seq"] for f in frames if f["type"] == "message"]
    assert seqs == list(range(4, 16))
    assert [f["message"]["text"] for f in frames if f["type"] == "message"][:2] == ["메시지 4", "메시지 5"]
    await asyncio.sleep(0.2)
    leftovers = []
    while not await bob_socket.receive_nothing(timeout=0.1):
        leftovers.append(await bob_socket.receive_json_from())
    assert [f for f in leftovers if f["type"] == "message"] == []
    await bob_socket.disconnect()


async def _post_many(user, conversation, numbers):
    for n in numbers:
        await _post(user, conversation, f"메시지 {n}")


async def test_a_gap_in_live_delivery_is_filled_from_the_database(alice, bob):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    bob_socket, _ = await _connect(bob)
    await bob_socket.send_json_to({"type": "sync", "cursors": {str(direct.public_id): 0}})
    await _frames_until(bob_socket, lambda f: f["type"] == "synced")
    # a message stored without its fan-out (as if the channel layer dropped it)
    from unittest import mock

    with mock.patch("sangsaeng.messaging.delivery._send"):
        await _post(alice, direct, "유실된 메시지")
    await _post(alice, direct, "다음 메시지")
    first = await bob_socket.receive_json_from(timeout=3)
    second = await bob_socket.receive_json_from(timeout=3)
    assert [first["message"]["seq"], second["message"]["seq"]] == [1, 2]
    assert first["message"]["text"] == "유실된 메시지"
    await bob_socket.disconnect()


async def test_bad_frames_get_error_frames_and_the_connection_stays(alice, bob, charlie):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    socket, _ = await _connect(alice)
    cases = [
        ("{not json", "malformed_frame"),
        ("[" * 16_000, "malformed_frame"),  # deeper than Python's recursion limit
        (json.dumps({"type": "send", "conversation": str(direct.public_id), "text": "a\x00b"}), "malformed_frame"),
        (json.dumps([1, 2]), "malformed_frame"),
        (json.dumps({"type": "teleport"}), "unknown_frame"),
        (json.dumps({"type": "send", "conversation": str(direct.public_id), "text": "가" * 4001}), "message_too_long"),
        (
            json.dumps({"type": "send", "conversation": str(direct.public_id), "kind": "hologram", "card": {}}),
            "unknown_kind",
        ),
        (
            json.dumps({"type": "send", "conversation": "00000000-0000-0000-0000-000000000000", "text": "x"}),
            "not_found",
        ),
        (json.dumps({"type": "sync", "cursors": "all"}), "malformed_frame"),
        ("x" * 40_000, "frame_too_large"),
    ]
    for raw, code in cases:
        await socket.send_to(text_data=raw)
        frame = await socket.receive_json_from(timeout=3)
        assert (frame["type"], frame["code"]) == ("error", code), raw[:40]
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_json_from(timeout=3) == {"type": "pong"}
    assert await sync_to_async(Message.objects.count)() == 0
    await socket.disconnect()


async def test_someone_outside_a_conversation_can_neither_post_nor_listen(alice, bob, charlie):
    direct = await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    socket, hello = await _connect(charlie)
    assert hello["conversations"] == []
    await socket.send_json_to({"type": "send", "conversation": str(direct.public_id), "text": "끼어들기"})
    assert (await socket.receive_json_from(timeout=3))["code"] == "not_found"
    await socket.send_json_to({"type": "sync", "cursors": {str(direct.public_id): 0}})
    assert await socket.receive_json_from(timeout=3) == {"type": "synced", "cursors": {}}
    await _post(alice, direct, "비밀")
    assert await socket.receive_nothing(timeout=0.3)
    assert await sync_to_async(Message.objects.count)() == 1
    await socket.disconnect()


async def test_floods_are_refused_per_connection_and_abuse_closes_it(alice, bob, settings):
    settings.MESSAGING_WS_FRAMES_PER_SECOND = 5
    await sync_to_async(services.conversation_direct_open)(actor=alice, other=bob)
    socket, _ = await _connect(alice)
    for _ in range(12):
        await socket.send_json_to({"type": "ping"})
    frames = [await socket.receive_json_from(timeout=3) for _ in range(12)]
    assert [f["type"] for f in frames].count("pong") == 10
    assert [f.get("code") for f in frames if f["type"] == "error"] == ["rate_limited", "rate_limited"]
    for _ in range(120):
        await socket.send_json_to({"type": "ping"})
    closed = False
    for _ in range(200):
        output = await socket.receive_output(timeout=3)
        if output["type"] == "websocket.close":
            closed = output["code"] == 4429
            break
    assert closed


async def test_a_user_added_to_a_group_starts_receiving_it(alice, bob, charlie):
    group = await sync_to_async(services.conversation_group_create)(actor=alice, title="모임", members=[bob])
    socket, _hello = await _connect(charlie)
    await sync_to_async(services.conversation_invite)(actor=alice, conversation_id=group.public_id, user=charlie)
    assert await socket.receive_json_from(timeout=3) == {"type": "joined", "conversation": str(group.public_id)}
    await _post(alice, group, "찰리 환영해요")
    frame = await socket.receive_json_from(timeout=3)
    assert frame["message"]["text"] == "찰리 환영해요"
    await socket.disconnect()
