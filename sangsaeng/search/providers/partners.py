"""Partner channels and the posts they sent out: public, found by everyone."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sangsaeng.partners import selectors as partners
from sangsaeng.search.registry import PUBLIC, Doc


class ChannelProvider:
    label = _("채널")
    events: dict[str, Any] = {}  # partners emits no channel events; `search reindex` picks changes up

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for channel in partners.channels_for_search(public_ids=None if ids is None else list(ids)):
            yield Doc(
                id=str(channel.public_id),
                kind="channel",
                title=channel.name,
                text=" · ".join(p for p in (f"@{channel.handle}", channel.description) if p),
                visibility=PUBLIC,
                date=channel.created_at,
                url=reverse("partners:channel", args=[channel.handle]),
                extra={"handle": channel.handle, "verified": channel.verified_at is not None},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return {str(c.public_id) for c in partners.channels_for_search(public_ids=list(ids))}


class PostProvider:
    label = _("채널 소식")
    events = {"partners.broadcast.delivered": lambda payload: [payload.get("broadcast_id", "")]}

    def documents(self, ids: Sequence[str] | None) -> Iterator[Doc]:
        for post in partners.posts_for_search(public_ids=None if ids is None else list(ids)):
            text = partners.post_text(post)
            yield Doc(
                id=str(post.public_id),
                kind="post",
                title=text.splitlines()[0][:80] if text else post.channel.name,
                text=" · ".join([text, post.channel.name, *(str(c.get("title", "")) for c in post.cards)]),
                visibility=PUBLIC,
                date=post.first_sent_at,
                url=reverse("partners:post", args=[post.channel.handle, post.public_id]),
                extra={"channel": post.channel.name},
            )

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return {str(p.public_id) for p in partners.posts_for_search(public_ids=list(ids))}
