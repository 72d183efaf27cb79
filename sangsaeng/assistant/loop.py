"""The assistant's loop: the parser plans, the tools run as the user, a model (or a template) words it.

Only the user's own words plan tool calls. Tool output goes to the model as data and the model's
reply is shown as text: it is never parsed for more calls, so an instruction hidden in a product
description or a received message cannot make the assistant act.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.assistant import intents, memory, personas, phrasing
from sangsaeng.assistant.models import AuditEntry, Turn
from sangsaeng.assistant.tools import PROPOSING, TOOLS, ToolError
from sangsaeng.core.errors import Problem

log = logging.getLogger(__name__)


@dataclass
class Answer:
    text: str
    persona: str
    calls: list[dict[str, Any]]
    results: list[dict[str, Any]]
    by_model: bool
    timings: dict[str, float] = field(default_factory=dict)
    turn_id: str = ""


def _check(message: str) -> str:
    text = (message or "").strip()
    if not text:
        raise Problem(
            code="empty_message", ko=_("메시지를 입력해 주세요."), en="The message is empty.", field="message"
        )
    limit = settings.ASSISTANT_MAX_CHARS
    if len(text) > limit:
        raise Problem(
            code="message_too_long",
            ko=_("메시지가 너무 길어요. %(limit)s자 이내로 줄여 주세요.") % {"limit": limit},
            en=f"The message is longer than {limit} characters.",
            field="message",
        )
    return text


def tool_run(
    *, user: Any, tool: str, args: dict[str, Any], allowed: tuple[str, ...], now: datetime | None = None
) -> dict[str, Any]:
    """One audited tool call; a failing tool gives a Korean error in the result, never an exception.

    The tools that propose an action also get `now`, the moment the request was planned against."""
    started = time.perf_counter()
    result: dict[str, Any] = {"tool": tool, "args": args}
    code = ""
    try:
        if tool not in allowed or tool not in TOOLS:
            raise ToolError("not_allowed", _("이 모드에서는 이 기능을 쓸 수 없어요."))
        extra = {"now": now} if tool in PROPOSING and now is not None else {}
        result["data"] = TOOLS[tool](user, **args, **extra)
    except ToolError as exc:
        code, result["error"] = exc.code, exc.message
    except Exception:  # a tool's bug must not break the conversation; it is logged and audited
        log.exception("assistant tool %s failed", tool)
        code, result["error"] = "tool_failed", _("지금은 이 정보를 가져오지 못했어요. 잠시 후 다시 시도해 주세요.")
    AuditEntry.objects.create(
        user=user,
        tool=tool,
        args=args,
        ok=not code,
        error=code,
        results=len(result.get("data", {}).get("rows", [])),
        duration_ms=int((time.perf_counter() - started) * 1000),
    )
    return result


def _no_plan_reply(persona: personas.Persona) -> str:
    if persona.key == "doctor":
        return "건강에 대해 궁금한 점을 말씀해 주세요. 일반적인 정보를 알려 드릴게요."
    if persona.key == "teacher":
        return "무엇이든 물어보세요. 파일 찾기와 공부 알림도 도와 드려요."
    return (
        '이렇게 말씀해 보세요: "작년 여름 제주도 사진 보여줘", "김민준 님 명함 찾아줘", '
        '"배송 중인 주문 알려줘", "내일 오후 3시에 치과 예약 알려줘".'
    )


def ask(
    *,
    user: Any,
    message: str,
    persona: str = "secretary",
    now: datetime | None = None,
    model: phrasing.Model | None = None,
    remember: bool = True,
) -> Answer:
    """Answer one message for `user`. `model` defaults to the configured LM; templates when it fails."""
    chosen = personas.persona_get(persona)
    text = _check(message)
    now = timezone.localtime(now or timezone.now())
    model = model or phrasing.openai_model
    timings: dict[str, float] = {}

    started = time.perf_counter()
    calls = intents.plan(text, now=now)
    timings["planning_ms"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    results = [tool_run(user=user, tool=c.tool, args=c.args, allowed=chosen.tools, now=now) for c in calls]
    timings["tools_ms"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    by_model = False
    fallback = phrasing.template(results) if results else _no_plan_reply(chosen)
    reply = fallback
    if results or chosen.key != "secretary":
        try:
            generated = model(phrasing.prompt(chosen.system, text, results)).strip()
            if generated:
                reply, by_model = generated, True
        except phrasing.ModelUnavailable:
            pass
        except Exception:  # a broken model server falls back to templates, never to an error page
            log.exception("assistant model failed")
    if chosen.key == "doctor":
        reply = personas.doctor_guard(text, reply)
    timings["generation_ms"] = (time.perf_counter() - started) * 1000

    answer = Answer(reply, chosen.key, [c.as_dict() for c in calls], results, by_model, timings)
    if remember and memory.retention_get(user=user) > 0:
        turn = Turn.objects.create(user=user, persona=chosen.key, question=text, answer=reply, calls=answer.calls)
        answer.turn_id = str(turn.public_id)
    return answer
