"""/ws/chat/: live chat for a signed-in user. The frame protocol is documented in protocol.md.

Delivery without loss or duplicates: every message frame carries its conversation's `seq`. The
socket remembers the last seq it delivered per conversation. A client that (re)connects sends
`{"type": "sync", "cursors": {conversation: last_seen_seq}}` and gets exactly the messages after
each cursor, in order, from the database. Live messages come from the conversation's group, which
the socket joined before reading the database: one at or below the delivered seq is dropped (it
came both ways), and one past a gap makes the socket read the gap from the database first. So the
client sees every seq once, in order, whatever the channel layer does.
"""

from __future__ import annotations

import json
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from sangsaeng.core.errors import Problem
from sangsaeng.core.ratelimit import RateLimited
from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.access import access_member, as_uuid
from sangsaeng.messaging.delivery import chat_user_group, conversation_group
from sangsaeng.messaging.serialize import message_dict

MAX_FRAME_BYTES = 32 * 1024
ABUSE_LIMIT = 100  # refused frames on one connection before it is closed
CLOSE_ABUSE = 4429
SYNC_PAGE = 500


@database_sync_to_async
def _conversation_ids(user: Any) -> list[str]:
    return selectors.conversation_ids_for(user)


@database_sync_to_async
def _backlog(user: Any, conversation_id: str, after: int, upto: int | None = None) -> list[dict[str, Any]]:
    member = access_member(actor=user, conversation_id=conversation_id)
    rows = selectors.messages_range(conversation=member.conversation, after_seq=after, upto_seq=upto, limit=SYNC_PAGE)
    return [message_dict(m) for m in rows]


@database_sync_to_async
def _post(user: Any, frame: dict[str, Any]) -> dict[str, Any]:
    message = services.message_post(
        actor=user,
        conversation_id=frame.get("conversation"),  # type: ignore[arg-type]
        kind=str(frame.get("kind") or "text"),
        text=str(frame.get("text") or ""),
        card=frame.get("card"),
        reply_to=frame.get("reply_to"),
        client_id=str(frame["client_id"]) if frame.get("client_id") is not None else None,
    )
    return {"id": str(message.public_id), "seq": message.seq, "conversation": str(message.conversation.public_id)}


@database_sync_to_async
def _read(user: Any, conversation_id: Any, seq: int) -> int:
    return services.conversation_read(actor=user, conversation_id=conversation_id, seq=seq).last_read_seq


def _error(code: str, ko: str, en: str, ref: Any = None) -> dict[str, Any]:
    frame = {"type": "error", "code": code, "message_ko": ko, "message_en": en}
    if ref is not None:
        frame["ref"] = ref
    return frame


class ChatConsumer(AsyncJsonWebsocketConsumer):
    user: Any = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.accept()
            await self.close(code=4401)
            return
        self.user = user
        self.delivered: dict[str, int] = {}
        self.conversations: set[str] = set(await _conversation_ids(user))
        rate = float(settings.MESSAGING_WS_FRAMES_PER_SECOND)
        self.bucket_rate, self.bucket_size = rate, rate * 2
        self.tokens, self.tokens_at, self.refused = self.bucket_size, time.monotonic(), 0
        await self.channel_layer.group_add(chat_user_group(user.public_id), self.channel_name)
        for conversation in self.conversations:
            await self.channel_layer.group_add(conversation_group(conversation), self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "hello", "user": str(user.public_id), "conversations": sorted(self.conversations)}
        )

    async def disconnect(self, code: int) -> None:
        if self.user is None:
            return
        await self.channel_layer.group_discard(chat_user_group(self.user.public_id), self.channel_name)
        for conversation in self.conversations:
            await self.channel_layer.group_discard(conversation_group(conversation), self.channel_name)

    # -- incoming frames -------------------------------------------------------------------------

    def _take_token(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.bucket_size, self.tokens + (now - self.tokens_at) * self.bucket_rate)
        self.tokens_at = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any) -> None:
        if self.user is None:
            return
        if not self._take_token():
            self.refused += 1
            if self.refused > ABUSE_LIMIT:
                await self.send_json(_error("rate_limited", "너무 많이 보내 연결을 끊습니다.", "Flooding; closing."))
                await self.close(code=CLOSE_ABUSE)
                return
            await self.send_json(_error("rate_limited", "너무 빠르게 보내고 있습니다.", "Too many frames; slow down."))
            return
        raw = text_data if text_data is not None else (bytes_data or b"").decode("utf-8", "replace")
        if len(raw.encode()) > MAX_FRAME_BYTES:
            await self.send_json(
                _error("frame_too_large", "프레임이 너무 큽니다.", f"Frames are at most {MAX_FRAME_BYTES} bytes.")
            )
            return
        try:
            frame = json.loads(raw)
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.send_json(
                _error("malformed_frame", "JSON 객체 프레임이어야 합니다.", "Frames are JSON objects with a type.")
            )
            return
        handler = {
            "send": self._on_send,
            "sync": self._on_sync,
            "typing": self._on_typing,
            "read": self._on_read,
            "ping": self._on_ping,
        }.get(frame["type"])
        if handler is None:
            await self.send_json(
                _error("unknown_frame", "알 수 없는 프레임 종류입니다.", "Unknown frame type.", frame["type"][:30])
            )
            return
        try:
            await handler(frame)
        except Problem as problem:
            await self.send_json(_error(problem.code, problem.ko, problem.en, frame.get("client_id")))
        except RateLimited as limited:
            await self.send_json(
                {
                    **_error(
                        "rate_limited", "메시지를 너무 많이 보냈습니다.", "Too many messages.", frame.get("client_id")
                    ),
                    "retry_after": limited.retry_after,
                }
            )

    async def _on_ping(self, frame: dict[str, Any]) -> None:
        await self.send_json({"type": "pong"})

    async def _on_send(self, frame: dict[str, Any]) -> None:
        if frame.get("card") is not None and not isinstance(frame.get("card"), dict):
            raise Problem(
                code="invalid_field", status=422, ko="card는 객체입니다.", en="card must be an object.", field="card"
            )
        ack = await _post(self.user, frame)
        await self.send_json({"type": "ack", "client_id": frame.get("client_id"), **ack})

    async def _on_sync(self, frame: dict[str, Any]) -> None:
        cursors = frame.get("cursors")
        if not isinstance(cursors, dict) or len(cursors) > 1000:
            raise Problem(
                code="malformed_frame", ko="cursors가 필요합니다.", en="sync needs a cursors object.", field="cursors"
            )
        done: dict[str, int] = {}
        for conversation, cursor in cursors.items():
            if as_uuid(conversation) is None or str(as_uuid(conversation)) not in self.conversations:
                continue
            key = str(as_uuid(conversation))
            after = cursor if isinstance(cursor, int) and cursor >= 0 else 0
            self.delivered[key] = after
            while True:
                page = await _backlog(self.user, key, self.delivered[key])
                for data in page:
                    await self._deliver(key, data)
                if len(page) < SYNC_PAGE:
                    break
            done[key] = self.delivered[key]
        await self.send_json({"type": "synced", "cursors": done})

    async def _on_typing(self, frame: dict[str, Any]) -> None:
        conversation = str(as_uuid(frame.get("conversation")))
        if conversation not in self.conversations:
            raise Problem(code="not_found", status=404, ko="찾을 수 없습니다.", en="The conversation was not found.")
        await self.channel_layer.group_send(
            conversation_group(conversation),
            {
                "type": "chat.event",
                "event": "typing",
                "data": {"conversation": conversation, "user": str(self.user.public_id), "name": str(self.user)},
            },
        )

    async def _on_read(self, frame: dict[str, Any]) -> None:
        seq = frame.get("seq")
        if not isinstance(seq, int):
            raise Problem(
                code="invalid_field", status=422, ko="seq는 정수입니다.", en="seq must be an integer.", field="seq"
            )
        await _read(self.user, frame.get("conversation"), seq)

    # -- outgoing events -------------------------------------------------------------------------

    async def _deliver(self, conversation: str, data: dict[str, Any]) -> None:
        self.delivered[conversation] = data["seq"]
        await self.send_json({"type": "message", "message": data})

    async def chat_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        if event["event"] != "message":
            await self.send_json(
                {"type": event["event"], **({"message": data} if event["event"] == "message_updated" else data)}
            )
            return
        conversation, seq = data["conversation"], data["seq"]
        delivered = self.delivered.get(conversation)
        if delivered is not None and seq <= delivered:
            return
        if delivered is not None and seq > delivered + 1:
            try:
                missing = await _backlog(self.user, conversation, delivered, seq - 1)
            except Problem:  # no longer a member
                return
            for data_missing in missing:
                await self._deliver(conversation, data_missing)
        await self._deliver(conversation, data)

    async def chat_joined(self, event: dict[str, Any]) -> None:
        conversation = event["data"]["conversation"]
        if conversation not in self.conversations:
            self.conversations.add(conversation)
            await self.channel_layer.group_add(conversation_group(conversation), self.channel_name)
        await self.send_json({"type": "joined", "conversation": conversation})

    async def chat_left(self, event: dict[str, Any]) -> None:
        conversation = event["data"]["conversation"]
        self.conversations.discard(conversation)
        self.delivered.pop(conversation, None)
        await self.channel_layer.group_discard(conversation_group(conversation), self.channel_name)
        await self.send_json({"type": "left", "conversation": conversation})
