"""The embedded channel layer: in memory in the WebSocket process, bridged from every other one.

Without Redis, only the ASGI process that holds the sockets can deliver to them. Web workers and
the task worker therefore hand `group_send`/`send` to that process over loopback HTTP
(`/_internal/channels`), authenticated with an HMAC keyed from SECRET_KEY. With `REDIS_URL`, the
Redis layer replaces all of this.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from typing import Any

import httpx
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings

log = logging.getLogger(__name__)
BRIDGE_PATH = "/_internal/channels"
HUB_ENV = "SANGSAENG_WS_HUB"


def _key() -> bytes:
    return hashlib.sha256(b"sangsaeng-channels-bridge:" + settings.SECRET_KEY.encode()).digest()


def bridge_signature(body: bytes) -> str:
    return hmac.new(_key(), body, hashlib.sha256).hexdigest()


def is_hub() -> bool:
    """The WebSocket server process (and a test process, which holds its own sockets) is the hub."""
    return os.environ.get(HUB_ENV) == "1" or settings.TESTING


class BridgedInMemoryChannelLayer(InMemoryChannelLayer):
    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        if is_hub():
            await super().group_send(group, message)
        else:
            await self._forward({"op": "group_send", "target": group, "message": message})

    async def send(self, channel: str, message: dict[str, Any]) -> None:
        if is_hub():
            await super().send(channel, message)
        else:
            await self._forward({"op": "send", "target": channel, "message": message})

    async def _forward(self, payload: dict[str, Any]) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode()
        url = f"http://127.0.0.1:{settings.WS_PORT}{BRIDGE_PATH}"
        try:
            async with httpx.AsyncClient(timeout=3) as client:
                response = await client.post(url, content=body, headers={"X-Bridge-Signature": bridge_signature(body)})
            if response.status_code != 204:
                log.warning("channel bridge answered %s", response.status_code)
        except httpx.HTTPError as exc:  # best effort, like any fan-out: the hub may be down
            log.warning("channel bridge unreachable: %s", exc)


async def bridge_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """ASGI endpoint in the hub that replays forwarded sends into the in-memory layer."""
    body = b""
    while True:
        event = await receive()
        body += event.get("body", b"")
        if not event.get("more_body"):
            break
    headers = dict(scope.get("headers", []))
    signature = headers.get(b"x-bridge-signature", b"").decode()
    client = (scope.get("client") or ("", 0))[0]
    status = 204
    if scope.get("method") != "POST" or client not in ("127.0.0.1", "::1"):
        status = 404
    elif not hmac.compare_digest(signature, bridge_signature(body)):
        status = 403
    else:
        payload = json.loads(body)
        layer = get_channel_layer()
        if payload.get("op") == "group_send":
            await layer.group_send(payload["target"], payload["message"])  # type: ignore[union-attr]
        elif payload.get("op") == "send":
            await layer.send(payload["target"], payload["message"])  # type: ignore[union-attr]
        else:
            status = 400
    await send({"type": "http.response.start", "status": status, "headers": []})
    await send({"type": "http.response.body", "body": b""})
