"""Reads of channels, posts and followers for pages and other apps."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.partners.audiences import segment_choices
from sangsaeng.partners.broadcasts import access_broadcast
from sangsaeng.partners.channels import uuid_or_404
from sangsaeng.partners.follows import follow_get, followers, followers_with_marketing_consent
from sangsaeng.partners.inbox import inbox_list
from sangsaeng.partners.models import Attachment, Broadcast, Channel, ChannelStaff, Delivery, Follow
from sangsaeng.partners.quiet_hours import advertising_text


def channel_get(*, channel_id: Any) -> Channel:
    """Any channel by its public id (channels are public); 404 when there is none."""
    channel = Channel.objects.filter(public_id=uuid_or_404(channel_id, "channel")).first()
    if channel is None:
        raise not_found("channel")
    return channel


def channel_for_handle(handle: str) -> Channel:
    channel = Channel.objects.filter(handle=str(handle or "").lower().lstrip("@")).first()
    if channel is None:
        raise not_found("channel")
    return channel


def channels_for_staff(user: Any) -> list[tuple[Channel, str]]:
    """(channel, role) for every channel the user works on."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = ChannelStaff.objects.filter(user=user).select_related("channel").order_by("channel__name")
    return [(row.channel, row.role) for row in rows]


def channel_public_ids() -> list[Any]:
    """Every channel's public id (the weekly partner reports go to each)."""
    return list(Channel.objects.order_by("created_at").values_list("public_id", flat=True))


def staff_list(*, channel: Channel) -> list[ChannelStaff]:
    return list(ChannelStaff.objects.filter(channel=channel).select_related("user"))


def channel_attachments(channel_id: Any) -> list[Attachment]:
    return list(Attachment.objects.filter(channel__public_id=uuid_or_404(channel_id, "channel")))


def follower_count(channel: Channel) -> int:
    return Follow.objects.filter(channel=channel).count()


def marketing_follower_count(channel: Channel) -> int:
    return Follow.objects.filter(channel=channel, marketing_consent_at__isnull=False).count()


def follows_of(user: Any) -> list[Follow]:
    return list(Follow.objects.filter(user=user).select_related("channel"))


def posts_public(*, channel: Channel, limit: int = 30) -> QuerySet[Broadcast]:
    """Posts that went out (to anyone), newest first: what the channel page shows."""
    return (
        Broadcast.objects.filter(channel=channel, first_sent_at__isnull=False)
        .prefetch_related("images")
        .order_by("-first_sent_at")[:limit]
    )


def post_public(*, channel: Channel, post_id: Any) -> Broadcast:
    uid = uuid_or_404(post_id, "post")
    post = Broadcast.objects.filter(channel=channel, public_id=uid, first_sent_at__isnull=False).first()
    if post is None:
        raise not_found("post")
    return post


def post_text(post: Broadcast) -> str:
    """The text as recipients see it: advertising starts with "(광고)" and the channel's name."""
    if post.is_advertising:
        return advertising_text(channel_name=post.channel.name, text=post.text)
    return post.text


def feed_for(*, user: Any, limit: int = 50) -> list[Delivery]:
    """Posts delivered to this user, newest first."""
    return list(
        Delivery.objects.filter(user=user)
        .select_related("broadcast", "broadcast__channel")
        .order_by("-delivered_at")[:limit]
    )


def broadcasts_for(*, channel: Channel) -> QuerySet[Broadcast]:
    return Broadcast.objects.filter(channel=channel).order_by("-scheduled_at")


def broadcast_stats(broadcast: Broadcast) -> dict[str, Any]:
    delivered = broadcast.delivered_count
    return {
        "delivered": delivered,
        "opened": broadcast.open_count,
        "clicked": broadcast.click_count,
        "open_rate": round(broadcast.open_count / delivered, 4) if delivered else 0.0,
        "click_rate": round(broadcast.click_count / delivered, 4) if delivered else 0.0,
    }


def broadcast_segment_size(broadcast: Broadcast) -> int | None:
    """How many customers the post's segment held when it was written (None: every follower). Only
    those of them who follow, with consent for an advertisement, get it."""
    return broadcast.targets.count() if broadcast.segment else None


def _uuids(public_ids: list[str]) -> list[Any]:
    out = []
    for value in public_ids:
        try:
            out.append(uuid_or_404(value, "post"))
        except Problem:
            continue
    return out


def channels_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Channel]:
    """Every channel (channels are public), for the search index."""
    query = Channel.objects.all() if public_ids is None else Channel.objects.filter(public_id__in=_uuids(public_ids))
    return query.order_by("pk")


def posts_for_search(*, public_ids: list[str] | None = None) -> QuerySet[Broadcast]:
    """Posts that went out (public on the channel page), with their channel, for the search index."""
    query = Broadcast.objects.filter(first_sent_at__isnull=False)
    if public_ids is not None:
        query = query.filter(public_id__in=_uuids(public_ids))
    return query.select_related("channel").order_by("pk")


__all__ = [
    "access_broadcast",
    "broadcast_segment_size",
    "broadcast_stats",
    "broadcasts_for",
    "channel_attachments",
    "channel_for_handle",
    "channel_get",
    "channels_for_search",
    "channels_for_staff",
    "feed_for",
    "follow_get",
    "follower_count",
    "followers",
    "followers_with_marketing_consent",
    "follows_of",
    "inbox_list",
    "marketing_follower_count",
    "post_public",
    "post_text",
    "posts_for_search",
    "posts_public",
    "segment_choices",
    "staff_list",
]
