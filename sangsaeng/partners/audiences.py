"""Segments a broadcast can target instead of every follower, supplied by other apps.

partners depends on no app for this: insights registers its RFM segments in its ready(). A
provider answers, for the acting staff member and their own channel, which users are in a segment;
partners passes only the channel it has already checked the actor is staff of, so the ids can only
come from that channel's own partner data. Being in a segment never makes anyone a recipient by
itself: delivery still needs a follow and, for advertising, the consents (see broadcasts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sangsaeng.core.errors import Problem


@dataclass(frozen=True)
class AudienceProvider:
    name: str
    # segment key -> label shown in the console (a lazy gettext string)
    segments: Mapping[str, Any]
    # (actor, channel public id, segment) -> ids of the users in that segment of the channel's customers
    members: Callable[[Any, UUID, str], list[int]]


_PROVIDERS: dict[str, AudienceProvider] = {}


def audience_provider_register(provider: AudienceProvider) -> None:
    _PROVIDERS[provider.name] = provider


def audience_provider_unregister(name: str) -> None:
    _PROVIDERS.pop(name, None)


def segment_choices() -> list[tuple[str, str]]:
    """(key, label) of every segment a broadcast may target, in registration order."""
    return [(key, str(label)) for provider in _PROVIDERS.values() for key, label in provider.segments.items()]


def segment_clean(segment: Any) -> str:
    """The segment key, or "" for every follower; an unknown one is refused before anything is stored."""
    key = str(segment or "").strip()
    if key and _provider(key) is None:
        raise Problem(
            code="unknown_segment",
            status=422,
            field="segment",
            ko="알 수 없는 고객 세그먼트입니다.",
            en="Unknown segment; GET /api/v1/partners/segments lists them.",
        )
    return key


def segment_members(*, actor: Any, channel_id: UUID, segment: str) -> list[int]:
    """Ids of the channel's customers in `segment` (a key `segment_clean` accepted)."""
    provider = _provider(segment)
    return sorted(set(provider.members(actor, channel_id, segment))) if provider else []


def _provider(segment: str) -> AudienceProvider | None:
    return next((p for p in _PROVIDERS.values() if segment in p.segments), None)
