"""Contributions of Korean text to the LM commons, their documents, and immutable snapshots."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Contribution(BaseModel):
    """One upload or paste. Its documents go through the pipeline in one background task."""

    class Licence(models.TextChoices):
        CC0 = "cc0", "CC0 1.0"
        CC_BY = "cc_by", "CC BY 4.0"
        OWN_WORK = "own_work", _("직접 쓴 글 (CC0로 공개)")

    class Status(models.TextChoices):
        PENDING = "pending", _("검사 중")
        ACCEPTED = "accepted", _("수락됨")
        REJECTED = "rejected", _("거절됨")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contributions")
    title = models.CharField(max_length=200, blank=True)
    licence = models.CharField(max_length=10, choices=Licence.choices)
    attribution = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, default="txt")
    raw = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reasons = models.JSONField(default=list)
    token_count = models.PositiveBigIntegerField(default=0)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Set when an operator removes the contribution after a report: later snapshots leave it out
    # and its shares are frozen (see `Takedown`).
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class Document(models.Model):
    """One document of a contribution, as the pipeline left it (scrubbed text, steps, spans)."""

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="documents")
    index = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Contribution.Status.choices)
    reasons = models.JSONField(default=list)
    steps = models.JSONField(default=list)
    spans = models.JSONField(default=list)
    text = models.TextField()
    sha256 = models.CharField(max_length=64, db_index=True, blank=True)
    minhash = models.BinaryField(default=b"")
    token_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["contribution_id", "index"]
        constraints = [
            models.UniqueConstraint(fields=["contribution", "index"], name="contrib_doc_index_unique"),
            models.UniqueConstraint(
                fields=["sha256"], condition=models.Q(status="accepted"), name="contrib_doc_accepted_sha_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contribution_id}#{self.index} {self.status}"


class Snapshot(BaseModel):
    """An immutable manifest of accepted document hashes with their Merkle root."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    merkle_root = models.CharField(max_length=64, unique=True)
    hashes = models.JSONField(default=list)
    document_count = models.PositiveIntegerField()
    token_count = models.PositiveBigIntegerField()
    anchored = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("snapshots are immutable")
        super().save(*args, **kwargs)


class Takedown(BaseModel):
    """A report against a contribution and the operator's decision on it.

    A removal freezes the contribution's shares: `frozen_shares` records the amount, revenue
    distribution leaves frozen holdings out (`selectors.shares_frozen_by_owner`), and the outbox
    freezes the same amount on chain (ContributionShares.freeze, see `takedown.freeze_on_chain`).
    """

    class Status(models.TextChoices):
        OPEN = "open", _("검토 대기")
        DISMISSED = "dismissed", _("기각")
        REMOVED = "removed", _("삭제")

    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="takedowns")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    frozen_shares = models.DecimalField(max_digits=78, decimal_places=0, default=0)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contribution", "reporter"], condition=models.Q(status="open"), name="takedown_one_open"
            )
        ]


class SnapshotAnchor(models.Model):
    """The chain transaction that carries a snapshot's Merkle root (outbox key, then the mined tx)."""

    snapshot = models.OneToOneField(Snapshot, on_delete=models.PROTECT, related_name="anchor")
    idempotency_key = models.CharField(max_length=200, unique=True)
    to_address = models.CharField(max_length=42)
    tx_hash = models.CharField(max_length=66, blank=True)
    chain_id = models.BigIntegerField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.idempotency_key} {self.tx_hash or 'pending'}"


class RevenueDistribution(BaseModel):
    """One KST month's LM API revenue share, paid pro rata to share holders; one per period.

    The figures are what the distribution saw and booked, kept so every statement can be checked:
    the statements' amounts sum to `pool_won` exactly, and `pool_won` is
    floor(`revenue_won` * `share_bps` / 10000).
    """

    period = models.CharField(max_length=7, unique=True)  # YYYY-MM, a calendar month in Asia/Seoul
    tokens = models.PositiveBigIntegerField()
    price_won_per_1k_tokens = models.PositiveIntegerField()
    revenue_won = models.BigIntegerField()
    share_bps = models.PositiveIntegerField()
    pool_won = models.BigIntegerField()
    eligible_shares = models.DecimalField(max_digits=78, decimal_places=0)
    excluded_frozen_shares = models.DecimalField(max_digits=78, decimal_places=0, default=0)
    holders = models.PositiveIntegerField()
    revenue_entry = models.UUIDField()  # the Pay journal entries, by public id
    pool_entry = models.UUIDField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-period"]

    def __str__(self) -> str:
        return f"{self.period} {self.pool_won}"


class RevenueStatement(BaseModel):
    """One holder's part of one period: the shares the chain showed, the frozen ones left out, the won paid."""

    distribution = models.ForeignKey(RevenueDistribution, on_delete=models.PROTECT, related_name="statements")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    period = models.CharField(max_length=7)
    wallet_address = models.CharField(max_length=42)
    shares_held = models.DecimalField(max_digits=78, decimal_places=0)
    shares_frozen = models.DecimalField(max_digits=78, decimal_places=0)
    shares_eligible = models.DecimalField(max_digits=78, decimal_places=0)
    amount_won = models.BigIntegerField()
    remainder_won = models.PositiveSmallIntegerField(
        default=0
    )  # 1 when the largest-remainder rule gave this holder a won
    entry = models.UUIDField(null=True, blank=True)  # the Pay journal entry that paid it (none for 0 won)

    class Meta:
        ordering = ["-period", "-amount_won"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "holder"], name="commons_statement_one_per_holder"),
            models.CheckConstraint(condition=models.Q(amount_won__gte=0), name="commons_statement_amount_nonnegative"),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.holder_id} {self.amount_won}"
