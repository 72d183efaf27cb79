"""Pages: contribute text (paste or file) with a licence, and see each document's decision."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangsaeng.contributions import exports_http, selectors, services
from sangsaeng.contributions.models import Contribution
from sangsaeng.core.errors import Problem
from sangsaeng.core.ratelimit import RateLimited


@login_required
def index(request: HttpRequest) -> HttpResponse:
    form = {"title": "", "text": "", "licence": "", "attribution": ""}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in form}
        upload = request.FILES.get("file")
        raw = upload.read(settings.CONTRIBUTIONS_MAX_UPLOAD_BYTES + 1) if upload else form["text"].encode()
        name = (upload.name or "upload.txt") if upload else "paste.txt"
        try:
            c = services.contribution_create(
                owner=request.user,
                raw=raw,
                name=name,
                licence=form["licence"],
                licence_accepted=request.POST.get("licence_accepted") == "on",
                title=form["title"],
                attribution=form["attribution"],
            )
        except Problem as problem:
            messages.error(request, problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en)
        except RateLimited:
            messages.error(request, _("잠시 후 다시 시도해 주세요."))
        else:
            messages.success(request, _("기여를 받았습니다. 검사 결과를 확인해 보세요."))
            return redirect("contributions:detail", contribution_id=c.public_id)
    context = {
        "contributions": selectors.contribution_list(owner=request.user),
        "licences": Contribution.Licence.choices,
        "form": form,
        "snapshots": selectors.snapshot_list()[:5],
    }
    return render(request, "contributions/index.html", context)


@login_required
def detail(request: HttpRequest, contribution_id: UUID) -> HttpResponse:
    try:
        c = selectors.contribution_get(owner=request.user, public_id=contribution_id)
    except Problem as exc:
        raise Http404 from exc
    context = {"c": c, "documents": selectors.contribution_documents(contribution=c)}
    return render(request, "contributions/detail.html", context)


@login_required
def report(request: HttpRequest, contribution_id: UUID) -> HttpResponse:
    """Anyone signed in reports a contribution (POST from a page that shows it)."""
    if request.method != "POST":
        return redirect("contributions:index")
    try:
        services.takedown_report(
            reporter=request.user, reason=request.POST.get("reason", ""), contribution_id=contribution_id
        )
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from problem
        messages.error(request, problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en)
    else:
        messages.success(request, _("신고를 받았습니다. 운영자가 검토합니다."))
    return redirect("contributions:index")


@login_required
def operator(request: HttpRequest) -> HttpResponse:
    """The operators' takedown queue: dismiss a report or remove the contribution."""
    if not request.user.is_staff:
        raise Http404
    if request.method == "POST":
        try:
            services.takedown_decide(
                actor=request.user,
                takedown_id=request.POST.get("report", ""),
                decision=request.POST.get("decision", ""),
                note=request.POST.get("note", ""),
            )
        except Problem as problem:
            messages.error(request, problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en)
        else:
            messages.success(request, _("결정을 기록했습니다."))
        return redirect("contributions:operator")
    context = {
        "open_reports": selectors.takedown_queue(actor=request.user, status="open"),
        "decided": selectors.takedown_queue(actor=request.user, status="")[-50:],
    }
    return render(request, "contributions/operator.html", context)


@login_required
def snapshot(request: HttpRequest, root: str) -> HttpResponse:
    try:
        snap = selectors.snapshot_get(root=root)
    except Problem as exc:
        raise Http404 from exc
    context = {"snap": snap, "anchor": selectors.snapshot_anchor_info(snapshot=snap)}
    return render(request, "contributions/snapshot.html", context)


@login_required
def snapshot_download(request: HttpRequest, root: str, fmt: str) -> HttpResponseBase:
    """Staff download a snapshot's manifest, JSONL or Parquet from the page."""
    if not request.user.is_staff:
        raise Http404
    try:
        if fmt == "manifest.json":
            return JsonResponse(selectors.snapshot_manifest(root=root), json_dumps_params={"ensure_ascii": False})
        if fmt == "documents.jsonl":
            return exports_http.jsonl_response(root=root)
        if fmt == "documents.parquet":
            return exports_http.parquet_response(root=root)
    except Problem as exc:
        raise Http404 from exc
    raise Http404


def _csv(text: str, name: str) -> HttpResponse:
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def earnings(request: HttpRequest) -> HttpResponse:
    """My revenue statements: what each distributed month paid me for my shares."""
    statements = selectors.statement_list(owner=request.user)
    rows = [
        {
            "s": s,
            "held": selectors.shares_display(s.shares_held),
            "frozen": selectors.shares_display(s.shares_frozen),
            "eligible": selectors.shares_display(s.shares_eligible),
        }
        for s in statements
    ]
    context = {"rows": rows, "total_won": sum(s.amount_won for s in statements)}
    return render(request, "contributions/earnings.html", context)


@login_required
def earnings_csv(request: HttpRequest) -> HttpResponse:
    return _csv(selectors.statements_csv(selectors.statement_list(owner=request.user)), "commons-statements.csv")


@login_required
def statement(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    try:
        s = selectors.access_statement(actor=request.user, statement_id=statement_id)
    except Problem as exc:
        raise Http404 from exc
    d = s.distribution
    context = {
        "s": s,
        "d": d,
        "held": selectors.shares_display(s.shares_held),
        "frozen": selectors.shares_display(s.shares_frozen),
        "eligible": selectors.shares_display(s.shares_eligible),
        "eligible_total": selectors.shares_display(d.eligible_shares),
        "share_percent": d.share_bps / 100,
    }
    return render(request, "contributions/statement.html", context)


@login_required
def statement_csv(request: HttpRequest, statement_id: UUID) -> HttpResponse:
    try:
        s = selectors.access_statement(actor=request.user, statement_id=statement_id)
    except Problem as exc:
        raise Http404 from exc
    return _csv(selectors.statements_csv([s]), f"commons-statement-{s.period}.csv")
