"""Signed-in pages: my passports, the brand console, operator brand verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.authenticity import selectors, services
from sangsaeng.authenticity.issuance import COLUMNS
from sangsaeng.core.errors import Problem, not_found


def _say(problem: Problem) -> str:
    return problem.en if (get_language() or "ko").startswith("en") else problem.ko


def _int(value: Any) -> int:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError) as exc:
        raise not_found("passport") from exc


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "authenticity/mine.html", {"passports": selectors.passports_owned(user=request.user)})


@login_required
def claim(request: HttpRequest, token_id: int) -> HttpResponse:
    """GET: the claim form (after signing in, carrying a fresh NFC read's token); POST: claim."""
    if request.method != "POST":
        passport = selectors.passport_get(token_id=token_id)
        context = {
            "passport": selectors.passport_public(passport),
            "token_id": token_id,
            "sun_token": request.GET.get("sun_token", "")[:400],
        }
        return render(request, "authenticity/claim.html", context)
    try:
        services.passport_claim(
            actor=request.user,
            token_id=token_id,
            secret=request.POST.get("secret", "")[:64],
            sun_token=request.POST.get("sun_token", "")[:400],
            consent=request.POST.get("consent") == "on",
        )
    except Problem as problem:
        return render(
            request,
            "authenticity/claim_failed.html",
            {"message": _say(problem), "code": problem.code},
            status=problem.status,
        )
    messages.success(request, _("소유자로 등록했습니다."))
    return redirect("authenticity:mine")


@login_required
@require_POST
def claim_by_secret(request: HttpRequest) -> HttpResponse:
    token_id = request.POST.get("token_id", "")
    if not token_id.strip().isdigit():
        return render(
            request,
            "authenticity/claim_failed.html",
            {"message": _("정품 확인 불가: 태그 정보가 맞지 않습니다."), "code": "not_authentic"},
            status=403,
        )
    return claim(request, int(token_id.strip()))


@login_required
@require_POST
def owner_action(request: HttpRequest, token_id: int, action: str) -> HttpResponse:
    try:
        if action == "transfer":
            target = request.POST.get("target", "").strip()
            if target.startswith("0x"):
                services.passport_transfer_to_address(actor=request.user, token_id=token_id, address=target)
            else:
                services.passport_transfer_to_user(actor=request.user, token_id=token_id, email=target)
            messages.success(request, _("소유권 이전을 요청했습니다."))
        elif action == "report":
            services.passport_report(actor=request.user, token_id=token_id, state=request.POST.get("state", ""))
            messages.success(request, _("상태를 바꿨습니다."))
        elif action == "consent":
            services.passport_consent(
                actor=request.user, token_id=token_id, consent=request.POST.get("consent") == "on"
            )
            messages.success(request, _("브랜드 고객 등록 동의를 저장했습니다."))
        else:
            raise not_found("action")
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, _say(problem))
    return redirect("authenticity:mine")


@login_required
def brands(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            brand = services.brand_create(
                owner=request.user,
                name=request.POST.get("name", ""),
                slug=request.POST.get("slug", ""),
                description=request.POST.get("description", ""),
            )
            return redirect("authenticity:console", slug=brand.slug)
        except Problem as problem:
            messages.error(request, _say(problem))
    return render(request, "authenticity/brands.html", {"brands": selectors.brands_of(user=request.user)})


@login_required
def console(request: HttpRequest, slug: str) -> HttpResponse:
    brand = services.access_brand(actor=request.user, slug=slug)
    context = {
        "brand": brand,
        "role": selectors.brand_role(brand=brand, user=request.user),
        "passports": selectors.brand_passports(brand=brand),
        "tags": selectors.brand_tags(brand=brand),
        "customers": selectors.brand_customers(brand=brand),
        "columns": ",".join(COLUMNS),
        "issued": request.session.pop("authenticity_issued", None),
        "new_tags": request.session.pop("authenticity_new_tags", None),
    }
    return render(request, "authenticity/console.html", context)


def _issued_rows(issued: list[tuple[Any, str]]) -> list[dict[str, Any]]:
    return [
        {"token_id": p.token_id, "serial": p.serial, "secret": secret, "qr": selectors.passport_qr_code(passport=p)}
        for p, secret in issued
    ]


@login_required
@require_POST
def console_issue(request: HttpRequest, slug: str) -> HttpResponse:
    data = {key: request.POST.get(key, "") for key in COLUMNS}
    try:
        passport, secret = services.passport_issue(actor=request.user, slug=slug, data=data)
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, _say(problem))
        return redirect("authenticity:console", slug=slug)
    request.session["authenticity_issued"] = _issued_rows([(passport, secret)])
    return redirect("authenticity:console", slug=slug)


@login_required
@require_POST
def console_batch(request: HttpRequest, slug: str) -> HttpResponse:
    """The CSV upload: the page sends it with XHR (upload progress) and reads this JSON answer."""
    services.access_brand(actor=request.user, slug=slug)
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Problem(
                code="csv_missing", status=422, ko="CSV 파일을 골라 주세요.", en="Choose a CSV file.", field="file"
            )
        if upload.size and upload.size > 5 * 1_048_576:
            raise Problem(
                code="csv_too_large",
                status=422,
                ko="CSV는 5MB까지 올릴 수 있습니다.",
                en="The CSV may be at most 5 MB.",
                field="file",
            )
        issued = services.passports_issue_csv(actor=request.user, slug=slug, content=upload.read())
    except Problem as problem:
        body = problem.body(language=get_language())
        return JsonResponse(body, status=problem.status, json_dumps_params={"ensure_ascii": False})
    request.session["authenticity_issued"] = _issued_rows(issued)
    return JsonResponse({"issued": len(issued), "next": reverse("authenticity:console", kwargs={"slug": slug})})


@login_required
@require_POST
def console_tags(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        count = int(request.POST.get("count", "0") or 0)
        request.session["authenticity_new_tags"] = services.brand_nfc_tags_create(
            actor=request.user, slug=slug, count=count
        )
    except ValueError:
        messages.error(request, _("태그 수를 숫자로 입력하세요."))
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, _say(problem))
    return redirect("authenticity:console", slug=slug)


@login_required
@require_POST
def console_attach(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        services.tag_attach(
            actor=request.user,
            slug=slug,
            tag_code=request.POST.get("tag_code", "")[:32],
            token_id=_int(request.POST.get("token_id")),
        )
        messages.success(request, _("태그를 제품에 연결했습니다."))
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, _say(problem))
    return redirect("authenticity:console", slug=slug)


@login_required
@require_POST
def console_recover(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    try:
        passport, secret = services.passport_recover(actor=request.user, slug=slug, token_id=token_id)
        request.session["authenticity_issued"] = _issued_rows([(passport, secret)])
        messages.success(request, _("제품 여권을 회수했습니다. 새 등록 암호를 인쇄하세요."))
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, _say(problem))
    return redirect("authenticity:console", slug=slug)


@login_required
def label(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    """A printable label: the QR to verify, the serial and (for the brand only) where the passphrase goes."""
    brand = services.access_brand(actor=request.user, slug=slug)
    passport = selectors.brand_passport(brand=brand, token_id=token_id)
    return render(
        request,
        "authenticity/label.html",
        {"brand": brand, "passport": passport, "qr": selectors.passport_qr_code(passport=passport)},
    )


@login_required
def operator(request: HttpRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise not_found("page")
    if request.method == "POST":
        services.brand_verify(
            actor=request.user, slug=request.POST.get("slug", ""), verified=request.POST.get("verified") == "1"
        )
        messages.success(request, _("브랜드 인증 상태를 바꿨습니다."))
        return redirect("authenticity:operator")
    return render(request, "authenticity/operator.html", {"brands": selectors.brands_for_review()})
