"""API keys for the OpenAI-compatible LM API, and metered usage per key per day."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class ApiKey(BaseModel):
    """A secret shown once; only its SHA-256 is stored (see keys.py for why a fast hash is enough)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lm_keys")
    label = models.CharField(_("이름"), max_length=80)
    partner = models.CharField(_("파트너"), max_length=80, blank=True)
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)
    requests_per_minute = models.PositiveIntegerField(_("분당 요청 수"))
    max_concurrent = models.PositiveIntegerField(_("동시 요청 수"))
    monthly_token_quota = models.PositiveBigIntegerField(_("월 토큰 한도"))
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.prefix}…)"


class UsageDay(models.Model):
    """Tokens and requests of one key on one KST (Asia/Seoul) day; what a revenue booking reads."""

    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="usage_days")
    day = models.DateField()
    requests = models.PositiveBigIntegerField(default=0)
    prompt_tokens = models.PositiveBigIntegerField(default=0)
    completion_tokens = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-day"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="lm_usage_key_day")]

    def __str__(self) -> str:
        return f"{self.key_id} {self.day}"
