"""/api/v1/assistant: ask, history (list and delete), memory settings, personas, actions, the chat room."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema, Status

from sangsaeng.assistant import actions, chat, loop, memory
from sangsaeng.assistant.personas import PERSONAS
from sangsaeng.core import ratelimit
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["assistant"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class AssistantAskIn(StrictInput):
    message: str = Field(max_length=10_000)
    persona: str = Field(default="secretary", max_length=20)


class AssistantCallOut(Schema):
    tool: str
    args: dict[str, Any]
    ok: bool
    error: str = ""
    data: dict[str, Any] = {}


class AssistantAnswerOut(Schema):
    answer: str
    persona: str
    by_model: bool
    mode: str = Field(description="tools: a function-calling model planned the calls | parser: the intent parser did")
    calls: list[AssistantCallOut]
    turn_id: str


class AssistantTurnOut(Schema):
    id: str
    persona: str
    question: str
    answer: str
    calls: list[dict[str, Any]]
    created_at: datetime


class AssistantSettingsIn(StrictInput):
    retention_days: int


class AssistantSettingsOut(Schema):
    retention_days: int


class AssistantPersonaOut(Schema):
    key: str
    name: str
    tools: list[str]


@router.post("/ask", response=AssistantAnswerOut, summary="Ask the assistant (tools run with your permissions)")
def ask(request: HttpRequest, payload: AssistantAskIn) -> AssistantAnswerOut:
    user = _user(request)
    ratelimit.consume(scope="assistant.ask", key=str(user.pk), limit=settings.ASSISTANT_ASKS_PER_MINUTE, window=60)
    answer = loop.ask(user=user, message=payload.message, persona=payload.persona)
    calls = [
        AssistantCallOut(
            tool=r["tool"], args=r["args"], ok="error" not in r, error=r.get("error", ""), data=r.get("data", {})
        )
        for r in answer.results
    ]
    return AssistantAnswerOut(
        answer=answer.text,
        persona=answer.persona,
        by_model=answer.by_model,
        mode=answer.mode,
        calls=calls,
        turn_id=answer.turn_id,
    )


@router.get("/history", response=list[AssistantTurnOut], summary="My conversation with the assistant, newest first")
def history(request: HttpRequest, limit: int = 50) -> list[AssistantTurnOut]:
    return [
        AssistantTurnOut(
            id=str(t.public_id),
            persona=t.persona,
            question=t.question,
            answer=t.answer,
            calls=t.calls,
            created_at=t.created_at,
        )
        for t in memory.history(user=_user(request), limit=limit)
    ]


@router.delete("/history", response={204: None}, summary="Forget my whole conversation")
def history_delete(request: HttpRequest) -> Status[None]:
    memory.history_delete(user=_user(request))
    return Status(204, None)


@router.get("/settings", response=AssistantSettingsOut, summary="How long my conversation is kept")
def settings_get(request: HttpRequest) -> AssistantSettingsOut:
    return AssistantSettingsOut(retention_days=memory.retention_get(user=_user(request)))


@router.put("/settings", response=AssistantSettingsOut, summary="Set how long my conversation is kept (0: never)")
def settings_put(request: HttpRequest, payload: AssistantSettingsIn) -> AssistantSettingsOut:
    return AssistantSettingsOut(retention_days=memory.retention_set(user=_user(request), days=payload.retention_days))


@router.get("/personas", response=list[AssistantPersonaOut], summary="The assistant's personas and their tools")
def personas(request: HttpRequest) -> list[AssistantPersonaOut]:
    return [AssistantPersonaOut(key=p.key, name=p.name, tools=list(p.tools)) for p in PERSONAS.values()]


class AssistantActionOut(Schema):
    action_id: str
    kind: str = Field(description="reminder | draft")
    status: str = Field(description="pending | scheduled | sent | cancelled | expired | failed")
    text: str
    to: str = Field(description="a draft's conversation, as you call it")
    at: str | None = Field(description="a reminder's time (ISO 8601, Asia/Seoul)")
    at_label: str
    expires_at: str


class AssistantConversationOut(Schema):
    conversation_id: str
    url: str


@router.get("/actions", response=list[AssistantActionOut], summary="Reminders and drafts the assistant proposed")
def action_list(request: HttpRequest, open_only: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    return [actions.action_dict(a) for a in actions.actions_list(user=_user(request), open_only=open_only, limit=limit)]


@router.get("/actions/{action_id}", response=AssistantActionOut, summary="One proposed action")
def action_get(request: HttpRequest, action_id: UUID) -> dict[str, Any]:
    return actions.action_dict(actions.access_action(actor=_user(request), action_id=action_id))


@router.post(
    "/actions/{action_id}/confirm",
    response=AssistantActionOut,
    summary="Confirm: send the draft as you now, or schedule the reminder (409 once decided or expired)",
)
def action_confirm(request: HttpRequest, action_id: UUID) -> dict[str, Any]:
    return actions.action_dict(actions.action_confirm(actor=_user(request), action_id=action_id))


@router.post(
    "/actions/{action_id}/cancel",
    response=AssistantActionOut,
    summary="Cancel a pending action or a scheduled reminder",
)
def action_cancel(request: HttpRequest, action_id: UUID) -> dict[str, Any]:
    return actions.action_dict(actions.action_cancel(actor=_user(request), action_id=action_id))


@router.post(
    "/conversation",
    response=AssistantConversationOut,
    summary="Open my 1:1 chat with the assistant (it answers there as a participant)",
)
def conversation_open(request: HttpRequest) -> AssistantConversationOut:
    conversation_id = chat.conversation_for(user=_user(request))
    return AssistantConversationOut(
        conversation_id=conversation_id, url=reverse("messaging:conversation", args=[conversation_id])
    )
