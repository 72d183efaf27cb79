"""Pages: contribute text (paste or file) with a licence, and see each document's decision."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangsaeng.contributions import selectors, services
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
