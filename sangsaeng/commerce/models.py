"""Zero-fee channel stores: catalogue, carts, orders with stock reservations, coupons, reviews.

Money is integer won. Stock is a counter on the variant that only ever moves through conditional
UPDATEs (`stock = stock - q WHERE stock >= q`), so concurrent checkouts can't sell what isn't there;
the CHECK constraint is the last line of defence.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel

MAX_PRICE = 100_000_000


class Store(BaseModel):
    """One store per partner channel, opened free (no entry fee, 0% platform fee)."""

    channel_id = models.UUIDField(unique=True)
    handle = models.SlugField(max_length=60, unique=True, allow_unicode=True)
    name = models.CharField(_("상점 이름"), max_length=80)
    description = models.TextField(_("소개"), blank=True, max_length=2000)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    auto_confirm_days = models.PositiveSmallIntegerField(default=7)

    def __str__(self) -> str:
        return self.name


class Category(BaseModel):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("분류"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["store", "name"], name="commerce_category_unique")]

    def __str__(self) -> str:
        return self.name


class Product(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("임시 저장")
        PUBLIC = "public", _("판매 중")
        HIDDEN = "hidden", _("숨김")

    class Shipping(models.TextChoices):
        FREE = "free", _("무료 배송")
        FLAT = "flat", _("고정 배송비")
        FREE_OVER = "free_over", _("조건부 무료 배송")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="products")
    title = models.CharField(_("상품명"), max_length=100)
    description = models.TextField(_("상품 설명"), blank=True, max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    options = models.JSONField(default=list)  # [{"name": "색상", "values": ["빨강", "파랑"]}]
    shipping_rule = models.CharField(max_length=10, choices=Shipping.choices, default=Shipping.FREE)
    shipping_fee = models.PositiveIntegerField(default=0)
    free_over = models.PositiveIntegerField(default=0)
    age_restricted = models.BooleanField(_("19세 이상"), default=False)
    authenticity_enabled = models.BooleanField(_("정품 인증"), default=False)
    authenticity_brand = models.CharField(max_length=60, blank=True)  # the brand's slug in authenticity

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class ProductImage(BaseModel):
    """A product photo kept in the store owner's Drawer, shown through a Drawer share link."""

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="images")
    drawer_item_id = models.UUIDField()
    url = models.CharField(max_length=300)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "created_at"]


class Variant(BaseModel):
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="variants")
    sku = models.CharField(max_length=60)
    option_values = models.JSONField(default=dict)  # {"색상": "빨강"}
    price = models.PositiveIntegerField()
    stock = models.IntegerField(default=0)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(stock__gte=0), name="commerce_variant_stock_nonnegative"),
            models.CheckConstraint(condition=Q(price__gt=0, price__lte=MAX_PRICE), name="commerce_variant_price_range"),
            models.UniqueConstraint(fields=["product", "sku"], name="commerce_variant_sku_unique"),
        ]

    def __str__(self) -> str:
        return self.sku

    @property
    def label(self) -> str:
        return " / ".join(f"{k}: {v}" for k, v in self.option_values.items())


class Coupon(BaseModel):
    class Kind(models.TextChoices):
        FIXED = "fixed", _("정액 할인")
        PERCENT = "percent", _("정률 할인")

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="coupons")
    code = models.CharField(max_length=30)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    value = models.PositiveIntegerField()
    min_order = models.PositiveIntegerField(default=0)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    used_count = models.PositiveIntegerField(default=0)
    per_user_limit = models.PositiveSmallIntegerField(default=1)
    expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["store", "code"], name="commerce_coupon_code_unique")]

    def __str__(self) -> str:
        return self.code


class Cart(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="carts")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="carts")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "store"], name="commerce_cart_user_store")]


class CartLine(BaseModel):
    cart = models.ForeignKey(Cart, on_delete=models.CASCADE, related_name="lines")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField()
    unit_price_seen = models.PositiveIntegerField()

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["cart", "variant"], name="commerce_cartline_unique")]


class Order(BaseModel):
    class Status(models.TextChoices):
        PLACED = "placed", _("결제 대기")
        PAID = "paid", _("결제 완료")
        PREPARING = "preparing", _("상품 준비 중")
        SHIPPED = "shipped", _("배송 중")
        DELIVERED = "delivered", _("배송 완료")
        CONFIRMED = "confirmed", _("구매 확정")
        CANCELLED = "cancelled", _("주문 취소")
        REFUNDED = "refunded", _("환불 완료")
        EXPIRED = "expired", _("결제 시간 초과")

    number = models.CharField(max_length=20, unique=True)
    store = models.ForeignKey(Store, on_delete=models.PROTECT, related_name="orders")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commerce_orders")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLACED, db_index=True)
    subtotal = models.PositiveIntegerField()
    shipping_fee = models.PositiveIntegerField(default=0)
    discount = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField()
    refunded_amount = models.PositiveIntegerField(default=0)
    coupon = models.ForeignKey(Coupon, null=True, blank=True, on_delete=models.SET_NULL, related_name="orders")
    address = models.JSONField(default=dict)
    payment_method = models.CharField(max_length=10, blank=True)
    payment_id = models.CharField(max_length=64, blank=True)
    idempotency_key = models.CharField(max_length=255)
    courier = models.CharField(max_length=40, blank=True)
    tracking_number = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    preparing_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], name="commerce_order_idempotency"),
            models.CheckConstraint(
                condition=Q(refunded_amount__lte=models.F("total")), name="commerce_refund_le_total"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class OrderLine(BaseModel):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    variant = models.ForeignKey(Variant, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=100)
    option_label = models.CharField(max_length=200, blank=True)
    sku = models.CharField(max_length=60)
    unit_price = models.PositiveIntegerField()
    quantity = models.PositiveIntegerField()
    serials = models.JSONField(default=list)  # units shipped, for authenticity passports

    class Meta:
        ordering = ["created_at"]

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


class StockReservation(BaseModel):
    """Stock taken off the shelf for an order until it is paid, or released when it expires."""

    class State(models.TextChoices):
        HELD = "held"
        CONSUMED = "consumed"
        RELEASED = "released"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="reservations")
    variant = models.ForeignKey(Variant, on_delete=models.CASCADE, related_name="reservations")
    quantity = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.HELD)
    expires_at = models.DateTimeField(db_index=True)


class CouponRedemption(BaseModel):
    coupon = models.ForeignKey(Coupon, on_delete=models.CASCADE, related_name="redemptions")
    order = models.OneToOneField(Order, on_delete=models.CASCADE, related_name="redemption")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")


class OrderRefund(BaseModel):
    """Money given back on an order, once per key: a retried refund finds its row and moves nothing."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="refunds")
    key = models.CharField(max_length=255, unique=True)
    amount = models.PositiveIntegerField()
    reason = models.CharField(max_length=200)

    class Meta:
        ordering = ["created_at"]


class ReturnRequest(BaseModel):
    class Reason(models.TextChoices):
        CHANGED_MIND = "changed_mind", _("단순 변심")
        DEFECTIVE = "defective", _("상품 불량")
        WRONG_ITEM = "wrong_item", _("오배송")
        DAMAGED = "damaged", _("배송 중 파손")
        LATE = "late", _("배송 지연")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("요청됨")
        APPROVED = "approved", _("승인·환불됨")
        REJECTED = "rejected", _("거절됨")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="returns")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.TextField(blank=True, max_length=1000)
    amount = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Review(BaseModel):
    line = models.OneToOneField(OrderLine, on_delete=models.CASCADE, related_name="review")
    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="reviews")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField()
    body = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="commerce_review_rating")]
