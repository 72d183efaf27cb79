"""Background work of the assistant: answering a chat message written to it (idempotent)."""

from __future__ import annotations

from django_tasks import task

from sangsaeng.assistant.chat import chat_reply_run


@task()
def chat_reply(reply_id: int) -> str:
    return chat_reply_run(reply_id=reply_id)
