"""What identity does when other apps announce something (handlers of outbox events)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from sangsaeng.core.audit import audit_record
from sangsaeng.core.outbox import handles
from sangsaeng.identity.models import Credential, DocumentReview, HolderKey, PhoneVerification, VerifiedIdentity


@handles("account_deleted")
def identity_erase_on_account_deleted(payload: dict[str, Any]) -> None:
    """Revoke every credential (its status bit stays set for good) and erase the verified identity,
    the wallet key, phone codes and any ID photo still waiting. Idempotent."""
    user_filter = {"user__public_id": payload["user_id"]}
    now = timezone.now()
    revoked = Credential.objects.filter(**user_filter, revoked_at__isnull=True).update(
        revoked_at=now, revoked_reason="account deleted", token_encrypted=""
    )
    Credential.objects.filter(**user_filter).update(token_encrypted="")
    DocumentReview.objects.filter(**user_filter).exclude(document_encrypted="").update(
        document_encrypted="", document_deleted_at=now
    )
    VerifiedIdentity.objects.filter(**user_filter).delete()
    HolderKey.objects.filter(**user_filter).delete()
    PhoneVerification.objects.filter(**user_filter).delete()
    audit_record(action="identity.erased", target=payload["user_id"], data={"credentials_revoked": revoked})
