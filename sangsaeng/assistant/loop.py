"""The assistant's loop: something plans tool calls, the tools run as the user, a model (or a template) words it.

Parser mode (the default): only the user's own words plan tool calls, through the intent parser.
Tool output goes to the model as data and the model's reply is shown as text: it is never parsed for
more calls, so an instruction hidden in a product description or a received message cannot make the
assistant act. Function-calling mode (ASSISTANT_TOOL_CALLING, for models that can call tools) is in
`calling`, with its own guard: action tools only before any tool output was read.
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

from sangsaeng.assistant import calling, intents, memory, personas, phrasing
from sangsaeng.assistant.models import Turn
from sangsaeng.assistant.runner import tool_run
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
    mode: str = "parser"  # "tools": a function-calling model planned the calls; "parser": the intent parser


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


def _no_plan_reply(persona: personas.Persona) -> str:
    if persona.key == "doctor":
        return "건강에 대해 궁금한 점을 말씀해 주세요. 일반적인 정보를 알려 드릴게요."
    if persona.key == "teacher":
        return "무엇이든 물어보세요. 파일 찾기와 공부 알림도 도와 드려요."
    return (
        '이렇게 말씀해 보세요: "작년 여름 제주도 사진 보여줘", "김민준 님 명함 찾아줘", '
        '"배송 중인 주문 알려줘", "내일 오후 3시에 치과 예약 알려줘".'
    )


def _parsed(
    *, user: Any, text: str, persona: personas.Persona, now: datetime, model: phrasing.Model
) -> tuple[str, list[dict[str, Any]], list[dict[str, Any]], bool, dict[str, float]]:
    """Parser mode: the intent parser plans, the tools run, the model (or a template) words the answer."""
    timings: dict[str, float] = {}
    started = time.perf_counter()
    calls = intents.plan(text, now=now)
    timings["planning_ms"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    results = [tool_run(user=user, tool=c.tool, args=c.args, allowed=persona.tools, now=now) for c in calls]
    timings["tools_ms"] = (time.perf_counter() - started) * 1000

    started = time.perf_counter()
    by_model = False
    reply = phrasing.template(results) if results else _no_plan_reply(persona)
    if results or persona.key != "secretary":
        try:
            generated = model(phrasing.prompt(persona.system, text, results)).strip()
            if generated:
                reply, by_model = generated, True
        except phrasing.ModelUnavailable:
            pass
        except Exception:  # a broken model server falls back to templates, never to an error page
            log.exception("assistant model failed")
    timings["generation_ms"] = (time.perf_counter() - started) * 1000
    return reply, [c.as_dict() for c in calls], results, by_model, timings


def ask(
    *,
    user: Any,
    message: str,
    persona: str = "secretary",
    now: datetime | None = None,
    model: phrasing.Model | None = None,
    tool_model: calling.ToolModel | None = None,
    remember: bool = True,
) -> Answer:
    """Answer one message for `user`.

    With ASSISTANT_TOOL_CALLING on, a function-calling model (`tool_model`, default the configured LM)
    plans the tool calls; when it is unreachable or fails before any tool ran, the turn is answered in
    parser mode: the intent parser plans and `model` (default the configured LM; templates when it
    fails) words the answer. `Answer.mode` says which one answered."""
    chosen = personas.persona_get(persona)
    text = _check(message)
    now = timezone.localtime(now or timezone.now())

    answer: Answer | None = None
    if settings.ASSISTANT_TOOL_CALLING and (tool_model is not None or settings.ASSISTANT_LM_URL):
        try:
            outcome = calling.converse(
                user=user, text=text, persona=chosen, now=now, model=tool_model or calling.openai_tool_model
            )
            reply = outcome.reply or _no_plan_reply(chosen)
            answer = Answer(reply, chosen.key, outcome.calls, outcome.results, outcome.by_model, outcome.timings)
            answer.mode = "tools"
        except calling.ModelFailed as exc:
            log.info("assistant tool calling unavailable, parser mode for this turn: %s", exc)
    if answer is None:
        reply, calls, results, by_model, timings = _parsed(
            user=user, text=text, persona=chosen, now=now, model=model or phrasing.openai_model
        )
        answer = Answer(reply, chosen.key, calls, results, by_model, timings)
    if chosen.key == "doctor":
        answer.text = personas.doctor_guard(text, answer.text)

    if remember and memory.retention_get(user=user) > 0:
        turn = Turn.objects.create(user=user, persona=chosen.key, question=text, answer=answer.text, calls=answer.calls)
        answer.turn_id = str(turn.public_id)
    return answer
