"""Sync pages: the partner console (apps, terms, consent items, unlink callback) and the user's
connected services. Thin: parse, call one service, render."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.sync import selectors, services
from sangsaeng.sync.forms import AppForm, ConsentItemsForm, TermForm, WebhookForm
from sangsaeng.sync.models import ConsentItem

SECRET_SESSION_KEY = "sync_secret_once"


def _form_error(form: Any, problem: Problem) -> None:
    form.add_error(problem.field if problem.field in form.fields else None, problem.ko)


# Partner console ---------------------------------------------------------------------------------


@login_required
def apps(request: HttpRequest) -> HttpResponse:
    form = AppForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partner, secret = services.partner_create(
                owner=request.user,
                name=data["name"],
                redirect_uris=data["redirect_uris"],
                public=data["client_type"] == "public",
                logo_url=data["logo_url"],
                privacy_policy_url=data["privacy_policy_url"],
            )
        except Problem as problem:
            _form_error(form, problem)
        else:
            if secret:
                request.session[SECRET_SESSION_KEY] = {"label": _("클라이언트 시크릿"), "value": secret}
            return redirect("sync:app", partner_id=partner.public_id)
    return render(request, "sync/apps.html", {"form": form, "partners": selectors.partner_list(owner=request.user)})


@login_required
def app(request: HttpRequest, partner_id: UUID) -> HttpResponse:
    partner = selectors.access_partner(actor=request.user, partner_id=partner_id)
    initial = {f"item_{k}": v for k, v in partner.consent_items.items()}
    initial.update(
        channel_name=partner.channel_name, logo_url=partner.logo_url, privacy_policy_url=partner.privacy_policy_url
    )
    form = ConsentItemsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.partner_update(
            actor=request.user,
            partner_id=partner_id,
            consent_items=form.consent_items(),
            channel_name=form.cleaned_data["channel_name"],
            logo_url=form.cleaned_data["logo_url"],
            privacy_policy_url=form.cleaned_data["privacy_policy_url"],
        )
        messages.success(request, _("동의 항목을 저장했습니다."))
        return redirect("sync:app", partner_id=partner_id)
    return render(
        request,
        "sync/app.html",
        {
            "partner": partner,
            "form": form,
            "term_form": TermForm(),
            "webhook_form": WebhookForm(),
            "terms": selectors.term_list(partner=partner),
            "secret_once": request.session.pop(SECRET_SESSION_KEY, None),
        },
    )


@login_required
@require_POST
def term_add(request: HttpRequest, partner_id: UUID) -> HttpResponse:
    selectors.access_partner(actor=request.user, partner_id=partner_id)
    form = TermForm(request.POST)
    if form.is_valid():
        try:
            services.term_create(actor=request.user, partner_id=partner_id, **form.cleaned_data)
        except Problem as problem:
            messages.error(request, problem.ko)
        else:
            messages.success(request, _("약관을 추가했습니다."))
    else:
        messages.error(request, _("약관 입력 값이 올바르지 않습니다."))
    return redirect("sync:app", partner_id=partner_id)


@login_required
@require_POST
def term_delete(request: HttpRequest, partner_id: UUID, term_id: UUID) -> HttpResponse:
    services.term_delete(actor=request.user, partner_id=partner_id, term_id=term_id)
    messages.success(request, _("약관을 삭제했습니다."))
    return redirect("sync:app", partner_id=partner_id)


@login_required
@require_POST
def webhook_set(request: HttpRequest, partner_id: UUID) -> HttpResponse:
    selectors.access_partner(actor=request.user, partner_id=partner_id)
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            secret = services.partner_set_unlink_webhook(
                actor=request.user, partner_id=partner_id, url=form.cleaned_data["url"]
            )
        except Problem as problem:
            messages.error(request, problem.ko)
        else:
            request.session[SECRET_SESSION_KEY] = {"label": _("웹훅 서명 시크릿"), "value": secret}
    else:
        messages.error(request, _("URL이 올바르지 않습니다."))
    return redirect("sync:app", partner_id=partner_id)


# Connected services ------------------------------------------------------------------------------


@login_required
def connections(request: HttpRequest) -> HttpResponse:
    entries = []
    for link in selectors.link_list(user=request.user):
        live = [c for c in link.consents.all() if c.granted and c.withdrawn_at is None]
        entries.append(
            {
                "link": link,
                "consents": [
                    {
                        "item": c.item,
                        "label": ConsentItem(c.item).label,
                        "decided_at": c.decided_at,
                        "required": link.partner.consent_items.get(c.item) == "required",
                    }
                    for c in live
                ],
                "agreements": [a for a in link.agreements.all() if a.revoked_at is None],
            }
        )
    return render(request, "sync/connections.html", {"entries": entries})


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, link_id: UUID) -> HttpResponse:
    services.consent_withdraw(actor=request.user, link_id=link_id, item=request.POST.get("item", ""))
    messages.success(request, _("동의를 철회했습니다."))
    return redirect("sync:connections")


@login_required
@require_POST
def unlink(request: HttpRequest, link_id: UUID) -> HttpResponse:
    link = services.link_unlink(actor=request.user, link_id=link_id)
    messages.success(request, _("%(name)s 연결을 끊었습니다.") % {"name": link.partner.name})
    return redirect("sync:connections")
