"""The refusals Pay gives, each with a stable code clients may switch on."""

from __future__ import annotations

from sangsaeng.core.errors import Problem
from sangsaeng.payments.models import MAX_AMOUNT


def insufficient_funds(*, balance: int | None = None, amount: int | None = None) -> Problem:
    return Problem(
        code="insufficient_funds",
        status=409,
        ko="지갑 잔액이 부족합니다.",
        en="The wallet balance is too low for this payment.",
        field="amount",
        extra={k: v for k, v in {"balance": balance, "amount": amount}.items() if v is not None},
    )


def idempotency_conflict() -> Problem:
    return Problem(
        code="idempotency_conflict",
        status=409,
        ko="같은 멱등 키가 다른 내용의 요청에 이미 쓰였습니다.",
        en="This idempotency key was already used with different parameters.",
        field="idempotency_key",
    )


def invalid_amount(field: str = "amount") -> Problem:
    return Problem(
        code="invalid_amount",
        status=422,
        ko=f"금액은 1원 이상 {MAX_AMOUNT:,}원 이하의 정수여야 합니다.",
        en=f"The amount must be a whole number of won from 1 to {MAX_AMOUNT:,}.",
        field=field,
    )


def amount_check(amount: object, field: str = "amount") -> int:
    """Refuse zero, negative, fractional and absurd (> 100억 원) amounts before anything moves."""
    if isinstance(amount, bool) or not isinstance(amount, int) or not 1 <= amount <= MAX_AMOUNT:
        raise invalid_amount(field)
    return amount


def invalid_ref(field: str) -> Problem:
    return Problem(
        code="invalid_payee_ref",
        status=422,
        ko="받는 쪽 참조는 'channel:<uuid>'나 'user:<uuid>' 같은 형식이어야 합니다.",
        en="A payee ref looks like 'channel:<uuid>' or 'user:<uuid>'.",
        field=field,
    )


def invalid_key() -> Problem:
    return Problem(
        code="invalid_idempotency_key",
        status=422,
        ko="멱등 키는 1~200자여야 합니다.",
        en="The idempotency key must be 1 to 200 characters.",
        field="idempotency_key",
    )


def key_check(key: object) -> str:
    if not isinstance(key, str) or not 1 <= len(key) <= 200 or not key.isprintable():
        raise invalid_key()
    return key


def ref_check(ref: object, field: str = "payee_ref") -> str:
    if not isinstance(ref, str) or not 3 <= len(ref) <= 120 or ":" not in ref or not ref.isprintable():
        raise invalid_ref(field)
    prefix, _, rest = ref.partition(":")
    if not prefix.isidentifier() or not rest or any(c.isspace() for c in ref):
        raise invalid_ref(field)
    return ref


def state_conflict(*, code: str, ko: str, en: str) -> Problem:
    return Problem(code=code, status=409, ko=ko, en=en)


def method_disabled(method: str) -> Problem:
    return Problem(
        code="payment_method_disabled",
        status=422,
        ko="이 결제 수단은 이 서버에서 사용할 수 없습니다.",
        en=f"The payment method '{method}' is not enabled on this server.",
        field="method",
    )
