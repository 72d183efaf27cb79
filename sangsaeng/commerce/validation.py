"""Checks on the numbers and words a store or buyer sends; each refusal is a Problem with a field."""

from __future__ import annotations

import re
from typing import Any

from sangsaeng.commerce.models import MAX_PRICE
from sangsaeng.core.errors import Problem

MAX_QUANTITY = 99
MAX_STOCK = 1_000_000
POSTCODE = re.compile(r"^\d{5}$")
PHONE = re.compile(r"^0\d{1,2}-?\d{3,4}-?\d{4}$")


def _bounded(value: Any, low: int, high: int, *, code: str, field: str, ko: str, en: str) -> int:
    """An integer (not a bool) from low to high, or a 422 Problem on `field`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Problem(code=code, status=422, ko=ko, en=en, field=field)
    return value


def price_clean(value: Any, *, field: str = "price") -> int:
    """0 < price <= 100,000,000 won, an integer: KRW has no minor unit."""
    return _bounded(
        value,
        1,
        MAX_PRICE,
        code="invalid_price",
        field=field,
        ko=f"가격은 1원 이상 {MAX_PRICE:,}원 이하의 정수여야 합니다.",
        en=f"The price must be a whole number of won from 1 to {MAX_PRICE:,}.",
    )


def amount_clean(value: Any, *, field: str, maximum: int = MAX_PRICE) -> int:
    return _bounded(
        value,
        0,
        maximum,
        code="invalid_amount",
        field=field,
        ko=f"금액은 0원 이상 {maximum:,}원 이하의 정수여야 합니다.",
        en=f"The amount must be a whole number of won from 0 to {maximum:,}.",
    )


def quantity_clean(value: Any, *, field: str = "quantity") -> int:
    return _bounded(
        value,
        1,
        MAX_QUANTITY,
        code="invalid_quantity",
        field=field,
        ko=f"수량은 1개 이상 {MAX_QUANTITY}개 이하여야 합니다.",
        en=f"The quantity must be from 1 to {MAX_QUANTITY}.",
    )


def stock_clean(value: Any, *, field: str = "stock") -> int:
    return _bounded(
        value,
        0,
        MAX_STOCK,
        code="invalid_stock",
        field=field,
        ko=f"재고는 0개 이상 {MAX_STOCK:,}개 이하여야 합니다.",
        en=f"Stock must be from 0 to {MAX_STOCK:,}.",
    )


def text_clean(value: Any, *, field: str, max_length: int, required: bool = True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if (required and not text) or len(text) > max_length or "\x00" in text:
        raise Problem(
            code="invalid_field",
            status=422,
            ko=f"{max_length}자 이내로 입력하세요.",
            en=f"Enter up to {max_length} characters.",
            field=field,
        )
    return text


def address_snapshot(address: dict[str, Any]) -> dict[str, str]:
    """The shipping address frozen on the order; a postcode that isn't 5 digits can't be shipped to."""
    zone = str(address.get("zone_number", "")).strip()
    if not POSTCODE.match(zone):
        raise Problem(
            code="invalid_address",
            status=422,
            ko="배송지의 우편번호는 숫자 5자리여야 합니다.",
            en="The shipping address needs a 5-digit postcode (우편번호).",
            field="address.zone_number",
        )
    base = str(address.get("base_address", "")).strip()
    receiver = str(address.get("receiver_name", "")).strip()
    phone = str(address.get("receiver_phone_number1", "")).strip()
    if not base or len(base) > 200:
        raise Problem(
            code="invalid_address",
            status=422,
            ko="기본 주소가 없습니다.",
            en="The address has no street address.",
            field="address.base_address",
        )
    if not receiver or not PHONE.match(phone):
        raise Problem(
            code="invalid_address",
            status=422,
            ko="받는 분 이름과 연락처(예: 010-1234-5678)가 필요합니다.",
            en="The receiver's name and a phone number (e.g. 010-1234-5678) are required.",
            field="address.receiver_phone_number1",
        )
    return {
        "zone_number": zone,
        "base_address": base,
        "detail_address": str(address.get("detail_address", "")).strip()[:200],
        "receiver_name": receiver[:30],
        "receiver_phone_number1": phone,
    }
