"""Demo: two questions the demo user already asked the assistant (secretary and health modes)."""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.assistant import loop, memory
from sangsaeng.core.demo import register

DEMO_EMAIL = "demo@sangsaeng.kr"


@register("assistant", order=95)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None or memory.history(user=user):
        return
    loop.ask(user=user, message="내 주문 보여줘")
    loop.ask(user=user, message="감기 기운이 있을 때 집에서 할 수 있는 일 알려줘", persona="doctor")
    say("assistant: two demo questions for demo@sangsaeng.kr")
