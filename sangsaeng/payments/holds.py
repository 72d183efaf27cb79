"""Holds (auction bids, reservations) and transfers between payees (royalties, revenue shares).

A hold moves money from the wallet to the user's hold account, so it can't be spent twice; capture
turns it into a paid wallet payment to the payee (refundable like any other), release returns it.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.payments import errors
from sangsaeng.payments.ledger import (
    entry_post,
    hold_account,
    payable_account,
    system_account,
    user_ref,
    wallet_account,
)
from sangsaeng.payments.models import Account, Hold, JournalEntry, Payment
from sangsaeng.payments.payment import parse_id


def _same_hold(hold: Hold, amount: int, ref: str) -> Hold:
    if hold.amount != amount or hold.ref != ref:
        raise errors.idempotency_conflict()
    return hold


def hold_place(*, user: Any, amount: int, ref: str, idempotency_key: str) -> Hold:
    """Set `amount` won of the user's wallet aside for `ref`; `insufficient_funds` moves nothing."""
    amount = errors.amount_check(amount)
    key = errors.key_check(idempotency_key)
    if not isinstance(ref, str) or not 1 <= len(ref) <= 120:
        raise Problem(
            code="invalid_ref",
            status=422,
            ko="보류 참조는 1~120자여야 합니다.",
            en="The hold ref must be 1 to 120 characters.",
            field="ref",
        )
    existing = Hold.objects.filter(user=user, idempotency_key=key).first()
    if existing is not None:
        return _same_hold(existing, amount, ref)
    try:
        with transaction.atomic():
            hold = Hold.objects.create(user=user, amount=amount, ref=ref, idempotency_key=key)
            entry_post(
                key=f"hold:{hold.public_id}:place",
                kind="hold",
                lines=[(wallet_account(user), -amount), (hold_account(user), amount)],
                memo=ref,
            )
    except IntegrityError:
        found = Hold.objects.filter(user=user, idempotency_key=key).first()
        if found is None:
            raise
        return _same_hold(found, amount, ref)
    return hold


def _hold_locked(hold_id: Any, actor: Any | None) -> Hold:
    try:
        hold = Hold.objects.select_for_update().get(public_id=parse_id(hold_id, "hold"))
    except Hold.DoesNotExist as exc:
        raise not_found("hold") from exc
    if actor is not None and hold.user_id != actor.pk:
        raise not_found("hold")
    return hold


def hold_capture(*, hold_id: Any, payee_ref: str, idempotency_key: str, actor: Any | None = None) -> Hold:
    """Pay the held money to `payee_ref`: a paid wallet payment (hold.payment) is booked.

    Capturing again with the same payee returns the hold unchanged; a released hold can't be captured.
    """
    payee_ref = errors.ref_check(payee_ref)
    key = errors.key_check(idempotency_key)
    with transaction.atomic():
        hold = _hold_locked(hold_id, actor)
        if hold.status == Hold.Status.CAPTURED:
            if hold.payee_ref != payee_ref:
                raise errors.idempotency_conflict()
            return hold
        if hold.status == Hold.Status.RELEASED:
            raise errors.state_conflict(code="hold_released", ko="이미 해제된 보류입니다.", en="The hold was released.")
        payment = Payment.objects.create(
            payer=hold.user,
            payee_ref=payee_ref,
            amount=hold.amount,
            method=Payment.Method.WALLET,
            purpose=hold.ref,
            order_ref=hold.ref,
            idempotency_key=f"hold:{hold.public_id}:{key}"[:255],
            status=Payment.Status.PAID,
            paid_at=timezone.now(),
        )
        clearing = system_account(Account.Kind.CLEARING)
        entry_post(
            key=f"payment:{payment.public_id}:capture",
            kind="payment",
            memo=hold.ref,
            lines=[
                (hold_account(hold.user), -hold.amount),
                (clearing, hold.amount),
                (clearing, -hold.amount),
                (payable_account(payee_ref), hold.amount),
            ],
        )
        hold.status, hold.payee_ref, hold.payment = Hold.Status.CAPTURED, payee_ref, payment
        hold.save(update_fields=["status", "payee_ref", "payment", "updated_at"])
    return hold


def hold_release(*, hold_id: Any, actor: Any | None = None) -> Hold:
    """Give the held money back to the wallet; releasing twice is a no-op."""
    with transaction.atomic():
        hold = _hold_locked(hold_id, actor)
        if hold.status == Hold.Status.RELEASED:
            return hold
        if hold.status == Hold.Status.CAPTURED:
            raise errors.state_conflict(code="hold_captured", ko="이미 확정된 보류입니다.", en="The hold was captured.")
        entry_post(
            key=f"hold:{hold.public_id}:release",
            kind="hold_release",
            memo=hold.ref,
            lines=[(hold_account(hold.user), -hold.amount), (wallet_account(hold.user), hold.amount)],
        )
        hold.status = Hold.Status.RELEASED
        hold.save(update_fields=["status", "updated_at"])
    return hold


def transfer(
    *,
    payee_ref: str,
    amount: int,
    memo: str,
    idempotency_key: str,
    payer: Any | None = None,
    from_ref: str | None = None,
) -> JournalEntry:
    """Move `amount` won to `payee_ref`'s payable, from a user's wallet (`payer`) or from another
    payee's payable (`from_ref`, e.g. a creator's royalty share). Neither source may go negative."""
    amount = errors.amount_check(amount)
    payee_ref = errors.ref_check(payee_ref)
    key = errors.key_check(idempotency_key)
    if (payer is None) == (from_ref is None):
        raise Problem(
            code="invalid_source",
            status=422,
            ko="보내는 쪽을 하나만 지정하세요.",
            en="Give exactly one of payer or from_ref.",
            field="from_ref",
        )
    if payer is not None:
        source, source_ref = wallet_account(payer), user_ref(payer)
    else:
        source_ref = errors.ref_check(from_ref, "from_ref")
        source = payable_account(source_ref)
    if source_ref == payee_ref:
        raise Problem(
            code="invalid_source",
            status=422,
            ko="자기 자신에게 보낼 수 없습니다.",
            en="The source and the payee are the same.",
            field="payee_ref",
        )
    entry, _ = entry_post(
        key=f"transfer:{source_ref}:{key}",
        kind="transfer",
        memo=str(memo)[:200],
        lines=[(source, -amount), (payable_account(payee_ref), amount)],
        guard=[source],
    )
    return entry
