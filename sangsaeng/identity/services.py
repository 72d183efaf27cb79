"""The identity app's public operations; other apps import these (and selectors) only."""

from __future__ import annotations

from sangsaeng.identity.credentials import (
    IDENTITY_CLAIMS,
    VerificationResult,
    access_credential,
    age_proof_verify,
    credential_issue,
    credential_revoke,
    credential_revoke_by_operator,
    credential_token,
    presentation_create,
    presentation_verify,
    signed_card_issue,
    signed_card_verify,
    status_list_token,
    verifier_nonce_consume,
    verifier_nonce_issue,
)
from sangsaeng.identity.keys import issuer_key_rotate
from sangsaeng.identity.verification import (
    access_review,
    document_purge_expired,
    document_read,
    document_submit,
    identity_approve_in_person,
    identity_record_from_provider,
    phone_code_confirm,
    phone_code_send,
    review_decide,
)

__all__ = [
    "IDENTITY_CLAIMS",
    "VerificationResult",
    "access_credential",
    "access_review",
    "age_proof_verify",
    "credential_issue",
    "credential_revoke",
    "credential_revoke_by_operator",
    "credential_token",
    "document_purge_expired",
    "document_read",
    "document_submit",
    "identity_approve_in_person",
    "identity_record_from_provider",
    "issuer_key_rotate",
    "phone_code_confirm",
    "phone_code_send",
    "presentation_create",
    "presentation_verify",
    "review_decide",
    "signed_card_issue",
    "signed_card_verify",
    "status_list_token",
    "verifier_nonce_consume",
    "verifier_nonce_issue",
]
