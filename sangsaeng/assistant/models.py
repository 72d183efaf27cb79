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
