"""Issuing, presenting, revoking and verifying the platform's SD-JWT VCs.

The identity credential (vct `<issuer>/vct/identity`) discloses selectively: `name`, `birthdate`,
`is_over_19` and `phone_number`. The issuer signs with ES256 keys published at
`/identity/.well-known/jwks.json` (and `/.well-known/jwt-vc-issuer` points there). Every credential
carries a Token Status List reference, so revoking it is flipping one bit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.core import crypto
from sangsaeng.core.audit import audit_record
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.identity import jose, keys, sdjwt, statuslist
from sangsaeng.identity.models import Credential, PhoneVerification, VerifiedIdentity, VerifierNonce

TOKEN_CONTEXT = "identity.Credential.token"
IDENTITY_CLAIMS = ("name", "birthdate", "is_over_19", "phone_number")
STATUS_LIST_PATH = "/identity/status/1"


def issuer_id() -> str:
    return settings.IDENTITY_ISSUER.rstrip("/")


def vct_identity() -> str:
    return f"{issuer_id()}/vct/identity"


def status_list_uri() -> str:
    return issuer_id() + STATUS_LIST_PATH


def age_on(birthdate: date, day: date) -> int:
    """Full years (만 나이), as Korean law counts age since June 2023."""
    return day.year - birthdate.year - ((day.month, day.day) < (birthdate.month, birthdate.day))


def _nineteenth_birthday(birthdate: date) -> datetime:
    """Midnight in Seoul on the day the holder turns 19 (29 February counts from 1 March)."""
    try:
        day = birthdate.replace(year=birthdate.year + 19)
    except ValueError:
        day = date(birthdate.year + 19, 3, 1)
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _verified_phone(user: Any) -> str:
    if user.phone and PhoneVerification.objects.filter(user=user, phone=user.phone, verified_at__isnull=False).exists():
        return str(user.phone)
    return ""


def _check_holder_jwk(jwk: Any) -> dict[str, str]:
    try:
        jose.jwk_public_key(jwk)
    except jose.JoseError as exc:
        raise Problem(
            code="invalid_holder_key",
            field="holder_jwk",
            ko="지갑 공개키(JWK)가 올바르지 않습니다.",
            en=f"The holder key is not usable: {exc}.",
        ) from exc
    return {k: jwk[k] for k in ("kty", "crv", "x", "y")}


def credential_issue(
    *,
    user: Any,
    holder_jwk: dict[str, Any] | None = None,
    now: datetime | None = None,
    lifetime: timedelta | None = None,
) -> tuple[Credential, str]:
    """Issue an identity SD-JWT VC to a verified user.

    Without `holder_jwk`, it is bound to the user's hosted wallet key and kept (encrypted) for the
    wallet page; with one, it is bound to the holder's own wallet and only returned.
    """
    identity = VerifiedIdentity.objects.filter(user=user).first()
    if identity is None:
        raise Problem(
            code="not_verified",
            status=409,
            ko="신원 확인을 먼저 마쳐야 합니다.",
            en="The identity has not been verified yet.",
        )
    hosted = holder_jwk is None
    jwk = keys.holder_key(user=user)[0] if holder_jwk is None else _check_holder_jwk(holder_jwk)
    now = now or timezone.now()
    expires = now + (lifetime or timedelta(days=settings.IDENTITY_CREDENTIAL_DAYS))
    over_19 = age_on(identity.birthdate, timezone.localdate(now)) >= 19
    if not over_19:
        # `is_over_19: false` must not outlive the 19th birthday; the holder then gets a new credential.
        expires = min(expires, _nineteenth_birthday(identity.birthdate))
    kid, key = keys.issuer_signing_key()
    claims: dict[str, Any] = {
        "iss": issuer_id(),
        "iat": int(now.timestamp()),
        "exp": int(expires.timestamp()),
        "vct": vct_identity(),
        "cnf": {"jwk": jwk},
        "name": identity.legal_name,
        "birthdate": identity.birthdate.isoformat(),
        "is_over_19": over_19,
    }
    disclosable = ["name", "birthdate", "is_over_19"]
    phone = _verified_phone(user)
    if phone:
        claims["phone_number"] = "+82" + phone.replace("-", "")[1:]
        disclosable.append("phone_number")
    # Indexes are random; two concurrent issues may draw the same one (PostgreSQL), so the unique
    # constraint decides and the loser draws again.
    for attempt in range(5):
        try:
            with transaction.atomic():
                taken = set(Credential.objects.values_list("status_index", flat=True))
                index = keys.random_index(settings.IDENTITY_STATUS_LIST_SIZE, taken)
                claims["status"] = {"status_list": {"idx": index, "uri": status_list_uri()}}
                token = sdjwt.issue(claims=claims, disclosable=disclosable, key=key, kid=kid)
                credential = Credential.objects.create(
                    user=user,
                    vct=claims["vct"],
                    issuer_kid=kid,
                    status_index=index,
                    expires_at=expires,
                    hosted=hosted,
                    token_encrypted=crypto.encrypt_text(token, context=TOKEN_CONTEXT) if hosted else "",
                )
                audit_record(action="identity.credential_issued", actor=user, target=str(credential.public_id))
            break
        except IntegrityError:
            if attempt == 4:
                raise
    return credential, token


def access_credential(*, actor: Any, credential_id: Any) -> Credential:
    credential = Credential.objects.filter(user=actor, public_id=credential_id).first()
    if credential is None:
        raise not_found("credential")
    return credential


def _revoke(*, actor: Any, only_own: bool, credential_id: Any, reason: str) -> Credential:
    with transaction.atomic():
        query = Credential.objects.select_for_update()
        if only_own:
            query = query.filter(user=actor)
        credential = query.filter(public_id=credential_id).first()
        if credential is None:
            raise not_found("credential")
        if credential.revoked_at is None:
            credential.revoked_at = timezone.now()
            credential.revoked_reason = reason[:200]
            credential.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
            audit_record(
                action="identity.credential_revoked",
                actor=actor,
                target=str(credential.public_id),
                data={"reason": reason[:200]},
            )
    return credential


def credential_revoke(*, actor: Any, credential_id: Any, reason: str = "") -> Credential:
    """Flip the credential's status bit; holders revoke their own, staff any."""
    return _revoke(
        actor=actor, only_own=not getattr(actor, "is_staff", False), credential_id=credential_id, reason=reason
    )


def credential_revoke_by_operator(*, credential_id: Any, reason: str) -> Credential:
    """Revocation from the operator console (`sangsaeng identity revoke`)."""
    return _revoke(actor=None, only_own=False, credential_id=credential_id, reason=reason)


def credential_token(*, credential: Credential) -> str:
    if not credential.token_encrypted:
        raise not_found("credential")
    return crypto.decrypt_text(credential.token_encrypted, context=TOKEN_CONTEXT)


def presentation_create(
    *, actor: Any, credential_id: Any | None = None, disclose: list[str], nonce: str, audience: str
) -> str:
    """A presentation from the hosted wallet, revealing only `disclose`, bound to nonce and audience."""
    unknown = set(disclose) - set(IDENTITY_CLAIMS)
    if unknown:
        raise Problem(
            code="unknown_claim",
            field="disclose",
            ko="공개할 수 없는 항목입니다.",
            en=f"Unknown claims: {', '.join(sorted(unknown))}.",
        )
    if not nonce or not audience:
        raise Problem(
            code="nonce_required",
            field="nonce",
            ko="검증자의 nonce와 audience가 필요합니다.",
            en="The verifier's nonce and audience are required.",
        )
    if credential_id is None:
        credential = Credential.objects.filter(
            user=actor, hosted=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).first()
        if credential is None:
            raise Problem(
                code="no_credential",
                status=409,
                ko="지갑에 사용할 수 있는 신분 증명이 없습니다.",
                en="The wallet holds no usable identity credential.",
            )
    else:
        credential = access_credential(actor=actor, credential_id=credential_id)
    _jwk, holder = keys.holder_key(user=actor)
    return sdjwt.present(
        sd_jwt=credential_token(credential=credential),
        disclose=disclose,
        holder_key=holder,
        nonce=nonce,
        audience=audience,
        iat=int(timezone.now().timestamp()),
    )


def status_list_token(*, now: datetime | None = None) -> str:
    now = now or timezone.now()
    kid, key = keys.issuer_signing_key()
    revoked = set(Credential.objects.filter(revoked_at__isnull=False).values_list("status_index", flat=True))
    return statuslist.token_make(
        uri=status_list_uri(),
        revoked=revoked,
        size=settings.IDENTITY_STATUS_LIST_SIZE,
        key=key,
        kid=kid,
        now=int(now.timestamp()),
        ttl=settings.IDENTITY_STATUS_LIST_TTL,
    )


def _resolve_key(issuer: str, kid: str) -> Any:
    if issuer != issuer_id():
        return None
    return keys.issuer_public_key(kid)


def _status_check(status: dict[str, Any]) -> int:
    """Our own status bit, read from the rows the served status list is built from."""
    ref = status.get("status_list") if isinstance(status, dict) else None
    if not isinstance(ref, dict) or not isinstance(ref.get("idx"), int) or ref.get("uri") != status_list_uri():
        raise sdjwt.VerificationError("status_unavailable", "The credential's status list can't be read.")
    revoked = Credential.objects.filter(status_index=ref["idx"], revoked_at__isnull=False).exists()
    return statuslist.INVALID if revoked else statuslist.VALID


@dataclass(frozen=True)
class VerificationResult:
    issuer: str
    vct: str
    claims: dict[str, Any]
    disclosed: list[str]


def presentation_verify(
    *, presentation: str, nonce: str, audience: str, now: datetime | None = None, expected_vct: str | None = None
) -> VerificationResult:
    """Verify a presentation of a credential issued here; raises Problem(code=<reason>) when refused."""
    if not isinstance(presentation, str) or len(presentation) > 20_000:
        raise Problem(
            code="malformed",
            field="presentation",
            ko="SD-JWT 형식이 올바르지 않습니다.",
            en="The presentation is not an SD-JWT.",
        )
    moment = int((now or timezone.now()).timestamp())
    try:
        verified = sdjwt.verify(
            presentation,
            resolve_key=_resolve_key,
            nonce=nonce,
            audience=audience,
            now=moment,
            status_check=_status_check,
        )
    except sdjwt.VerificationError as exc:
        raise Problem(
            code=exc.code,
            status=422,
            ko=_REASONS_KO.get(exc.code, "검증에 실패했습니다."),
            en=exc.message,
            field="presentation",
        ) from exc
    if expected_vct is not None and verified.vct != expected_vct:
        raise Problem(
            code="wrong_type",
            status=422,
            field="presentation",
            ko="요청한 종류의 증명이 아닙니다.",
            en="The credential is not of the requested type.",
        )
    return VerificationResult(
        issuer=verified.issuer, vct=verified.vct, claims=verified.claims, disclosed=verified.disclosed
    )


_REASONS_KO = {
    "malformed": "SD-JWT 형식이 올바르지 않습니다.",
    "malformed_disclosure": "공개 항목(disclosure) 형식이 올바르지 않습니다.",
    "wrong_type": "SD-JWT VC가 아닙니다.",
    "unknown_issuer": "신뢰하지 않는 발급자입니다.",
    "bad_signature": "발급자 서명이 맞지 않습니다.",
    "expired": "만료된 증명입니다.",
    "not_yet_valid": "아직 유효하지 않은 증명입니다.",
    "tampered_disclosure": "공개 항목이 변조되었습니다.",
    "unsupported_sd_alg": "지원하지 않는 해시 알고리즘입니다.",
    "no_holder_key": "소지자 키가 없는 증명입니다.",
    "key_binding_missing": "소지자 서명(KB-JWT)이 없습니다.",
    "bad_key_binding": "소지자 서명(KB-JWT)이 맞지 않습니다.",
    "sd_hash_mismatch": "소지자 서명이 다른 공개 항목을 가리킵니다.",
    "wrong_nonce": "다른 요청(nonce)에 대한 제출입니다.",
    "wrong_audience": "다른 검증자에게 만든 제출입니다.",
    "stale_presentation": "제출이 너무 오래되었습니다.",
    "revoked": "발급자가 폐기한 증명입니다.",
    "suspended": "발급자가 정지한 증명입니다.",
    "status_unavailable": "증명의 상태를 확인할 수 없습니다.",
}


def age_proof_verify(*, presentation: str, nonce: str, audience: str) -> bool:
    """The store's over-19 gate: True only for a valid identity presentation disclosing is_over_19=true.

    The gate needs no other claim, so a presentation that also reveals the name or birth date is
    refused (data minimisation), as is any verification failure.
    """
    try:
        result = presentation_verify(
            presentation=presentation, nonce=nonce, audience=audience, expected_vct=vct_identity()
        )
    except Problem:
        return False
    return result.disclosed == ["is_over_19"] and result.claims.get("is_over_19") is True


SIGNED_CARD_DAYS = 30


def signed_card_issue(*, owner: Any, claims: dict[str, Any], disclosable: list[str]) -> str:
    """Sign a business card as an SD-JWT (no holder binding) so receivers can check badges offline.

    It expires after SIGNED_CARD_DAYS: a badge can be lost (a new company, a revoked identity), so an
    offline copy must not vouch for it forever; receivers fetch a fresh one from the card's link.
    """
    kid, key = keys.issuer_signing_key()
    now = int(timezone.now().timestamp())
    payload = {
        "iss": issuer_id(),
        "iat": now,
        "exp": now + SIGNED_CARD_DAYS * 86_400,
        "vct": f"{issuer_id()}/vct/business-card",
        **claims,
    }
    return sdjwt.issue(claims=payload, disclosable=disclosable, key=key, kid=kid)


def signed_card_verify(*, sd_jwt: str) -> dict[str, Any]:
    """The card claims a receiver may trust: issuer signature and every disclosure checked."""
    try:
        verified = sdjwt.verify(
            sd_jwt,
            resolve_key=_resolve_key,
            nonce="",
            audience="",
            now=int(timezone.now().timestamp()),
            require_key_binding=False,
        )
    except sdjwt.VerificationError as exc:
        raise Problem(
            code=exc.code,
            status=422,
            ko=_REASONS_KO.get(exc.code, "검증에 실패했습니다."),
            en=exc.message,
            field="sd_jwt",
        ) from exc
    if verified.vct != f"{issuer_id()}/vct/business-card":
        raise Problem(
            code="wrong_type",
            status=422,
            field="sd_jwt",
            ko="명함 증명이 아닙니다.",
            en="This is not a signed business card.",
        )
    return verified.claims


NONCE_TTL = 300


def verifier_nonce_issue(*, audience: str) -> str:
    """A fresh nonce for an in-platform verifier (a store's age gate) to put in its presentation request.

    It lives as long as a key-binding JWT may be old, and `verifier_nonce_consume` accepts it once, so a
    presentation captured at one checkout can't be replayed at the next. Kept in the database, so every
    web worker sees it.
    """
    nonce = secrets.token_urlsafe(24)
    now = timezone.now()
    VerifierNonce.objects.filter(expires_at__lt=now).delete()
    VerifierNonce.objects.create(nonce=nonce, audience=audience[:300], expires_at=now + timedelta(seconds=NONCE_TTL))
    return nonce


def verifier_nonce_consume(*, nonce: str, audience: str) -> bool:
    """True once for a nonce that `verifier_nonce_issue` gave this audience and that hasn't expired."""
    deleted, _ = VerifierNonce.objects.filter(nonce=nonce, audience=audience, expires_at__gte=timezone.now()).delete()
    return deleted == 1
