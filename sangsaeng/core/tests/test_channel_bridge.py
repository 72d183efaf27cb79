"""The loopback bridge into the WebSocket process refuses anything unsigned."""

import json

import httpx
import pytest

from sangsaeng.asgi import application
from sangsaeng.core.channel_layers import BRIDGE_PATH, bridge_signature


@pytest.fixture
def client():
    transport = httpx.ASGITransport(app=application, client=("127.0.0.1", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1")


@pytest.mark.asyncio
async def test_a_signed_forward_is_accepted(client):
    body = json.dumps({"op": "group_send", "target": "user.x", "message": {"type": "notify"}}).encode()
    response = await client.post(BRIDGE_PATH, content=body, headers={"X-Bridge-Signature": bridge_signature(body)})
    assert response.status_code == 204


@pytest.mark.asyncio
async def test_a_bad_signature_is_refused(client):
    body = b'{"op": "group_send", "target": "user.x", "message": {"type": "notify"}}'
    response = await client.post(BRIDGE_PATH, content=body, headers={"X-Bridge-Signature": "0" * 64})
    assert response.status_code == 403


@pytest.mark.asyncio
async def test_only_post_from_loopback():
    body = b"{}"
    outside = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=application, client=("203.0.113.9", 40000)), base_url="http://127.0.0.1"
    )
    response = await outside.post(BRIDGE_PATH, content=body, headers={"X-Bridge-Signature": bridge_signature(body)})
    assert response.status_code == 404
