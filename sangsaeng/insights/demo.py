"""Demo: four months of shop history for the 상생마켓 channel, so its dashboard has something to show.

Visits, funnel steps, orders with their products, a few refunds, follows and two broadcasts, made
from a fixed seed and written through the same service as live events (with dedupe keys, so running
the demo again adds nothing). The demo user consented to share their identity with the channel.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from django.utils import timezone

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.insights import compaction, services
from sangsaeng.insights.models import Event
from sangsaeng.insights.services import KST, EventIn

HANDLE = "sangsaeng-market"
PRODUCTS = [
    ("demo-gamgyul", "제주 노지 감귤 5kg", 19_900),
    ("demo-hallabong", "한라봉 선물세트 3kg", 32_000),
    ("demo-cheonhyehyang", "천혜향 2kg", 27_000),
    ("demo-omija", "문경 오미자청 500ml", 15_000),
    ("demo-tea", "제주 유기농 녹차 선물세트", 18_500),
]


def history(ref: str, *, days: int = 120, seed: int = 2021) -> list[EventIn]:
    rng = random.Random(seed)  # noqa: S311 (demo data, reproducible on purpose)
    today = timezone.now().astimezone(KST).date()
    customers = [f"s_demo{i:03d}" for i in range(120)]
    events: list[EventIn] = []
    n = 0
    for d in range(days, 0, -1):
        day = today - timedelta(days=d)
        base = datetime.combine(day, datetime.min.time(), tzinfo=KST)
        weekend = day.weekday() >= 5
        for v in range(rng.randint(20, 45) + (15 if weekend else 0)):
            session = f"d_{day:%Y%m%d}{v:03d}"
            at = base + timedelta(hours=rng.randint(8, 23), minutes=rng.randint(0, 59))
            events.append(
                EventIn(name="page_view", partner_ref=ref, occurred_at=at, session_id=session, path="/store/")
            )
            if rng.random() > 0.65:
                continue
            pid, title, price = rng.choice(PRODUCTS)
            events.append(
                EventIn(name="product_view", partner_ref=ref, occurred_at=at, session_id=session, product_ref=pid)
            )
            if rng.random() > 0.4:
                continue
            events.append(
                EventIn(name="cart_add", partner_ref=ref, occurred_at=at, session_id=session, product_ref=pid)
            )
            if rng.random() > 0.7:
                continue
            events.append(EventIn(name="checkout_start", partner_ref=ref, occurred_at=at, session_id=session))
            if rng.random() > 0.8:
                continue
            n += 1
            subject = rng.choice(customers[: 40 + d // 2])
            qty = rng.choice([1, 1, 1, 2])
            discount = rng.choice([0, 0, 0, 2000])
            shipping = 0 if price * qty >= 30_000 else 3000
            order = f"demo-{day:%Y%m%d}-{n:04d}"
            events.append(
                EventIn(
                    name="order_paid",
                    partner_ref=ref,
                    occurred_at=at,
                    session_id=session,
                    subject=subject,
                    order_ref=order,
                    gross=price * qty,
                    discount=discount,
                    shipping=shipping,
                    dedupe_key=f"demo:paid:{order}",
                )
            )
            events.append(
                EventIn(
                    name="order_line",
                    partner_ref=ref,
                    occurred_at=at,
                    subject=subject,
                    order_ref=order,
                    product_ref=pid,
                    label=title,
                    quantity=qty,
                    gross=price * qty,
                    dedupe_key=f"demo:line:{order}",
                )
            )
            if rng.random() < 0.05:
                events.append(
                    EventIn(
                        name="order_refunded",
                        partner_ref=ref,
                        occurred_at=at + timedelta(days=2),
                        subject=subject,
                        order_ref=order,
                        refund=price,
                        dedupe_key=f"demo:refund:{order}",
                    )
                )
        for f in range(rng.randint(1, 6)):
            events.append(
                EventIn(
                    name="follow",
                    partner_ref=ref,
                    occurred_at=base + timedelta(hours=10 + f),
                    dedupe_key=f"demo:follow:{day}:{f}",
                )
            )
        if rng.random() < 0.15:
            events.append(
                EventIn(
                    name="unfollow",
                    partner_ref=ref,
                    occurred_at=base + timedelta(hours=22),
                    dedupe_key=f"demo:unfollow:{day}",
                )
            )
        if d in (45, 12):
            broadcast = f"demo-broadcast-{d}"
            title = "주말 한정 감귤 20% 할인" if d == 45 else "설 선물세트 사전 예약"
            at = base + timedelta(hours=10)
            events.append(
                EventIn(
                    name="broadcast_delivered",
                    partner_ref=ref,
                    occurred_at=at,
                    broadcast_ref=broadcast,
                    label=title,
                    quantity=len(customers),
                    dedupe_key=f"demo:{broadcast}:delivered",
                )
            )
            for i, subject in enumerate(customers[:70]):
                events.append(
                    EventIn(
                        name="broadcast_opened",
                        partner_ref=ref,
                        occurred_at=at + timedelta(minutes=i),
                        subject=subject,
                        broadcast_ref=broadcast,
                        dedupe_key=f"demo:{broadcast}:open:{i}",
                    )
                )
            for i, subject in enumerate(customers[:18]):
                events.append(
                    EventIn(
                        name="broadcast_clicked",
                        partner_ref=ref,
                        occurred_at=at + timedelta(minutes=i + 1),
                        subject=subject,
                        broadcast_ref=broadcast,
                        dedupe_key=f"demo:{broadcast}:click:{i}",
                    )
                )
    for e in events:
        if e.dedupe_key is None:
            e.dedupe_key = f"demo:{e.name}:{e.session_id}:{e.product_ref}:{e.occurred_at:%Y%m%d%H%M}"
    return events


@register("insights", order=95)
def build(say: Callable[[str], None]) -> None:
    from sangsaeng.core.errors import Problem
    from sangsaeng.insights.bridge import ref_for
    from sangsaeng.partners import selectors as partners

    try:
        channel = partners.channel_for_handle(HANDLE)
    except Problem:
        return
    ref = ref_for(channel.public_id)
    if Event.objects.filter(partner_ref=ref, dedupe_key__startswith="demo:").exists():
        return
    stored = services.events_record(history(ref))
    demo_user = user_get_by_email(email="demo@sangsaeng.kr")
    if demo_user is not None:
        services.consent_grant(partner_ref=ref, user=demo_user)
    compaction.compact()
    say(f"{channel.name}: {stored:,} events of shop history, dashboard /insights/{ref}/")
