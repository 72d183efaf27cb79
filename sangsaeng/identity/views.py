"""Identity pages: the wallet, document submission, phone check, the operator queue, public metadata."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.identity import jose, sdjwt, selectors, services
from sangsaeng.identity.forms import CodeForm, DecisionForm, DocumentForm, PhoneForm, PresentForm
from sangsaeng.identity.verification import DOCUMENT_TYPES

CLAIM_LABELS = {"name": "이름", "birthdate": "생년월일", "is_over_19": "만 19세 이상", "phone_number": "휴대전화"}


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Operator pages are 404 to everyone else, so their existence isn't advertised."""

    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def _wallet_entries(user: Any) -> list[dict[str, Any]]:
    entries = []
    for credential in selectors.credential_list(user=user):
        disclosures: list[dict[str, Any]] = []
        if credential.hosted:
            token = services.credential_token(credential=credential)
            for disclosure in sdjwt.split(token)[1]:
                _salt, name, value = json.loads(jose.b64d(disclosure))
                disclosures.append({"name": name, "label": CLAIM_LABELS.get(name, name), "value": value})
        entries.append({"credential": credential, "disclosures": disclosures})
    return entries


@login_required
def wallet(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PresentForm(request.POST or None)
    presentation = ""
    if request.method == "POST" and form.is_valid():
        try:
            presentation = services.presentation_create(
                actor=user,
                disclose=form.cleaned_data["disclose"],
                nonce=form.cleaned_data["nonce"],
                audience=form.cleaned_data["audience"],
            )
        except Problem as problem:
            form.add_error(None, problem.ko)
    return render(
        request,
        "identity/wallet.html",
        {
            "identity": selectors.verified_identity_get(user=user),
            "review": selectors.review_latest(user=user),
            "phone": selectors.verified_phone(user=user),
            "entries": _wallet_entries(user),
            "form": form,
            "presentation": presentation,
        },
    )


@login_required
@require_POST
def credential_issue(request: HttpRequest) -> HttpResponse:
    try:
        services.credential_issue(user=request.user)
    except Problem as problem:
        messages.error(request, problem.ko)
    else:
        messages.success(request, _("신분 증명을 지갑에 발급했습니다."))
    return redirect("identity:wallet")


@login_required
@require_POST
def credential_revoke(request: HttpRequest, credential_id: UUID) -> HttpResponse:
    services.credential_revoke(actor=request.user, credential_id=credential_id)
    messages.success(request, _("증명을 폐기했습니다."))
    return redirect("identity:wallet")


@login_required
def document_submit(request: HttpRequest) -> HttpResponse:
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.document_submit(
                user=request.user,
                document=upload.read(settings.IDENTITY_DOCUMENT_MAX_BYTES + 1),
                document_type=form.cleaned_data["document_type"],
                name=form.cleaned_data["name"],
                birthdate=form.cleaned_data["birthdate"],
            )
        except Problem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.ko)
        else:
            messages.success(request, _("신분증을 제출했습니다. 운영자가 확인하면 알려 드립니다."))
            return redirect("identity:wallet")
    return render(request, "identity/document.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def phone(request: HttpRequest) -> HttpResponse:
    phone_form = PhoneForm(request.POST if "phone" in request.POST else None)
    code_form = CodeForm(request.POST if "code" in request.POST else None)
    if phone_form.is_bound and phone_form.is_valid():
        try:
            services.phone_code_send(user=request.user, phone=phone_form.cleaned_data["phone"])
        except Problem as problem:
            phone_form.add_error("phone", problem.ko)
        else:
            messages.success(request, _("인증번호를 문자로 보냈습니다."))
            return redirect("identity:phone")
    if code_form.is_bound and code_form.is_valid():
        try:
            services.phone_code_confirm(user=request.user, code=code_form.cleaned_data["code"])
        except Problem as problem:
            code_form.add_error("code", problem.ko)
        else:
            messages.success(request, _("휴대전화 번호를 확인했습니다."))
            return redirect("identity:wallet")
    return render(request, "identity/phone.html", {"phone_form": phone_form, "code_form": code_form})


@staff_required
def review_queue(request: HttpRequest) -> HttpResponse:
    return render(request, "identity/review_queue.html", {"reviews": selectors.review_list_pending()})


@staff_required
def review_detail(request: HttpRequest, review_id: UUID) -> HttpResponse:
    review = services.access_review(actor=request.user, review_id=review_id)
    form = DecisionForm(
        request.POST or None, initial={"legal_name": review.claimed_name, "birthdate": review.claimed_birthdate}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.review_decide(
                actor=request.user,
                review_id=review_id,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                legal_name=form.cleaned_data["legal_name"] or None,
                birthdate=form.cleaned_data["birthdate"],
            )
        except Problem as problem:
            form.add_error(problem.field if problem.field in form.fields else None, problem.ko)
        else:
            messages.success(request, _("처리했습니다. 신분증 사진은 삭제되었습니다."))
            return redirect("identity:review_queue")
    document_label = DOCUMENT_TYPES.get(review.document_type, review.document_type)
    return render(
        request, "identity/review_detail.html", {"review": review, "form": form, "document_label": document_label}
    )


@staff_required
@require_GET
def review_document(request: HttpRequest, review_id: UUID) -> HttpResponse:
    data, content_type = services.document_read(actor=request.user, review_id=review_id)
    response = HttpResponse(data, content_type=content_type)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(selectors.issuer_jwks())
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def jwt_vc_issuer(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/")
    response = JsonResponse(selectors.issuer_metadata(base_url=base))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def status_list(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(services.status_list_token(), content_type="application/statuslist+jwt")
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"
    return response
