"""The assistant's memory (one row per question and answer), its audit trail and per-user settings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class Turn(BaseModel):
    """One question and the answer it got, kept for the user's history until retention ends."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_turns")
    persona = models.CharField(max_length=20)
    question = models.TextField()
    answer = models.TextField()
    calls = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="assistant_turn_user_idx")]


class AuditEntry(BaseModel):
    """Every tool call the assistant made, for whom, with which arguments and how it ended."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_audit")
    tool = models.CharField(max_length=40)
    args = models.JSONField(default=dict)
    ok = models.BooleanField(default=True)
    error = models.CharField(max_length=60, blank=True)
    results = models.PositiveIntegerField(default=0)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]


class Preference(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_pref")
    retention_days = models.PositiveIntegerField(_("대화 보관 기간(일)"), default=30)


class Action(BaseModel):
    """Something the assistant proposed that waits for the user's yes: a reminder or a message draft.

    Nothing happens until the user confirms (API, page or the chat card). A confirmed draft is sent
    through messaging as the user; a confirmed reminder is scheduled and the periodic sweep posts it
    into the user's conversation with the assistant when it is due. A pending action expires.
    """

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("알림")
        DRAFT = "draft", _("메시지 초안")

    class Status(models.TextChoices):
        PENDING = "pending", _("확인 대기")
        SCHEDULED = "scheduled", _("예약됨")
        SENT = "sent", _("보냄")
        CANCELLED = "cancelled", _("취소됨")
        EXPIRED = "expired", _("만료됨")
        FAILED = "failed", _("보내지 못함")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_actions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    text = models.TextField()
    due_at = models.DateTimeField(null=True, blank=True)
    # a draft's conversation, chosen when it was proposed, and what the user calls it
    conversation_id = models.UUIDField(null=True, blank=True)
    target = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.UUIDField(null=True, blank=True)
    error = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "status"], name="assistant_action_user_idx"),
            models.Index(fields=["status", "due_at"], name="assistant_action_due_idx"),
        ]


class ChatReply(BaseModel):
    """A chat message addressed to the assistant in a user's 1:1 with it: answered once, whatever retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        RUNNING = "running", _("답하는 중")
        DONE = "done", _("답함")
        FAILED = "failed", _("실패")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message_id = models.UUIDField(unique=True)
    conversation_id = models.UUIDField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="assistant_reply_status_idx")]


class BotAccount(models.Model):
    """The account the assistant speaks as in chat: the one this app made, never one found by address.

    Looking the bot up by e-mail alone would let someone who signed up with that address first
    become "the assistant"; only an account recorded here is the bot.
    """

    key = models.CharField(max_length=20, unique=True, default="assistant")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
