"""The KRW ledger (accounts, journal entries, lines) and the records that explain its entries.

Money is integer won. Every movement is one `JournalEntry` whose `JournalLine`s sum to zero. An
account's `balance` caches the sum of its lines and is updated in the same transaction; wallets and
holds carry a CHECK constraint so no code path, however buggy or concurrent, can make them negative.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel

MAX_AMOUNT = 10_000_000_000  # 100억 원: anything above is refused as absurd


class Account(models.Model):
    """One ledger account. `ref` says whose it is: "user:<uuid>" for wallets and holds, a payee
    ref ("channel:<uuid>", "user:<uuid>") for payables, "" for the platform's own accounts."""

    class Kind(models.TextChoices):
        WALLET = "wallet", _("지갑")
        HOLD = "hold", _("보류")
        PAYABLE = "payable", _("정산 예정금")
        CLEARING = "clearing", _("결제 중계")
        REFUNDS = "refunds", _("환불")
        PG_FEES = "pg_fees", _("PG 수수료")
        PLATFORM_FEES = "platform_fees", _("플랫폼 수수료")
        BANK = "bank", _("은행 입금")
        PG = "pg", _("카드 결제(PG)")
        TEST = "test", _("테스트 결제")
        PAYOUTS = "payouts", _("지급")
        LM_BILLING = "lm_billing", _("LM API 이용료 청구")
        LM_REVENUE = "lm_revenue", _("LM API 매출")
        COMMONS_POOL = "commons_pool", _("커먼즈 수익 배분 풀")

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    ref = models.CharField(max_length=120, blank=True, default="")
    balance = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "ref"], name="payments_account_kind_ref_unique"),
            models.CheckConstraint(
                condition=~Q(kind__in=["wallet", "hold"]) | Q(balance__gte=0),
                name="payments_account_wallet_nonnegative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class JournalEntry(models.Model):
    """A balanced movement of money, unique by its idempotency key."""

    id = models.BigAutoField(primary_key=True)
    public_id = models.UUIDField(unique=True, editable=False)
    key = models.CharField(max_length=300, unique=True)
    fingerprint = models.CharField(max_length=64)
    kind = models.CharField(max_length=30)
    memo = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return self.key


class JournalLine(models.Model):
    id = models.BigAutoField(primary_key=True)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    amount = models.BigIntegerField()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="payments_line_nonzero")]
        indexes = [models.Index(fields=["account", "entry"], name="payments_line_account_idx")]

    def __str__(self) -> str:
        return f"{self.account_id} {self.amount:+}"


class Payment(BaseModel):
    class Method(models.TextChoices):
        WALLET = "wallet", _("상생페이 지갑")
        CARD = "card", _("카드")
        TEST = "test", _("테스트 결제")

    class Status(models.TextChoices):
        PENDING = "pending", _("결제 대기")
        PAID = "paid", _("결제 완료")
        FAILED = "failed", _("실패")
        CANCELED = "canceled", _("취소")

    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    payee_ref = models.CharField(max_length=120, db_index=True)
    amount = models.BigIntegerField()
    refunded = models.BigIntegerField(default=0)
    pg_fee = models.BigIntegerField(default=0)
    method = models.CharField(max_length=10, choices=Method.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    purpose = models.CharField(max_length=200)
    order_ref = models.CharField(max_length=120, blank=True)
    idempotency_key = models.CharField(max_length=255)
    pg_payment_key = models.CharField(max_length=200, blank=True)
    pg_method = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    failure = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["payer", "idempotency_key"], name="payments_payment_idem_unique"),
            models.CheckConstraint(
                condition=Q(amount__gt=0) & Q(refunded__gte=0) & Q(refunded__lte=models.F("amount")),
                name="payments_payment_refund_le_amount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.amount}"

    @property
    def refundable(self) -> int:
        return self.amount - self.refunded if self.status == self.Status.PAID else 0


class Refund(BaseModel):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount = models.BigIntegerField()
    pg_fee_returned = models.BigIntegerField(default=0)
    reason = models.CharField(max_length=200)
    idempotency_key = models.CharField(max_length=255)
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["payment", "idempotency_key"], name="payments_refund_idem_unique"),
        ]

    def __str__(self) -> str:
        return f"refund {self.amount}"


class Hold(BaseModel):
    class Status(models.TextChoices):
        HELD = "held", _("보류 중")
        CAPTURED = "captured", _("확정")
        RELEASED = "released", _("해제")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payment_holds")
    amount = models.BigIntegerField()
    ref = models.CharField(max_length=120)
    idempotency_key = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.HELD)
    payee_ref = models.CharField(max_length=120, blank=True)
    payment = models.OneToOneField(Payment, on_delete=models.PROTECT, null=True, related_name="hold")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "idempotency_key"], name="payments_hold_idem_unique")]

    def __str__(self) -> str:
        return f"hold {self.amount} {self.ref}"


class VirtualAccount(BaseModel):
    """A per-user deposit account number: bank transfers to it top up that user's wallet."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="virtual_account")
    number = models.CharField(max_length=20, unique=True)

    def __str__(self) -> str:
        return self.number


class BankDeposit(BaseModel):
    """A deposit seen on the bank statement (or entered by an operator), unique by the bank's id."""

    bank_txn_id = models.CharField(max_length=80, unique=True)
    deposited_on = models.DateField()
    depositor = models.CharField(max_length=100)
    account_number = models.CharField(max_length=20)
    amount = models.BigIntegerField()
    virtual_account = models.ForeignKey(VirtualAccount, on_delete=models.PROTECT, null=True, related_name="deposits")
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, null=True, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-deposited_on", "-created_at"]

    def __str__(self) -> str:
        return self.bank_txn_id


class Statement(BaseModel):
    """One payee's settlement statement for one day (Asia/Seoul), made once."""

    payee_ref = models.CharField(max_length=120)
    day = models.DateField()
    gross = models.BigIntegerField()
    refunds = models.BigIntegerField()
    pg_fees = models.BigIntegerField()
    platform_fee = models.BigIntegerField(default=0)
    transfers_in = models.BigIntegerField(default=0)
    transfers_out = models.BigIntegerField(default=0)
    net = models.BigIntegerField()
    payout_amount = models.BigIntegerField(default=0)
    lines = models.JSONField(default=list)

    class Meta:
        ordering = ["-day", "payee_ref"]
        constraints = [
            models.UniqueConstraint(fields=["payee_ref", "day"], name="payments_statement_payee_day_unique"),
            models.CheckConstraint(condition=Q(platform_fee=0), name="payments_statement_platform_fee_zero"),
        ]

    def __str__(self) -> str:
        return f"{self.payee_ref} {self.day}"


class Payout(BaseModel):
    """A bank-transfer instruction paying a payee's settled balance; exported as CSV for the bank."""

    statement = models.OneToOneField(Statement, on_delete=models.PROTECT, related_name="payout")
    payee_ref = models.CharField(max_length=120)
    amount = models.BigIntegerField()
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="+")
    exported_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"payout {self.payee_ref} {self.amount}"


class PayeeBankAccount(BaseModel):
    """Where a payee's payouts go; the payout CSV carries it to the bank."""

    payee_ref = models.CharField(max_length=120, unique=True)
    bank = models.CharField(max_length=40)
    number = models.CharField(max_length=30)
    holder = models.CharField(max_length=60)

    def __str__(self) -> str:
        return f"{self.payee_ref} {self.bank}"
