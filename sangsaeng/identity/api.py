"""/api/v1/identity: the holder's credentials and presentations, phone codes, and the verifier."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sangsaeng.core import ratelimit
from sangsaeng.core.schemas import StrictInput
from sangsaeng.identity import selectors, services
from sangsaeng.identity.models import Credential

router = Router(tags=["identity"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class StatusOut(Schema):
    verified: bool
    legal_name: str
    birthdate: str
    phone_verified: str
    review_status: str
    review_reason: str


@router.get("/identity/status", response=StatusOut, summary="My verification status")
def identity_status(request: HttpRequest) -> StatusOut:
    user = _user(request)
    identity = selectors.verified_identity_get(user=user)
    review = selectors.review_latest(user=user)
    return StatusOut(
        verified=identity is not None,
        legal_name=identity.legal_name if identity else "",
        birthdate=identity.birthdate.isoformat() if identity else "",
        phone_verified=selectors.verified_phone(user=user),
        review_status=review.status if review else "",
        review_reason=review.reason if review else "",
    )


class CredentialOut(Schema):
    id: UUID
    vct: str
    hosted: bool
    status_index: int
    expires_at: datetime
    revoked: bool


def _credential(credential: Credential) -> CredentialOut:
    return CredentialOut(
        id=credential.public_id,
        vct=credential.vct,
        hosted=credential.hosted,
        status_index=credential.status_index,
        expires_at=credential.expires_at,
        revoked=credential.revoked_at is not None,
    )


class IssueIn(StrictInput):
    holder_jwk: dict[str, Any] | None = Field(
        None, description="EC P-256 public JWK of your own wallet; omit to keep the credential in the hosted wallet"
    )


class IssuedOut(Schema):
    credential: CredentialOut
    sd_jwt: str


@router.get("/identity/credentials", response=list[CredentialOut], summary="My identity credentials")
def credential_list(request: HttpRequest) -> list[CredentialOut]:
    return [_credential(c) for c in selectors.credential_list(user=_user(request))]


@router.post("/identity/credentials", response={201: IssuedOut}, summary="Issue an SD-JWT VC to me")
def credential_issue(request: HttpRequest, payload: IssueIn) -> Status[IssuedOut]:
    credential, token = services.credential_issue(user=_user(request), holder_jwk=payload.holder_jwk)
    return Status(201, IssuedOut(credential=_credential(credential), sd_jwt=token))


@router.post("/identity/credentials/{credential_id}/revoke", response=CredentialOut, summary="Revoke my credential")
def credential_revoke(request: HttpRequest, credential_id: UUID) -> CredentialOut:
    return _credential(services.credential_revoke(actor=_user(request), credential_id=credential_id))


class PresentIn(StrictInput):
    disclose: list[str] = Field(..., examples=[["is_over_19"]])
    nonce: str = Field(..., min_length=8, max_length=200)
    audience: str = Field(..., min_length=1, max_length=300)
    credential_id: UUID | None = None


class PresentationOut(Schema):
    presentation: str


@router.post(
    "/identity/presentations",
    response=PresentationOut,
    summary="Present my hosted credential to a verifier, disclosing only the named claims",
)
def presentation_create(request: HttpRequest, payload: PresentIn) -> PresentationOut:
    presentation = services.presentation_create(
        actor=_user(request),
        credential_id=payload.credential_id,
        disclose=payload.disclose,
        nonce=payload.nonce,
        audience=payload.audience,
    )
    return PresentationOut(presentation=presentation)


class VerifyIn(StrictInput):
    presentation: str = Field(..., max_length=20_000)
    nonce: str = Field(..., max_length=200)
    audience: str = Field(..., max_length=300)


class VerifyOut(Schema):
    valid: bool
    issuer: str
    vct: str
    disclosed: list[str]
    claims: dict[str, Any]


@router.post(
    "/identity/verify",
    response=VerifyOut,
    auth=None,
    summary="Verify an SD-JWT VC presentation (any verifier, no sign-in); refusals are 422 with a reason code",
)
def presentation_verify(request: HttpRequest, payload: VerifyIn) -> VerifyOut:
    ratelimit.consume(scope="identity.verify", key=ratelimit.client_ip(request), limit=600, window=60)
    result = services.presentation_verify(
        presentation=payload.presentation, nonce=payload.nonce, audience=payload.audience
    )
    shown = {k: v for k, v in result.claims.items() if k not in {"cnf", "status"}}
    return VerifyOut(valid=True, issuer=result.issuer, vct=result.vct, disclosed=result.disclosed, claims=shown)


class PhoneIn(StrictInput):
    phone: str = Field(..., max_length=20, examples=["010-1234-5678"])


class PhoneCodeIn(StrictInput):
    code: str = Field(..., max_length=10)


class PhoneOut(Schema):
    phone: str


@router.post("/identity/phone", response={202: PhoneOut}, summary="Send a code to my phone by SMS")
def phone_send(request: HttpRequest, payload: PhoneIn) -> Status[PhoneOut]:
    verification = services.phone_code_send(user=_user(request), phone=payload.phone)
    return Status(202, PhoneOut(phone=verification.phone))


@router.post("/identity/phone/confirm", response=PhoneOut, summary="Confirm the SMS code")
def phone_confirm(request: HttpRequest, payload: PhoneCodeIn) -> PhoneOut:
    return PhoneOut(phone=services.phone_code_confirm(user=_user(request), code=payload.code))
