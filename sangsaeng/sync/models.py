"""Sync: partner apps on top of django-oauth-toolkit, their terms and consent items, and what
each user agreed to. OAuth clients, grants and tokens stay in django-oauth-toolkit's tables.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import Application

from sangsaeng.core.models import BaseModel, WebhookEndpoint


class ConsentItem(models.TextChoices):
    """What a partner may ask for; each item's claims and scope are in `sync.claims`."""

    PROFILE = "profile", _("프로필 정보(닉네임/프로필 사진)")
    NAME = "name", _("이름")
    EMAIL = "email", _("이메일")
    PHONE = "phone", _("전화번호")
    BIRTHDAY = "birthday", _("생일 및 출생 연도")
    AGE_RANGE = "age_range", _("연령대")
    GENDER = "gender", _("성별")
    SHIPPING_ADDRESS = "shipping_address", _("배송지 정보")


class Requirement(models.TextChoices):
    REQUIRED = "required", _("필수")
    OPTIONAL = "optional", _("선택")


class Partner(BaseModel):
    """A partner shop's Sync app: the face of one django-oauth-toolkit Application."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="partner")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_partners")
    name = models.CharField(_("서비스 이름"), max_length=80)
    logo_url = models.URLField(_("로고 URL"), max_length=500, blank=True)
    privacy_policy_url = models.URLField(_("개인정보 처리방침 URL"), max_length=500, blank=True)
    # {"email": "required", "shipping_address": "optional", ...}; items not listed are not asked.
    consent_items = models.JSONField(default=dict, blank=True)
    channel_name = models.CharField(_("채널 이름"), max_length=80, blank=True)
    unlink_webhook = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.name

    @property
    def offers_channel(self) -> bool:
        return bool(self.channel_name)


class ServiceTerm(BaseModel):
    """One of the partner's own terms, agreed in the Sync consent screen."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="terms")
    tag = models.SlugField(_("태그"), max_length=40)
    title = models.CharField(_("제목"), max_length=120)
    text = models.TextField(_("내용"), blank=True)
    url = models.URLField(_("약관 URL"), max_length=500, blank=True)
    required = models.BooleanField(_("필수"), default=True)
    revocable = models.BooleanField(_("철회 가능"), default=False)

    class Meta:
        ordering = ["-required", "created_at"]
        constraints = [models.UniqueConstraint(fields=["partner", "tag"], name="sync_term_tag_unique")]

    def __str__(self) -> str:
        return f"{self.partner}: {self.tag}"


class Link(BaseModel):
    """A user signed in to a partner at least once and has not unlinked since."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sync_links")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="links")
    channel_followed = models.BooleanField(default=False)
    channel_decided_at = models.DateTimeField(null=True, blank=True)
    # Set when the first ID token is issued: until then the shop sees is_new_user=true.
    first_signin_at = models.DateTimeField(null=True, blank=True)
    unlinked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partner"], condition=Q(unlinked_at__isnull=True), name="sync_one_live_link"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ↔ {self.partner}"


class Consent(BaseModel):
    """The user's decision on one consent item for a link, with its time; withdrawal keeps the row."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="consents")
    item = models.CharField(max_length=30, choices=ConsentItem.choices)
    granted = models.BooleanField()
    decided_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "item"], name="sync_consent_unique")]

    def __str__(self) -> str:
        return f"{self.item}={self.granted}"


class TermAgreement(BaseModel):
    """The user's agreement to one service term, with its time; a revocation keeps the row."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="agreements")
    term = models.ForeignKey(ServiceTerm, on_delete=models.CASCADE, related_name="agreements")
    agreed_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "term"], name="sync_agreement_unique")]

    def __str__(self) -> str:
        return f"{self.term.tag} @ {self.agreed_at:%Y-%m-%d}"


class SigningKey(BaseModel):
    """An RS256 key for ID tokens. The private key is stored envelope-encrypted.

    The newest active key signs; retired keys stay in the JWKS until the tokens they signed have
    expired, so relying parties that cached the JWKS keep verifying across a rotation.
    """

    kid = models.CharField(max_length=64, unique=True)
    private_pem_encrypted = models.TextField()
    public_jwk = models.JSONField()
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.kid


class CodeRedemption(models.Model):
    """A redeemed authorization code (SHA-256 only) and the token family it minted.

    RFC 6749 §4.1.2: a code presented twice means it leaked, so the tokens it produced are revoked.
    """

    code_sha256 = models.CharField(max_length=64, unique=True)
    token_family = models.UUIDField(null=True)
    redeemed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.code_sha256[:12]
