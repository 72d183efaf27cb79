"""Conversations, members, messages (with a per-conversation `seq`), and what hangs off them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Conversation(BaseModel):
    class Kind(models.TextChoices):
        DIRECT = "direct", _("1:1 대화")
        GROUP = "group", _("그룹 대화")
        CHANNEL = "channel", _("채널 대화")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=100, blank=True)
    # "lowpk:highpk" for a direct conversation, so each pair has exactly one.
    direct_key = models.CharField(max_length=50, null=True, blank=True, unique=True)
    # A customer's 1:1 conversation with a partner channel: one per (customer, channel).
    channel_id = models.UUIDField(null=True, blank=True)
    channel_customer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The last seq handed out; raised in the same transaction that inserts the message.
    last_seq = models.BigIntegerField(default=0)
    # The last change-event number handed out (a message posted, edited, deleted or reacted to);
    # raised in the transaction that makes the change. See events.py.
    last_ev = models.BigIntegerField(default=0)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel_customer", "channel_id"],
                condition=Q(channel_id__isnull=False),
                name="messaging_channel_customer_unique",
            )
        ]


class Member(BaseModel):
    class Role(models.TextChoices):
        OWNER = "owner", _("방장")
        ADMIN = "admin", _("관리자")
        MEMBER = "member", _("멤버")
        STAFF = "staff", _("채널 담당자")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="chat_memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    last_read_seq = models.BigIntegerField(default=0)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["conversation", "user"], name="messaging_member_unique")]
        indexes = [models.Index(fields=["user", "left_at"], name="messaging_member_user_idx")]


class Message(BaseModel):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    seq = models.BigIntegerField()
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    as_channel = models.BooleanField(default=False)
    kind = models.CharField(max_length=30)
    text = models.TextField(blank=True)
    card = models.JSONField(null=True, blank=True)
    reply_to = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    client_id = models.CharField(max_length=64, blank=True, default="")
    mentions = models.JSONField(default=list)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # The conversation's change events that created this message and that last changed it.
    created_ev = models.BigIntegerField(default=0)
    ev = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["conversation", "ev"], name="messaging_message_ev_idx"),
            models.Index(fields=["conversation", "created_ev"], name="messaging_message_cev_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="messaging_message_seq_unique"),
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                condition=~Q(client_id=""),
                name="messaging_message_client_id_unique",
            ),
        ]


class MessageMedia(models.Model):
    """The file a message carries, stored once through the Drawer as a shared blob (`sha256` is
    its handle) that the chat holds under `hold` while the message shows it.

    Files sent before chat media were shared have no `hold`: each member's own Drawer copy (their
    `Attachment`) is all there is.
    """

    message = models.OneToOneField(Message, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    hold = models.UUIDField(null=True, blank=True, unique=True)

    def __str__(self) -> str:
        return self.name

    @property
    def holder(self) -> str:
        return f"messaging.media:{self.hold}"


class Attachment(models.Model):
    """One member's entry for a chat file: an item in that member's Drawer, folder 채팅 미디어,
    pointing at the message's media (the one shared copy; before that, the member's own copy)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drawer_item_id = models.UUIDField()
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user"], name="messaging_attachment_unique")]

    def __str__(self) -> str:
        return self.name


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "user", "emoji"], name="messaging_reaction_unique")]

    def __str__(self) -> str:
        return self.emoji


class Block(models.Model):
    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["blocker", "blocked"], name="messaging_block_unique")]

    def __str__(self) -> str:
        return f"{self.blocker_id} -> {self.blocked_id}"


class Report(BaseModel):
    class Status(models.TextChoices):
        OPEN = "open", _("접수")
        RESOLVED = "resolved", _("처리 완료")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=500)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["message", "reporter"], name="messaging_report_unique")]


class Link(models.Model):
    """A link shared in a conversation, collected for each member (the Drawer's links list)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "message", "url"], name="messaging_link_unique")]

    def __str__(self) -> str:
        return self.url


class ArchivedMessage(models.Model):
    """A message brought back from an encrypted chat backup that this user no longer has on the server."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message_id = models.UUIDField()
    conversation_id = models.UUIDField()
    conversation_title = models.CharField(max_length=100, blank=True)
    seq = models.BigIntegerField()
    sender_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=30)
    text = models.TextField(blank=True)
    card = models.JSONField(null=True, blank=True)
    media = models.JSONField(default=list)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "message_id"], name="messaging_archive_unique")]

    def __str__(self) -> str:
        return f"{self.conversation_title} #{self.seq}"


class Backup(BaseModel):
    """An encrypted chat backup the user keeps in their Drawer (the file is the Drawer item)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    drawer_item_id = models.UUIDField()
    name = models.CharField(max_length=255)
    message_count = models.PositiveIntegerField()
    size = models.BigIntegerField()
