"""/ws/chat/: live chat for a signed-in user. The frame protocol is documented in protocol.md.

Delivery without loss or duplicates. Every change to a conversation's messages (posted, edited,
deleted for everyone, reacted to) has an event number `ev`, gapless per conversation (events.py),
and every `message`/`message_updated` frame carries it. The socket remembers, per conversation,
the last event it delivered. A client that (re)connects sends `{"type": "sync", "cursors":
{conversation: last_seen_seq}, "events": {conversation: last_seen_ev}}` and gets exactly what it
missed, in event order, from the database: new messages and the current state of changed ones.
Live frames come from the conversation's group, which the socket joined before reading the
database: one at or below the delivered event is dropped (it came both ways), and one past a gap
makes the socket read the gap from the database first. A replayed message shown in a state newer
than its position (it changed again since) is remembered, so the live frame of that later change
is not sent twice. So the client sees every change once, in order, whatever the channel layer does.
"""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from sangsaeng.core.errors import Problem
from sangsaeng.core.json_bounded import loads_bounded
from sangsaeng.core.ratelimit import RateLimited
from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.access import access_member, as_uuid
from sangsaeng.messaging.delivery import chat_user_group, conversation_group

MAX_FRAME_BYTES = 32 * 1024


def _has_nul(value: Any) -> bool:
    """Whether any string in a parsed frame holds NUL (frames are small, so the walk is too)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


ABUSE_LIMIT = 100  # refused frames on one connection before it is closed
CLOSE_ABUSE = 4429
SYNC_PAGE = 500


@database_sync_to_async
def _conversation_ids(user: Any) -> list[str]:
    return selectors.conversation_ids_for(user)


@database_sync_to_async
def _changes(user: Any, conversation_id: str, after: int, upto: int | None = None) -> list[dict[str, Any]]:
    member = access_member(actor=user, conversation_id=conversation_id)
    return selectors.changes_after(conversation=member.conversation, after=after, upto=upto, limit=SYNC_PAGE)


@database_sync_to_async
def _ev_of_seq(user: Any, conversation_id: str, seq: int) -> int:
    member = access_member(actor=user, conversation_id=conversation_id)
    return selectors.ev_of_seq(conversation=member.conversation, seq=seq)


def _count(value: Any) -> int | None:
    """A cursor from the client: a non-negative integer, or None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


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
        # per conversation: the last event delivered, the highest seq delivered, and the messages
        # delivered in a state newer than that event (id -> their ev)
        self.delivered: dict[str, int] = {}
        self.seqs: dict[str, int] = {}
        self.ahead: dict[str, dict[str, int]] = {}
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
            frame = loads_bounded(raw)
        except (ValueError, RecursionError):  # RecursionError: 32 KB of "[" nests deeper than Python allows
            frame = None
        if "\x00" in raw or ("\\u0000" in raw and _has_nul(frame)):  # PostgreSQL text can't hold NUL
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
        cursors, events = frame.get("cursors"), frame.get("events")
        if not isinstance(cursors, dict) or len(cursors) > 1000:
            raise Problem(
                code="malformed_frame", ko="cursors가 필요합니다.", en="sync needs a cursors object.", field="cursors"
            )
        if events is not None and (not isinstance(events, dict) or len(events) > 1000):
            raise Problem(
                code="malformed_frame",
                ko="events는 대화방별 이벤트 번호 객체입니다.",
                en="events must be an object of event numbers by conversation.",
                field="events",
            )
        wanted_events = {str(as_uuid(k)): v for k, v in (events or {}).items() if as_uuid(k) is not None}
        done: dict[str, int] = {}
        done_events: dict[str, int] = {}
        for conversation, cursor in cursors.items():
            if as_uuid(conversation) is None or str(as_uuid(conversation)) not in self.conversations:
                continue
            key = str(as_uuid(conversation))
            seq = _count(cursor) or 0
            ev = _count(wanted_events.get(key))
            self.delivered[key] = ev if ev is not None else await _ev_of_seq(self.user, key, seq)
            self.seqs[key] = seq
            self.ahead[key] = {}
            await self._catch_up(key)
            done[key] = self.seqs[key]
            done_events[key] = self.delivered[key]
        answer: dict[str, Any] = {"type": "synced", "cursors": done}
        if events is not None:
            answer["events"] = done_events
        await self.send_json(answer)

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

    async def _catch_up(self, conversation: str, upto: int | None = None) -> None:
        """Deliver from the database every change after the delivered event (up to `upto`)."""
        while True:
            page = await _changes(self.user, conversation, self.delivered[conversation], upto)
            for frame in page:
                await self._deliver(conversation, frame)
            if len(page) < SYNC_PAGE:
                break
        ahead = self.ahead[conversation]
        if upto is not None:
            # every event up to `upto` was delivered, or is shown by a newer state still to come
            self.delivered[conversation] = max(self.delivered[conversation], upto)
        elif ahead:
            # the last read saw the whole conversation: the newer states shown cover their events
            self.delivered[conversation] = max(self.delivered[conversation], *ahead.values())
        self._forget_covered(conversation)

    def _forget_covered(self, conversation: str) -> None:
        delivered, ahead = self.delivered[conversation], self.ahead[conversation]
        for message_id in [m for m, ev in ahead.items() if ev <= delivered]:
            del ahead[message_id]

    async def _deliver(self, conversation: str, frame: dict[str, Any]) -> None:
        """Send one change frame unless the client has it already; the caller filled any gap."""
        ev, data = frame["ev"], frame["message"]
        if ev <= self.delivered[conversation]:
            return
        ahead = self.ahead[conversation]
        message_id = data.get("id")
        if message_id is None or ahead.get(message_id, 0) < ev:
            await self.send_json(frame)
            if frame["type"] == "message":
                self.seqs[conversation] = max(self.seqs.get(conversation, 0), data["seq"])
            version = _count(data.get("ev"))
            if message_id is not None and version is not None and version > ev:
                ahead[message_id] = version
        self.delivered[conversation] = ev
        self._forget_covered(conversation)

    async def chat_event(self, event: dict[str, Any]) -> None:
        data = event["data"]
        kind = event["event"]
        if kind not in ("message", "message_updated"):
            await self.send_json({"type": kind, **data})
            return
        conversation, ev = data["conversation"], _count(event.get("ev"))
        frame = {"type": kind, "ev": ev, "message": data}
        if ev is None:  # not a change event (nothing we send lacks one): pass it on
            await self.send_json({"type": kind, "message": data})
            return
        if conversation not in self.delivered:
            # a conversation this socket never synced: deliver from here on
            self.delivered[conversation], self.seqs[conversation], self.ahead[conversation] = ev - 1, 0, {}
        delivered = self.delivered[conversation]
        if ev <= delivered:
            return
        if ev > delivered + 1:
            try:
                await self._catch_up(conversation, upto=ev - 1)
            except Problem:  # no longer a member
                return
        await self._deliver(conversation, frame)

    async def chat_joined(self, event: dict[str, Any]) -> None:
        conversation = event["data"]["conversation"]
        if conversation not in self.conversations:
            self.conversations.add(conversation)
            await self.channel_layer.group_add(conversation_group(conversation), self.channel_name)
        await self.send_json({"type": "joined", "conversation": conversation})

    async def chat_left(self, event: dict[str, Any]) -> None:
        conversation = event["data"]["conversation"]
        self.conversations.discard(conversation)
        for state in (self.delivered, self.seqs, self.ahead):
            state.pop(conversation, None)
        await self.channel_layer.group_discard(conversation_group(conversation), self.channel_name)
        await self.send_json({"type": "left", "conversation": conversation})
