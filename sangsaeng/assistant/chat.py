"""The assistant as a chat participant: a bot account that answers in a user's 1:1 with it.

Where it lives: the assistant is an ordinary member of messaging conversations, through a bot
account this app makes on first use (`ASSISTANT_BOT_EMAIL`, a random password nobody holds) and
records in `BotAccount`. A user opens
their 1:1 with it from the assistant page, the API or the chat (by its address). When a text message
lands there, messaging's outbox event reaches `chat_message_changed`, which records one
`ChatReply` per message and enqueues `tasks.chat_reply`; the task runs the same loop as the API,
as that user with that user's permissions (audited), and the bot posts the answer and a card per
proposed action into the same conversation.

Who may make the assistant act: only the one person in a *direct* conversation with it, for
themself. Messages in groups (even one the bot was invited to), messages from the bot itself, and
messages between other people are never planned, so a received message that carries instructions
cannot create an action for anyone.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.assistant.models import BotAccount, ChatReply
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.core.outbox import handles

log = logging.getLogger(__name__)
BOT_NAME = "상생 비서"
CARD_KIND = "assistant_action"
GREETING = (
    "안녕하세요, 상생 비서예요. 여기에 물어보시면 내 권한으로만 찾아서 답해 드려요.\n"
    '예: "작년 여름 제주도 사진 보여줘", "배송 중인 주문 알려줘", "내일 오후 3시에 치과 예약 알려줘".\n'
    "알림과 메시지 초안은 확인을 누르기 전에는 아무것도 보내지 않아요."
)
BUSY = "질문이 너무 많아요. 잠시 후 다시 물어봐 주세요."
SORRY = "지금은 답하지 못했어요. 잠시 후 다시 물어봐 주세요."


def bot_user(*, create: bool = True) -> Any:
    """The assistant's account; made on first use when `create` (else None while there is none)."""
    from sangsaeng.accounts.services import user_create

    row = BotAccount.objects.select_related("user").first()
    if row is not None or not create:
        return row.user if row is not None else None
    try:
        with transaction.atomic():
            # nobody holds this password: the account only speaks through this module
            user = user_create(
                email=settings.ASSISTANT_BOT_EMAIL,
                password=secrets.token_urlsafe(32),
                display_name=BOT_NAME,
                verified=True,
                validate=False,
            )
            BotAccount.objects.create(user=user)
        return user
    except (Problem, IntegrityError):
        row = BotAccount.objects.select_related("user").first()  # made by a concurrent request
        if row is not None:
            return row.user
        log.error(
            "ASSISTANT_BOT_EMAIL %s belongs to an account the assistant did not make", settings.ASSISTANT_BOT_EMAIL
        )
        raise Problem(
            code="assistant_unavailable",
            status=503,
            ko="지금은 채팅에서 비서를 쓸 수 없어요. 운영자에게 알려 주세요.",
            en="The assistant's chat account can't be made: ASSISTANT_BOT_EMAIL belongs to another account.",
        ) from None


def is_bot(user: Any) -> bool:
    bot = bot_user(create=False)
    return bool(user is not None and bot is not None and user.pk == bot.pk)


def assistant_say(*, conversation_id: Any, text: str = "", card: dict[str, Any] | None = None, client_id: str) -> Any:
    """The bot posts into one of its conversations (a retry with the same client_id posts once)."""
    from sangsaeng.messaging.services import message_post_as_bot

    return message_post_as_bot(
        sender=bot_user(), conversation_id=conversation_id, text=text, card=card, client_id=client_id
    )


def conversation_for(*, user: Any) -> str:
    """The user's 1:1 conversation with the assistant (opened, or joined again, on demand)."""
    from sangsaeng.messaging.services import conversation_direct_open

    if is_bot(user):
        raise Problem(code="not_allowed", status=422, ko="비서 자신과는 대화할 수 없어요.", en="Not for the bot.")
    conversation = conversation_direct_open(actor=user, other=bot_user())
    if conversation.last_seq == 0:
        assistant_say(conversation_id=conversation.public_id, text=GREETING, client_id="greeting")
    return str(conversation.public_id)


def _addressed(message_id: str) -> tuple[Any, Any] | None:
    """(sender, message) when this message was written to the bot in its 1:1 with the sender."""
    from sangsaeng.messaging.selectors import members_of, message_get

    bot = bot_user(create=False)
    if bot is None:
        return None
    try:
        message = message_get(actor=bot, message_id=message_id)  # 404 unless the bot is a member
    except Problem:
        return None
    conversation = message.conversation
    if conversation.kind != "direct" or message.kind != "text" or message.deleted_at is not None:
        return None
    sender = message.sender
    if sender is None or sender.pk == bot.pk or message.as_channel:
        return None
    members = {m.user_id for m in members_of(actor=bot, conversation_id=conversation.public_id)}
    if members != {bot.pk, sender.pk}:
        return None
    return sender, message


@handles("messaging_message_changed")
def chat_message_changed(payload: dict[str, Any]) -> None:
    """A message was posted (or edited, or deleted): answer it once if it was written to the bot."""
    found = _addressed(str(payload.get("message", "")))
    if found is None:
        return
    sender, message = found
    reply, created = ChatReply.objects.get_or_create(
        message_id=message.public_id,
        defaults={"user": sender, "conversation_id": message.conversation.public_id},
    )
    if created:
        transaction.on_commit(lambda: _enqueue(reply.pk))


def _enqueue(reply_id: int) -> None:
    from sangsaeng.assistant.tasks import chat_reply

    chat_reply.enqueue(reply_id=reply_id)


def action_card(action: dict[str, Any]) -> dict[str, Any]:
    """The card for an `actions.action_dict` (its own `kind` is kept as `action_kind`)."""
    return {**action, "action_kind": action["kind"], "kind": CARD_KIND}


def _card(result: dict[str, Any]) -> dict[str, Any] | None:
    data = result.get("data") or {}
    if "error" in result or not data.get("pending_confirmation"):
        return None
    return action_card(data["rows"][0])


def chat_reply_run(*, reply_id: int) -> str:
    """Answer one ChatReply: the loop runs as its user, the bot posts the answer and action cards."""
    from sangsaeng.assistant import loop
    from sangsaeng.messaging.selectors import message_get

    claimed = ChatReply.objects.filter(pk=reply_id, status=ChatReply.Status.PENDING).update(
        status=ChatReply.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    reply = ChatReply.objects.select_related("user").get(pk=reply_id)
    texts: list[str] = []
    cards: list[dict[str, Any]] = []
    try:
        message = message_get(actor=bot_user(), message_id=reply.message_id)
        if message.deleted_at is not None:  # taken back before the answer: nothing to answer
            ChatReply.objects.filter(pk=reply.pk).update(status=ChatReply.Status.DONE, updated_at=timezone.now())
            return "deleted"
        question = message.text
        ratelimit.consume(
            scope="assistant.ask", key=str(reply.user.pk), limit=settings.ASSISTANT_ASKS_PER_MINUTE, window=60
        )
        answer = loop.ask(user=reply.user, message=question)
        texts.append(answer.text)
        cards = [c for c in map(_card, answer.results) if c is not None]
    except ratelimit.RateLimited:
        texts.append(BUSY)
    except Problem as problem:  # empty or too long, said in Korean in the conversation
        texts.append(problem.ko)
    except Exception:  # a bug must not leave the user without an answer
        log.exception("assistant reply %s failed", reply.public_id)
        texts.append(SORRY)
    try:
        with transaction.atomic():
            for i, text in enumerate(texts):
                assistant_say(conversation_id=reply.conversation_id, text=text, client_id=f"r-{reply.public_id}-{i}")
            for i, card in enumerate(cards):
                assistant_say(conversation_id=reply.conversation_id, card=card, client_id=f"c-{reply.public_id}-{i}")
            ChatReply.objects.filter(pk=reply.pk).update(status=ChatReply.Status.DONE, updated_at=timezone.now())
    except Problem as problem:  # the user left or blocked the bot meanwhile: nobody to answer
        log.warning("assistant reply %s not posted: %s", reply.public_id, problem.code)
        ChatReply.objects.filter(pk=reply.pk).update(status=ChatReply.Status.FAILED, updated_at=timezone.now())
        return "failed"
    return "done"


def chat_replies_resume(*, now: Any = None) -> int:
    """Periodic: answer replies whose task was lost (a crash after the commit); give up on stuck ones."""
    now = now or timezone.now()
    ChatReply.objects.filter(status=ChatReply.Status.RUNNING, updated_at__lt=now - timedelta(minutes=10)).update(
        status=ChatReply.Status.FAILED, updated_at=now
    )
    lost = ChatReply.objects.filter(status=ChatReply.Status.PENDING, created_at__lt=now - timedelta(minutes=1))
    return sum(chat_reply_run(reply_id=pk) == "done" for pk in list(lost.values_list("pk", flat=True)[:10]))
