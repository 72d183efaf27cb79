"""Reviews from verified buyers only: one per order line, once the order has been delivered."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction

from sangsaeng.commerce.models import Order, OrderLine, Review
from sangsaeng.commerce.validation import text_clean
from sangsaeng.core.errors import Problem, not_found


def review_create(*, actor: Any, line_id: Any, rating: Any, body: str = "") -> Review:
    try:
        public_id = line_id if isinstance(line_id, UUID) else UUID(str(line_id))
    except ValueError:
        public_id = None
    line = (
        OrderLine.objects.select_related("order", "product").filter(public_id=public_id, order__buyer=actor).first()
        if public_id and getattr(actor, "is_authenticated", False)
        else None
    )
    if line is None:
        raise not_found("order line")
    if line.order.status not in (Order.Status.DELIVERED, Order.Status.CONFIRMED):
        raise Problem(
            code="review_not_allowed",
            status=409,
            ko="배송 완료된 주문만 리뷰할 수 있습니다.",
            en="Only delivered orders can be reviewed.",
        )
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise Problem(
            code="invalid_field", status=422, ko="별점은 1~5점입니다.", en="A rating is 1 to 5.", field="rating"
        )
    body = text_clean(body, field="body", max_length=2000, required=False)
    try:
        with transaction.atomic():
            return Review.objects.create(line=line, product=line.product, author=actor, rating=rating, body=body)
    except IntegrityError as exc:
        raise Problem(
            code="review_exists",
            status=409,
            ko="이미 리뷰를 남긴 상품입니다.",
            en="You have already reviewed this item.",
        ) from exc
