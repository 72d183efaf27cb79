"""The partner channels a store belongs to, reached only through the partners app's services.

Every call goes through here so the rest of commerce speaks one small vocabulary: a channel is
a `ChannelInfo` (public id, handle, name), staff access is a 404 for anyone else, and chat
notifications go from the store's channel to the buyer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.apps import apps

from sangsaeng.core.errors import Problem, not_found

STAFF_ROLES = ("owner", "manager")


@dataclass(frozen=True)
class ChannelInfo:
    id: UUID
    handle: str
    name: str


def _installed() -> None:
    if not apps.is_installed("sangsaeng.partners"):
        raise Problem(
            code="channels_unavailable",
            status=503,
            ko="파트너 채널 기능이 설치되어 있지 않습니다.",
            en="Partner channels are not installed.",
        )


def _partners() -> Any:
    _installed()
    from sangsaeng.partners import services

    return services


def _partner_selectors() -> Any:
    _installed()
    from sangsaeng.partners import selectors

    return selectors


def _info(channel: Any) -> ChannelInfo:
    return ChannelInfo(
        id=UUID(str(getattr(channel, "public_id", None) or channel.id)),
        handle=str(channel.handle),
        name=str(getattr(channel, "name", "") or channel.handle),
    )


def channel_info(*, channel_id: UUID) -> ChannelInfo:
    return _info(_partner_selectors().channel_get(channel_id=channel_id))


def channel_by_handle(*, handle: str) -> ChannelInfo | None:
    try:
        return _info(_partner_selectors().channel_for_handle(handle))
    except Problem:
        return None


def staff_check(*, actor: Any, channel_id: UUID) -> ChannelInfo:
    """The channel if the actor is its staff; otherwise the one 404 for "missing" and "not yours"."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise not_found("channel")
    return _info(_partners().access_channel_staff(actor=actor, channel_id=channel_id, roles=STAFF_ROLES))


def staff_channels(*, user: Any) -> list[ChannelInfo]:
    if not getattr(user, "is_authenticated", False):
        return []
    rows = _partner_selectors().channels_for_staff(user)
    return [_info(channel) for channel, role in rows if str(role) in STAFF_ROLES]


def staff_payee_refs(user: Any) -> set[str]:
    """The Pay payee refs ("channel:<uuid>") a user acts for, so they see and refund their store's money."""
    return {f"channel:{c.id}" for c in staff_channels(user=user)}


def refund_agent(*, channel_id: UUID) -> Any:
    """A channel owner, on whose authority the store refunds a buyer's own cancellation."""
    channel = _partner_selectors().channel_get(channel_id=channel_id)
    for staff in _partner_selectors().staff_list(channel=channel):
        if str(staff.role) == "owner":
            return staff.user
    raise not_found("channel")


def store_attach(*, actor: Any, channel_id: UUID, ref: str, title: str) -> None:
    """Show the store on the channel's page."""
    _partners().channel_attachment_set(actor=actor, channel_id=channel_id, kind="store", ref=ref, title=title)


def buyer_message(*, channel_id: Any, customer: Any, text: str, card: dict[str, Any] | None = None) -> None:
    """A chat message from the store's channel to its buyer (the outbox retries a failure)."""
    _partners().channel_message_customer(channel_id=channel_id, customer=customer, text=text, card=card)


def card_kind_known(kind: str) -> bool:
    if not apps.is_installed("sangsaeng.messaging"):
        return False
    from sangsaeng.messaging.services import card_type_get

    return card_type_get(kind) is not None
