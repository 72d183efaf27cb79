"""Demo chat for 김상생: a 1:1 with 이지은 (with a shared business card) and a workshop group."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sangsaeng.accounts import services as accounts
from sangsaeng.accounts.selectors import User, user_get_by_email
from sangsaeng.business_cards import selectors as cards
from sangsaeng.core.demo import register
from sangsaeng.messaging import selectors, services

DEMO_EMAIL = "demo@sangsaeng.kr"
FRIENDS = [("jieun@sangsaeng.kr", "이지은"), ("minjun@sangsaeng.kr", "박민준")]


def _friend(email: str, name: str) -> User:
    user = user_get_by_email(email=email)
    if user is None:
        user = accounts.user_create(
            email=email, password=secrets.token_urlsafe(24), display_name=name, verified=True, validate=False
        )
    return user


@register("messaging", order=60)
def build(say: Callable[[str], None]) -> None:
    demo = user_get_by_email(email=DEMO_EMAIL)
    # the partners demo (earlier) opens a channel chat, so only the demo's own chats mean "done"
    if demo is None or any(c.kind != "channel" for c in selectors.conversations_for(demo)):
        return
    jieun, minjun = (_friend(email, name) for email, name in FRIENDS)
    admin = user_get_by_email(email="admin@sangsaeng.kr")

    direct = services.conversation_direct_open(actor=demo, other=jieun)
    first = services.message_post(
        actor=jieun, conversation_id=direct.public_id, text="상생 님, 오늘 미팅 잘 들어가셨어요?"
    )
    services.message_post(
        actor=demo, conversation_id=direct.public_id, text="네! 덕분에 잘 마쳤어요. 다음 주에 한 번 더 봬요 🙂"
    )
    my_cards = cards.card_list(owner=demo)
    if my_cards:
        services.message_post(
            actor=demo,
            conversation_id=direct.public_id,
            kind="business_card",
            card={"card_id": str(my_cards[0].public_id)},
            text="제 명함 보내 드려요.",
        )
    reply = services.message_post(
        actor=jieun, conversation_id=direct.public_id, text="명함 저장했어요. 감사합니다!", reply_to=first.public_id
    )
    services.reaction_add(actor=demo, message_id=reply.public_id, emoji="👍")

    members = [jieun, minjun, *([admin] if admin is not None else [])]
    group = services.conversation_group_create(actor=demo, title="제주 워크숍 준비", members=members)
    services.message_post(actor=demo, conversation_id=group.public_id, text="다들 8월 워크숍 일정 확인 부탁드려요!")
    services.message_post(
        actor=minjun,
        conversation_id=group.public_id,
        text="숙소 후보 정리했습니다 https://sangsaeng.kr/workshop/2026 확인해 주세요",
    )
    services.message_post(
        actor=jieun, conversation_id=group.public_id, text="@박민준 고마워요! 저는 협재 쪽이 좋아요 🌊"
    )
    services.message_post(
        actor=minjun, conversation_id=group.public_id, text="@김상생 항공권은 제가 한꺼번에 예약할게요."
    )
    say(f"{DEMO_EMAIL}: 2 chats (이지은 1:1 with a business card, 제주 워크숍 준비 group)")
