"""/api/v1/payments: wallet, history, test top-up, virtual account, payments, refunds, settlements.

Every mutating call requires an `Idempotency-Key` header: the service uses it so a retried request
moves money once, and the core middleware replays the first answer byte for byte.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Header, Query, Router, Schema, Status

from sangsaeng.core.schemas import StrictInput
from sangsaeng.payments import selectors, services
from sangsaeng.payments.models import MAX_AMOUNT, Payment, Refund, Statement
from sangsaeng.payments.wallet import va_format

router = Router(tags=["payments"])

IdemKey = Header(..., alias="Idempotency-Key", min_length=1, max_length=200, description="Required: replays are safe")


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class PaymentsVirtualAccountOut(Schema):
    bank: str
    number: str
    formatted: str


class PaymentsWalletOut(Schema):
    balance: int = Field(..., description="Spendable won")
    held: int = Field(..., description="Won set aside by holds")
    virtual_account: PaymentsVirtualAccountOut
    test_mode: bool


class PaymentsHistoryOut(Schema):
    entry_id: UUID
    at: datetime
    kind: str
    label: str
    memo: str
    amount: int


class PaymentsTopupIn(StrictInput):
    amount: int = Field(..., ge=1, le=MAX_AMOUNT, examples=[50_000])


class PaymentsTopupOut(Schema):
    entry_id: UUID
    amount: int
    balance: int


class PaymentsPaymentIn(StrictInput):
    payee_ref: str = Field(..., min_length=3, max_length=120, examples=["channel:2b4c1f0e-4a0e-4a39-9d3a-6f1d7b0c9e11"])
    amount: int = Field(..., ge=1, le=MAX_AMOUNT, examples=[39_000])
    method: Literal["wallet", "card", "test"] = "wallet"
    purpose: str = Field(..., min_length=1, max_length=200, examples=["제주 감귤 5kg"])
    order_ref: str = Field("", max_length=120)


class PaymentsPaymentOut(Schema):
    id: UUID
    payee_ref: str
    amount: int
    refunded: int
    pg_fee: int
    method: str
    status: str
    purpose: str
    order_ref: str
    created_at: datetime
    paid_at: datetime | None


class PaymentsConfirmIn(StrictInput):
    payment_key: str | None = Field(None, max_length=200, description="Toss paymentKey (card only)")
    amount: int | None = Field(None, ge=1, le=MAX_AMOUNT, description="The amount Toss redirected with (card only)")


class PaymentsRefundIn(StrictInput):
    amount: int = Field(..., ge=1, le=MAX_AMOUNT)
    reason: str = Field(..., min_length=1, max_length=200, examples=["단순 변심"])


class PaymentsRefundOut(Schema):
    id: UUID
    payment_id: UUID
    amount: int
    pg_fee_returned: int
    reason: str
    created_at: datetime


class PaymentsStatementOut(Schema):
    id: UUID
    payee_ref: str
    day: date
    gross: int
    refunds: int
    pg_fees: int
    platform_fee: int = Field(..., description="Always 0: sangsaeng takes no platform fee")
    transfers_in: int
    transfers_out: int
    net: int
    payout_amount: int
    lines: list[dict[str, Any]]


def _payment(p: Payment) -> PaymentsPaymentOut:
    return PaymentsPaymentOut(
        id=p.public_id,
        payee_ref=p.payee_ref,
        amount=p.amount,
        refunded=p.refunded,
        pg_fee=p.pg_fee,
        method=p.method,
        status=p.status,
        purpose=p.purpose,
        order_ref=p.order_ref,
        created_at=p.created_at,
        paid_at=p.paid_at,
    )


def _refund(r: Refund) -> PaymentsRefundOut:
    return PaymentsRefundOut(
        id=r.public_id,
        payment_id=r.payment.public_id,
        amount=r.amount,
        pg_fee_returned=r.pg_fee_returned,
        reason=r.reason,
        created_at=r.created_at,
    )


def _statement(s: Statement) -> PaymentsStatementOut:
    return PaymentsStatementOut(
        id=s.public_id,
        payee_ref=s.payee_ref,
        day=s.day,
        gross=s.gross,
        refunds=s.refunds,
        pg_fees=s.pg_fees,
        platform_fee=s.platform_fee,
        transfers_in=s.transfers_in,
        transfers_out=s.transfers_out,
        net=s.net,
        payout_amount=s.payout_amount,
        lines=s.lines,
    )


def _va(user: Any) -> PaymentsVirtualAccountOut:
    va = services.virtual_account_get(user=user)
    return PaymentsVirtualAccountOut(bank=settings.PAYMENTS_VA_BANK, number=va.number, formatted=va_format(va.number))


@router.get("/payments/wallet", response=PaymentsWalletOut, summary="My wallet: balance, holds, deposit account")
def wallet(request: HttpRequest) -> PaymentsWalletOut:
    user = _user(request)
    return PaymentsWalletOut(
        balance=services.wallet_balance(user=user),
        held=selectors.held_total(user=user),
        virtual_account=_va(user),
        test_mode=bool(settings.PAYMENTS_TEST_MODE),
    )


@router.get("/payments/wallet/history", response=list[PaymentsHistoryOut], summary="My wallet's movements")
def history(
    request: HttpRequest, limit: int = Query(50, ge=1, le=200), before: datetime | None = None
) -> list[PaymentsHistoryOut]:
    items = selectors.wallet_history(user=_user(request), limit=limit, before=before)
    return [
        PaymentsHistoryOut(
            entry_id=i.entry_id,
            at=i.at,
            kind=i.kind,
            label=selectors.KIND_LABELS.get(i.kind, i.kind),
            memo=i.memo,
            amount=i.amount,
        )
        for i in items
    ]


@router.post(
    "/payments/wallet/topup-test",
    response={201: PaymentsTopupOut},
    summary="테스트 결제: add play money (only where test mode is on)",
)
def topup_test(
    request: HttpRequest, payload: PaymentsTopupIn, idempotency_key: str = IdemKey
) -> Status[PaymentsTopupOut]:
    user = _user(request)
    entry = services.wallet_topup_test(user=user, amount=payload.amount, idempotency_key=idempotency_key)
    return Status(
        201,
        PaymentsTopupOut(entry_id=entry.public_id, amount=payload.amount, balance=services.wallet_balance(user=user)),
    )


@router.get(
    "/payments/virtual-account",
    response=PaymentsVirtualAccountOut,
    summary="My virtual account number: bank transfers to it top up my wallet",
)
def virtual_account(request: HttpRequest) -> PaymentsVirtualAccountOut:
    return _va(_user(request))


@router.get("/payments/payments", response=list[PaymentsPaymentOut], summary="Payments I made")
def payment_list(request: HttpRequest, limit: int = Query(50, ge=1, le=200)) -> list[PaymentsPaymentOut]:
    return [_payment(p) for p in selectors.payment_list(payer=_user(request), limit=limit)]


@router.post(
    "/payments/payments",
    response={201: PaymentsPaymentOut},
    summary="Pay a payee (wallet: at once; card/test: pending until confirmed)",
)
def payment_create(
    request: HttpRequest, payload: PaymentsPaymentIn, idempotency_key: str = IdemKey
) -> Status[PaymentsPaymentOut]:
    payment = services.payment_create(payer=_user(request), idempotency_key=idempotency_key, **payload.model_dump())
    return Status(201, _payment(payment))


@router.get("/payments/payments/{payment_id}", response=PaymentsPaymentOut, summary="One of my payments")
def payment_get(request: HttpRequest, payment_id: UUID) -> PaymentsPaymentOut:
    return _payment(services.access_payment(actor=_user(request), payment_id=payment_id))


@router.post(
    "/payments/payments/{payment_id}/confirm",
    response=PaymentsPaymentOut,
    summary="Confirm a pending test or card payment (card: Toss paymentKey and amount)",
)
def payment_confirm(
    request: HttpRequest, payment_id: UUID, payload: PaymentsConfirmIn, idempotency_key: str = IdemKey
) -> PaymentsPaymentOut:
    user = _user(request)
    payment = services.access_payment(actor=user, payment_id=payment_id)
    if payment.method == Payment.Method.CARD:
        confirmed = services.payment_confirm_card(
            actor=user, order_id=payment_id, payment_key=payload.payment_key or "", amount=payload.amount or 0
        )
    else:
        confirmed = services.payment_confirm_test(actor=user, payment_id=payment_id)
    return _payment(confirmed)


@router.post(
    "/payments/payments/{payment_id}/refunds",
    response={201: PaymentsRefundOut},
    summary="Refund part or all of a payment to my store's customer",
)
def refund_create(
    request: HttpRequest, payment_id: UUID, payload: PaymentsRefundIn, idempotency_key: str = IdemKey
) -> Status[PaymentsRefundOut]:
    refund = services.refund(
        actor=_user(request),
        payment_id=payment_id,
        amount=payload.amount,
        reason=payload.reason,
        idempotency_key=idempotency_key,
    )
    return Status(201, _refund(refund))


@router.get(
    "/payments/settlements", response=list[PaymentsStatementOut], summary="Daily statements of the payees I act for"
)
def settlement_list(
    request: HttpRequest, payee_ref: str | None = Query(None, max_length=120)
) -> list[PaymentsStatementOut]:
    return [_statement(s) for s in services.statement_list(actor=_user(request), payee_ref=payee_ref)]


@router.get("/payments/settlements/{statement_id}", response=PaymentsStatementOut, summary="One statement")
def settlement_get(request: HttpRequest, statement_id: UUID) -> PaymentsStatementOut:
    return _statement(services.access_statement(actor=_user(request), statement_id=statement_id))
