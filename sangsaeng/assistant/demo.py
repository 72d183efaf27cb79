"""Demo: questions the demo user already asked (secretary and health modes), a reminder waiting for
its confirmation on the assistant page, and the user's chat with the assistant, where the worker
answers the question waiting there."""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.assistant import chat, loop, memory
from sangsaeng.core.demo import register

DEMO_EMAIL = "demo@sangsaeng.kr"


@register("assistant", order=95)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None or memory.history(user=user):
        return
    loop.ask(user=user, message="내 주문 보여줘")
    loop.ask(user=user, message="감기 기운이 있을 때 집에서 할 수 있는 일 알려줘", persona="doctor")
    loop.ask(user=user, message="내일 오전 9시에 주간 회의 알려줘")
    from sangsaeng.messaging.services import message_post

    room = chat.conversation_for(user=user)
    message_post(actor=user, conversation_id=UUID(room), text="배송 중인 주문 알려줘")
    say("assistant: demo questions, a reminder to confirm and a chat with the assistant for demo@sangsaeng.kr")
