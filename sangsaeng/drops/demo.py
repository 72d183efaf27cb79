"""Demo: 한빛, an approved creator with Pillow-drawn artworks; a drop about to open (countdown),
an open fixed-price drop, and an English auction with a bid; play money in the demo user's wallet."""

from __future__ import annotations

import io
import math
import random
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.accounts.services import user_create
from sangsaeng.core.demo import register
from sangsaeng.drops import pay, selectors, services

ARTIST_EMAIL = "hanbit.artist@sangsaeng.kr"
PALETTES = [
    [(255, 94, 77), (255, 196, 0), (24, 28, 56), (0, 168, 150)],
    [(12, 35, 64), (90, 170, 230), (245, 240, 225), (240, 120, 90)],
    [(30, 20, 40), (180, 80, 200), (255, 220, 120), (80, 220, 200)],
]


def art_png(*, seed: int, name: str = "art.png", size: int = 1200) -> SimpleUploadedFile:
    """Generative art: overlapping translucent circles and waves, different for every seed."""
    rng = random.Random(seed)  # noqa: S311  (art, not secrets)
    palette = PALETTES[seed % len(PALETTES)]
    img = Image.new("RGB", (size, size), palette[2])
    layer = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(28):
        r = rng.randint(size // 20, size // 4)
        x, y = rng.randint(0, size), rng.randint(0, size)
        color = (*rng.choice(palette), rng.randint(70, 170))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=color)
    for band in range(6):
        points = [
            (x, size * (band + 1) / 7 + math.sin(x / (60 + seed * 7) + band) * 40) for x in range(0, size + 10, 10)
        ]
        draw.line(points, fill=(*palette[(band + 1) % 4], 200), width=6)
    img.paste(layer.filter(ImageFilter.GaussianBlur(1)), (0, 0), layer)
    out = io.BytesIO()
    img.save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def open_fixed_drop(
    *, domain: str, editions: int, price: int, per_user_limit: int, seed: int = 7, title: str = "러시"
) -> tuple[Any, Any]:
    """A fixed-price drop open now by an artist an operator approved, for the load and crash runs and the
    rush benchmark: (drop, artist). Both accounts are new (op@DOMAIN, artist@DOMAIN), with no password."""
    operator = user_create(email=f"op@{domain}", password=None, verified=True, staff=True, validate=False)  # type: ignore[arg-type]  # tokens only
    artist = user_create(email=f"artist@{domain}", password=None, verified=True, validate=False)  # type: ignore[arg-type]  # tokens only
    profile = services.creator_apply(user=artist, display_name=f"{title} 작가", portfolio_url=f"https://{domain}")
    services.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    artwork = services.artwork_create(actor=artist, title=title, upload=art_png(seed=seed, name="rush.png"))
    drop = services.drop_create(
        actor=artist,
        artwork_id=artwork.public_id,
        data={
            "format": "fixed",
            "opens_at": timezone.now() - timedelta(seconds=1),
            "price": price,
            "edition_size": editions,
            "per_user_limit": per_user_limit,
            "royalty_bps": 1000,
        },
    )
    return drop, artist


@register("drops", order=60)
def build(say: Callable[[str], None]) -> None:
    if user_get_by_email(email=ARTIST_EMAIL) is not None:
        return
    operator = user_get_by_email(email="admin@sangsaeng.kr")
    demo = user_get_by_email(email="demo@sangsaeng.kr")
    if operator is None or demo is None:
        return
    artist = user_create(email=ARTIST_EMAIL, password=None, display_name="한빛", verified=True, validate=False)  # type: ignore[arg-type]  # no password: unusable, tokens only
    profile = services.creator_apply(
        user=artist,
        display_name="한빛",
        portfolio_url="https://sangsaeng.kr/drops/portfolio/hanbit",
        bio="제주에서 빛과 바다의 색을 코드로 그리는 제너러티브 아티스트입니다.",
        statement="매일 새벽 바다의 색을 기록한 연작 「물빛」을 드롭스에서 처음 공개합니다.",
    )
    services.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    now = timezone.now()
    works = [
        services.artwork_create(
            actor=artist, title=title, upload=art_png(seed=i, name=f"mulbit-{i}.png"), description=description
        )
        for i, (title, description) in enumerate(
            [
                ("물빛 #1 · 새벽", "해가 뜨기 전 협재 바다의 첫 빛."),
                ("물빛 #2 · 윤슬", "정오의 물결 위에 부서지는 빛."),
                ("물빛 #3 · 노을", "차귀도 너머로 지는 해의 마지막 색."),
            ]
        )
    ]
    services.drop_create(
        actor=artist,
        artwork_id=works[0].public_id,
        data={
            "format": "fixed",
            "title": "물빛 #1 · 새벽",
            "opens_at": now + timedelta(minutes=10),
            "price": 30_000,
            "edition_size": 100,
            "per_user_limit": 1,
            "royalty_bps": 1000,
            "description": "오전 9시 오픈! 1인 1개, 선착순 100개 한정 에디션.",
        },
    )
    open_drop = services.drop_create(
        actor=artist,
        artwork_id=works[1].public_id,
        data={
            "format": "fixed",
            "title": "물빛 #2 · 윤슬",
            "opens_at": now - timedelta(hours=1),
            "price": 15_000,
            "edition_size": 200,
            "per_user_limit": 2,
            "royalty_bps": 1000,
            "description": "지금 판매 중. 1인 2개까지.",
        },
    )
    auction = services.drop_create(
        actor=artist,
        artwork_id=works[2].public_id,
        data={
            "format": "english",
            "title": "물빛 #3 · 노을 (1/1)",
            "opens_at": now - timedelta(hours=2),
            "closes_at": now + timedelta(days=1),
            "reserve_price": 300_000,
            "min_increment": 10_000,
            "anti_snipe_minutes": 5,
            "extension_minutes": 5,
            "royalty_bps": 1000,
            "description": "단 하나의 원본 에디션 경매. 마감 5분 전 입찰 시 5분 연장.",
        },
    )
    pay.topup_test(user=demo, amount=1_000_000, idempotency_key="drops-demo-funds")
    collector = user_create(
        email="collector@sangsaeng.kr",
        password=None,  # type: ignore[arg-type]  # no password: unusable
        display_name="수집가",
        verified=True,
        validate=False,
    )
    pay.topup_test(user=collector, amount=1_000_000, idempotency_key="drops-demo-funds")
    services.edition_purchase(buyer=collector, drop_id=open_drop.public_id, idempotency_key="demo", admit=False)
    services.bid_place(bidder=collector, drop_id=auction.public_id, amount=300_000, idempotency_key="demo")
    say(
        f"drops: creator 한빛 /drops/c/{profile.public_id}/, {len(selectors.drop_list())} drops, "
        "1,000,000원 play money for demo@sangsaeng.kr"
    )
