"""The messaging app's public operations. Other apps (partners, commerce, business cards) call these.

Conversations: `conversation_direct_open`, `conversation_group_create`, `conversation_channel_open`,
`conversation_staff_set`, `conversation_invite`, `conversation_leave`, `member_role_set`.
Messages: `message_post`, `message_post_from_channel`, `message_post_as_bot` (a service account such as
the assistant), `message_attach`, `message_edit`, `message_delete`, `reaction_add`/`reaction_remove`,
`conversation_read`; `MESSAGE_CHANGED` names the outbox event of a posted, edited or deleted message.
Safety: `user_block`, `user_unblock`, `message_report`, `report_resolve`.
Backups: `backup_create`, `backup_restore`. Card kinds: `card_type_register`, `card_type_get`.
"""

from __future__ import annotations

from sangsaeng.messaging.attachments import message_attach
from sangsaeng.messaging.backup import backup_create, backup_restore
from sangsaeng.messaging.card_types import message_card_receive
from sangsaeng.messaging.cards import card_type_get, card_type_register
from sangsaeng.messaging.conversations import (
    conversation_channel_open,
    conversation_direct_open,
    conversation_group_create,
    conversation_invite,
    conversation_leave,
    conversation_staff_set,
    member_role_set,
    user_find,
)
from sangsaeng.messaging.posting import (
    MESSAGE_CHANGED,
    message_delete,
    message_edit,
    message_post,
    message_post_as_bot,
    message_post_from_channel,
)
from sangsaeng.messaging.reading import conversation_read, reaction_add, reaction_remove
from sangsaeng.messaging.safety import message_report, report_resolve, user_block, user_unblock

__all__ = [
    "MESSAGE_CHANGED",
    "backup_create",
    "backup_restore",
    "card_type_get",
    "card_type_register",
    "conversation_channel_open",
    "conversation_direct_open",
    "conversation_group_create",
    "conversation_invite",
    "conversation_leave",
    "conversation_read",
    "conversation_staff_set",
    "member_role_set",
    "message_attach",
    "message_card_receive",
    "message_delete",
    "message_edit",
    "message_post",
    "message_post_as_bot",
    "message_post_from_channel",
    "message_report",
    "reaction_add",
    "reaction_remove",
    "report_resolve",
    "user_block",
    "user_find",
    "user_unblock",
]
