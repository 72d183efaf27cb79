"""Paying: a payer pays a payee through the wallet (at once), a card (Toss) or the test method.

A successful payment books payer -> clearing -> payee payable in one entry, keyed by the payment, so
no replay or race can book it twice. A card's PG fee is passed through at cost to the payee.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit
from sangsaeng.payments import errors, toss
from sangsaeng.payments.ledger import entry_post, payable_account, system_account, wallet_account
from sangsaeng.payments.models import Account, Payment

METHODS = {m.value for m in Payment.Method}
PAYMENT_PAID = "payments.payment_paid"  # payload: payment_id, payer_id, payee_ref, order_ref, amount, method


def method_enabled(method: str) -> bool:
    if method == Payment.Method.WALLET:
        return True
    if method == Payment.Method.TEST:
        return bool(settings.PAYMENTS_TEST_MODE)
    if method == Payment.Method.CARD:
        return toss.enabled()
    return False


def pg_fee_for(amount: int) -> int:
    """The PG's fee at cost (PAYMENTS_PG_FEE_BPS basis points, rounded down)."""
    return amount * int(settings.PAYMENTS_PG_FEE_BPS) // 10_000


def parse_id(value: Any, thing: str) -> uuid.UUID:
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError as exc:
        raise not_found(thing) from exc


def access_payment(*, actor: Any, payment_id: Any) -> Payment:
    """The actor's own payment (as payer), or 404 for missing and not-yours alike."""
    try:
        return Payment.objects.get(public_id=parse_id(payment_id, "payment"), payer_id=getattr(actor, "pk", None))
    except Payment.DoesNotExist as exc:
        raise not_found("payment") from exc


def _purpose_check(purpose: object) -> str:
    if not isinstance(purpose, str) or not 1 <= len(purpose.strip()) <= 200:
        raise Problem(
            code="invalid_purpose",
            status=422,
            ko="결제 내용은 1~200자여야 합니다.",
            en="The purpose must be 1 to 200 characters.",
            field="purpose",
        )
    return purpose.strip()


def _same(payment: Payment, **params: Any) -> Payment:
    for name, value in params.items():
        if getattr(payment, name) != value:
            raise errors.idempotency_conflict()
    return payment


def _capture_lines(payment: Payment, source: Account) -> list[tuple[Account, int]]:
    amount = payment.amount
    clearing = system_account(Account.Kind.CLEARING)
    payable = payable_account(payment.payee_ref)
    lines = [(source, -amount), (clearing, amount), (clearing, -amount), (payable, amount)]
    if payment.pg_fee:
        lines += [(payable, -payment.pg_fee), (system_account(Account.Kind.PG_FEES), payment.pg_fee)]
    return lines


def _paid(payment: Payment) -> None:
    """Announce, in the capture's own transaction, that the money arrived: whoever the payment was
    for (a store order, a drop) learns it however the payment was confirmed (the PG's redirect to
    Pay's page, the API, a retry after a crash), and exactly when the ledger has it."""
    event_emit(
        name=PAYMENT_PAID,
        payload={
            "payment_id": str(payment.public_id),
            "payer_id": str(payment.payer.public_id),
            "payee_ref": payment.payee_ref,
            "order_ref": payment.order_ref,
            "amount": payment.amount,
            "method": payment.method,
        },
    )


def _capture(payment: Payment, source: Account) -> None:
    entry_post(
        key=f"payment:{payment.public_id}:capture",
        kind="payment",
        lines=_capture_lines(payment, source),
        memo=payment.purpose,
    )
    payment.status = Payment.Status.PAID
    payment.paid_at = timezone.now()
    payment.save(update_fields=["status", "paid_at", "pg_fee", "pg_payment_key", "pg_method", "updated_at"])
    _paid(payment)


def payment_create(
    *,
    payer: Any,
    payee_ref: str,
    amount: int,
    method: str,
    purpose: str,
    order_ref: str = "",
    idempotency_key: str,
) -> Payment:
    """Start (or, for the wallet, complete) a payment of `amount` won from `payer` to `payee_ref`.

    wallet: one atomic debit; `insufficient_funds` (409) moves nothing. card/test: a pending payment
    that `payment_confirm_card` / `payment_confirm_test` completes. Replaying the same key returns
    the same payment; the same key with other parameters is `idempotency_conflict`.
    """
    amount = errors.amount_check(amount)
    payee_ref = errors.ref_check(payee_ref)
    key = errors.key_check(idempotency_key)
    purpose = _purpose_check(purpose)
    if method not in METHODS:
        raise Problem(
            code="invalid_method",
            status=422,
            ko="알 수 없는 결제 수단입니다.",
            en="Unknown payment method.",
            field="method",
        )
    if not isinstance(order_ref, str) or len(order_ref) > 120:
        raise Problem(
            code="invalid_order_ref",
            status=422,
            ko="주문 참조가 너무 깁니다.",
            en="The order ref is too long.",
            field="order_ref",
        )
    params = {"payee_ref": payee_ref, "amount": amount, "method": method, "purpose": purpose, "order_ref": order_ref}
    if not method_enabled(method):
        existing = Payment.objects.filter(payer=payer, idempotency_key=key).first()
        if existing is not None:
            return _same(existing, **params)
        raise errors.method_disabled(method)
    try:
        # A replayed key fails the (payer, idempotency_key) unique constraint and lands below.
        with transaction.atomic():
            if method == Payment.Method.WALLET:
                payment = Payment.objects.create(
                    payer=payer, idempotency_key=key, status=Payment.Status.PAID, paid_at=timezone.now(), **params
                )
                entry_post(
                    key=f"payment:{payment.public_id}:capture",
                    kind="payment",
                    lines=_capture_lines(payment, wallet_account(payer)),
                    memo=payment.purpose,
                )
                _paid(payment)
            else:
                payment = Payment.objects.create(payer=payer, idempotency_key=key, **params)
    except IntegrityError:
        existing = Payment.objects.filter(payer=payer, idempotency_key=key).first()
        if existing is None:
            raise
        return _same(existing, **params)
    return payment


def _already(payment: Payment) -> Problem:
    return Problem(
        code="payment_already_confirmed",
        status=409,
        ko="이미 승인된 결제입니다. 돈은 다시 움직이지 않았습니다.",
        en="This payment was already confirmed; no money moved again.",
        extra={"payment_id": str(payment.public_id), "payment_status": payment.status},
    )


def _pending_locked(*, actor: Any, payment_id: Any, method: str) -> Payment:
    payment = access_payment(actor=actor, payment_id=payment_id)
    payment = Payment.objects.select_for_update().get(pk=payment.pk)
    if payment.method != method:
        raise not_found("payment")
    if payment.status == Payment.Status.PAID:
        raise _already(payment)
    if payment.status != Payment.Status.PENDING:
        raise errors.state_conflict(
            code="payment_not_pending", ko="결제 대기 중인 결제가 아닙니다.", en="The payment is not pending."
        )
    return payment


def payment_confirm_test(*, actor: Any, payment_id: Any) -> Payment:
    """Complete a pending 테스트 결제 (no real money: funded from the test account)."""
    if not settings.PAYMENTS_TEST_MODE:
        raise errors.method_disabled("test")
    with transaction.atomic():
        payment = _pending_locked(actor=actor, payment_id=payment_id, method=Payment.Method.TEST)
        _capture(payment, system_account(Account.Kind.TEST))
    return payment


def payment_confirm_card(*, actor: Any, order_id: Any, payment_key: str, amount: int) -> Payment:
    """Toss success redirect: check the amount against the pending payment, confirm with Toss, book.

    The amount in the redirect URL is client-controlled, so it must equal what we asked for before
    we ask Toss to approve. A replay for a confirmed payment is `payment_already_confirmed` and moves
    nothing; the entry key per payment makes a double booking impossible even under a race.
    """
    if not isinstance(payment_key, str) or not 1 <= len(payment_key) <= 200:
        raise Problem(
            code="invalid_payment_key",
            status=422,
            ko="paymentKey가 올바르지 않습니다.",
            en="The paymentKey is not valid.",
            field="paymentKey",
        )
    with transaction.atomic():
        payment = _pending_locked(actor=actor, payment_id=order_id, method=Payment.Method.CARD)
        if amount != payment.amount:
            raise Problem(
                code="amount_mismatch",
                status=422,
                ko="결제 금액이 주문 금액과 다릅니다.",
                en="The amount does not match the pending payment.",
                field="amount",
                extra={"expected": payment.amount},
            )
    try:
        result = toss.confirm(payment_key=payment_key, order_id=str(payment.public_id), amount=payment.amount)
    except Problem as problem:
        if problem.code == "pg_declined":
            Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
                status=Payment.Status.FAILED, failure=problem.en[:200], updated_at=timezone.now()
            )
        raise
    if result.status != "DONE" or result.total_amount != payment.amount:
        raise Problem(
            code="pg_result_mismatch",
            status=502,
            ko="결제대행사 응답이 주문과 맞지 않습니다.",
            en="The gateway's answer does not match the payment (status or amount).",
        )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == Payment.Status.PAID:
            raise _already(payment)
        payment.pg_payment_key = payment_key
        payment.pg_method = result.method
        payment.pg_fee = pg_fee_for(payment.amount)
        _capture(payment, system_account(Account.Kind.PG))
    return payment


def payment_fail(*, actor: Any, order_id: Any, code: str, message: str) -> Payment:
    """Toss fail redirect: the pending payment is marked failed; nothing was booked."""
    payment = access_payment(actor=actor, payment_id=order_id)
    Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
        status=Payment.Status.FAILED, failure=f"{code[:40]} {message[:150]}".strip(), updated_at=timezone.now()
    )
    payment.refresh_from_db()
    return payment
