"""Demo users: 김상생 (demo@sangsaeng.kr) with two shipping addresses, and an operator."""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts import selectors, services
from sangsaeng.core.demo import register

DEMO_EMAIL = "demo@sangsaeng.kr"
DEMO_PASSWORD = "sangsaeng-demo-2026"
ADMIN_EMAIL = "admin@sangsaeng.kr"
ADMIN_PASSWORD = "sangsaeng-admin-2026"


@register("accounts", order=0)
def build(say: Callable[[str], None]) -> None:
    user = selectors.user_get_by_email(email=DEMO_EMAIL)
    if user is None:
        user = services.user_create(
            email=DEMO_EMAIL, password=DEMO_PASSWORD, display_name="김상생", verified=True, validate=False
        )
        services.user_update_profile(user=user, display_name="김상생", phone="010-2021-1117")
        services.address_create(
            user=user,
            data={
                "name": "집",
                "type": "NEW",
                "base_address": "경기도 성남시 분당구 판교역로 166",
                "detail_address": "101동 1203호",
                "zone_number": "13529",
                "receiver_name": "김상생",
                "receiver_phone_number1": "010-2021-1117",
            },
            is_default=True,
        )
        services.address_create(
            user=user,
            data={
                "name": "회사",
                "type": "NEW",
                "base_address": "제주특별자치도 제주시 첨단로 242",
                "detail_address": "3층 상생팀",
                "zone_number": "63309",
                "receiver_name": "김상생",
                "receiver_phone_number1": "010-2021-1117",
                "receiver_phone_number2": "064-795-1117",
            },
        )
        say(f"demo user {DEMO_EMAIL} / {DEMO_PASSWORD}")
    if selectors.user_get_by_email(email=ADMIN_EMAIL) is None:
        admin = services.user_create(
            email=ADMIN_EMAIL, password=ADMIN_PASSWORD, display_name="운영자", verified=True, staff=True, validate=False
        )
        admin.is_superuser = True
        admin.save(update_fields=["is_superuser"])
        say(f"operator {ADMIN_EMAIL} / {ADMIN_PASSWORD}")
