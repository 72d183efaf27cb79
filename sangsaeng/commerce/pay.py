"""Money for orders, reached only through the payments app's services (the Pay ledger).

Every payment goes to the payee `channel:<channel uuid>`; the platform takes no fee. Refunds go
back the way the money came and are made on the store's authority (a staff member of its channel).
Idempotency keys are derived from the order, so a retried call can't charge or refund twice.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.apps import apps

from sangsaeng.core.errors import Problem

ONE_TAP_METHODS = ("wallet", "test")
METHODS = ("wallet", "test", "card")


def payee_ref(channel_id: UUID) -> str:
    return f"channel:{channel_id}"


def _payments() -> Any:
    if not apps.is_installed("sangsaeng.payments"):
        raise Problem(
            code="payments_unavailable",
            status=503,
            ko="결제 기능이 설치되어 있지 않습니다.",
            en="Payments are not installed.",
        )
    from sangsaeng.payments import services

    return services


def method_enabled(method: str) -> bool:
    return method in METHODS and bool(_payments().method_enabled(method))


def wallet_balance(*, user: Any) -> int | None:
    if not apps.is_installed("sangsaeng.payments") or not getattr(user, "is_authenticated", False):
        return None
    return int(_payments().wallet_balance(user=user))


def test_payments_enabled() -> bool:
    return apps.is_installed("sangsaeng.payments") and bool(_payments().method_enabled("test"))


def card_payments_enabled() -> bool:
    """Card payments through the PG are offered only when its keys are set."""
    return apps.is_installed("sangsaeng.payments") and bool(_payments().method_enabled("card"))


def charge(
    *, buyer: Any, channel_id: UUID, amount: int, method: str, order_ref: str, purpose: str, idempotency_key: str
) -> tuple[str, bool]:
    """Pay an order: (payment id, paid now?). Wallet and test payments complete here; a card payment
    stays pending until the PG's callback confirms it. A refusal (insufficient balance, a disabled
    method) raises the ledger's Problem after which no money has moved."""
    services = _payments()
    payment = services.payment_create(
        payer=buyer,
        payee_ref=payee_ref(channel_id),
        amount=amount,
        method=method,
        purpose=purpose[:200],
        order_ref=order_ref,
        idempotency_key=idempotency_key,
    )
    if method == "test" and str(payment.status) == "pending":
        payment = services.payment_confirm_test(actor=buyer, payment_id=payment.public_id)
    return str(payment.public_id), str(payment.status) == "paid"


def card_confirm(*, buyer: Any, payment_id: str, payment_key: str, amount: int) -> None:
    """The PG's success callback for a card payment; a replay is refused by the ledger and moves nothing."""
    _payments().payment_confirm_card(actor=buyer, order_id=payment_id, payment_key=payment_key, amount=amount)


def refund(*, actor: Any, payment_id: str, amount: int, reason: str, idempotency_key: str) -> None:
    _payments().refund(
        actor=actor, payment_id=payment_id, amount=amount, reason=reason[:200], idempotency_key=idempotency_key
    )


def ledger_audit() -> dict[str, Any]:
    """The ledger's own audit: every account's lines match its balance and the whole sums to zero."""
    return dict(_payments().ledger_audit())


def payee_access_setup() -> None:
    """Let a channel's staff see and refund their store's money in Pay (statements, refunds)."""
    if apps.is_installed("sangsaeng.payments"):
        from sangsaeng.commerce.channels import staff_payee_refs

        _payments().payee_access_register("channel", staff_payee_refs)
