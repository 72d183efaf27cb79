"""The partners app's public operations. Other apps (commerce, drops, insights) import these and
`selectors`; nothing else of this app."""

from __future__ import annotations

from sangsaeng.partners.audiences import AudienceProvider, audience_provider_register, audience_provider_unregister
from sangsaeng.partners.broadcasts import (
    access_broadcast,
    broadcast_cancel,
    broadcast_card_kinds,
    broadcast_clicked,
    broadcast_create,
    broadcast_deliver,
    broadcast_image_add,
    broadcast_opened,
    broadcasts_send_due,
)
from sangsaeng.partners.channels import (
    access_channel_staff,
    channel_attachment_remove,
    channel_attachment_set,
    channel_create,
    channel_update,
    channel_verify,
    handle_clean,
    staff_invite,
    staff_remove,
)
from sangsaeng.partners.follows import channel_follow, channel_unfollow, follow_consents_set
from sangsaeng.partners.inbox import (
    access_thread,
    channel_message_customer,
    customer_activity,
    thread_assign,
    thread_messages,
    thread_open,
    thread_reply,
    thread_status_set,
)

__all__ = [
    "AudienceProvider",
    "access_broadcast",
    "access_channel_staff",
    "access_thread",
    "audience_provider_register",
    "audience_provider_unregister",
    "broadcast_cancel",
    "broadcast_card_kinds",
    "broadcast_clicked",
    "broadcast_create",
    "broadcast_deliver",
    "broadcast_image_add",
    "broadcast_opened",
    "broadcasts_send_due",
    "channel_attachment_remove",
    "channel_attachment_set",
    "channel_create",
    "channel_follow",
    "channel_message_customer",
    "channel_unfollow",
    "channel_update",
    "channel_verify",
    "customer_activity",
    "follow_consents_set",
    "handle_clean",
    "staff_invite",
    "staff_remove",
    "thread_assign",
    "thread_messages",
    "thread_open",
    "thread_reply",
    "thread_status_set",
]
