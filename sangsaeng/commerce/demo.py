"""Demo: 상생마켓's store with Korean products (photos drawn with Pillow), a coupon, and an order of
demo@sangsaeng.kr on its way (paid, then shipped with a tracking number)."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from PIL import Image, ImageDraw

from sangsaeng.accounts.selectors import address_get_default, user_get_by_email
from sangsaeng.commerce import channels, passports, selectors, services
from sangsaeng.core.demo import register
from sangsaeng.core.errors import Problem

HANDLE = "sangsaeng-market"
PASSPORT_BRAND = "jeju-onggi"  # the authenticity demo's brand

# title, description, category, price, stock, colours (background, fruit), extra flags
PRODUCTS: list[dict[str, Any]] = [
    {
        "title": "제주 노지 감귤 5kg",
        "category": "과일",
        "description": "서귀포 남원 농가에서 나무에 달린 채 익힌 노지 감귤입니다. "
        "새콤달콤한 맛이 진하고 껍질이 얇아요.\n수확 다음 날 산지에서 바로 보내 드립니다.",
        "variants": [
            ("GAMGYUL-5K", {"크기": "로얄과(S~M)"}, 19_900, 40),
            ("GAMGYUL-5K-L", {"크기": "대과(L)"}, 17_900, 25),
        ],
        "options": [{"name": "크기", "values": ["로얄과(S~M)", "대과(L)"]}],
        "colors": ("#fff7ed", "#f97316"),
        "shipping": {"shipping_rule": "free"},
    },
    {
        "title": "한라봉 선물세트 3kg",
        "category": "과일",
        "description": "당도 13브릭스 이상만 골라 담은 한라봉 선물세트. 보자기 포장과 손글씨 카드가 함께 갑니다.",
        "variants": [("HALLABONG-3K", {}, 32_000, 20)],
        "colors": ("#fefce8", "#f59e0b"),
        "shipping": {"shipping_rule": "free"},
    },
    {
        "title": "천혜향 2kg",
        "category": "과일",
        "description": "향이 천 리를 간다는 천혜향. 과즙이 많아 반으로 잘라 숟가락으로 떠 드셔도 좋아요.",
        "variants": [("CHEONHYE-2K", {}, 24_000, 15)],
        "colors": ("#fff1f2", "#fb923c"),
        "shipping": {"shipping_rule": "free_over", "shipping_fee": 3_000, "free_over": 30_000},
    },
    {
        "title": "제주 유기농 첫물 녹차 100g",
        "category": "차·음료",
        "description": "한라산 남쪽 기슭 유기농 다원의 첫물 잎으로 덖은 녹차입니다. 구수하고 맑은 맛.",
        "variants": [("TEA-100", {}, 18_000, 30)],
        "colors": ("#f0fdf4", "#16a34a"),
        "shipping": {"shipping_rule": "flat", "shipping_fee": 3_000},
    },
    {
        "title": "감귤꽃 꿀 500g",
        "category": "차·음료",
        "description": "5월 감귤꽃이 필 때만 뜨는 귀한 꿀. 상큼한 꽃향이 납니다.",
        "variants": [("HONEY-500", {}, 27_000, 12)],
        "colors": ("#fefce8", "#ca8a04"),
        "shipping": {"shipping_rule": "flat", "shipping_fee": 3_000},
    },
    {
        "title": "제주 감귤 와인 750ml",
        "category": "차·음료",
        "description": "제주 감귤로 빚은 스파클링 와인. 19세 이상만 구매할 수 있으며, 결제할 때 신분 증명에서 "
        "'만 19세 이상' 여부만 확인합니다.",
        "variants": [("WINE-750", {}, 32_000, 10)],
        "colors": ("#fdf4ff", "#a21caf"),
        "age_restricted": True,
        "shipping": {"shipping_rule": "free"},
    },
    {
        "title": "옹기 장인 한정판 감귤 항아리",
        "category": "공예",
        "description": "제주 옹기 장인이 한 점씩 빚은 한정판 항아리. 정품 인증서가 있어 배송이 완료되면 "
        "디지털 보증서의 소유권이 구매자에게 넘어갑니다.",
        "variants": [("ONGGI-LTD", {}, 180_000, 3)],
        "colors": ("#f5f5f4", "#78350f"),
        "authenticity_enabled": True,  # when 제주 옹기 공방 (the authenticity demo) sells through this channel
        "shipping": {"shipping_rule": "free"},
    },
]


def _photo(background: str, fruit: str, *, seed: int) -> bytes:
    image = Image.new("RGB", (800, 800), background)
    draw = ImageDraw.Draw(image)
    for i in range(5):
        x = 140 + (i * 137 + seed * 53) % 420
        y = 220 + (i * 89 + seed * 31) % 300
        draw.ellipse((x, y, x + 200, y + 190), fill=fruit, outline="#00000022")
        draw.ellipse((x + 85, y - 18, x + 135, y + 22), fill="#15803d")
    draw.rectangle((0, 700, 800, 800), fill="#0f766e")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _store(owner: Any) -> Any:
    channel = channels.channel_by_handle(handle=HANDLE)
    if channel is None:
        return None
    existing = selectors.store_for_channel(channel_id=channel.id)
    if existing is not None:
        return None
    return services.store_open(
        actor=owner,
        channel_id=channel.id,
        name="상생마켓 스토어",
        description="제주 농가와 함께하는 수수료 0원 직거래 스토어입니다.",
    )


def _passport_brand(store: Any) -> str:
    """The demo brand's slug if it is verified and sells through this store's channel, else ""."""
    try:
        passports.brand_check(slug=PASSPORT_BRAND, channel_id=store.channel_id)
    except Problem:
        return ""
    return PASSPORT_BRAND if passports.enabled() else ""


@register("commerce", order=70)
def build(say: Callable[[str], None]) -> None:
    owner = user_get_by_email(email="admin@sangsaeng.kr")
    if owner is None:
        return
    try:
        store = _store(owner)
    except Problem as problem:
        say(f"commerce demo skipped: {problem.en}")
        return
    if store is None:
        return
    brand = _passport_brand(store)
    categories = {}
    for i, spec in enumerate(PRODUCTS):
        if spec["category"] not in categories:
            categories[spec["category"]] = services.category_create(
                actor=owner, store_id=store.public_id, name=spec["category"]
            )
        product = services.product_create(
            actor=owner,
            store_id=store.public_id,
            data={
                "title": spec["title"],
                "description": spec["description"],
                "status": "public",
                "category_id": categories[spec["category"]].public_id,
                "options": spec.get("options", []),
                "age_restricted": spec.get("age_restricted", False),
                "authenticity_enabled": bool(brand and spec.get("authenticity_enabled")),
                "authenticity_brand": brand if spec.get("authenticity_enabled") else "",
                **spec["shipping"],
                "variants": [
                    {"sku": sku, "option_values": values, "price": price, "stock": stock}
                    for sku, values, price, stock in spec["variants"]
                ],
            },
        )
        for n in range(2):
            services.product_image_add(
                actor=owner,
                product_id=product.public_id,
                data=_photo(*spec["colors"], seed=i * 2 + n),
                name=f"{spec['variants'][0][0]}-{n}.jpg",
            )
    services.coupon_create(
        actor=owner,
        store_id=store.public_id,
        code="WELCOME3000",
        kind="fixed",
        value=3_000,
        min_order=20_000,
        max_uses=500,
    )
    services.coupon_create(
        actor=owner, store_id=store.public_id, code="JEJU10", kind="percent", value=10, min_order=30_000, max_uses=100
    )
    say(f"store {store.name}: {len(PRODUCTS)} products, coupons WELCOME3000 and JEJU10")
    _demo_order(owner, store, say)


def _demo_order(owner: Any, store: Any, say: Callable[[str], None]) -> None:
    """demo@sangsaeng.kr bought tangerines and tea with a coupon; the parcel is on its way."""
    from sangsaeng.accounts.services import address_create

    buyer = user_get_by_email(email="demo@sangsaeng.kr")
    if buyer is None or not services.test_payments_enabled():
        return
    if address_get_default(user=buyer) is None:
        address_create(
            user=buyer,
            is_default=True,
            data={
                "name": "집",
                "base_address": "서울특별시 마포구 월드컵북로 396",
                "detail_address": "101동 1203호",
                "zone_number": "03925",
                "receiver_name": "데모",
                "receiver_phone_number1": "010-1234-5678",
            },
        )
    products = {p.title: p for p in selectors.storefront_products(store=store)}
    lines = [
        {"variant_id": str(products["제주 노지 감귤 5kg"].variants.all()[0].public_id), "quantity": 1},
        {"variant_id": str(products["제주 유기농 첫물 녹차 100g"].variants.all()[0].public_id), "quantity": 1},
    ]
    order = services.checkout(
        buyer=buyer,
        store=store,
        idempotency_key="demo-order-1",
        payment_method="test",
        lines=lines,
        coupon_code="WELCOME3000",
    )
    services.order_prepare(actor=owner, order_id=order.public_id)
    services.order_ship(actor=owner, order_id=order.public_id, courier="CJ대한통운", tracking_number="612345678901")
    say(f"demo order {order.number} for demo@sangsaeng.kr: shipped")
