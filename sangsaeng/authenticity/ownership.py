"""Owning a passport: claiming it with its tag, passing it on, reporting it, the brand's recovery.

The database says who owns a passport the moment a service returns; the chain follows through the
outbox. A passport in custody (unclaimed) moves with the relayer's own `transferFrom`; one in a
custodial wallet moves with a permit that wallet signs, which needs the previous move on chain
first, so a transfer waits (409) while the last one is still in flight.
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from eth_utils import to_checksum_address

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.authenticity.brands import access_brand
from sangsaeng.authenticity.issuance import claim_secret_hash, claim_secret_new
from sangsaeng.authenticity.models import Passport, ProvenanceEvent, token_id_valid
from sangsaeng.authenticity.verification import claim_token_passport
from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.chain import services as chain
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit

Kind = ProvenanceEvent.Kind


def not_authentic(field: str) -> Problem:
    return Problem(
        code="not_authentic",
        status=403,
        ko="정품 확인 불가: 태그 정보가 맞지 않습니다.",
        en="Not authentic: the tag's proof does not match.",
        field=field,
    )


def _locked(token_id: int) -> Passport:
    if not token_id_valid(token_id):
        raise not_found("passport")
    passport = Passport.objects.select_for_update().select_related("brand").filter(token_id=token_id).first()
    if passport is None:
        raise not_found("passport")
    return passport


def access_owned_passport(*, actor: Any, token_id: int) -> Passport:
    """The passport if `actor` owns it; the same 404 for missing and not yours."""
    if not token_id_valid(token_id):
        raise not_found("passport")
    passport = (
        Passport.objects.select_related("brand").filter(token_id=token_id, owner_id=getattr(actor, "pk", None)).first()
    )
    if passport is None:
        raise not_found("passport")
    return passport


def _move_key(passport: Passport, what: str) -> str:
    return f"authenticity-{what}:{passport.public_id}:{passport.moves + 1}"


def _chain_move(passport: Passport, *, key: str, to_address: str, holder: Any, actor: Any) -> None:
    chain.passport_transfer(
        idempotency_key=key, token_id=passport.token_id, to_address=to_address, holder=holder, requested_by=actor
    )


def _settled(passport: Passport) -> None:
    """A custodial holder signs a permit against the chain's current state: the last move must be final."""
    row = chain_selectors.transaction_get_by_key(idempotency_key=passport.last_move_key)
    if row is None:
        row = chain_selectors.transaction_get_by_key(idempotency_key=f"passport-move:{passport.last_move_key}:transfer")
    if row is None or row.status != "confirmed":
        raise Problem(
            code="passport_move_pending",
            status=409,
            ko="이전 소유권 이전이 아직 블록체인에 기록되는 중입니다. 잠시 후 다시 시도하세요.",
            en="The previous transfer is still being recorded on chain. Try again shortly.",
            headers={"Retry-After": "5"},
        )


def _give(passport: Passport, *, to_user: Any, kind: str, actor: Any, consent: bool = False) -> Passport:
    """Hand a passport in custody to `to_user`'s custodial wallet (in the caller's transaction)."""
    key = _move_key(passport, "claim")
    wallet = chain.wallet_get_or_create(user=to_user)
    _chain_move(passport, key=key, to_address=wallet.address, holder=None, actor=actor)
    now = timezone.now()
    passport.owner, passport.external_address, passport.owner_consent = to_user, "", consent
    passport.claimed_at, passport.claim_secret_hash = now, ""
    passport.last_move_key, passport.moves = key, passport.moves + 1
    passport.save(
        update_fields=[
            "owner",
            "external_address",
            "owner_consent",
            "claimed_at",
            "claim_secret_hash",
            "last_move_key",
            "moves",
            "updated_at",
        ]
    )
    ProvenanceEvent.objects.create(passport=passport, kind=kind, chain_key=key)
    event_emit(name="passport_claimed", payload={"token_id": passport.token_id, "brand": str(passport.brand.public_id)})
    return passport


def _claimable(passport: Passport, field: str) -> None:
    if passport.owner_id is not None or passport.external_address:
        raise Problem(
            code="already_claimed",
            status=409,
            ko="이미 소유자가 등록된 제품입니다.",
            en="This product already has a registered owner.",
            field=field,
        )


def passport_claim(
    *, actor: Any, token_id: int, secret: str = "", sun_token: str = "", consent: bool = False
) -> Passport:
    """Register `actor` as the owner with the printed passphrase or a fresh NFC read's token."""
    if not token_id_valid(token_id):
        raise not_authentic("secret")
    with transaction.atomic():
        passport = Passport.objects.select_for_update().select_related("brand").filter(token_id=token_id).first()
        if sun_token:
            if passport is None or claim_token_passport(sun_token) != token_id:
                raise not_authentic("sun_token")
        else:
            if passport is None or not secret or not passport.claim_secret_hash:
                if passport is not None and passport.owner_id is not None:
                    _claimable(passport, "secret")
                raise not_authentic("secret")
            if not hmac.compare_digest(passport.claim_secret_hash, claim_secret_hash(secret)):
                raise not_authentic("secret")
        _claimable(passport, "secret")
        return _give(passport, to_user=actor, kind=Kind.CLAIMED, actor=actor, consent=consent)


def passport_transfer_to_user(*, actor: Any, token_id: int, email: str) -> Passport:
    """Resale or gift to another sangsaeng user, named by their e-mail address."""
    access_owned_passport(actor=actor, token_id=token_id)
    email = (email or "").strip()
    recipient = user_get_by_email(email=email) if email and "\x00" not in email else None
    if recipient is None:
        raise Problem(
            code="recipient_not_found",
            status=404,
            ko="그 이메일로 가입한 사용자가 없습니다.",
            en="No user has that e-mail address.",
            field="email",
        )
    if recipient.pk == getattr(actor, "pk", None):
        raise Problem(
            code="self_transfer",
            status=422,
            ko="자신에게는 이전할 수 없습니다.",
            en="You already own it.",
            field="email",
        )
    with transaction.atomic():
        passport = _locked(access_owned_passport(actor=actor, token_id=token_id).token_id)
        _settled(passport)
        key = _move_key(passport, "transfer")
        _chain_move(
            passport, key=key, to_address=chain.wallet_get_or_create(user=recipient).address, holder=actor, actor=actor
        )
        passport.owner, passport.owner_consent = recipient, False
        passport.last_move_key, passport.moves = key, passport.moves + 1
        passport.save(update_fields=["owner", "owner_consent", "last_move_key", "moves", "updated_at"])
        ProvenanceEvent.objects.create(
            passport=passport, kind=Kind.TRANSFERRED, chain_key=f"passport-move:{key}:transfer"
        )
        event_emit(name="passport_transferred", payload={"token_id": passport.token_id})
    return passport


def passport_transfer_to_address(*, actor: Any, token_id: int, address: str) -> Passport:
    """Send the passport to an external wallet (a checksummed address); it leaves our custody."""
    with transaction.atomic():
        passport = _locked(access_owned_passport(actor=actor, token_id=token_id).token_id)
        _settled(passport)
        key = _move_key(passport, "export")
        _chain_move(passport, key=key, to_address=address, holder=actor, actor=actor)
        passport.owner, passport.owner_consent = None, False
        passport.external_address = to_checksum_address(address.strip())
        passport.last_move_key, passport.moves = key, passport.moves + 1
        passport.save(
            update_fields=["owner", "owner_consent", "external_address", "last_move_key", "moves", "updated_at"]
        )
        ProvenanceEvent.objects.create(passport=passport, kind=Kind.EXPORTED, chain_key=f"passport-move:{key}:transfer")
    return passport


def passport_report(*, actor: Any, token_id: int, state: str) -> Passport:
    """The owner reports the item lost or stolen (verification then warns), or found again."""
    if state not in Passport.State.values:
        raise Problem(
            code="invalid_state", status=422, ko="상태가 올바르지 않습니다.", en="Unknown state.", field="state"
        )
    with transaction.atomic():
        passport = _locked(access_owned_passport(actor=actor, token_id=token_id).token_id)
        if passport.state == state:
            return passport
        passport.state, passport.state_changed_at = state, timezone.now()
        passport.save(update_fields=["state", "state_changed_at", "updated_at"])
        kind = {"lost": Kind.REPORTED_LOST, "stolen": Kind.REPORTED_STOLEN, "active": Kind.FOUND}[state]
        ProvenanceEvent.objects.create(passport=passport, kind=kind)
    return passport


def passport_consent(*, actor: Any, token_id: int, consent: bool) -> Passport:
    """Whether the brand may see the owner as its registered customer; revocable at any time."""
    passport = access_owned_passport(actor=actor, token_id=token_id)
    passport.owner_consent = consent
    passport.save(update_fields=["owner_consent", "updated_at"])
    return passport


def passport_recover(*, actor: Any, slug: str, token_id: int) -> tuple[Passport, str]:
    """The brand takes a passport back into custody within the recovery window, with a new passphrase."""
    brand = access_brand(actor=actor, slug=slug, roles=("owner",))
    with transaction.atomic():
        passport = _locked(token_id)
        if passport.brand_id != brand.pk:
            raise not_found("passport")
        window = timedelta(days=settings.AUTHENTICITY_RECOVERY_DAYS)
        if timezone.now() > passport.issued_at + window:
            raise Problem(
                code="recovery_window_closed",
                status=409,
                ko=f"발행 후 {settings.AUTHENTICITY_RECOVERY_DAYS}일이 지나 회수할 수 없습니다.",
                en=f"The {settings.AUTHENTICITY_RECOVERY_DAYS}-day recovery window has closed.",
            )
        if passport.owner_id is None and not passport.external_address:
            raise Problem(
                code="already_in_custody",
                status=409,
                ko="아직 소유자가 없는 제품입니다.",
                en="The passport has no owner to recover it from.",
            )
        key = _move_key(passport, "recover")
        chain.passport_recover(
            idempotency_key=key,
            token_id=passport.token_id,
            to_address=chain.passport_custody_address(),
            requested_by=actor,
        )
        secret = claim_secret_new()
        passport.owner, passport.external_address, passport.owner_consent = None, "", False
        passport.claimed_at, passport.claim_secret_hash = None, claim_secret_hash(secret)
        passport.state, passport.last_move_key, passport.moves = Passport.State.ACTIVE, key, passport.moves + 1
        passport.save(
            update_fields=[
                "owner",
                "external_address",
                "owner_consent",
                "claimed_at",
                "claim_secret_hash",
                "state",
                "last_move_key",
                "moves",
                "updated_at",
            ]
        )
        ProvenanceEvent.objects.create(passport=passport, kind=Kind.RECOVERED, chain_key=key)
    return passport, secret
