"""A known shop history: the 'orders table' the dashboard must agree with, and its events.

Everything expected is computed here from the orders and visits themselves, independently of the
DuckDB queries under test.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sangsaeng.insights.services import KST, EventIn

PRODUCTS = [
    ("p-hallabong", "제주 한라봉 3kg", 29_000),
    ("p-tea", "유기농 녹차 선물세트", 18_500),
    ("p-soap", "동백 수제 비누", 9_000),
    ("p-honey", "지리산 아카시아 꿀 1kg", 35_000),
    ("p-kimchi", "전라도 묵은지 2kg", 24_000),
]


@dataclass
class Order:
    ref: str
    partner: str
    subject: str
    session: str
    at: datetime
    lines: list[tuple[str, str, int, int]]  # product, title, qty, unit price
    discount: int
    shipping: int
    refunds: list[tuple[datetime, int]] = field(default_factory=list)

    @property
    def gross(self) -> int:
        return sum(q * p for _, _, q, p in self.lines)


@dataclass
class Shop:
    orders: list[Order] = field(default_factory=list)
    # session -> (partner, day, set of steps)
    visits: dict[str, tuple[str, date, set[str]]] = field(default_factory=dict)
    follows: list[tuple[str, datetime, int]] = field(default_factory=list)  # partner, at, +1/-1
    clicks: list[tuple[str, str, str, datetime]] = field(default_factory=list)  # partner, broadcast, subject, at
    deliveries: list[tuple[str, str, str, datetime, str]] = field(default_factory=list)  # + kind

    def events(self) -> list[EventIn]:
        out: list[EventIn] = []
        for session, (partner, day, steps) in self.visits.items():
            at = datetime.combine(day, datetime.min.time(), tzinfo=KST) + timedelta(hours=12)
            out.append(
                EventIn(name="page_view", partner_ref=partner, occurred_at=at, session_id=session, path="/store/")
            )
            for step in ("product_view", "cart_add", "checkout_start"):
                if step in steps:
                    out.append(
                        EventIn(name=step, partner_ref=partner, occurred_at=at, session_id=session, product_ref="p-tea")
                    )
        for o in self.orders:
            out.append(
                EventIn(
                    name="order_paid",
                    partner_ref=o.partner,
                    occurred_at=o.at,
                    session_id=o.session,
                    subject=o.subject,
                    order_ref=o.ref,
                    gross=o.gross,
                    discount=o.discount,
                    shipping=o.shipping,
                    dedupe_key=f"paid:{o.ref}",
                )
            )
            for i, (product, title, qty, price) in enumerate(o.lines):
                out.append(
                    EventIn(
                        name="order_line",
                        partner_ref=o.partner,
                        occurred_at=o.at,
                        subject=o.subject,
                        order_ref=o.ref,
                        product_ref=product,
                        label=title,
                        quantity=qty,
                        gross=qty * price,
                        dedupe_key=f"line:{o.ref}:{i}",
                    )
                )
            for j, (at, amount) in enumerate(o.refunds):
                out.append(
                    EventIn(
                        name="order_refunded",
                        partner_ref=o.partner,
                        occurred_at=at,
                        subject=o.subject,
                        order_ref=o.ref,
                        refund=amount,
                        dedupe_key=f"refund:{o.ref}:{j}",
                    )
                )
        for partner, at, sign in self.follows:
            out.append(EventIn(name="follow" if sign > 0 else "unfollow", partner_ref=partner, occurred_at=at))
        for partner, broadcast, subject, at, kind in self.deliveries:
            out.append(
                EventIn(
                    name=kind,
                    partner_ref=partner,
                    occurred_at=at,
                    subject=subject,
                    broadcast_ref=broadcast,
                    label="11월 한정 특가",
                    quantity=1 if kind == "broadcast_delivered" else 0,
                )
            )
        return out


def build(partners: list[str], start: date, days: int, seed: int = 7) -> Shop:
    rng = random.Random(seed)
    shop = Shop()
    customers = [f"s_cust{i:03d}" for i in range(40)]
    n = 0
    for d in range(days):
        day = start + timedelta(days=d)
        for partner in partners:
            for v in range(rng.randint(3, 8)):
                steps: set[str] = set()
                if rng.random() < 0.7:
                    steps.add("product_view")
                    if rng.random() < 0.5:
                        steps.add("cart_add")
                        if rng.random() < 0.6:
                            steps.add("checkout_start")
                shop.visits[f"k_{partner[-4:]}{d:03d}{v:02d}xx"] = (partner, day, steps)
            for _ in range(rng.randint(0, 3)):
                n += 1
                session = rng.choice([s for s, (p, dd, st) in shop.visits.items() if p == partner and dd == day])
                lines = [
                    (pid, title, rng.randint(1, 3), price)
                    for pid, title, price in rng.sample(PRODUCTS, rng.randint(1, 2))
                ]
                at = datetime.combine(day, datetime.min.time(), tzinfo=KST) + timedelta(
                    hours=rng.randint(0, 23), minutes=rng.randint(0, 59)
                )
                order = Order(
                    ref=f"o-{n:05d}",
                    partner=partner,
                    subject=rng.choice(customers),
                    session=session,
                    at=at,
                    lines=lines,
                    discount=rng.choice([0, 0, 1000, 3000]),
                    shipping=rng.choice([0, 3000]),
                )
                if rng.random() < 0.15:
                    order.refunds.append((at + timedelta(days=rng.randint(0, 3)), rng.choice([order.gross // 2, 5000])))
                shop.orders.append(order)
                shop.visits[session][2].update({"product_view", "cart_add", "checkout_start"})
            for _ in range(rng.randint(0, 4)):
                shop.follows.append(
                    (partner, datetime.combine(day, datetime.min.time(), tzinfo=KST) + timedelta(hours=9), 1)
                )
            if rng.random() < 0.3:
                shop.follows.append(
                    (partner, datetime.combine(day, datetime.min.time(), tzinfo=KST) + timedelta(hours=20), -1)
                )
        if d % 10 == 3:
            for partner in partners:
                broadcast = f"b-{partner[-4:]}-{d}"
                at = datetime.combine(day, datetime.min.time(), tzinfo=KST) + timedelta(hours=10)
                for subject in customers[:25]:
                    shop.deliveries.append((partner, broadcast, subject, at, "broadcast_delivered"))
                for subject in customers[:12]:
                    shop.deliveries.append((partner, broadcast, subject, at + timedelta(minutes=5), "broadcast_opened"))
                for subject in customers[:6]:
                    shop.deliveries.append(
                        (partner, broadcast, subject, at + timedelta(minutes=6), "broadcast_clicked")
                    )
                    shop.clicks.append((partner, broadcast, subject, at + timedelta(minutes=6)))
    return shop


def kst_day(at: datetime) -> date:
    return at.astimezone(KST).date()


def expected(shop: Shop, partner: str, start: date, end: date) -> dict[str, Any]:
    """Every dashboard figure, computed from the orders and visits directly."""
    inside = lambda at: start <= kst_day(at) <= end  # noqa: E731
    orders = [o for o in shop.orders if o.partner == partner and inside(o.at)]
    gross = sum(o.gross for o in orders)
    discounts = sum(o.discount for o in orders)
    shipping = sum(o.shipping for o in orders)
    returns = sum(a for o in shop.orders if o.partner == partner for at, a in o.refunds if inside(at))
    summary = {
        "gross": gross,
        "discounts": discounts,
        "returns": returns,
        "shipping": shipping,
        "total_sales": gross - discounts - returns + shipping,
        "orders": len(orders),
        "average_order_value": round((gross - discounts) / len(orders)) if orders else 0,
    }
    sessions = {s: st for s, (p, d, st) in shop.visits.items() if p == partner and start <= d <= end}
    paid_sessions = {o.session for o in orders}
    funnel = [
        len(sessions),
        sum(1 for st in sessions.values() if "product_view" in st),
        sum(1 for st in sessions.values() if "cart_add" in st),
        sum(1 for st in sessions.values() if "checkout_start" in st),
        len(paid_sessions),
    ]
    current = {o.subject for o in orders}
    earlier = {o.subject for o in shop.orders if o.partner == partner and kst_day(o.at) < start}
    products: dict[str, list[Any]] = {}
    for o in orders:
        for pid, title, q, price in o.lines:
            row = products.setdefault(pid, [pid, title, 0, 0])
            row[2] += q
            row[3] += q * price
    top = sorted(products.values(), key=lambda r: (-r[3], r[0]))[:10]
    follows_before = sum(s for p, at, s in shop.follows if p == partner and kst_day(at) < start)
    daily: dict[date, int] = defaultdict(int)
    for p, at, s in shop.follows:
        if p == partner and inside(at):
            daily[kst_day(at)] += s
    running, followers = follows_before, []
    for i in range((end - start).days + 1):
        running += daily[start + timedelta(days=i)]
        followers.append(running)
    # broadcasts: last click within 7 days before the order wins
    attributed: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in orders:
        candidates = [
            (at, b)
            for p, b, s, at in shop.clicks
            if p == partner and s == o.subject and o.at - timedelta(days=7) < at <= o.at
        ]
        if candidates:
            _, b = max(candidates)
            attributed[b][0] += 1
            attributed[b][1] += o.gross - o.discount + o.shipping
    broadcasts: dict[str, dict[str, Any]] = {}
    for p, b, subj, at, kind in shop.deliveries:
        if p == partner and inside(at):
            entry = broadcasts.setdefault(b, {"delivered": 0, "opened": set(), "clicked": set()})
            if kind == "broadcast_delivered":
                entry["delivered"] += 1
            else:
                entry[kind.split("_")[1]].add(subj)
    broadcast_rows = {
        b: {
            "delivered": r["delivered"],
            "opened": len(r["opened"]),
            "clicked": len(r["clicked"]),
            "orders": attributed[b][0],
            "revenue": attributed[b][1],
        }
        for b, r in broadcasts.items()
    }
    # cohorts by first order month over all time
    first: dict[str, date] = {}
    months: dict[str, set[date]] = defaultdict(set)
    for o in shop.orders:
        if o.partner != partner:
            continue
        month = kst_day(o.at).replace(day=1)
        months[o.subject].add(month)
        first[o.subject] = min(first.get(o.subject, month), month)
    cohorts: dict[str, list[int]] = {}
    for subject, cohort in first.items():
        if not (start.replace(day=1) <= cohort <= end):
            continue
        row = cohorts.setdefault(cohort.strftime("%Y-%m"), [0] * 6)
        for m in months[subject]:
            k = (m.year - cohort.year) * 12 + m.month - cohort.month
            if k < 6:
                row[k] += 1
    return {
        "summary": summary,
        "funnel": funnel,
        "returning": {"customers": len(current), "returning": len(current & earlier)},
        "top_products": [{"product": r[0], "title": r[1], "quantity": r[2], "revenue": r[3]} for r in top],
        "followers": followers,
        "broadcasts": broadcast_rows,
        "cohorts": {k: v for k, v in cohorts.items()},
    }
