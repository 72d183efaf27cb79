"""Buyer pages: storefront, product, cart, one-tap checkout, my orders."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.commerce import selectors, services
from sangsaeng.commerce.models import Order, ReturnRequest
from sangsaeng.core.errors import Problem


def _say(request: HttpRequest, problem: Problem) -> None:
    lang = get_language() or "ko"
    messages.error(request, problem.en if lang.startswith("en") else problem.ko)


def _store(handle: str) -> Any:
    store = selectors.store_for_handle(handle=handle[:60])
    if store is None:
        raise Http404
    return store


def storefront(request: HttpRequest, handle: str) -> HttpResponse:
    store = _store(handle)
    category = request.GET.get("category", "")[:36]
    return render(
        request,
        "commerce/storefront.html",
        {
            "store": store,
            "products": selectors.storefront_products(store=store, category=category),
            "categories": store.categories.all(),
            "category": category,
            "is_staff": store.channel_id in {c.id for c in services.staff_channels(user=request.user)},
        },
    )


def product(request: HttpRequest, handle: str, product_id: UUID) -> HttpResponse:
    store = _store(handle)
    item = selectors.product_public(store=store, product_id=product_id)
    if item is None:
        raise Http404
    if not request.session.session_key:
        request.session.save()
    services.product_view_record(product=item, user=request.user, session_key=request.session.session_key)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        try:
            services.cart_add(
                user=request.user,
                variant_id=request.POST.get("variant", ""),
                quantity=_int(request.POST.get("quantity")),
                session_key=request.session.session_key,
            )
        except Problem as problem:
            _say(request, problem)
        else:
            if request.POST.get("buy_now"):
                return redirect("commerce:checkout", store.handle)
            messages.success(request, _("장바구니에 담았습니다."))
            return redirect("commerce:product", store.handle, item.public_id)
    return render(
        request,
        "commerce/product.html",
        {
            "store": store,
            "product": item,
            "variants": [v for v in item.variants.all() if v.is_active],
            **selectors.product_reviews(product=item),
        },
    )


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


@login_required
def cart(request: HttpRequest) -> HttpResponse:
    carts = selectors.carts_for(user=request.user)
    rows = []
    for c in carts:
        lines = list(c.lines.all())
        rows.append(
            {
                "cart": c,
                "lines": lines,
                "subtotal": sum(line.variant.price * line.quantity for line in lines),
                "stale": any(line.unit_price_seen != line.variant.price for line in lines),
            }
        )
    return render(request, "commerce/cart.html", {"carts": rows})


@login_required
@require_POST
def cart_line(request: HttpRequest, line_id: UUID) -> HttpResponse:
    try:
        if request.POST.get("remove"):
            services.cart_line_remove(actor=request.user, line_id=line_id)
        else:
            services.cart_line_update(actor=request.user, line_id=line_id, quantity=_int(request.POST.get("quantity")))
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        _say(request, problem)
    return redirect("commerce:cart")


@login_required
def checkout(request: HttpRequest, handle: str) -> HttpResponse:
    from sangsaeng.accounts.selectors import address_get_default

    store = _store(handle)
    coupon = request.POST.get("coupon_code", request.GET.get("coupon", ""))[:30].strip() or None
    buyer: Any = request.user
    address = address_get_default(user=buyer)
    quote, quote_problem = None, None
    try:
        quote = services.checkout_quote(buyer=request.user, store=store, coupon_code=coupon)
    except Problem as problem:
        quote_problem = problem
    if request.method == "POST" and quote is not None:
        key = request.POST.get("checkout_key", "")[:100] or str(uuid.uuid4())
        try:
            age_proof = _age_proof(request, store) if any(v.product.age_restricted for v, _q in quote.lines) else None
            order = services.checkout(
                buyer=request.user,
                store=store,
                idempotency_key=f"web:{key}",
                payment_method=request.POST.get("payment_method", "wallet"),
                coupon_code=coupon,
                expected_total=_int(request.POST.get("expected_total")),
                age_proof=age_proof,
                session_key=request.session.session_key,
            )
        except Problem as problem:
            _say(request, problem)
            return redirect(f"{request.path}?coupon={coupon or ''}")
        if order.status == Order.Status.PLACED and order.payment_id:
            return redirect(_card_checkout_url(order))  # the card is entered at the PG, then back here
        messages.success(request, _("결제가 완료되었습니다."))
        return redirect("commerce:order", order.public_id)
    if quote_problem is not None and quote_problem.code == "cart_stale":
        messages.warning(request, _("가격이나 재고가 바뀌었습니다. 장바구니를 확인하세요."))
        return redirect("commerce:cart")
    return render(
        request,
        "commerce/checkout.html",
        {
            "store": store,
            "quote": quote,
            "problem": quote_problem,
            "address": address,
            "coupon": coupon or "",
            "checkout_key": uuid.uuid4(),
            "age_restricted": quote and any(v.product.age_restricted for v, _q in quote.lines),
            "balance": services.wallet_balance(user=request.user),
            "test_mode": services.test_payments_enabled(),
            "card_enabled": services.card_payments_enabled(),
        },
    )


def _card_checkout_url(order: Order) -> str:
    """Pay's card page for the order's pending payment; the PG sends the buyer back to the order."""
    back = reverse("commerce:order", args=[order.public_id])
    return f"{reverse('payments:checkout', args=[order.payment_id])}?{urlencode({'next': back})}"


def _age_proof(request: HttpRequest, store: Any) -> dict[str, str] | None:
    """The buyer's hosted ID wallet presents is_over_19 (and nothing else) to this store."""
    if not request.POST.get("prove_age"):
        return None
    from sangsaeng.identity import services as identity

    challenge = services.age_challenge(store=store)
    presentation = identity.presentation_create(
        actor=request.user, disclose=["is_over_19"], nonce=challenge["nonce"], audience=challenge["audience"]
    )
    return {"nonce": challenge["nonce"], "presentation": presentation}


@login_required
def orders(request: HttpRequest) -> HttpResponse:
    return render(request, "commerce/orders.html", {"orders": selectors.orders_for_buyer(user=request.user)[:100]})


def _order(request: HttpRequest, order_id: UUID) -> Order:
    try:
        return services.access_order(actor=request.user, order_id=order_id)
    except Problem as problem:
        raise Http404 from problem


@login_required
def order(request: HttpRequest, order_id: UUID) -> HttpResponse:
    item = _order(request, order_id)
    return render(
        request,
        "commerce/order.html",
        {
            "order": item,
            "lines": item.lines.select_related("product").all(),
            "returns": item.returns.all(),
            "reasons": ReturnRequest.Reason.choices,
            "can_cancel": item.status in ("paid", "preparing"),
            "can_return": item.status in ("shipped", "delivered", "confirmed"),
            "can_review": item.status in ("delivered", "confirmed"),
            "card_pay_url": _card_checkout_url(item) if item.status == "placed" and item.payment_id else "",
        },
    )


@login_required
@require_POST
def order_action(request: HttpRequest, order_id: UUID) -> HttpResponse:
    item = _order(request, order_id)
    action = request.POST.get("action", "")
    try:
        if action == "cancel":
            services.order_cancel(actor=request.user, order_id=item.public_id, reason=request.POST.get("reason", ""))
            messages.success(request, _("주문을 취소했습니다. 결제 금액은 환불됩니다."))
        elif action == "confirm":
            services.order_confirm(actor=request.user, order_id=item.public_id)
            messages.success(request, _("구매를 확정했습니다."))
        elif action == "return":
            amount = _int(request.POST.get("amount")) if request.POST.get("amount") else None
            services.return_request(
                actor=request.user,
                order_id=item.public_id,
                reason=request.POST.get("reason", ""),
                detail=request.POST.get("detail", ""),
                amount=amount,
            )
            messages.success(request, _("반품·환불을 요청했습니다."))
        elif action == "review":
            services.review_create(
                actor=request.user,
                line_id=request.POST.get("line", ""),
                rating=_int(request.POST.get("rating")),
                body=request.POST.get("body", ""),
            )
            messages.success(request, _("리뷰를 남겼습니다. 고맙습니다."))
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        _say(request, problem)
    return redirect("commerce:order", item.public_id)
