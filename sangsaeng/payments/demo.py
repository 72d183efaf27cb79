"""Demo: 김상생's funded wallet and virtual account; 김상생 as a creator payee with yesterday's statement.

The admin buys 김상생's Jeju photo prints (wallet payments, one partly refunded); those entries are
dated yesterday afternoon (Seoul) so the demo opens with a settled statement showing 플랫폼 수수료 0원.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, time, timedelta

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.payments import services
from sangsaeng.payments.models import JournalEntry, Payment
from sangsaeng.payments.settlements import SEOUL, seoul_today

DEMO_EMAIL = "demo@sangsaeng.kr"
ADMIN_EMAIL = "admin@sangsaeng.kr"
FARM = f"channel:{uuid.UUID('6a1f5c2e-0d3b-4b8e-9c1a-7e2f4d5b6c01')}"  # 제주감귤농장 (a partner channel)
PRINTS = [("제주 바다 사진 엽서 세트", 12_000), ("성산일출봉 액자 A4", 45_000), ("2027 제주 풍경 달력", 18_000)]


def _backdate(payment: Payment, when: datetime) -> None:
    JournalEntry.objects.filter(key=f"payment:{payment.public_id}:capture").update(created_at=when)
    Payment.objects.filter(pk=payment.pk).update(created_at=when, paid_at=when)


@register("payments", order=60)
def build(say: Callable[[str], None]) -> None:
    demo, admin = user_get_by_email(email=DEMO_EMAIL), user_get_by_email(email=ADMIN_EMAIL)
    if demo is None or admin is None or Payment.objects.filter(payer=admin).exists():
        return
    va = services.virtual_account_get(user=demo)
    services.wallet_topup_test(user=demo, amount=200_000, idempotency_key="demo-fund")
    services.wallet_topup_test(user=admin, amount=300_000, idempotency_key="demo-fund")
    services.virtual_account_get(user=admin)
    creator = services.user_ref(demo)
    yesterday = seoul_today() - timedelta(days=1)
    for i, (title, amount) in enumerate(PRINTS):
        payment = services.payment_create(
            payer=admin,
            payee_ref=creator,
            amount=amount,
            method="wallet",
            purpose=title,
            order_ref=f"demo-print-{i + 1}",
            idempotency_key=f"demo-print-{i}",
        )
        _backdate(payment, datetime.combine(yesterday, time(14 + i, 10), tzinfo=SEOUL))
    frame = Payment.objects.get(payer=admin, idempotency_key="demo-print-1")
    refund = services.refund(
        actor=demo,
        payment_id=frame.public_id,
        amount=5_000,
        reason="액자 모서리 흠집 부분 환불",
        idempotency_key="demo-refund",
    )
    JournalEntry.objects.filter(pk=refund.entry_id).update(
        created_at=datetime.combine(yesterday, time(18, 0), tzinfo=SEOUL)
    )
    statement = services.statement_generate(payee_ref=creator, day=yesterday)
    services.payee_bank_account_set(
        actor=demo, payee_ref=creator, bank="제주은행", number="700-01-2021117", holder="김상생"
    )
    services.payment_create(
        payer=demo,
        payee_ref=FARM,
        amount=29_000,
        method="wallet",
        purpose="제주 감귤 5kg",
        order_ref="demo-farm-1",
        idempotency_key="demo-farm-1",
    )
    hold = services.hold_place(user=demo, amount=30_000, ref="drop:demo-auction", idempotency_key="demo-bid")
    say(
        f"{DEMO_EMAIL}: wallet {services.wallet_balance(user=demo):,}원 (+{hold.amount:,}원 held), "
        f"virtual account {va.number}, statement {yesterday} net {statement.net:,}원 /pay/settlements/"
    )
