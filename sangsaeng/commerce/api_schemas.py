"""Shapes of /api/v1/commerce: inputs refuse unknown fields; outputs are prefixed `Commerce`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from sangsaeng.commerce.models import Coupon, Order, Product, Store, Variant
from sangsaeng.core.schemas import StrictInput


class CommerceStoreIn(StrictInput):
    channel_id: UUID
    name: str = Field("", max_length=80, examples=["상생마켓"])
    description: str = Field("", max_length=2000)


class CommerceStorePatch(StrictInput):
    name: str | None = Field(None, max_length=80)
    description: str | None = Field(None, max_length=2000)
    auto_confirm_days: int | None = None


class CommerceStoreOut(Schema):
    id: UUID
    channel_id: UUID
    handle: str
    name: str
    description: str
    auto_confirm_days: int
    url: str
    platform_fee_percent: int = 0


def store_out(store: Store) -> CommerceStoreOut:
    return CommerceStoreOut(
        id=store.public_id,
        channel_id=store.channel_id,
        handle=store.handle,
        name=store.name,
        description=store.description,
        auto_confirm_days=store.auto_confirm_days,
        url=f"/store/{store.handle}/",
    )


class CommerceVariantIn(StrictInput):
    sku: str = Field(..., max_length=60, examples=["TEA-GREEN-100"])
    option_values: dict[str, str] = Field(default_factory=dict, examples=[{"용량": "100g"}])
    price: int = Field(..., examples=[18000])
    stock: int = Field(0, examples=[50])


class CommerceVariantPatch(StrictInput):
    price: int | None = None
    stock: int | None = None
    is_active: bool | None = None


class CommerceVariantOut(Schema):
    id: UUID
    sku: str
    option_values: dict[str, str]
    price: int
    stock: int
    is_active: bool


def variant_out(v: Variant) -> CommerceVariantOut:
    return CommerceVariantOut(
        id=v.public_id, sku=v.sku, option_values=v.option_values, price=v.price, stock=v.stock, is_active=v.is_active
    )


class CommerceOptionIn(StrictInput):
    name: str = Field(..., max_length=20, examples=["용량"])
    values: list[str] = Field(..., max_length=30, examples=[["100g", "200g"]])


class CommerceProductIn(StrictInput):
    title: str = Field(..., max_length=100, examples=["제주 유기농 녹차"])
    description: str = Field("", max_length=5000)
    status: str = Field("draft", examples=["public"], description="draft, public or hidden")
    category_id: UUID | None = None
    options: list[CommerceOptionIn] = Field(default_factory=list, max_length=3)
    variants: list[CommerceVariantIn] = Field(..., max_length=100)
    shipping_rule: str = Field("free", description="free, flat or free_over")
    shipping_fee: int = 0
    free_over: int = 0
    age_restricted: bool = False
    authenticity_enabled: bool = False
    authenticity_brand: str = Field("", max_length=60, description="The brand's slug in authenticity")


class CommerceProductPatch(StrictInput):
    title: str | None = Field(None, max_length=100)
    description: str | None = Field(None, max_length=5000)
    status: str | None = None
    category_id: UUID | None = None
    options: list[CommerceOptionIn] | None = None
    shipping_rule: str | None = None
    shipping_fee: int | None = None
    free_over: int | None = None
    age_restricted: bool | None = None
    authenticity_enabled: bool | None = None
    authenticity_brand: str | None = Field(None, max_length=60)


class CommerceProductOut(Schema):
    id: UUID
    store_handle: str
    title: str
    description: str
    status: str
    category: str | None
    options: list[dict[str, Any]]
    variants: list[CommerceVariantOut]
    images: list[str]
    shipping_rule: str
    shipping_fee: int
    free_over: int
    age_restricted: bool
    authenticity_enabled: bool
    authenticity_brand: str
    url: str


def product_out(p: Product) -> CommerceProductOut:
    return CommerceProductOut(
        id=p.public_id,
        store_handle=p.store.handle,
        title=p.title,
        description=p.description,
        status=p.status,
        category=p.category.name if p.category_id and p.category else None,
        options=p.options,
        variants=[variant_out(v) for v in p.variants.all()],
        images=[i.url for i in p.images.all()],
        shipping_rule=p.shipping_rule,
        shipping_fee=p.shipping_fee,
        free_over=p.free_over,
        age_restricted=p.age_restricted,
        authenticity_enabled=p.authenticity_enabled,
        authenticity_brand=p.authenticity_brand,
        url=f"/store/{p.store.handle}/p/{p.public_id}/",
    )


class CommerceCategoryIn(StrictInput):
    name: str = Field(..., max_length=40, examples=["차·음료"])


class CommerceCategoryOut(Schema):
    id: UUID
    name: str


class CommerceCouponIn(StrictInput):
    code: str = Field(..., max_length=30, examples=["WELCOME3000"])
    kind: str = Field(..., examples=["fixed"], description="fixed (won) or percent")
    value: int = Field(..., examples=[3000])
    min_order: int = 0
    max_uses: int | None = None
    expires_at: datetime | None = None


class CommerceCouponOut(Schema):
    id: UUID
    code: str
    kind: str
    value: int
    min_order: int
    max_uses: int | None
    used_count: int
    expires_at: datetime | None
    is_active: bool


def coupon_out(c: Coupon) -> CommerceCouponOut:
    return CommerceCouponOut(
        id=c.public_id,
        code=c.code,
        kind=c.kind,
        value=c.value,
        min_order=c.min_order,
        max_uses=c.max_uses,
        used_count=c.used_count,
        expires_at=c.expires_at,
        is_active=c.is_active,
    )


class CommerceCartLineIn(StrictInput):
    variant_id: UUID
    quantity: int = Field(1, examples=[1])


class CommerceCartLinePatch(StrictInput):
    quantity: int


class CommerceCartLineOut(Schema):
    id: UUID
    variant_id: UUID
    title: str
    option_label: str
    quantity: int
    unit_price_seen: int
    unit_price_now: int
    stock: int


class CommerceCartOut(Schema):
    id: UUID
    store: CommerceStoreOut
    lines: list[CommerceCartLineOut]
    subtotal: int


class CommerceLineIn(StrictInput):
    variant_id: UUID
    quantity: int
    unit_price: int | None = Field(None, description="The price the buyer saw; a change gives cart_stale")


class CommerceAddressIn(StrictInput):
    zone_number: str = Field(..., max_length=10, examples=["04524"])
    base_address: str = Field(..., max_length=200, examples=["서울특별시 중구 세종대로 110"])
    detail_address: str = Field("", max_length=200)
    receiver_name: str = Field(..., max_length=30)
    receiver_phone_number1: str = Field(..., max_length=20, examples=["010-1234-5678"])


class CommerceAgeProofIn(StrictInput):
    nonce: str = Field(..., max_length=200)
    presentation: str = Field(..., max_length=20_000)


class CommerceCheckoutIn(StrictInput):
    lines: list[CommerceLineIn] | None = Field(None, max_length=50, description="Omit to buy the cart")
    payment_method: str = Field("wallet", examples=["wallet"], description="wallet, test or card")
    coupon_code: str | None = Field(None, max_length=30)
    expected_total: int | None = None
    address: CommerceAddressIn | None = Field(None, description="Omit to use the default address book entry")
    age_proof: CommerceAgeProofIn | None = None


class CommerceQuoteIn(StrictInput):
    lines: list[CommerceLineIn] | None = Field(None, max_length=50)
    coupon_code: str | None = Field(None, max_length=30)


class CommerceQuoteOut(Schema):
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    age_restricted: bool


class CommerceOrderLineOut(Schema):
    id: UUID
    product_id: UUID
    title: str
    option_label: str
    sku: str
    unit_price: int
    quantity: int
    reviewed: bool
    serials: list[str] = Field(default_factory=list, description="Serials shipped (authenticity products)")


class CommerceOrderOut(Schema):
    id: UUID
    number: str
    store: str
    status: str
    status_label: str
    subtotal: int
    shipping_fee: int
    discount: int
    total: int
    refunded_amount: int
    payment_method: str
    payment_id: str
    courier: str
    tracking_number: str
    address: dict[str, str]
    lines: list[CommerceOrderLineOut]
    created_at: datetime
    paid_at: datetime | None
    shipped_at: datetime | None
    delivered_at: datetime | None
    confirmed_at: datetime | None


def order_out(o: Order) -> CommerceOrderOut:
    return CommerceOrderOut(
        id=o.public_id,
        number=o.number,
        store=o.store.name,
        status=o.status,
        status_label=str(o.get_status_display()),
        subtotal=o.subtotal,
        shipping_fee=o.shipping_fee,
        discount=o.discount,
        total=o.total,
        refunded_amount=o.refunded_amount,
        payment_method=o.payment_method,
        payment_id=o.payment_id,
        courier=o.courier,
        tracking_number=o.tracking_number,
        address=o.address,
        lines=[
            CommerceOrderLineOut(
                id=line.public_id,
                product_id=line.product.public_id,
                title=line.title,
                option_label=line.option_label,
                sku=line.sku,
                unit_price=line.unit_price,
                quantity=line.quantity,
                reviewed=hasattr(line, "review"),
                serials=list(line.serials or []),
            )
            for line in o.lines.select_related("product").all()
        ],
        created_at=o.created_at,
        paid_at=o.paid_at,
        shipped_at=o.shipped_at,
        delivered_at=o.delivered_at,
        confirmed_at=o.confirmed_at,
    )


class CommerceCancelIn(StrictInput):
    reason: str = Field("", max_length=200)


class CommerceShipIn(StrictInput):
    courier: str = Field(..., max_length=40, examples=["CJ대한통운"])
    tracking_number: str = Field(..., max_length=40, examples=["612345678901"])
    serials: dict[str, list[str]] = Field(
        default_factory=dict, description="Serial numbers shipped, per order line id (authenticity products)"
    )


class CommerceRefundIn(StrictInput):
    amount: int = Field(..., examples=[3000])
    reason: str = Field(..., max_length=200, examples=["구성품 누락"])


class CommerceReturnIn(StrictInput):
    reason: str = Field(
        ..., examples=["defective"], description="changed_mind, defective, wrong_item, damaged, late or other"
    )
    detail: str = Field("", max_length=1000)
    amount: int | None = Field(None, description="Omit for everything still paid")


class CommerceReturnOut(Schema):
    id: UUID
    order_id: UUID
    reason: str
    detail: str
    amount: int
    status: str


class CommerceDecideIn(StrictInput):
    approve: bool
    note: str = Field("", max_length=200)


class CommerceBulkPrepareIn(StrictInput):
    order_ids: list[UUID] = Field(..., max_length=500)


class CommerceBulkShipIn(StrictInput):
    csv: str = Field(
        ...,
        max_length=1_000_000,
        examples=["order_number,courier,tracking_number\n20261130-1A2B3C4D,CJ대한통운,612345678901"],
    )


class CommerceCardConfirmIn(StrictInput):
    payment_key: str = Field(..., max_length=200)
    amount: int


class CommerceReviewIn(StrictInput):
    rating: int = Field(..., examples=[5])
    body: str = Field("", max_length=2000)


class CommerceReviewOut(Schema):
    id: UUID
    rating: int
    body: str
    created_at: datetime
