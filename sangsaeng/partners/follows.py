"""Following a channel ("친구 추가") and the two advertising consents that go with it.

Following alone gives only non-advertising posts. Marketing consent (opt-in) adds advertising;
night consent adds advertising between 21:00 and 08:00 KST. Each grant and revocation is
timestamped, and either can be withdrawn at any time without unfollowing.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.outbox import event_emit
from sangsaeng.partners.models import Channel, Follow


def _channel(channel_id: Any) -> Channel:
    try:
        uid = channel_id if isinstance(channel_id, UUID) else UUID(str(channel_id))
    except ValueError:
        raise not_found("channel") from None
    channel = Channel.objects.filter(public_id=uid).first()
    if channel is None:
        raise not_found("channel")
    return channel


def follow_get(*, user: Any, channel: Channel) -> Follow | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Follow.objects.filter(channel=channel, user=user).first()


def channel_follow(*, user: Any, channel_id: Any, marketing: bool = False, night: bool = False) -> Follow:
    """Follow (idempotent); consents given here are recorded like `follow_consents_set`."""
    channel = _channel(channel_id)
    try:
        with transaction.atomic():
            follow, created = Follow.objects.get_or_create(channel=channel, user=user)
            if created:  # followers over time, in the partner's own data
                event_emit(name="partners.channel.followed", payload=_follow_payload(channel, user))
    except IntegrityError:  # two taps at once
        follow = Follow.objects.get(channel=channel, user=user)
    if marketing or night:
        follow = follow_consents_set(
            user=user, channel_id=channel.public_id, marketing=marketing or None, night=night or None
        )
    return follow


def channel_unfollow(*, user: Any, channel_id: Any) -> None:
    """Stop following; the consents go with the follow."""
    channel = _channel(channel_id)
    with transaction.atomic():
        deleted, _ = Follow.objects.filter(channel=channel, user=user).delete()
        if deleted:
            event_emit(name="partners.channel.unfollowed", payload=_follow_payload(channel, user))


def _follow_payload(channel: Channel, user: Any) -> dict[str, Any]:
    return {"channel_id": str(channel.public_id), "user_id": str(user.public_id), "at": timezone.now().isoformat()}


def follow_consents_set(
    *, user: Any, channel_id: Any, marketing: bool | None = None, night: bool | None = None
) -> Follow:
    """Grant or revoke marketing and night-time consent. None leaves one as it is. Night consent
    needs marketing consent, and revoking marketing revokes night too."""
    channel = _channel(channel_id)
    with transaction.atomic():
        follow = Follow.objects.select_for_update().filter(channel=channel, user=user).first()
        if follow is None:
            raise Problem(
                code="not_following",
                status=409,
                ko="먼저 채널을 친구로 추가하세요.",
                en="Follow the channel first.",
            )
        now = timezone.now()
        will_market = marketing if marketing is not None else follow.marketing_consent_at is not None
        if night and not will_market:
            raise Problem(
                code="night_requires_marketing",
                status=422,
                field="night",
                ko="야간 광고 수신은 광고성 정보 수신에 동의한 경우에만 받을 수 있습니다.",
                en="Night-time advertising needs marketing consent first.",
            )
        if marketing is True and follow.marketing_consent_at is None:
            follow.marketing_consent_at, follow.marketing_revoked_at = now, None
        elif marketing is False and follow.marketing_consent_at is not None:
            follow.marketing_consent_at, follow.marketing_revoked_at = None, now
            night = False
        if night is True and follow.night_consent_at is None:
            follow.night_consent_at, follow.night_revoked_at = now, None
        elif night is False and follow.night_consent_at is not None:
            follow.night_consent_at, follow.night_revoked_at = None, now
        follow.save(
            update_fields=[
                "marketing_consent_at",
                "marketing_revoked_at",
                "night_consent_at",
                "night_revoked_at",
                "updated_at",
            ]
        )
    return follow


def followers(channel_id: Any) -> QuerySet[Follow]:
    return Follow.objects.filter(channel=_channel(channel_id))


def followers_with_marketing_consent(channel_id: Any) -> QuerySet[Follow]:
    """Followers who currently accept advertising from the channel (daytime)."""
    return followers(channel_id).filter(marketing_consent_at__isnull=False)
