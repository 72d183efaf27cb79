"""The one place drops reaches Pay (the `payments` app's services). Money is KRW in integer won.

Every call names an idempotency key derived from the drops event that causes it, so a retried
purchase or bid never moves money twice. Each call runs inside the caller's transaction: Pay and
drops share the database, so a purchase that fails after the debit rolls the debit back too.
"""

from __future__ import annotations

from typing import Any

from sangsaeng.payments import selectors as payment_selectors
from sangsaeng.payments import services as payments


def user_ref(user: Any) -> str:
    """Pay's payee reference for a person (creators and sellers)."""
    return f"user:{user.public_id}"


def balance(*, user: Any) -> int:
    return int(payments.wallet_balance(user=user))


def payable(*, user: Any) -> int:
    """What Pay owes a payee (creator or seller): primary sales, captured bids, resale proceeds, royalties."""
    return int(payment_selectors.payable_balance(payee_ref=user_ref(user)))


def charge(*, payer: Any, payee: Any, amount: int, purpose: str, order_ref: str, idempotency_key: str) -> str:
    """Debit the payer's wallet and credit the payee; `insufficient_funds` (409) moves nothing."""
    payment = payments.payment_create(
        payer=payer,
        payee_ref=user_ref(payee),
        amount=amount,
        method="wallet",
        purpose=purpose,
        order_ref=order_ref,
        idempotency_key=idempotency_key,
    )
    return str(payment.public_id)


def royalty(*, seller: Any, creator: Any, amount: int, memo: str, idempotency_key: str) -> None:
    """Move the creator's royalty out of the seller's proceeds (the seller's payable) to the creator."""
    payments.transfer(
        payee_ref=user_ref(creator),
        amount=amount,
        memo=memo,
        idempotency_key=idempotency_key,
        from_ref=user_ref(seller),
    )


def topup_test(*, user: Any, amount: int, idempotency_key: str) -> None:
    """Play money for demos and tests (Pay refuses it outside PAYMENTS_TEST_MODE)."""
    payments.wallet_topup_test(user=user, amount=amount, idempotency_key=idempotency_key)


def ledger_audit() -> dict[str, Any]:
    return dict(payments.ledger_audit())


def hold(*, user: Any, amount: int, ref: str, idempotency_key: str) -> str:
    held = payments.hold_place(user=user, amount=amount, ref=ref, idempotency_key=idempotency_key)
    return str(held.public_id)


def hold_capture(*, hold_id: str, payee: Any, idempotency_key: str) -> None:
    payments.hold_capture(hold_id=hold_id, payee_ref=user_ref(payee), idempotency_key=idempotency_key)


def hold_release(*, hold_id: str) -> None:
    payments.hold_release(hold_id=hold_id)
