"""Curation: a person applies with a portfolio, an operator approves or declines."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.drops.access import is_operator
from sangsaeng.drops.models import CreatorProfile
from sangsaeng.drops.problems import invalid


def creator_apply(
    *, user: Any, display_name: str, portfolio_url: str, bio: str = "", statement: str = ""
) -> CreatorProfile:
    """Apply (or re-apply after a decline) to sell in drops; an operator reviews the portfolio."""
    display_name = display_name.strip()
    if not display_name:
        raise invalid("display_name", "작가 이름을 입력하세요.", "Enter a creator name.")
    if not portfolio_url.startswith(("https://", "http://")):
        raise invalid(
            "portfolio_url", "포트폴리오 주소는 http(s)로 시작해야 합니다.", "The portfolio URL must be http(s)."
        )
    with transaction.atomic():
        profile = CreatorProfile.objects.select_for_update().filter(user=user).first()
        if profile is not None and profile.status != CreatorProfile.Status.DECLINED:
            raise Problem(
                code="already_applied",
                status=409,
                ko="이미 신청했거나 승인된 작가입니다.",
                en="You have already applied or been approved.",
            )
        if profile is None:
            profile = CreatorProfile(user=user)
        profile.display_name = display_name[:60]
        profile.portfolio_url = portfolio_url[:300]
        profile.bio = bio[:2000]
        profile.statement = statement[:2000]
        profile.status = CreatorProfile.Status.PENDING
        profile.decline_reason = ""
        profile.decided_at = None
        profile.decided_by = None
        profile.save()
    return profile


def creator_review(*, operator: Any, creator_id: Any, approve: bool, reason: str = "") -> CreatorProfile:
    """An operator's curation decision; anyone else gets the same 404 as a missing application."""
    if not is_operator(operator):
        raise not_found("creator application")
    with transaction.atomic():
        try:
            profile = CreatorProfile.objects.select_for_update().get(public_id=creator_id)
        except (CreatorProfile.DoesNotExist, ValueError) as exc:
            raise not_found("creator application") from exc
        if not approve and not reason.strip():
            raise invalid("reason", "반려 사유를 입력하세요.", "Give a reason for declining.")
        profile.status = CreatorProfile.Status.APPROVED if approve else CreatorProfile.Status.DECLINED
        profile.decline_reason = "" if approve else reason.strip()[:500]
        profile.decided_by = operator
        profile.decided_at = timezone.now()
        profile.save(update_fields=["status", "decline_reason", "decided_by", "decided_at", "updated_at"])
    return profile


def creator_profile_update(*, user: Any, display_name: str | None = None, bio: str | None = None) -> CreatorProfile:
    profile = CreatorProfile.objects.filter(user=user).first()
    if profile is None:
        raise not_found("creator")
    if display_name is not None and display_name.strip():
        profile.display_name = display_name.strip()[:60]
    if bio is not None:
        profile.bio = bio[:2000]
    profile.save(update_fields=["display_name", "bio", "updated_at"])
    return profile
