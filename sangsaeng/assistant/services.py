"""The assistant's public operations. Other apps import these.

`ask` answers one message for a user (plan → audited tools → model or template; the plan comes from
the intent parser, or from a function-calling model with ASSISTANT_TOOL_CALLING); `plan` gives the
tool calls an utterance asks for without running them; memory: `history`, `history_delete`,
`retention_get`, `retention_set`, `audit_list`. Actions the assistant proposed (reminders, message
drafts): `actions_list`, `access_action`, `action_confirm`, `action_cancel`. Chat:
`conversation_for` opens the user's 1:1 with the assistant, where it answers as a participant.
`assistant_sweep` is the worker's periodic job.
"""

from __future__ import annotations

from datetime import datetime

from sangsaeng.assistant.actions import (
    access_action,
    action_cancel,
    action_confirm,
    action_dict,
    actions_expire,
    actions_list,
    reminders_send_due,
)
from sangsaeng.assistant.chat import bot_user, chat_replies_resume, conversation_for
from sangsaeng.assistant.intents import plan, plan_json
from sangsaeng.assistant.loop import Answer, ask
from sangsaeng.assistant.memory import audit_list, history, history_delete, retention_get, retention_set


def assistant_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Periodic (every worker tick): due reminders go out, stale proposals expire, lost replies resume."""
    return {
        "reminders_sent": reminders_send_due(now=now),
        "actions_expired": actions_expire(now=now),
        "replies_resumed": chat_replies_resume(now=now),
    }


__all__ = [
    "Answer", "access_action", "action_cancel", "action_confirm", "action_dict", "actions_list", "ask",
    "assistant_sweep", "audit_list", "bot_user", "conversation_for", "history", "history_delete", "plan",
    "plan_json", "retention_get", "retention_set",
]  # fmt: skip
