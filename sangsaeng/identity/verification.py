"""Becoming verified: ID document review by an operator, in-person approval, providers, phone codes.

Retention rule: an ID document photo is kept, encrypted, only until an operator decides; the
decision wipes it at once, approved or rejected. A photo nobody decided on is wiped after
IDENTITY_DOCUMENT_RETENTION_DAYS (`document_purge_expired`, run by the worker). What stays is the
decision: who, when, why, and the photo's SHA-256, so a later dispute can match a resubmitted copy.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangsaeng.core import crypto
from sangsaeng.core.audit import audit_record
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.images import ImageRefused, image_open_checked
from sangsaeng.identity.models import Credential, DocumentReview, PhoneVerification, VerifiedIdentity
from sangsaeng.identity.providers import ProviderResult
from sangsaeng.identity.sms import sms_send

DOCUMENT_CONTEXT = "identity.DocumentReview.document"
DOCUMENT_TYPES = {"resident_card": _("주민등록증"), "driver_license": _("운전면허증"), "passport": _("여권")}
DOCUMENT_MAX_PIXELS = 64_000_000
# Magic numbers, so a renamed file of another kind is refused whatever it claims to be.
IMAGE_SIGNATURES = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG\r\n\x1a\n": "image/png"}


def _image_type(data: bytes) -> str | None:
    for magic, content_type in IMAGE_SIGNATURES.items():
        if data.startswith(magic):
            return content_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def _check_person(name: str, birthdate: date) -> str:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 60:
        raise Problem(
            code="invalid_name",
            ko="이름을 1~60자로 입력하세요.",
            en="Enter a name of 1 to 60 characters.",
            field="name",
        )
    today = timezone.localdate()
    if birthdate > today or birthdate.year < 1900:
        raise Problem(
            code="invalid_birthdate",
            ko="생년월일이 올바르지 않습니다.",
            en="The birth date is not valid.",
            field="birthdate",
        )
    return name


def document_submit(*, user: Any, document: bytes, document_type: str, name: str, birthdate: date) -> DocumentReview:
    """Queue an ID photo for review; refuses oversized files and anything but JPEG, PNG or WebP."""
    limit = settings.IDENTITY_DOCUMENT_MAX_BYTES
    if len(document) > limit:
        raise Problem(
            code="document_too_large",
            status=413,
            field="document",
            ko=f"사진이 너무 큽니다. 최대 {limit // 1_048_576}MB까지 올릴 수 있습니다.",
            en=f"The photo is too large; the limit is {limit:,} bytes.",
            extra={"limit": limit},
        )
    content_type = _image_type(document)
    try:  # the signature alone is not a photo: a bomb or a broken file would reach the reviewer's screen
        image_open_checked(
            document, formats={"JPEG", "PNG", "WEBP"}, max_pixels=DOCUMENT_MAX_PIXELS, draft=(1024, 1024)
        )
    except ImageRefused:
        content_type = None
    if content_type is None:
        raise Problem(
            code="document_type_unsupported",
            field="document",
            ko="JPEG, PNG, WebP 사진만 올릴 수 있습니다.",
            en="Only JPEG, PNG or WebP photos are accepted.",
        )
    if document_type not in DOCUMENT_TYPES:
        raise Problem(
            code="invalid_document_type",
            field="document_type",
            ko="신분증 종류를 선택하세요.",
            en="Choose the kind of ID document.",
        )
    name = _check_person(name, birthdate)
    with transaction.atomic():
        if DocumentReview.objects.filter(user=user, status=DocumentReview.Status.PENDING).exists():
            raise Problem(
                code="review_pending",
                status=409,
                ko="이미 검토 중인 신분증이 있습니다.",
                en="A document is already waiting for review.",
            )
        review = DocumentReview.objects.create(
            user=user,
            document_type=document_type,
            document_encrypted=crypto.encrypt(document, context=DOCUMENT_CONTEXT),
            content_type=content_type,
            document_sha256=hashlib.sha256(document).hexdigest(),
            claimed_name=name,
            claimed_birthdate=birthdate,
        )
        audit_record(action="identity.document_submitted", actor=user, target=str(review.public_id))
    return review


def access_review(*, actor: Any, review_id: Any) -> DocumentReview:
    """Operators see every review; a user sees only their own. One 404 for missing or not allowed."""
    query = DocumentReview.objects.select_related("user")
    if not getattr(actor, "is_staff", False):
        query = query.filter(user=actor)
    review = query.filter(public_id=review_id).first()
    if review is None:
        raise not_found("review")
    return review


def document_read(*, actor: Any, review_id: Any) -> tuple[bytes, str]:
    """The decrypted photo, for the operator deciding on it; every read is audited."""
    if not getattr(actor, "is_staff", False):
        raise not_found("review")
    review = access_review(actor=actor, review_id=review_id)
    if not review.document_encrypted:
        raise not_found("document")
    audit_record(action="identity.document_viewed", actor=actor, target=str(review.public_id))
    return crypto.decrypt(review.document_encrypted, context=DOCUMENT_CONTEXT), review.content_type


def _wipe(review: DocumentReview, now: Any) -> None:
    review.document_encrypted = ""
    review.document_deleted_at = now


def _identity_store(*, user: Any, legal_name: str, birthdate: date, method: str, by: Any) -> VerifiedIdentity:
    """Record the verified identity; credentials that state an older name or birth date are revoked."""
    previous = VerifiedIdentity.objects.filter(user=user).first()
    if previous is not None and (previous.legal_name, previous.birthdate) != (legal_name, birthdate):
        Credential.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="identity changed"
        )
    identity, _created = VerifiedIdentity.objects.update_or_create(
        user=user, defaults={"legal_name": legal_name, "birthdate": birthdate, "method": method, "verified_by": by}
    )
    return identity


def review_decide(
    *,
    actor: Any,
    review_id: Any,
    approve: bool,
    reason: str = "",
    legal_name: str | None = None,
    birthdate: date | None = None,
) -> DocumentReview:
    """Approve (recording the verified identity) or reject with a reason; the photo is wiped either way."""
    if not getattr(actor, "is_staff", False):
        raise not_found("review")
    reason = reason.strip()[:300]
    if not approve and not reason:
        raise Problem(
            code="reason_required", field="reason", ko="반려 사유를 입력하세요.", en="Give a reason for the rejection."
        )
    with transaction.atomic():
        review = access_review(actor=actor, review_id=review_id)
        review = DocumentReview.objects.select_for_update().get(pk=review.pk)
        if review.status != DocumentReview.Status.PENDING:
            raise Problem(
                code="already_decided", status=409, ko="이미 처리된 요청입니다.", en="This review was already decided."
            )
        now = timezone.now()
        review.status = DocumentReview.Status.APPROVED if approve else DocumentReview.Status.REJECTED
        review.decided_at = now
        review.decided_by = actor
        review.reason = reason
        _wipe(review, now)
        review.save(
            update_fields=[
                "status",
                "decided_at",
                "decided_by",
                "reason",
                "document_encrypted",
                "document_deleted_at",
                "updated_at",
            ]
        )
        if approve:
            name = _check_person(legal_name or review.claimed_name, birthdate or review.claimed_birthdate)
            _identity_store(
                user=review.user,
                legal_name=name,
                birthdate=birthdate or review.claimed_birthdate,
                method="document",
                by=actor,
            )
        _notify_decision(review)
        audit_record(
            action=f"identity.document_{review.status}",
            actor=actor,
            target=str(review.public_id),
            data={"user": str(review.user.public_id), "reason": reason},
        )
    return review


def _notify_decision(review: DocumentReview) -> None:
    """Tell the person by email once the decision commits; the reason goes with a rejection."""
    email = review.user.email
    if review.status == DocumentReview.Status.APPROVED:
        body = "신원 확인이 끝났습니다. 내 신분증 페이지에서 디지털 신분 증명을 발급받을 수 있습니다."
    else:
        body = f"제출하신 신분증을 확인하지 못했습니다.\n사유: {review.reason}\n다시 제출할 수 있습니다."
    body += "\n제출한 신분증 사진은 삭제했습니다."
    transaction.on_commit(lambda: send_mail("[상생] 신원 확인 결과", body, None, [email]))


def document_purge_expired(*, now: Any = None) -> int:
    """Wipe photos that waited longer than the retention period; the review becomes `expired`."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.IDENTITY_DOCUMENT_RETENTION_DAYS)
    stale = DocumentReview.objects.filter(status=DocumentReview.Status.PENDING, created_at__lt=cutoff)
    return stale.update(
        status=DocumentReview.Status.EXPIRED,
        document_encrypted="",
        document_deleted_at=now,
        decided_at=now,
        reason="retention period passed",
    )


def identity_approve_in_person(
    *, user: Any, legal_name: str, birthdate: date, operator: Any = None
) -> VerifiedIdentity:
    """Record a verification an operator did in person (`sangsaeng identity approve`)."""
    name = _check_person(legal_name, birthdate)
    with transaction.atomic():
        identity = _identity_store(user=user, legal_name=name, birthdate=birthdate, method="in_person", by=operator)
        audit_record(action="identity.approved_in_person", actor=operator, target=str(user.public_id))
    return identity


def identity_record_from_provider(*, user: Any, provider: str, result: ProviderResult) -> VerifiedIdentity:
    """Store what a plugged-in provider (carrier, bank) confirmed; a carrier check also proves the phone."""
    name = _check_person(result.legal_name, result.birthdate)
    phone = _normal_phone(result.phone) if result.phone else ""
    with transaction.atomic():
        identity = _identity_store(
            user=user, legal_name=name, birthdate=result.birthdate, method=f"provider:{provider}", by=None
        )
        if phone:
            now = timezone.now()
            PhoneVerification.objects.create(
                user=user, phone=phone, code_hash="", expires_at=now, verified_at=now, attempts=0
            )
            user.phone = phone
            user.save(update_fields=["phone"])
        audit_record(
            action="identity.provider_verified", actor=user, target=provider, data={"reference": result.reference}
        )
    return identity


def _code_hash(verification_user_id: int, phone: str, code: str) -> str:
    message = f"{verification_user_id}:{phone}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _normal_phone(phone: str) -> str:
    digits = "".join(c for c in phone if c.isdigit())
    if not (digits.startswith("01") and len(digits) in (10, 11)):
        raise Problem(
            code="invalid_phone",
            field="phone",
            ko="휴대전화 번호 형식이 올바르지 않습니다.",
            en="The mobile number is not valid.",
        )
    return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"


def phone_code_send(*, user: Any, phone: str) -> PhoneVerification:
    """Send a six-digit code by SMS; valid for IDENTITY_PHONE_CODE_TTL seconds, one use, five tries."""
    from sangsaeng.core import ratelimit

    phone = _normal_phone(phone)
    ratelimit.consume(scope="identity.phone_code", key=str(user.pk), limit=5, window=3600)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        PhoneVerification.objects.filter(user=user, verified_at__isnull=True).delete()
        verification = PhoneVerification.objects.create(
            user=user,
            phone=phone,
            code_hash=_code_hash(user.pk, phone, code),
            expires_at=timezone.now() + timedelta(seconds=settings.IDENTITY_PHONE_CODE_TTL),
        )
        transaction.on_commit(
            lambda: sms_send(to=phone, text=f"[상생] 인증번호 {code}. 다른 사람에게 알려주지 마세요.")
        )
    return verification


def phone_code_confirm(*, user: Any, code: str) -> str:
    """Check the latest code; on success the phone becomes the account's verified phone."""
    with transaction.atomic():
        verification = PhoneVerification.objects.select_for_update().filter(user=user).order_by("-created_at").first()
        if verification is None or verification.verified_at is not None:
            raise Problem(
                code="code_used",
                field="code",
                ko="이미 사용했거나 요청하지 않은 인증번호입니다.",
                en="This code was already used or never sent.",
            )
        if verification.expires_at < timezone.now() or verification.attempts >= 5:
            raise Problem(
                code="code_expired",
                field="code",
                ko="인증번호가 만료되었습니다. 다시 받으세요.",
                en="The code has expired; ask for a new one.",
            )
        verification.attempts += 1
        ok = hmac.compare_digest(verification.code_hash, _code_hash(user.pk, verification.phone, code.strip()))
        if ok:
            verification.verified_at = timezone.now()
        verification.save(update_fields=["attempts", "verified_at", "updated_at"])
        if ok:
            user.phone = verification.phone
            user.save(update_fields=["phone"])
    if not ok:  # raised after the commit, so the failed attempt still counts
        raise Problem(code="code_wrong", field="code", ko="인증번호가 맞지 않습니다.", en="The code is not right.")
    return verification.phone
