"""Demo: 김상생's business card for 상생 주식회사, with the verified-name badge."""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.business_cards import selectors, services
from sangsaeng.core.demo import register

DEMO_EMAIL = "demo@sangsaeng.kr"


@register("business_cards", order=30)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None or selectors.card_list(owner=user):
        return
    card = services.card_create(
        owner=user,
        data={
            "name": "김상생",
            "company": "상생 주식회사",
            "department": "플랫폼팀",
            "title": "팀장",
            "phones": ["010-2021-1117", "064-795-1117"],
            "email": "demo@sangsaeng.kr",
            "address": "제주특별자치도 제주시 첨단로 242",
            "website": "https://sangsaeng.kr",
            "theme": "mint",
        },
    )
    say(f"{DEMO_EMAIL}: business card /cards/p/{card.public_id}/")
