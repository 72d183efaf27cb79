"""Pages: the playground (streams from the model), the developer console (API keys) and usage."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.lm import selectors, services
from sangsaeng.lm.forms import KeyForm
from sangsaeng.lm.openai.backends import served_model_name
from sangsaeng.lm.openai.errors import OpenAIError
from sangsaeng.lm.openai.generation import Generation
from sangsaeng.lm.openai.validation import body_parse, messages_parse, prompt_parse, sampling_parse
from sangsaeng.lm.provenance import card_read

PLAYGROUND_RPM = 30


@login_required
def playground(request: HttpRequest) -> HttpResponse:
    card = None if settings.LM_BASE_URL else card_read()
    context = {
        "model": served_model_name(),
        "upstream": bool(settings.LM_BASE_URL),
        "max_tokens": min(settings.LM_MAX_TOKENS, 256),
        "card": card,
        "snapshot_url": _snapshot_url(card["snapshot"]) if card and card.get("snapshot") else "",
    }
    return render(request, "lm/playground.html", context)


def _snapshot_url(snapshot: dict[str, Any]) -> str:
    """The commons page of the snapshot: its own page when the commons has one, else the list."""
    for name, kwargs in (
        ("contributions:snapshot", {"root": snapshot.get("merkle_root", "")}),
        ("contributions:snapshot", {"snapshot_id": snapshot.get("id", "")}),
        ("contributions:index", {}),
    ):
        try:
            return reverse(name, kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


@login_required
@require_POST
def playground_generate(request: HttpRequest) -> HttpResponseBase:
    """The playground's stream: same generation path as /v1, signed in by session, not metered
    to a key, limited per user. Answers chat.completion.chunk (or text_completion) events."""
    try:
        if settings.LM_BASE_URL:
            raise OpenAIError(
                400, "The playground runs the local model; with LM_BASE_URL use the API.", code="upstream_mode"
            )
        try:
            ratelimit.consume(scope="lm-playground", key=str(request.user.pk), limit=PLAYGROUND_RPM, window=60)
        except ratelimit.RateLimited:
            raise OpenAIError(
                429, "분당 요청 한도를 넘었습니다. Too many requests.", type="requests", code="rate_limit_exceeded"
            ) from None
        body = body_parse(request.body)
        chat = body.get("mode") != "completion"
        sampling = sampling_parse({**body, "stream": True}, default_max_tokens=64)
        payload: dict[str, Any] = {"messages": messages_parse(body)} if chat else {"prompt": prompt_parse(body)}
        generation = Generation(
            chat=chat, model=served_model_name(), payload=payload, sampling=sampling, settle=lambda p, c: None
        )
        return generation.response()
    except OpenAIError as exc:
        return exc.response()


@login_required
def console(request: HttpRequest) -> HttpResponse:
    created = request.session.pop("lm_new_key", None)
    context = {
        "keys": selectors.key_list(owner=request.user),
        "form": KeyForm(),
        "created": created,
        "model": served_model_name(),
        "base_url": request.build_absolute_uri("/v1"),
        "month": selectors.usage_month_summary(owner=request.user),
    }
    return render(request, "lm/console.html", context)


@login_required
@require_POST
def key_new(request: HttpRequest) -> HttpResponse:
    form = KeyForm(request.POST)
    if form.is_valid():
        try:
            created = services.key_create(
                owner=request.user,
                label=form.cleaned_data["label"],
                partner=form.cleaned_data["partner"] or "",
                requests_per_minute=form.cleaned_data["requests_per_minute"],
                max_concurrent=form.cleaned_data["max_concurrent"],
                monthly_token_quota=form.cleaned_data["monthly_token_quota"],
            )
        except Problem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.ko)
        else:
            # Shown once on the next page, then gone: only the hash is stored.
            request.session["lm_new_key"] = {"secret": created.secret, "label": created.key.label}
            return redirect("lm:console")
    context = {
        "keys": selectors.key_list(owner=request.user),
        "form": form,
        "created": None,
        "model": served_model_name(),
    }
    context |= {
        "base_url": request.build_absolute_uri("/v1"),
        "month": selectors.usage_month_summary(owner=request.user),
    }
    return render(request, "lm/console.html", context, status=400)


@login_required
@require_POST
def key_revoke(request: HttpRequest, key_id: UUID) -> HttpResponse:
    try:
        key = services.key_revoke(actor=request.user, key_id=key_id)
    except Problem as problem:
        raise Http404(problem.en) from None
    messages.success(request, _("키 「%(label)s」를 폐기했습니다.") % {"label": key.label})
    return redirect("lm:console")


@login_required
def usage(request: HttpRequest) -> HttpResponse:
    if request.GET.get("format") == "json":
        rows = selectors.usage_days(owner=request.user)
        data = [{**row, "day": row["day"].isoformat(), "key": str(row["key"].public_id)} for row in rows]
        return JsonResponse({"data": data}, json_dumps_params={"ensure_ascii": False})
    context = {
        "days": selectors.usage_days(owner=request.user),
        "month": selectors.usage_month_summary(owner=request.user),
    }
    return render(request, "lm/usage.html", context)
