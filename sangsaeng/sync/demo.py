"""Demo partner: 상생마켓, the example shop's app, registered by the operator with its terms."""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts import selectors as accounts
from sangsaeng.core.demo import register
from sangsaeng.sync import selectors, services

SHOP_NAME = "상생마켓"


@register("sync", order=30)
def build(say: Callable[[str], None]) -> None:
    owner = accounts.user_get_by_email(email="admin@sangsaeng.kr")
    if owner is None or any(p.name == SHOP_NAME for p in selectors.partner_list(owner=owner)):
        return
    partner, _secret = services.partner_create(
        owner=owner,
        name=SHOP_NAME,
        redirect_uris=["http://127.0.0.1:8100/callback"],
        privacy_policy_url="http://127.0.0.1:8100/privacy",
        consent_items={"profile": "required", "email": "required", "phone": "optional", "shipping_address": "optional"},
        channel_name="상생마켓 소식",
    )
    services.term_create(
        actor=owner,
        partner_id=partner.public_id,
        tag="tos",
        title="상생마켓 이용약관",
        text="상생마켓 서비스 이용에 관한 약관입니다.",
    )
    services.term_create(
        actor=owner,
        partner_id=partner.public_id,
        tag="marketing",
        title="할인 소식 받기",
        text="새 상품과 할인 소식을 카카오톡 대신 상생 채널로 보내 드립니다.",
        required=False,
        revocable=True,
    )
    say(f"partner app {SHOP_NAME} by admin@sangsaeng.kr, partner console /sync/apps/")
