"""What partners does when other apps announce something (handlers of outbox events)."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.outbox import handles
from sangsaeng.partners.inbox import inbox_staff_sync
from sangsaeng.partners.models import Channel, ChannelStaff, Delivery, Follow, InboxThread


@handles("account_deleted")
def partners_erase_on_account_deleted(payload: dict[str, Any]) -> None:
    """A deleted account stops following, receiving and working on channels; its customer threads go.
    A channel left with nobody on its staff goes with its posts: it belonged to that person."""
    user_id = payload["user_id"]
    Follow.objects.filter(user__public_id=user_id).delete()
    Delivery.objects.filter(user__public_id=user_id).delete()
    InboxThread.objects.filter(customer__public_id=user_id).delete()
    channel_ids = list(ChannelStaff.objects.filter(user__public_id=user_id).values_list("channel_id", flat=True))
    ChannelStaff.objects.filter(user__public_id=user_id).delete()
    for channel in Channel.objects.filter(pk__in=channel_ids):
        if ChannelStaff.objects.filter(channel=channel).exists():
            inbox_staff_sync(channel=channel)
        else:
            channel.delete()
