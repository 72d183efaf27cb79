"""Identity: document reviews, verified identities, phone codes, issuer keys and credentials."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sangsaeng.core.models import BaseModel


class DocumentReview(BaseModel):
    """An ID document photo waiting for an operator, then the decision about it.

    The photo is envelope-encrypted (`document_encrypted`) and wiped at the decision, or after
    IDENTITY_DOCUMENT_RETENTION_DAYS when nobody decided; the decision and the photo's SHA-256 stay.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")
        EXPIRED = "expired", _("기한 만료")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="document_reviews")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    document_type = models.CharField(max_length=20)
    document_encrypted = models.TextField(blank=True)
    content_type = models.CharField(max_length=40)
    document_sha256 = models.CharField(max_length=64)
    document_deleted_at = models.DateTimeField(null=True, blank=True)
    claimed_name = models.CharField(max_length=60)
    claimed_birthdate = models.DateField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.claimed_name} {self.status}"


class VerifiedIdentity(BaseModel):
    """What an operator or a provider confirmed about a person: the source of every credential."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verified_identity")
    legal_name = models.CharField(max_length=60)
    birthdate = models.DateField()
    method = models.CharField(max_length=30)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.legal_name


class PhoneVerification(BaseModel):
    """A six-digit code sent by SMS; only its hash is stored, and it works once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_verifications")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.phone


class IssuerKey(BaseModel):
    """An ES256 issuer key; the private half is envelope-encrypted. Retired keys stay in the JWKS
    until every credential they signed has expired."""

    kid = models.CharField(max_length=64, unique=True)
    private_key_encrypted = models.TextField()
    public_jwk = models.JSONField()
    active = models.BooleanField(default=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.kid


class HolderKey(BaseModel):
    """The key of a user's hosted wallet, which signs key-binding JWTs for its presentations."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holder_key")
    private_key_encrypted = models.TextField()
    public_jwk = models.JSONField()

    def __str__(self) -> str:
        return str(self.public_jwk.get("x", ""))


class Credential(BaseModel):
    """An issued SD-JWT VC. Only metadata is kept: the token itself is the holder's."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials")
    vct = models.CharField(max_length=200)
    issuer_kid = models.CharField(max_length=64)
    status_index = models.PositiveIntegerField(unique=True)
    expires_at = models.DateTimeField()
    hosted = models.BooleanField(default=False)
    # The hosted wallet keeps the token to build presentations; encrypted like any secret at rest.
    token_encrypted = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.vct} #{self.status_index}"


class VerifierNonce(models.Model):
    """A one-time nonce an in-platform verifier asked a wallet to sign; deleted when used."""

    nonce = models.CharField(max_length=64, unique=True)
    audience = models.CharField(max_length=300)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.audience
