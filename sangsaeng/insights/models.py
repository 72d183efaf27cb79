"""Partner analytics: an append-only event log, compacted daily into Parquet for DuckDB."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class EventName(models.TextChoices):
    PAGE_VIEW = "page_view"
    PRODUCT_VIEW = "product_view"
    CART_ADD = "cart_add"
    CHECKOUT_START = "checkout_start"
    ORDER_PAID = "order_paid"
    ORDER_LINE = "order_line"
    ORDER_REFUNDED = "order_refunded"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    BROADCAST_DELIVERED = "broadcast_delivered"
    BROADCAST_OPENED = "broadcast_opened"
    BROADCAST_CLICKED = "broadcast_clicked"


class AppendOnly(Exception):
    """Raised when code tries to change or delete a stored event."""


class Event(models.Model):
    """One thing that happened for one partner. Rows are written once and never changed.

    `subject` is a per-partner pseudonym of the shopper (HMAC of their id), never the user id:
    identities are joined in only for customers who consented (CustomerConsent).
    """

    id = models.BigAutoField(primary_key=True)
    partner_ref = models.CharField(max_length=64)
    name = models.CharField(max_length=24, choices=EventName.choices)
    occurred_at = models.DateTimeField()
    session_id = models.CharField(max_length=64, blank=True)
    subject = models.CharField(max_length=64, blank=True)
    order_ref = models.CharField(max_length=64, blank=True)
    product_ref = models.CharField(max_length=64, blank=True)
    broadcast_ref = models.CharField(max_length=64, blank=True)
    label = models.CharField(max_length=200, blank=True)
    path = models.CharField(max_length=300, blank=True)
    quantity = models.IntegerField(default=0)
    gross = models.BigIntegerField(default=0)
    discount = models.BigIntegerField(default=0)
    shipping = models.BigIntegerField(default=0)
    refund = models.BigIntegerField(default=0)
    source = models.CharField(max_length=8, default="server")
    # The producer's own id for the event (outbox event id + line), so a replay stores nothing twice.
    dedupe_key = models.CharField(max_length=100, unique=True, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["partner_ref", "occurred_at"], name="insights_partner_time_idx"),
            models.Index(fields=["occurred_at"], name="insights_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.partner_ref} {self.name} {self.occurred_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise AppendOnly("insights events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnly("insights events are append-only")


class BeaconDrop(models.Model):
    """Malformed beacons are dropped and counted here per day and reason, never stored."""

    day = models.DateField()
    reason = models.CharField(max_length=40)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "reason"], name="insights_drop_day_reason")]

    def __str__(self) -> str:
        return f"{self.day} {self.reason}: {self.count}"


class CompactionMark(models.Model):
    """How far the event log has been compacted into Parquet (one row)."""

    key = models.CharField(max_length=20, unique=True, default="events")
    last_event_id = models.BigIntegerField(default=0)
    compacted_at = models.DateTimeField(null=True, blank=True)
    events_total = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"compacted up to event {self.last_event_id}"


class CustomerConsent(models.Model):
    """A shopper agreed to let one partner see who they are (through Sync or at checkout)."""

    partner_ref = models.CharField(max_length=64)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=64)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner_ref", "user"], name="insights_consent_once")]
        indexes = [models.Index(fields=["partner_ref", "subject"], name="insights_consent_subject_idx")]

    def __str__(self) -> str:
        return f"{self.partner_ref} ← {self.subject}"


class WeeklyReport(models.Model):
    """The weekly mail sent to a partner's staff; one row per partner and week, so none is sent twice."""

    partner_ref = models.CharField(max_length=64)
    week_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner_ref", "week_start"], name="insights_week_once")]

    def __str__(self) -> str:
        return f"{self.partner_ref} week of {self.week_start}"
