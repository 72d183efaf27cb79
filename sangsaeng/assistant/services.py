"""The assistant's public operations. Other apps import these.

`ask` answers one message for a user (plan → audited tools → model or template); `plan` gives the
tool calls an utterance asks for without running them; memory: `history`, `history_delete`,
`retention_get`, `retention_set`, `audit_list`.
"""

from __future__ import annotations

from sangsaeng.assistant.intents import plan, plan_json
from sangsaeng.assistant.loop import Answer, ask
from sangsaeng.assistant.memory import audit_list, history, history_delete, retention_get, retention_set

__all__ = [
    "Answer", "ask", "audit_list", "history", "history_delete", "plan", "plan_json", "retention_get", "retention_set",
]  # fmt: skip
