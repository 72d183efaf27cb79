"""The company badge: a six-digit code mailed to an address at the company's domain.

Free mail domains never earn the badge. Codes are stored as HMACs, expire in 15 minutes, allow five
tries, and work once: a reused code is refused with `code_used`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from sangsaeng.business_cards.cards import access_card
from sangsaeng.business_cards.models import Card, CompanyEmailCode
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem

CODE_TTL = timedelta(minutes=15)


def _hash(card_id: int, email: str, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"card:{card_id}:{email}:{code}".encode(), hashlib.sha256).hexdigest()


def company_code_send(*, actor: Any, card_id: Any, email: str) -> CompanyEmailCode:
    card = access_card(actor=actor, card_id=card_id)
    email = email.strip().lower()
    _local, _at, domain = email.rpartition("@")
    if not _local or "." not in domain:
        raise Problem(
            code="invalid_email",
            status=422,
            field="email",
            ko="이메일 형식이 올바르지 않습니다.",
            en="The email is not valid.",
        )
    if domain in settings.CARDS_FREE_MAIL_DOMAINS:
        raise Problem(
            code="free_mail_domain",
            status=422,
            field="email",
            ko="회사 도메인 이메일을 입력하세요. 무료 메일은 재직 확인에 쓸 수 없습니다.",
            en="Use an address at your company's own domain, not a free mail service.",
        )
    ratelimit.consume(scope="cards.company_code", key=str(actor.pk), limit=5, window=3600)
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        row = CompanyEmailCode.objects.create(
            card=card, email=email, code_hash=_hash(card.pk, email, code), expires_at=timezone.now() + CODE_TTL
        )
        transaction.on_commit(
            lambda: send_mail(
                "[상생] 명함 회사 확인 코드",
                f"{card.company or card.name} 명함의 회사 확인 코드: {code}\n15분 안에 입력하세요.",
                None,
                [email],
            )
        )
    return row


def company_code_confirm(*, actor: Any, card_id: Any, code: str) -> Card:
    """Confirm the latest code for the card; the card then shows the company domain badge."""
    ok = False
    with transaction.atomic():
        card = access_card(actor=actor, card_id=card_id)
        row = CompanyEmailCode.objects.select_for_update().filter(card=card).order_by("-created_at").first()
        if row is None or row.used_at is not None:
            raise Problem(
                code="code_used",
                status=409,
                field="code",
                ko="이미 사용했거나 요청하지 않은 코드입니다.",
                en="This code was already used or never sent.",
            )
        if row.expires_at < timezone.now() or row.attempts >= 5:
            raise Problem(
                code="code_expired",
                status=422,
                field="code",
                ko="코드가 만료되었습니다. 다시 받으세요.",
                en="The code has expired; ask for a new one.",
            )
        row.attempts += 1
        ok = hmac.compare_digest(row.code_hash, _hash(card.pk, row.email, code.strip()))
        if ok:
            row.used_at = timezone.now()
            card.company_domain = row.email.rpartition("@")[2]
            card.company_verified_at = row.used_at
            card.save(update_fields=["company_domain", "company_verified_at", "updated_at"])
        row.save(update_fields=["attempts", "used_at", "updated_at"])
    if not ok:
        raise Problem(
            code="code_wrong", status=422, field="code", ko="코드가 맞지 않습니다.", en="The code is not right."
        )
    return card
