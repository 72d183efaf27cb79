"""/api/v1/authenticity: public verification, owners' passports, the brand console, operators."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from sangsaeng.authenticity import selectors, services
from sangsaeng.authenticity.models import Brand, Passport
from sangsaeng.authenticity.verification import Verification
from sangsaeng.authenticity.views_public import SUN_PARAMS, request_device
from sangsaeng.core.errors import Problem
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["authenticity"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class AuthenticityVerificationOut(Schema):
    verdict: str = Field(..., description="authentic | unknown | suspected_clone | reported_stolen")
    authentic: bool
    reason: str
    message_ko: str
    message_en: str
    passport: dict[str, Any] | None
    reading: dict[str, Any] | None
    claim_token: str = Field("", description="For a fresh NFC read of an unclaimed passport: claim with it")


MESSAGES = {
    "authentic": ("정품 인증됨", "Authentic"),
    "unknown": ("정품 확인 불가", "Not authentic"),
    "suspected_clone": ("위조 의심 · 정품 확인 불가", "Suspected clone: not authentic"),
    "reported_stolen": ("도난·분실 신고된 제품", "Reported lost or stolen"),
}


def _verification(result: Verification) -> AuthenticityVerificationOut:
    ko, en = MESSAGES[result.verdict]
    show = result.passport is not None and result.verdict != "unknown"
    return AuthenticityVerificationOut(
        verdict=result.verdict,
        authentic=result.verdict == "authentic",
        reason=result.reason,
        message_ko=ko,
        message_en=en,
        passport=selectors.passport_public(result.passport) if show and result.passport else None,
        reading=result.reading.as_dict() if result.reading else None,
        claim_token=result.claim_token,
    )


@router.get("/verify/qr/{code}", response=AuthenticityVerificationOut, auth=None, summary="Verify a QR label")
def verify_qr(request: HttpRequest, code: str) -> AuthenticityVerificationOut:
    device, _cookie = request_device(request)
    return _verification(services.qr_verify(code=code, device=device))


@router.get(
    "/verify/nfc/{code}",
    response=AuthenticityVerificationOut,
    auth=None,
    summary="Verify an NTAG 424 DNA SUN message (picc_data|uid+ctr, cmac, optional enc and tt)",
)
def verify_nfc(
    request: HttpRequest,
    code: str,
    picc_data: str = "",
    cmac: str = "",
    enc: str = "",
    uid: str = "",
    ctr: str = "",
    tt: str = "",
) -> AuthenticityVerificationOut:
    device, _cookie = request_device(request)
    given = {"picc_data": picc_data, "cmac": cmac, "enc": enc, "uid": uid, "ctr": ctr, "tt": tt}
    params = {key: given[key][:200] for key in SUN_PARAMS}
    return _verification(services.nfc_verify(code=code, params=params, device=device))


@router.get("/passports/{token_id}", response=dict[str, Any], auth=None, summary="A passport's public record")
def passport_get(request: HttpRequest, token_id: int) -> dict[str, Any]:
    return selectors.passport_public(selectors.passport_get(token_id=token_id))


class AuthenticityPassportOut(Schema):
    token_id: int
    serial: str
    product_name: str
    model: str
    brand: str
    state: str
    owner_consent: bool
    public_url: str


def _mine(passport: Passport) -> AuthenticityPassportOut:
    return AuthenticityPassportOut(
        token_id=passport.token_id,
        serial=passport.serial,
        product_name=passport.product_name,
        model=passport.model_code,
        brand=passport.brand.slug,
        state=passport.state,
        owner_consent=passport.owner_consent,
        public_url=f"/authenticity/p/{passport.token_id}",
    )


class AuthenticityClaimIn(StrictInput):
    secret: str = Field("", max_length=64, description="The passphrase printed under the label")
    sun_token: str = Field("", max_length=400, description="claim_token from a fresh NFC verification")
    consent: bool = False


@router.post("/passports/{token_id}/claim", response=AuthenticityPassportOut, summary="Register as the owner")
def passport_claim(request: HttpRequest, token_id: int, payload: AuthenticityClaimIn) -> AuthenticityPassportOut:
    return _mine(
        services.passport_claim(
            actor=_user(request),
            token_id=token_id,
            secret=payload.secret,
            sun_token=payload.sun_token,
            consent=payload.consent,
        )
    )


@router.get("/my/passports", response=list[AuthenticityPassportOut], summary="Passports I own")
def my_passports(request: HttpRequest) -> list[AuthenticityPassportOut]:
    return [_mine(p) for p in selectors.passports_owned(user=_user(request))]


class AuthenticityTransferIn(StrictInput):
    email: str | None = Field(None, max_length=254)
    address: str | None = Field(None, max_length=42, description="An external wallet, checksummed if mixed case")


@router.post(
    "/my/passports/{token_id}/transfer",
    response={202: dict[str, Any]},
    summary="Pass a passport on to another user (e-mail) or an external wallet",
)
def passport_transfer(request: HttpRequest, token_id: int, payload: AuthenticityTransferIn) -> Status[dict[str, Any]]:
    if bool(payload.email) == bool(payload.address):
        raise Problem(
            code="one_recipient",
            status=422,
            ko="이메일이나 지갑 주소 중 하나만 주세요.",
            en="Give either an e-mail or an address.",
            field="email",
        )
    if payload.address:
        passport = services.passport_transfer_to_address(
            actor=_user(request), token_id=token_id, address=payload.address
        )
    else:
        passport = services.passport_transfer_to_user(
            actor=_user(request), token_id=token_id, email=payload.email or ""
        )
    return Status(202, {"token_id": passport.token_id, "external_address": passport.external_address or None})


class AuthenticityReportIn(StrictInput):
    state: str = Field(..., description="lost | stolen | active (found again)")


@router.post("/my/passports/{token_id}/report", response=AuthenticityPassportOut, summary="Report lost or stolen")
def passport_report(request: HttpRequest, token_id: int, payload: AuthenticityReportIn) -> AuthenticityPassportOut:
    return _mine(services.passport_report(actor=_user(request), token_id=token_id, state=payload.state))


class AuthenticityConsentIn(StrictInput):
    consent: bool


@router.post(
    "/my/passports/{token_id}/consent",
    response=AuthenticityPassportOut,
    summary="Let the brand see me as a registered customer (or withdraw)",
)
def passport_consent(request: HttpRequest, token_id: int, payload: AuthenticityConsentIn) -> AuthenticityPassportOut:
    return _mine(services.passport_consent(actor=_user(request), token_id=token_id, consent=payload.consent))


class AuthenticityBrandIn(StrictInput):
    name: str = Field(..., max_length=100, examples=["제주 옹기"])
    slug: str = Field("", max_length=60, examples=["jeju-onggi"])
    description: str = Field("", max_length=2000)
    partner_channel_id: UUID | None = None


class AuthenticityBrandOut(Schema):
    id: UUID
    name: str
    slug: str
    verified: bool
    verified_at: datetime | None
    partner_channel_id: UUID | None


def _brand(brand: Brand) -> AuthenticityBrandOut:
    return AuthenticityBrandOut(
        id=brand.public_id,
        name=brand.name,
        slug=brand.slug,
        verified=brand.is_verified,
        verified_at=brand.verified_at,
        partner_channel_id=brand.partner_channel_id,
    )


@router.post("/brands", response={201: AuthenticityBrandOut}, summary="Register a brand (an operator verifies it)")
def brand_create(request: HttpRequest, payload: AuthenticityBrandIn) -> Status[AuthenticityBrandOut]:
    brand = services.brand_create(
        owner=_user(request),
        name=payload.name,
        slug=payload.slug,
        description=payload.description,
        partner_channel_id=payload.partner_channel_id,
    )
    return Status(201, _brand(brand))


@router.get("/brands", response=list[AuthenticityBrandOut], summary="Brands I belong to")
def brand_list(request: HttpRequest) -> list[AuthenticityBrandOut]:
    return [_brand(b) for b in selectors.brands_of(user=_user(request))]


class AuthenticityIssueIn(StrictInput):
    serial: str = Field(..., max_length=80, examples=["JO-2026-0001"])
    product_name: str = Field(..., max_length=120, examples=["제주 옹기 달항아리"])
    model: str = Field(..., max_length=60, examples=["MOON-L"])
    manufactured_on: str = Field(..., max_length=10, examples=["2026-10-01"])
    manufactured_at: str = Field(..., max_length=120, examples=["제주특별자치도 제주시"])
    materials: list[str] = Field(default_factory=list, max_length=20)
    images: list[str] = Field(default_factory=list, max_length=10)
    warranty_months: int = Field(0, ge=0, le=600)
    warranty_terms: str = Field("", max_length=1000)


class AuthenticityIssuedOut(Schema):
    token_id: int
    serial: str
    claim_secret: str = Field(..., description="Shown once: print it under the label")
    qr_url: str
    metadata_sha256: str


def _issued(passport: Passport, secret: str) -> AuthenticityIssuedOut:
    return AuthenticityIssuedOut(
        token_id=passport.token_id,
        serial=passport.serial,
        claim_secret=secret,
        qr_url=f"/authenticity/t/{selectors.passport_qr_code(passport=passport)}",
        metadata_sha256=passport.metadata_sha256,
    )


@router.post("/brands/{slug}/passports", response={201: AuthenticityIssuedOut}, summary="Issue one passport")
def passport_issue(request: HttpRequest, slug: str, payload: AuthenticityIssueIn) -> Status[AuthenticityIssuedOut]:
    data = payload.model_dump()
    data["materials"] = ";".join(data["materials"])
    data["images"] = ";".join(data["images"])
    data["warranty_months"] = str(data["warranty_months"])
    passport, secret = services.passport_issue(actor=_user(request), slug=slug, data=data)
    return Status(201, _issued(passport, secret))


@router.post(
    "/brands/{slug}/passports/batch",
    response={201: list[AuthenticityIssuedOut]},
    summary="Issue every row of a CSV, or none (bad rows are listed by line number)",
)
def passport_batch(request: HttpRequest, slug: str, file: File[UploadedFile]) -> Status[list[AuthenticityIssuedOut]]:
    issued = services.passports_issue_csv(actor=_user(request), slug=slug, content=file.read(5 * 1_048_576))
    return Status(201, [_issued(p, s) for p, s in issued])


@router.get("/brands/{slug}/passports", response=list[dict[str, Any]], summary="The brand's passports")
def brand_passports(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    brand = services.access_brand(actor=_user(request), slug=slug)
    return [
        {
            "token_id": p.token_id,
            "serial": p.serial,
            "product_name": p.product_name,
            "state": p.state,
            "registered": p.owner_id is not None or bool(p.external_address),
        }
        for p in selectors.brand_passports(brand=brand)
    ]


class AuthenticityTagsIn(StrictInput):
    count: int = Field(..., ge=1, le=1000)


@router.post(
    "/brands/{slug}/tags",
    response={201: list[dict[str, str]]},
    summary="Make NFC tags: per-tag SDM keys (shown once) and the URL template",
)
def tags_create(request: HttpRequest, slug: str, payload: AuthenticityTagsIn) -> Status[list[dict[str, str]]]:
    return Status(201, services.brand_nfc_tags_create(actor=_user(request), slug=slug, count=payload.count))


class AuthenticityAttachIn(StrictInput):
    token_id: int


@router.post("/brands/{slug}/tags/{code}/attach", response=dict[str, Any], summary="Put an NFC tag on a passport")
def tag_attach(request: HttpRequest, slug: str, code: str, payload: AuthenticityAttachIn) -> dict[str, Any]:
    tag = services.tag_attach(actor=_user(request), slug=slug, tag_code=code[:32], token_id=payload.token_id)
    return {"code": tag.code, "token_id": payload.token_id}


@router.post(
    "/brands/{slug}/passports/{token_id}/recover",
    response=AuthenticityIssuedOut,
    summary="Take a passport back into custody within the recovery window",
)
def passport_recover(request: HttpRequest, slug: str, token_id: int) -> AuthenticityIssuedOut:
    passport, secret = services.passport_recover(actor=_user(request), slug=slug, token_id=token_id)
    return _issued(passport, secret)


@router.get(
    "/brands/{slug}/customers", response=list[dict[str, Any]], summary="Registered customers (owners who consented)"
)
def brand_customers(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return selectors.brand_customers(brand=services.access_brand(actor=_user(request), slug=slug))


class AuthenticityVerifyBrandIn(StrictInput):
    verified: bool = True


@router.post("/operator/brands/{slug}/verify", response=AuthenticityBrandOut, summary="Operator: verify a brand")
def brand_verify(request: HttpRequest, slug: str, payload: AuthenticityVerifyBrandIn) -> AuthenticityBrandOut:
    return _brand(services.brand_verify(actor=_user(request), slug=slug, verified=payload.verified))
