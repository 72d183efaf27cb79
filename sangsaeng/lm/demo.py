"""Demo: 김상생's developer console with a key for the 상생마켓 chatbot and two weeks of usage."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.lm import selectors, services
from sangsaeng.lm.models import UsageDay

DEMO_EMAIL = "demo@sangsaeng.kr"


@register("lm", order=80)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None or selectors.key_list(owner=user):
        return
    created = services.key_create(owner=user, label="상생마켓 상담 챗봇", partner="상생마켓", requests_per_minute=120)
    services.key_create(owner=user, label="사내 문서 요약", max_concurrent=2, monthly_token_quota=200_000)
    today = timezone.localdate()
    for back in range(1, 46):  # back into last month, which the commons demo distributes
        day = today - dt.timedelta(days=back)
        requests = 40 + (back * 37) % 90
        UsageDay.objects.create(
            key=created.key, day=day, requests=requests, prompt_tokens=requests * 61, completion_tokens=requests * 118
        )
    say(f"{DEMO_EMAIL}: LM API key for 상생마켓 (shown once): {created.secret}")
