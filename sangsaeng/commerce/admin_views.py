"""Partner store admin pages: open a store, products with photos and variants, coupons, the order inbox."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.commerce import selectors, services
from sangsaeng.commerce.models import Coupon, Order, Product, Store
from sangsaeng.commerce.views import _int, _say
from sangsaeng.core.errors import Problem


def _staff_store(request: HttpRequest, store_id: UUID) -> Store:
    try:
        return services.access_store_staff(actor=request.user, store_id=store_id)
    except Problem as problem:
        raise Http404 from problem


def _settlements_url(store: Store) -> str | None:
    try:
        return reverse("payments:settlements")
    except NoReverseMatch:
        return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    channels = services.staff_channels(user=request.user)
    stores = {s.channel_id: s for s in selectors.stores_for_channels(channel_ids=[c.id for c in channels])}
    rows: list[dict[str, Any]] = [{"channel": c, "store": stores.get(c.id)} for c in channels]
    if len(rows) == 1 and rows[0]["store"] is not None:
        return redirect("commerce:admin_products", rows[0]["store"].public_id)
    return render(request, "commerce/admin/home.html", {"rows": rows})


@login_required
@require_POST
def store_open(request: HttpRequest) -> HttpResponse:
    try:
        store = services.store_open(actor=request.user, channel_id=request.POST.get("channel_id", ""))
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        _say(request, problem)
        return redirect("commerce:admin_home")
    messages.success(request, _("상점을 열었습니다. 입점비도, 판매 수수료도 없습니다."))
    return redirect("commerce:admin_products", store.public_id)


def _product_data(post: Any) -> dict[str, Any]:
    return {
        "title": post.get("title", ""),
        "description": post.get("description", ""),
        "status": post.get("status", "draft"),
        "shipping_rule": post.get("shipping_rule", "free"),
        "shipping_fee": _int(post.get("shipping_fee") or 0),
        "free_over": _int(post.get("free_over") or 0),
        "age_restricted": bool(post.get("age_restricted")),
        "authenticity_enabled": bool(post.get("authenticity_enabled")),
        "category_id": post.get("category_id") or None,
        "authenticity_brand": post.get("authenticity_brand", ""),
    }


@login_required
def products(request: HttpRequest, store_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    if request.method == "POST":
        try:
            if request.POST.get("category"):
                services.category_create(actor=request.user, store_id=store.public_id, name=request.POST["category"])
                return redirect("commerce:admin_products", store.public_id)
            data = _product_data(request.POST)
            data["variants"] = [
                {
                    "sku": request.POST.get("sku", ""),
                    "option_values": {},
                    "price": _int(request.POST.get("price")),
                    "stock": _int(request.POST.get("stock")),
                }
            ]
            item = services.product_create(actor=request.user, store_id=store.public_id, data=data)
            image = request.FILES.get("image")
            if image:
                services.product_image_add(
                    actor=request.user,
                    product_id=item.public_id,
                    data=image.read(services.MAX_IMAGE_BYTES + 1),
                    name=image.name or "",
                )
        except Problem as problem:
            _say(request, problem)
        else:
            messages.success(request, _("상품을 등록했습니다."))
            return redirect("commerce:admin_product", store.public_id, item.public_id)
    return render(
        request,
        "commerce/admin/products.html",
        {
            "store": store,
            "products": selectors.products_for_staff(store=store),
            "tab": "products",
            "categories": store.categories.all(),
            "statuses": Product.Status.choices,
            "shipping": Product.Shipping.choices,
            "sales": selectors.store_sales(store=store),
            "settlements_url": _settlements_url(store),
        },
    )


@login_required
def product(request: HttpRequest, store_id: UUID, product_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    try:
        item = services.access_product_staff(actor=request.user, product_id=product_id)
    except Problem as problem:
        raise Http404 from problem
    if item.store_id != store.pk:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "save":
                services.product_update(actor=request.user, product_id=item.public_id, data=_product_data(request.POST))
            elif action == "image" and request.FILES.get("image"):
                image: Any = request.FILES["image"]
                services.product_image_add(
                    actor=request.user,
                    product_id=item.public_id,
                    data=image.read(services.MAX_IMAGE_BYTES + 1),
                    name=image.name or "",
                )
            elif action == "image_remove":
                services.product_image_remove(actor=request.user, image_id=request.POST.get("image_id", ""))
            elif action == "variant":
                services.variant_update(
                    actor=request.user,
                    variant_id=request.POST.get("variant_id", ""),
                    data={
                        "price": _int(request.POST.get("price")),
                        "stock": _int(request.POST.get("stock")),
                        "is_active": bool(request.POST.get("is_active")),
                    },
                )
            elif action == "variant_add":
                services.variant_add(
                    actor=request.user,
                    product_id=item.public_id,
                    data={
                        "sku": request.POST.get("sku", ""),
                        "option_values": {},
                        "price": _int(request.POST.get("price")),
                        "stock": _int(request.POST.get("stock")),
                    },
                )
        except Problem as problem:
            _say(request, problem)
        else:
            messages.success(request, _("저장했습니다."))
        return redirect("commerce:admin_product", store.public_id, item.public_id)
    return render(
        request,
        "commerce/admin/product.html",
        {
            "store": store,
            "product": item,
            "tab": "products",
            "categories": store.categories.all(),
            "statuses": Product.Status.choices,
            "shipping": Product.Shipping.choices,
        },
    )


@login_required
def coupons(request: HttpRequest, store_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    if request.method == "POST":
        try:
            if request.POST.get("deactivate"):
                services.coupon_deactivate(actor=request.user, coupon_id=request.POST["deactivate"])
            else:
                max_uses = _int(request.POST.get("max_uses")) if request.POST.get("max_uses") else None
                services.coupon_create(
                    actor=request.user,
                    store_id=store.public_id,
                    code=request.POST.get("code", ""),
                    kind=request.POST.get("kind", ""),
                    value=_int(request.POST.get("value")),
                    min_order=_int(request.POST.get("min_order") or 0),
                    max_uses=max_uses,
                )
        except Problem as problem:
            _say(request, problem)
        else:
            messages.success(request, _("쿠폰을 저장했습니다."))
        return redirect("commerce:admin_coupons", store.public_id)
    return render(
        request,
        "commerce/admin/coupons.html",
        {
            "store": store,
            "coupons": selectors.coupons_for_store(store=store),
            "kinds": Coupon.Kind.choices,
            "tab": "coupons",
        },
    )


@login_required
def orders(request: HttpRequest, store_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "prepare":
                results = services.orders_bulk_prepare(
                    actor=request.user, store_id=store.public_id, order_ids=request.POST.getlist("order")
                )
                done = sum(1 for r in results.values() if r == "preparing")
                messages.success(request, _("%(n)d건을 상품 준비 중으로 바꿨습니다.") % {"n": done})
            elif request.POST.get("action") == "ship_csv":
                upload = request.FILES.get("csv")
                text = (
                    upload.read(1_000_001).decode("utf-8", errors="replace")
                    if upload
                    else request.POST.get("csv_text", "")
                )
                rows = services.orders_bulk_ship_csv(actor=request.user, store_id=store.public_id, text=text)
                shipped = sum(1 for r in rows if r["result"] == "shipped")
                failed = [f"{r['order_number']}: {r['result']}" for r in rows if r["result"] != "shipped"]
                messages.success(request, _("%(n)d건을 발송 처리했습니다.") % {"n": shipped})
                if failed:
                    messages.error(request, _("처리하지 못한 행: %(rows)s") % {"rows": ", ".join(failed[:20])})
        except Problem as problem:
            _say(request, problem)
        return redirect("commerce:admin_orders", store.public_id)
    status = request.GET.get("status", "")[:10]
    return render(
        request,
        "commerce/admin/orders.html",
        {
            "store": store,
            "orders": selectors.orders_for_store(store=store, status=status)[:300],
            "status": status,
            "statuses": [s for s in Order.Status.choices if s[0] != "expired"],
            "tab": "orders",
            "settlements_url": _settlements_url(store),
            "sales": selectors.store_sales(store=store),
        },
    )


@login_required
def orders_csv(request: HttpRequest, store_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    text = services.orders_csv(actor=request.user, store_id=store.public_id)
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="orders-{store.handle}.csv"'
    return response


@login_required
def order(request: HttpRequest, store_id: UUID, order_id: UUID) -> HttpResponse:
    store = _staff_store(request, store_id)
    try:
        item = services.access_order_staff(actor=request.user, order_id=order_id)
    except Problem as problem:
        raise Http404 from problem
    if item.store_id != store.pk:
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "prepare":
                services.order_prepare(actor=request.user, order_id=item.public_id)
            elif action == "ship":
                services.order_ship(
                    actor=request.user,
                    order_id=item.public_id,
                    courier=request.POST.get("courier", ""),
                    tracking_number=request.POST.get("tracking_number", ""),
                    serials={
                        key.removeprefix("serials-"): [
                            v.strip() for v in str(request.POST.get(key, "")).split(",") if v.strip()
                        ]
                        for key in request.POST
                        if key.startswith("serials-") and str(request.POST.get(key, "")).strip()
                    },
                )
            elif action == "deliver":
                services.order_deliver(actor=request.user, order_id=item.public_id)
            elif action == "cancel":
                services.order_cancel(
                    actor=request.user, order_id=item.public_id, reason=request.POST.get("reason", ""), as_staff=True
                )
            elif action == "refund":
                services.order_refund_partial(
                    actor=request.user,
                    order_id=item.public_id,
                    amount=_int(request.POST.get("amount")),
                    reason=request.POST.get("reason", ""),
                    key=request.POST.get("refund_key", "")[:100],
                )
            elif action in ("approve", "reject"):
                services.return_decide(
                    actor=request.user,
                    return_id=request.POST.get("return_id", ""),
                    approve=action == "approve",
                    note=request.POST.get("note", ""),
                )
        except Problem as problem:
            _say(request, problem)
        else:
            messages.success(request, _("주문을 처리했습니다."))
        return redirect("commerce:admin_order", store.public_id, item.public_id)
    import uuid

    return render(
        request,
        "commerce/admin/order.html",
        {
            "store": store,
            "order": item,
            "lines": item.lines.all(),
            "returns": item.returns.all(),
            "tab": "orders",
            "couriers": services.COURIERS,
            "refund_key": uuid.uuid4(),
        },
    )
