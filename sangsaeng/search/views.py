"""Search pages: the search page (autocomplete, filters, highlighted results) and, for operators,
the synonym editor."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.search import selectors, services

SEOUL = ZoneInfo("Asia/Seoul")


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _int(value: str) -> int | None:
    try:
        number = int(value)
    except ValueError:
        return None
    return number if 0 <= number <= 10**12 else None


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=SEOUL).astimezone(UTC) if day else None


@login_required
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:1000]
    kinds = dict(selectors.kinds())
    kind = request.GET.get("type", "")
    kind = kind if kind in kinds else ""
    day_from, day_to = _day(request.GET.get("from", "")), _day(request.GET.get("to", ""))
    price_min, price_max = _int(request.GET.get("price_min", "")), _int(request.GET.get("price_max", ""))
    results, error = None, ""
    if q.strip():
        try:
            results = services.search(
                user=request.user,
                q=q,
                kinds=(kind,) if kind else (),
                date_from=_start(day_from),
                date_to=_start(day_to + timedelta(days=1)) if day_to else None,
                price_min=price_min,
                price_max=price_max,
                limit=30,
            )
        except Problem as problem:
            error = problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en
    context = {
        "q": q,
        "kind": kind,
        "kinds": kinds,
        "results": results,
        "error": error,
        "day_from": day_from.isoformat() if day_from else "",
        "day_to": day_to.isoformat() if day_to else "",
        "price_min": "" if price_min is None else price_min,
        "price_max": "" if price_max is None else price_max,
        "is_operator": request.user.is_staff,
        "hits": [{"hit": h, "label": kinds.get(h.kind, h.kind)} for h in results.hits] if results else [],
    }
    return render(request, "search/search.html", context)


def _operator(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise Http404


@login_required
def synonyms(request: HttpRequest) -> HttpResponse:
    _operator(request)
    error = ""
    if request.method == "POST":
        try:
            services.synonym_create(
                actor=request.user, terms=request.POST.get("terms", ""), note=request.POST.get("note", "")
            )
        except Problem as problem:
            error = problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en
        else:
            messages.success(request, _("동의어를 추가했습니다. 다음 검색부터 적용됩니다."))
            return redirect("search:synonyms")
    return render(
        request,
        "search/synonyms.html",
        {"groups": selectors.synonym_list(), "error": error},
        status=422 if error else 200,
    )


@login_required
@require_POST
def synonym_delete(request: HttpRequest, group_id: UUID) -> HttpResponse:
    _operator(request)
    try:
        services.synonym_delete(actor=request.user, id=group_id)
    except Problem as problem:
        raise Http404 from problem
    messages.success(request, _("동의어를 삭제했습니다."))
    return redirect("search:synonyms")
