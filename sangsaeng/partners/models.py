"""Partner channels: staff, followers with their consents, broadcasts and their per-recipient deliveries,
attachments from other apps (stores, drops) and the customer-chat inbox threads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Channel(BaseModel):
    name = models.CharField(_("채널 이름"), max_length=60)
    handle = models.CharField(_("채널 주소"), max_length=30, unique=True)
    description = models.TextField(_("소개"), max_length=1000, blank=True)
    logo = models.BinaryField(blank=True, default=b"")
    logo_type = models.CharField(max_length=20, blank=True)
    cover = models.BinaryField(blank=True, default=b"")
    cover_type = models.CharField(max_length=20, blank=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (@{self.handle})"

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class ChannelStaff(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("소유자")
        MANAGER = "manager", _("매니저")
        AGENT = "agent", _("상담원")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="staff")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_roles")
    role = models.CharField(max_length=10, choices=Role.choices)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="partners_staff_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @{self.channel_id}"


class Follow(BaseModel):
    """A follower. Marketing and night-time advertising consents are separate, opt-in and timestamped
    (정보통신망법 §50): a revoked consent keeps its revocation time, not just a cleared flag."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="channel_follows")
    marketing_consent_at = models.DateTimeField(null=True, blank=True)
    marketing_revoked_at = models.DateTimeField(null=True, blank=True)
    night_consent_at = models.DateTimeField(null=True, blank=True)
    night_revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "user"], name="partners_follow_unique")]
        indexes = [models.Index(fields=["channel", "marketing_consent_at"], name="partners_follow_consent_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.channel_id}"


class Attachment(BaseModel):
    """Something another app hangs on a channel (a store, a drop) so the channel page links it."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(max_length=20)
    ref = models.CharField(max_length=200)
    title = models.CharField(max_length=120)
    url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["kind", "created_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "kind", "ref"], name="partners_attachment_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.ref}"


class Broadcast(BaseModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("예약됨")
        WAITING = "waiting", _("08:00 대기")
        SENT = "sent", _("발송 완료")
        CANCELLED = "cancelled", _("취소됨")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="broadcasts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(max_length=2000)
    is_advertising = models.BooleanField(default=True)
    cards = models.JSONField(default=list)
    # "" for every follower, or a segment key from partners.audiences (whose members are BroadcastTarget rows)
    segment = models.CharField(max_length=30, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    scheduled_at = models.DateTimeField()
    # When the periodic job next looks at it: the schedule, or 08:00 KST after a night-time run.
    next_run_at = models.DateTimeField(null=True, blank=True)
    first_sent_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_count = models.PositiveIntegerField(default=0)
    open_count = models.PositiveIntegerField(default=0)
    click_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [models.Index(fields=["status", "next_run_at"], name="partners_broadcast_due_idx")]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.scheduled_at:%Y-%m-%d %H:%M}"


class BroadcastImage(BaseModel):
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="images")
    data = models.BinaryField()
    content_type = models.CharField(max_length=20)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.broadcast_id}#{self.position}"


class BroadcastTarget(models.Model):
    """A customer of a segment broadcast, fixed when it was written so a scheduled or 08:00 delivery
    goes to the same people; being a target never bypasses the follow and consent rules."""

    id = models.BigAutoField(primary_key=True)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="targets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "user"], name="partners_target_unique")]

    def __str__(self) -> str:
        return f"{self.broadcast_id} ◎ {self.user_id}"


class Delivery(models.Model):
    """One broadcast given to one follower; the unique pair is what makes a re-run deliver nothing twice."""

    id = models.BigAutoField(primary_key=True)
    broadcast = models.ForeignKey(Broadcast, on_delete=models.CASCADE, related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delivered_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True)
    clicked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["broadcast", "user"], name="partners_delivery_unique")]
        indexes = [models.Index(fields=["user", "delivered_at"], name="partners_delivery_feed_idx")]

    def __str__(self) -> str:
        return f"{self.broadcast_id} → {self.user_id}"


class InboxThread(BaseModel):
    """A customer's 1:1 chat with a channel, as the staff's shared inbox sees it; the messages
    themselves live in the messaging app's conversation."""

    class Status(models.TextChoices):
        OPEN = "open", _("진행 중")
        DONE = "done", _("처리 완료")

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="threads")
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conversation_id = models.UUIDField()
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    last_activity_at = models.DateTimeField()
    last_preview = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-last_activity_at"]
        constraints = [models.UniqueConstraint(fields=["channel", "customer"], name="partners_thread_unique")]

    def __str__(self) -> str:
        return f"{self.channel_id} ↔ {self.customer_id}"
