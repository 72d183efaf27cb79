"""WebSockets through the real ASGI application: auth required, notifications delivered."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings

from sangsaeng.asgi import application
from sangsaeng.core.realtime import notify_user

pytestmark = pytest.mark.django_db(transaction=True)


def _cookie_headers(client, user):
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return [(b"cookie", f"{django_settings.SESSION_COOKIE_NAME}={cookie}".encode()), (b"origin", b"http://127.0.0.1")]


@pytest.mark.asyncio
async def test_anonymous_sockets_are_closed():
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=[(b"origin", b"http://127.0.0.1")])
    connected, _ = await communicator.connect()
    assert connected
    assert await communicator.receive_output() == {"type": "websocket.close", "code": 4401}


@pytest.mark.asyncio
async def test_a_signed_in_user_gets_their_notifications(client, alice, bob):
    headers = await sync_to_async(_cookie_headers)(client, alice)
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello == {"event": "hello", "data": {"user": str(alice.public_id)}}
    await sync_to_async(notify_user)(user_public_id=bob.public_id, event="for_bob", data={})
    await sync_to_async(notify_user)(user_public_id=alice.public_id, event="order_paid", data={"message": "결제 완료"})
    message = await communicator.receive_json_from()
    assert message == {"event": "order_paid", "data": {"message": "결제 완료"}}
    await communicator.disconnect()


@pytest.mark.asyncio
async def test_foreign_origins_are_refused(client, alice):
    headers = await sync_to_async(_cookie_headers)(client, alice)
    headers = [h for h in headers if h[0] != b"origin"] + [(b"origin", b"https://evil.example")]
    communicator = WebsocketCommunicator(application, "/ws/notifications/", headers=headers)
    connected, _ = await communicator.connect()
    assert not connected
