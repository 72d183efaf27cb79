"""Partner data pages: pick a channel, its dashboard with charts, consented customers, downloads."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from sangsaeng.core.errors import Problem
from sangsaeng.insights import bridge, exports, selectors
from sangsaeng.insights.access import partners_for
from sangsaeng.insights.engine import SEGMENTS

FUNNEL_LABELS = {
    "sessions": _("방문 세션"),
    "product_views": _("상품 조회"),
    "add_to_cart": _("장바구니 담기"),
    "checkout": _("결제 시작"),
    "paid": _("결제 완료"),
}


@login_required
def partner_list(request: HttpRequest) -> HttpResponse:
    partners = sorted(partners_for(request.user).items(), key=lambda item: item[1])
    if len(partners) == 1:
        return redirect("insights:dashboard", ref=partners[0][0])
    return render(request, "insights/partners.html", {"partners": partners})


def _range_or_default(request: HttpRequest) -> tuple[Any, str | None]:
    try:
        return selectors.range_parse(request.GET.get("start"), request.GET.get("end")), None
    except Problem as problem:
        return selectors.range_parse(None, None), problem.ko


@login_required
@require_GET
def dashboard(request: HttpRequest, ref: str) -> HttpResponse:
    r, range_error = _range_or_default(request)
    try:
        data = selectors.dashboard(actor=request.user, ref=ref, r=r)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from None
        raise
    for step in data["funnel"]:
        step["label"] = str(FUNNEL_LABELS[step["step"]])
    return render(
        request,
        "insights/dashboard.html",
        {"data": data, "ref": ref, "range_error": range_error, "segments": SEGMENTS},
    )


@login_required
@require_GET
def customers(request: HttpRequest, ref: str) -> HttpResponse:
    segment = request.GET.get("segment") or None
    try:
        name = partners_for(request.user).get(ref)
        rows = selectors.customers(actor=request.user, ref=ref, segment=segment if segment in SEGMENTS else None)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from None
        raise
    labels = selectors.SEGMENT_LABELS
    for row in rows:
        row["segment_label"] = labels[row["segment"]]
    context = {
        "ref": ref,
        "name": name,
        "rows": rows,
        "segment": segment,
        "segments": list(labels.items()),
        "broadcast_url": bridge.broadcast_url(ref, segment) if segment in SEGMENTS else None,
    }
    return render(request, "insights/customers.html", context)


@login_required
@require_GET
def customers_csv(request: HttpRequest, ref: str) -> HttpResponse:
    segment = request.GET.get("segment") or None
    try:
        body = exports.customers_csv(actor=request.user, ref=ref, segment=segment if segment in SEGMENTS else None)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from None
        raise
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="customers.csv"'
    return response


@login_required
@require_GET
def export(request: HttpRequest, ref: str, fmt: str) -> HttpResponse | FileResponse:
    r, _ = _range_or_default(request)
    try:
        path = exports.events_export(actor=request.user, ref=ref, r=r, fmt=fmt)
    except Problem as problem:
        if problem.status == 404:
            raise Http404 from None
        raise
    handle = path.open("rb")
    path.unlink()
    kind = "text/csv; charset=utf-8" if fmt == "csv" else "application/vnd.apache.parquet"
    return FileResponse(handle, content_type=kind, as_attachment=True, filename=f"events-{r.start}-{r.end}.{fmt}")
