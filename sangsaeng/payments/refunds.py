"""Refunds go back the way the money came: wallet -> wallet, card -> PG cancel, test -> test.

Partial refunds are allowed; their total can never pass what was paid (checked under the payment's
row lock, and by the CHECK constraint refunded <= amount). The PG fee on the refunded share is
returned to the payee, since the PG doesn't keep it on a cancel.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.payments import errors, toss
from sangsaeng.payments.access import is_operator, payee_refs_for
from sangsaeng.payments.ledger import entry_post, payable_account, system_account, wallet_account
from sangsaeng.payments.models import Account, Payment, Refund
from sangsaeng.payments.payment import parse_id


def access_payment_as_payee(*, actor: Any, payment_id: Any) -> Payment:
    """A payment the actor may refund: one paid to a payee ref they act for (or any, for operators)."""
    try:
        payment = Payment.objects.get(public_id=parse_id(payment_id, "payment"))
    except Payment.DoesNotExist as exc:
        raise not_found("payment") from exc
    if not is_operator(actor) and payment.payee_ref not in payee_refs_for(actor):
        raise not_found("payment")
    return payment


def _reason_check(reason: object) -> str:
    if not isinstance(reason, str) or not 1 <= len(reason.strip()) <= 200:
        raise Problem(
            code="invalid_reason",
            status=422,
            ko="환불 사유는 1~200자여야 합니다.",
            en="The reason must be 1 to 200 characters.",
            field="reason",
        )
    return reason.strip()


def _check_refundable(payment: Payment, amount: int) -> None:
    if payment.status != Payment.Status.PAID:
        raise errors.state_conflict(
            code="payment_not_paid",
            ko="결제 완료된 결제만 환불할 수 있습니다.",
            en="Only paid payments can be refunded.",
        )
    if amount > payment.amount - payment.refunded:
        raise Problem(
            code="refund_exceeds_paid",
            status=409,
            ko=f"환불 가능 금액({payment.amount - payment.refunded:,}원)을 넘습니다.",
            en=f"The refund exceeds the refundable amount ({payment.amount - payment.refunded} won).",
            field="amount",
            extra={"refundable": payment.amount - payment.refunded},
        )


def _destination(payment: Payment) -> Account:
    if payment.method == Payment.Method.WALLET:
        return wallet_account(payment.payer)
    if payment.method == Payment.Method.CARD:
        return system_account(Account.Kind.PG)
    return system_account(Account.Kind.TEST)


def _same(refund: Refund, amount: int, reason: str) -> Refund:
    if refund.amount != amount or refund.reason != reason:
        raise errors.idempotency_conflict()
    return refund


def refund(*, actor: Any, payment_id: Any, amount: int, reason: str, idempotency_key: str) -> Refund:
    """Refund `amount` won of a paid payment to where it came from; the payee's payable pays it.

    `actor` must act for the payee (see `payee_refs_for`) or be an operator. Replaying the key
    returns the first refund and moves nothing; exceeding the refundable total moves nothing.
    """
    amount = errors.amount_check(amount)
    reason = _reason_check(reason)
    key = errors.key_check(idempotency_key)
    payment = access_payment_as_payee(actor=actor, payment_id=payment_id)
    existing = Refund.objects.filter(payment=payment, idempotency_key=key).first()
    if existing is not None:
        return _same(existing, amount, reason)
    if payment.method != Payment.Method.CARD:
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            existing = Refund.objects.filter(payment=locked, idempotency_key=key).first()
            if existing is not None:
                return _same(existing, amount, reason)
            _check_refundable(locked, amount)
            Payment.objects.filter(pk=payment.pk).update(refunded=F("refunded") + amount)
            return _book(locked, amount=amount, reason=reason, key=key, refunded_before=locked.refunded)
    return _refund_card(payment, amount=amount, reason=reason, key=key)


def _refund_card(payment: Payment, *, amount: int, reason: str, key: str) -> Refund:
    """The PG cancel is a network call, so it runs outside any transaction (it must not hold the
    ledger's write lock). The amount is reserved on the payment first, under its row lock, so two
    concurrent refunds can't both cancel more than was paid; a failed cancel gives it back. Toss
    honours the Idempotency-Key, so a retry of this refund can't cancel twice."""
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        _check_refundable(locked, amount)
        refunded_before = locked.refunded
        Payment.objects.filter(pk=payment.pk).update(refunded=F("refunded") + amount)

    def release() -> None:
        Payment.objects.filter(pk=payment.pk).update(refunded=F("refunded") - amount)

    try:
        toss.cancel(
            payment_key=payment.pg_payment_key,
            amount=amount,
            reason=reason,
            idempotency_key=f"refund-{payment.public_id}-{key}"[:300],
        )
        with transaction.atomic():
            locked = Payment.objects.select_for_update().get(pk=payment.pk)
            existing = Refund.objects.filter(payment=locked, idempotency_key=key).first()
            if existing is not None:  # the same refund, sent twice at once: booked by the other
                release()
                return _same(existing, amount, reason)
            return _book(locked, amount=amount, reason=reason, key=key, refunded_before=refunded_before)
    except BaseException:
        release()
        raise


def _book(payment: Payment, *, amount: int, reason: str, key: str, refunded_before: int) -> Refund:
    """The refund's entry: payable -> refunds -> where the money came from, and the PG fee share back."""
    fee_back = payment.pg_fee * (refunded_before + amount) // payment.amount - (
        payment.pg_fee * refunded_before // payment.amount
    )
    payable = payable_account(payment.payee_ref)
    refunds = system_account(Account.Kind.REFUNDS)
    lines = [(payable, -amount), (refunds, amount), (refunds, -amount), (_destination(payment), amount)]
    if fee_back:
        lines += [(system_account(Account.Kind.PG_FEES), -fee_back), (payable, fee_back)]
    entry, _ = entry_post(
        key=f"refund:{payment.public_id}:{key}", kind="refund", lines=lines, memo=f"{payment.purpose} · {reason}"
    )
    return Refund.objects.create(
        payment=payment, amount=amount, pg_fee_returned=fee_back, reason=reason, idempotency_key=key, entry=entry
    )
