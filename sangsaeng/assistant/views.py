"""The assistant page: ask in Korean, confirm or cancel what it proposed, open the chat, forget everything."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.assistant import actions, loop, memory
from sangsaeng.assistant import calling as assistant_calling
from sangsaeng.assistant import chat as assistant_chat
from sangsaeng.assistant.personas import PERSONAS
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem


@login_required
def chat(request: HttpRequest) -> HttpResponse:
    persona = request.POST.get("persona") or request.GET.get("persona") or "secretary"
    error, status, latest = "", 200, None
    if request.method == "POST":
        try:
            limit = settings.ASSISTANT_ASKS_PER_MINUTE
            ratelimit.consume(scope="assistant.ask", key=str(request.user.pk), limit=limit, window=60)
            latest = loop.ask(user=request.user, message=request.POST.get("message", ""), persona=persona)
        except Problem as problem:
            error, status = problem.ko, problem.status
        except ratelimit.RateLimited:
            error, status = _("질문이 너무 많아요. 잠시 후 다시 물어봐 주세요."), 429
    turns = list(reversed(memory.history(user=request.user, limit=30)))
    context = {
        # the latest turn's mode, else what this site is set up for
        "mode": latest.mode if latest else ("tools" if assistant_calling.configured() else "parser"),
        "turns": turns,
        "latest": latest,
        "error": error,
        "persona": persona if persona in PERSONAS else "secretary",
        "personas": PERSONAS.values(),
        "retention_days": memory.retention_get(user=request.user),
        "actions": [actions.action_dict(a) for a in actions.actions_list(user=request.user, open_only=True)],
    }
    return render(request, "assistant/chat.html", context, status=status)


@login_required
@require_POST
def forget(request: HttpRequest) -> HttpResponse:
    memory.history_delete(user=request.user)
    messages.success(request, _("대화 기록을 모두 지웠어요."))
    return redirect("assistant:chat")


@login_required
@require_POST
def retention(request: HttpRequest) -> HttpResponse:
    try:
        memory.retention_set(user=request.user, days=int(request.POST.get("retention_days", "")))
        messages.success(request, _("보관 기간을 바꿨어요."))
    except ValueError:
        messages.error(request, _("보관 기간은 숫자로 입력해 주세요."))
    except Problem as problem:
        messages.error(request, problem.ko)
    return redirect("assistant:chat")


@login_required
@require_POST
def action_decide(request: HttpRequest, action_id: str, decision: str) -> HttpResponse:
    try:
        if decision == "confirm":
            action = actions.action_confirm(actor=request.user, action_id=action_id)
            done = _("메시지를 보냈어요.") if action.kind == "draft" else _("알림을 예약했어요.")
        else:
            actions.action_cancel(actor=request.user, action_id=action_id)
            done = _("취소했어요.")
        messages.success(request, done)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        messages.error(request, problem.ko)
    return redirect("assistant:chat")


@login_required
@require_POST
def open_chat(request: HttpRequest) -> HttpResponse:
    """The user's 1:1 with the assistant in chat, opened on first use."""
    conversation_id = assistant_chat.conversation_for(user=request.user)
    return redirect(reverse("messaging:conversation", args=[conversation_id]))
