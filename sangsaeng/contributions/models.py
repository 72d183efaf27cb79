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

    The ContributionShares contract has no freeze, so a removal freezes shares here: `frozen_shares`
    records the amount, and revenue distribution must leave frozen holdings out
    (`selectors.shares_frozen_by_owner`).
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
