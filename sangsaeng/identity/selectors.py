"""Reads of the identity app, for its pages and for other apps (business cards, stores)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sangsaeng.identity import keys
from sangsaeng.identity.credentials import issuer_id
from sangsaeng.identity.models import Credential, DocumentReview, PhoneVerification, VerifiedIdentity


def issuer_jwks() -> dict[str, Any]:
    """The issuer's public keys as a JWK Set; the platform-wide /.well-known/jwks.json includes them."""
    return keys.issuer_jwks()


def issuer_metadata(*, base_url: str) -> dict[str, Any]:
    """SD-JWT VC issuer metadata (`/.well-known/jwt-vc-issuer`): the issuer and where its keys are."""
    return {"issuer": issuer_id(), "jwks_uri": base_url.rstrip("/") + "/identity/.well-known/jwks.json"}


def verified_identity_get(*, user: Any) -> VerifiedIdentity | None:
    return VerifiedIdentity.objects.filter(user=user).first()


def verified_legal_name(*, user: Any) -> str:
    identity = verified_identity_get(user=user)
    return identity.legal_name if identity is not None else ""


def verified_phone(*, user: Any) -> str:
    if user.phone and PhoneVerification.objects.filter(user=user, phone=user.phone, verified_at__isnull=False).exists():
        return str(user.phone)
    return ""


def review_list_pending() -> list[DocumentReview]:
    return list(DocumentReview.objects.filter(status=DocumentReview.Status.PENDING).select_related("user"))


def review_latest(*, user: Any) -> DocumentReview | None:
    return DocumentReview.objects.filter(user=user).order_by("-created_at").first()


def credential_list(*, user: Any) -> list[Credential]:
    return list(Credential.objects.filter(user=user))


def status_list_size() -> int:
    return int(settings.IDENTITY_STATUS_LIST_SIZE)
