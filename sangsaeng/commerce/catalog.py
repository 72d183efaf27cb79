"""Opening a store on a channel and keeping its catalogue: products, variants, images, coupons."""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse

from sangsaeng.commerce import channels, passports
from sangsaeng.commerce.models import Category, Coupon, Product, ProductImage, Store, Variant
from sangsaeng.commerce.validation import amount_clean, price_clean, stock_clean, text_clean
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.images import ImageRefused, image_open_checked
from sangsaeng.core.outbox import event_emit

MAX_IMAGES = 10
MAX_IMAGE_BYTES = 10 * 1_048_576
IMAGE_EDGE = 1600
SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,59}$")
PRODUCT_CHANGED = "commerce_product_changed"  # payload: {"product": id, "store": id}
STORE_CHANGED = "commerce_store_changed"  # payload: {"store": id}


def _product_changed(product: Product) -> None:
    """In the caller's transaction: the product's catalogue data changed (search re-reads it)."""
    event_emit(name=PRODUCT_CHANGED, payload={"product": str(product.public_id), "store": str(product.store.public_id)})


def _uuid(value: Any) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except (ValueError, TypeError):
        return None


def access_store_staff(*, actor: Any, store_id: Any) -> Store:
    """The store if the actor is staff of its channel; otherwise one 404."""
    public_id = _uuid(store_id)
    store = Store.objects.filter(public_id=public_id).first() if public_id else None
    if store is None:
        raise not_found("store")
    channels.staff_check(actor=actor, channel_id=store.channel_id)
    return store


def access_product_staff(*, actor: Any, product_id: Any) -> Product:
    public_id = _uuid(product_id)
    product = Product.objects.select_related("store").filter(public_id=public_id).first() if public_id else None
    if product is None:
        raise not_found("product")
    channels.staff_check(actor=actor, channel_id=product.store.channel_id)
    return product


def access_variant_staff(*, actor: Any, variant_id: Any) -> Variant:
    public_id = _uuid(variant_id)
    variant = (
        Variant.objects.select_related("product__store").filter(public_id=public_id).first() if public_id else None
    )
    if variant is None:
        raise not_found("variant")
    channels.staff_check(actor=actor, channel_id=variant.product.store.channel_id)
    return variant


def store_open(*, actor: Any, channel_id: Any, name: str = "", description: str = "") -> Store:
    """Open the channel's store: free, immediate, one per channel (opening twice gives the same store)."""
    channel_uuid = _uuid(channel_id)
    if channel_uuid is None:
        raise not_found("channel")
    channel = channels.staff_check(actor=actor, channel_id=channel_uuid)
    existing = Store.objects.filter(channel_id=channel.id).first()
    if existing is not None:
        return existing
    name = text_clean(name or channel.name, field="name", max_length=80)
    description = text_clean(description, field="description", max_length=2000, required=False)
    try:
        with transaction.atomic():
            store = Store.objects.create(
                channel_id=channel.id, handle=channel.handle, name=name, description=description, opened_by=actor
            )
            event_emit(name=STORE_CHANGED, payload={"store": str(store.public_id)})
    except IntegrityError:
        return Store.objects.get(channel_id=channel.id)
    channels.store_attach(
        actor=actor, channel_id=channel.id, ref=reverse("commerce:storefront", args=[store.handle]), title=store.name
    )
    return store


def store_update(*, actor: Any, store_id: Any, data: dict[str, Any]) -> Store:
    store = access_store_staff(actor=actor, store_id=store_id)
    fields = []
    if "name" in data:
        store.name = text_clean(data["name"], field="name", max_length=80)
        fields.append("name")
    if "description" in data:
        store.description = text_clean(data["description"], field="description", max_length=2000, required=False)
        fields.append("description")
    if "auto_confirm_days" in data:
        days = data["auto_confirm_days"]
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= 30:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="자동 구매 확정은 1~30일입니다.",
                en="Auto-confirmation must be 1 to 30 days.",
                field="auto_confirm_days",
            )
        store.auto_confirm_days = days
        fields.append("auto_confirm_days")
    with transaction.atomic():
        store.save(update_fields=[*fields, "updated_at"])
        event_emit(name=STORE_CHANGED, payload={"store": str(store.public_id)})
    return store


def category_create(*, actor: Any, store_id: Any, name: str) -> Category:
    store = access_store_staff(actor=actor, store_id=store_id)
    name = text_clean(name, field="name", max_length=40)
    category, _ = Category.objects.get_or_create(
        store=store, name=name, defaults={"position": store.categories.count()}
    )
    return category


def _options_clean(value: Any) -> list[dict[str, Any]]:
    problem = Problem(
        code="invalid_field",
        status=422,
        ko="옵션은 이름과 값 목록으로 최대 3개까지입니다.",
        en="Options are up to 3, each a name and a list of values.",
        field="options",
    )
    if not isinstance(value, list) or len(value) > 3:
        raise problem
    options = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("values"), list) or not 1 <= len(item["values"]) <= 30:
            raise problem
        name = text_clean(item.get("name"), field="options", max_length=20)
        values = [text_clean(v, field="options", max_length=40) for v in item["values"]]
        options.append({"name": name, "values": values})
    return options


def _shipping_clean(data: dict[str, Any], product: Product) -> None:
    rule = data.get("shipping_rule", product.shipping_rule)
    if rule not in Product.Shipping.values:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="배송비 규칙이 올바르지 않습니다.",
            en="Unknown shipping rule.",
            field="shipping_rule",
        )
    product.shipping_rule = rule
    product.shipping_fee = amount_clean(
        data.get("shipping_fee", product.shipping_fee), field="shipping_fee", maximum=100_000
    )
    product.free_over = amount_clean(data.get("free_over", product.free_over), field="free_over")
    if rule == Product.Shipping.FREE:
        product.shipping_fee, product.free_over = 0, 0
    elif rule == Product.Shipping.FLAT:
        product.free_over = 0


def _product_fields(product: Product, data: dict[str, Any]) -> list[str]:
    fields: list[str] = []
    if "title" in data:
        product.title = text_clean(data["title"], field="title", max_length=100)
        fields.append("title")
    if "description" in data:
        product.description = text_clean(data["description"], field="description", max_length=5000, required=False)
        fields.append("description")
    if "status" in data:
        if data["status"] not in Product.Status.values:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="공개 상태가 올바르지 않습니다.",
                en="Unknown visibility.",
                field="status",
            )
        product.status = data["status"]
        fields.append("status")
    if "options" in data:
        product.options = _options_clean(data["options"])
        fields.append("options")
    if {"shipping_rule", "shipping_fee", "free_over"} & data.keys():
        _shipping_clean(data, product)
        fields += ["shipping_rule", "shipping_fee", "free_over"]
    if "authenticity_brand" in data:
        brand = str(data["authenticity_brand"] or "").strip()
        if len(brand) > 60:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="브랜드 이름이 너무 깁니다.",
                en="The brand is too long.",
                field="authenticity_brand",
            )
        product.authenticity_brand = brand
        fields.append("authenticity_brand")
    for flag in ("age_restricted", "authenticity_enabled"):
        if flag in data:
            setattr(product, flag, bool(data[flag]))
            fields.append(flag)
    if product.authenticity_enabled and {"authenticity_enabled", "authenticity_brand"} & data.keys():
        _authenticity_check(product)
    if "category_id" in data:
        category = None
        if data["category_id"]:
            category_uuid = _uuid(data["category_id"])
            category = (
                Category.objects.filter(store=product.store, public_id=category_uuid).first() if category_uuid else None
            )
            if category is None:
                raise not_found("category")
        product.category = category
        fields.append("category")
    return fields


def _authenticity_check(product: Product) -> None:
    """Passports pass to buyers only for a verified brand that sells through this store's channel."""
    if not passports.enabled():
        return
    if not product.authenticity_brand:
        raise Problem(
            code="authenticity_brand_required",
            status=422,
            ko="정품 인증 상품에는 이 채널과 연결된 인증 브랜드가 필요합니다.",
            en="An authenticity-enabled product needs a verified brand linked to this channel.",
            field="authenticity_brand",
        )
    passports.brand_check(slug=product.authenticity_brand, channel_id=product.store.channel_id)


def _variant_data(product: Product, item: Any, index: int) -> dict[str, Any]:
    field = f"variants.{index}"
    if not isinstance(item, dict):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="옵션 조합이 올바르지 않습니다.",
            en="A variant is not valid.",
            field=field,
        )
    sku = str(item.get("sku", "")).strip()
    if not SKU.match(sku):
        raise Problem(
            code="invalid_sku",
            status=422,
            ko="SKU는 영문·숫자·.-_ 60자 이내입니다.",
            en="A SKU is letters, digits and .-_ (up to 60).",
            field=f"{field}.sku",
        )
    values = item.get("option_values") or {}
    known = {o["name"]: o["values"] for o in product.options}
    if not isinstance(values, dict) or set(values) != set(known) or any(values[k] not in known[k] for k in values):
        raise Problem(
            code="invalid_option",
            status=422,
            ko="상품 옵션에 없는 값입니다.",
            en="The option values must match the product's options.",
            field=f"{field}.option_values",
        )
    return {
        "sku": sku,
        "option_values": values,
        "price": price_clean(item.get("price"), field=f"{field}.price"),
        "stock": stock_clean(item.get("stock", 0), field=f"{field}.stock"),
    }


def product_create(*, actor: Any, store_id: Any, data: dict[str, Any]) -> Product:
    """A product with its variants (a product without options gets one variant)."""
    store = access_store_staff(actor=actor, store_id=store_id)
    product = Product(store=store, title="")
    _product_fields(product, {"title": data.get("title"), **data})
    variants = data.get("variants") or []
    if not isinstance(variants, list) or not 1 <= len(variants) <= 100:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="옵션 조합을 1~100개 입력하세요.",
            en="Give 1 to 100 variants.",
            field="variants",
        )
    rows = [_variant_data(product, item, i) for i, item in enumerate(variants)]
    if len({r["sku"] for r in rows}) != len(rows):
        raise Problem(
            code="duplicate_sku", status=422, ko="SKU가 중복됩니다.", en="SKUs must be unique.", field="variants"
        )
    with transaction.atomic():
        product.save()
        Variant.objects.bulk_create([Variant(product=product, **row) for row in rows])
        _product_changed(product)
    return product


def product_update(*, actor: Any, product_id: Any, data: dict[str, Any]) -> Product:
    product = access_product_staff(actor=actor, product_id=product_id)
    fields = _product_fields(product, data)
    with transaction.atomic():
        product.save(update_fields=[*set(fields), "updated_at"])
        _product_changed(product)
    return product


def variant_add(*, actor: Any, product_id: Any, data: dict[str, Any]) -> Variant:
    product = access_product_staff(actor=actor, product_id=product_id)
    row = _variant_data(product, data, 0)
    if product.variants.filter(sku=row["sku"]).exists():
        raise Problem(code="duplicate_sku", status=409, ko="SKU가 중복됩니다.", en="SKUs must be unique.", field="sku")
    with transaction.atomic():
        variant = Variant.objects.create(product=product, **row)
        _product_changed(product)
    return variant


def variant_update(*, actor: Any, variant_id: Any, data: dict[str, Any]) -> Variant:
    """Change a variant's price, stock or availability. Stock is set absolutely here (a count the
    partner made); checkouts change it only by conditional decrements."""
    variant = access_variant_staff(actor=actor, variant_id=variant_id)
    fields = []
    if "price" in data:
        variant.price = price_clean(data["price"])
        fields.append("price")
    if "is_active" in data:
        variant.is_active = bool(data["is_active"])
        fields.append("is_active")
    if "stock" in data:
        stock = stock_clean(data["stock"])
        Variant.objects.filter(pk=variant.pk).update(stock=stock)
        variant.stock = stock
    if fields:
        with transaction.atomic():
            variant.save(update_fields=[*fields, "updated_at"])
            _product_changed(variant.product)
    return variant


def variant_restock(*, variant_id: int, quantity: int) -> None:
    """Put stock back (a cancelled or expired order); an atomic increment, never a read-modify-write."""
    Variant.objects.filter(pk=variant_id).update(stock=F("stock") + quantity)


def _normalised_jpeg(data: bytes) -> bytes:
    if len(data) > MAX_IMAGE_BYTES:
        raise Problem(
            code="image_too_large",
            status=413,
            ko="사진은 10MB 이하여야 합니다.",
            en="Images must be 10 MB or smaller.",
            field="image",
        )
    try:
        image = image_open_checked(data, formats={"JPEG", "PNG", "WEBP"}, draft=(IMAGE_EDGE, IMAGE_EDGE))
    except ImageRefused as exc:
        raise Problem(
            code="invalid_image",
            status=422,
            ko="JPEG, PNG, WebP 사진만 올릴 수 있습니다.",
            en="Upload a JPEG, PNG or WebP image.",
            field="image",
        ) from exc
    image.thumbnail((IMAGE_EDGE, IMAGE_EDGE))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85)
    return out.getvalue()


def product_image_add(*, actor: Any, product_id: Any, data: bytes, name: str = "product.jpg") -> ProductImage:
    """Store the photo in the uploader's Drawer (folder 상점) and show it through a Drawer share link,
    so the partner keeps their photos and can take them out like any other file."""
    from sangsaeng.drawer import services as drawer
    from sangsaeng.drawer import sharing

    product = access_product_staff(actor=actor, product_id=product_id)
    if product.images.count() >= MAX_IMAGES:
        raise Problem(
            code="too_many_images",
            status=409,
            ko=f"사진은 {MAX_IMAGES}장까지입니다.",
            en=f"At most {MAX_IMAGES} images per product.",
            field="image",
        )
    jpeg = _normalised_jpeg(data)
    stem = re.sub(r"[^\w.-]", "_", name.rsplit(".", 1)[0])[:60] or "product"
    item = drawer.file_save_from(
        owner=actor, name=f"{stem}.jpg", data=jpeg, content_type="image/jpeg", source="commerce", folder="상점"
    )
    link = sharing.share_create(actor=actor, item_id=item.public_id)
    url = reverse("drawer:share_file", args=[link.token, str(item.public_id), "original"])
    return ProductImage.objects.create(
        product=product, drawer_item_id=item.public_id, url=url, position=product.images.count()
    )


def product_image_remove(*, actor: Any, image_id: Any) -> None:
    public_id = _uuid(image_id)
    image = (
        ProductImage.objects.select_related("product__store").filter(public_id=public_id).first() if public_id else None
    )
    if image is None:
        raise not_found("image")
    channels.staff_check(actor=actor, channel_id=image.product.store.channel_id)
    image.delete()


def coupon_create(
    *,
    actor: Any,
    store_id: Any,
    code: str,
    kind: str,
    value: int,
    min_order: int = 0,
    max_uses: int | None = None,
    expires_at: datetime | None = None,
) -> Coupon:
    store = access_store_staff(actor=actor, store_id=store_id)
    code = text_clean(code, field="code", max_length=30).upper()
    if not re.match(r"^[A-Z0-9_-]+$", code):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="쿠폰 코드는 영문·숫자입니다.",
            en="A coupon code is letters and digits.",
            field="code",
        )
    if kind not in Coupon.Kind.values:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="할인 방식이 올바르지 않습니다.",
            en="Unknown coupon kind.",
            field="kind",
        )
    if kind == Coupon.Kind.PERCENT:
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 90:
            raise Problem(
                code="invalid_field",
                status=422,
                ko="할인율은 1~90%입니다.",
                en="A percentage is 1 to 90.",
                field="value",
            )
    else:
        value = price_clean(value, field="value")
    if max_uses is not None and (not isinstance(max_uses, int) or not 1 <= max_uses <= 1_000_000):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="사용 한도가 올바르지 않습니다.",
            en="The usage limit is not valid.",
            field="max_uses",
        )
    try:
        with transaction.atomic():
            return Coupon.objects.create(
                store=store,
                code=code,
                kind=kind,
                value=value,
                min_order=amount_clean(min_order, field="min_order"),
                max_uses=max_uses,
                expires_at=expires_at,
            )
    except IntegrityError as exc:
        raise Problem(
            code="duplicate_coupon",
            status=409,
            ko="같은 코드의 쿠폰이 있습니다.",
            en="A coupon with this code exists.",
            field="code",
        ) from exc


def coupon_deactivate(*, actor: Any, coupon_id: Any) -> Coupon:
    coupon_uuid = _uuid(coupon_id)
    coupon = Coupon.objects.select_related("store").filter(public_id=coupon_uuid).first() if coupon_uuid else None
    if coupon is None:
        raise not_found("coupon")
    channels.staff_check(actor=actor, channel_id=coupon.store.channel_id)
    coupon.is_active = False
    coupon.save(update_fields=["is_active", "updated_at"])
    return coupon
