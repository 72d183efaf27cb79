"""Demo: the verified channel of 상생마켓 (the same shop as the Sync demo partner app), run by the
operator, with Korean posts, the demo user following it with marketing consent, and one customer chat."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from django.utils import timezone
from PIL import Image, ImageDraw

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.core.errors import Problem
from sangsaeng.partners import selectors, services

HANDLE = "sangsaeng-market"
NAME = "상생마켓"

POSTS = [
    (False, "상생마켓 채널을 열었습니다! 🍊 제주 농가에서 바로 보내는 감귤과 한라봉 소식을 여기서 전해 드릴게요.", []),
    (
        True,
        "이번 주말 한정, 제주 노지 감귤 5kg 20% 할인합니다. 수수료 없는 상생 스토어라 농가에 더 많이 돌아갑니다.",
        [
            {
                "kind": "product",
                "title": "제주 노지 감귤 5kg",
                "url": "https://sangsaeng.kr/demo/market/gamgyul-5kg",
                "image": "",
                "price_krw": 19900,
            },
            {
                "kind": "product",
                "title": "한라봉 선물세트 3kg",
                "url": "https://sangsaeng.kr/demo/market/hallabong-3kg",
                "image": "",
                "price_krw": 32000,
            },
        ],
    ),
    (False, "설 연휴 택배 마감 안내: 1월 24일(금) 오후 2시 주문까지 연휴 전에 출발합니다.", []),
]


def _image(size: tuple[int, int], *, logo: bool) -> bytes:
    image = Image.new("RGB", size, "#0f766e")
    draw = ImageDraw.Draw(image)
    if logo:
        draw.ellipse((64, 64, size[0] - 64, size[1] - 64), fill="#f59e0b")
        draw.ellipse((size[0] // 2 - 20, 40, size[0] // 2 + 40, 110), fill="#15803d")
    else:
        for i in range(0, size[0], 40):
            draw.ellipse((i, size[1] - 120 + (i % 80), i + 90, size[1] - 30 + (i % 80)), fill="#f59e0b")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@register("partners", order=40)
def build(say: Callable[[str], None]) -> None:
    owner = user_get_by_email(email="admin@sangsaeng.kr")
    if owner is None:
        return
    try:
        selectors.channel_for_handle(HANDLE)
        return
    except Problem:
        pass
    channel = services.channel_create(
        owner=owner,
        name=NAME,
        handle=HANDLE,
        description="제주 농가와 함께하는 수수료 0원 직거래 마켓. 감귤·한라봉·천혜향을 산지에서 바로 보내 드립니다.",
        logo=_image((512, 512), logo=True),
        cover=_image((1600, 600), logo=False),
    )
    if owner.is_staff:
        services.channel_verify(actor=owner, channel_id=channel.public_id, verified=True)
    demo = user_get_by_email(email="demo@sangsaeng.kr")
    if demo is not None:
        services.channel_follow(user=demo, channel_id=channel.public_id, marketing=True)
    # Posts go out in daytime (KST) so the advertising one reaches the consenting follower at once.
    noon = timezone.now().astimezone(timezone.get_default_timezone()).replace(hour=12, minute=0) - timedelta(days=1)
    for i, (advertising, text, cards) in enumerate(POSTS):
        services.broadcast_create(
            actor=owner,
            channel_id=channel.public_id,
            text=text,
            is_advertising=advertising,
            cards=cards,
            now=noon + timedelta(minutes=30 * i),
        )
    services.broadcast_create(
        actor=owner,
        channel_id=channel.public_id,
        text="내일 아침 9시, 천혜향 첫 수확 물량을 공개합니다. 알림을 켜 두세요!",
        is_advertising=True,
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    if demo is not None:
        thread = services.thread_open(customer=demo, channel_id=channel.public_id)
        services.channel_message_customer(
            channel_id=channel.public_id, customer=demo, text="주문하신 제주 노지 감귤 5kg이 오늘 출발했습니다. 🚚"
        )
        services.thread_reply(actor=owner, thread_id=thread.public_id, text="궁금한 점은 언제든 여기로 물어봐 주세요!")
    say(f"channel {NAME} /c/{HANDLE}/ (verified, owner admin@sangsaeng.kr, followed by demo@sangsaeng.kr)")
