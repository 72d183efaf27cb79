"""Drops pages: the drops home, drop pages with a countdown, the waiting room, artworks and editions,
my collection, creator pages, the creator studio and the operators' curation queue."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.drops import selectors, services
from sangsaeng.drops.access import access_edition, access_listing_own, is_operator
from sangsaeng.drops.models import Drop


def _problem_message(request: HttpRequest, problem: Problem) -> None:
    lang = getattr(request, "LANGUAGE_CODE", "ko") or "ko"
    messages.error(request, problem.en if lang.startswith("en") else problem.ko)


def home(request: HttpRequest) -> HttpResponse:
    drops = [{"drop": d, **selectors.drop_summary(d)} for d in selectors.drop_list()]
    return render(
        request,
        "drops/home.html",
        {
            "upcoming": [d for d in drops if d["state"] in ("upcoming", "presale")],
            "live": [d for d in drops if d["state"] == "open"],
            "past": [d for d in drops if d["state"] in ("sold_out", "ended")],
            "listings": selectors.listings_active(limit=12),
            "activity": selectors.activity_feed(limit=15),
        },
    )


def drop_page(request: HttpRequest, drop_id: UUID) -> HttpResponse:
    drop = selectors.drop_get(drop_id=drop_id)
    owned = 0
    if request.user.is_authenticated:
        owned = sum(1 for e in selectors.collection(user=request.user) if e.drop_id == drop.pk)
    return render(
        request,
        "drops/drop.html",
        {
            "drop": drop,
            "summary": selectors.drop_summary(drop),
            "owned": owned,
            "purchase_key": uuid.uuid4().hex,
            "activity": selectors.activity_feed(drop=drop, limit=20),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def drop_buy(request: HttpRequest, drop_id: UUID) -> HttpResponse:
    key = (request.POST.get("key") or "")[:100] or uuid.uuid4().hex
    try:
        edition = services.edition_purchase(buyer=request.user, drop_id=drop_id, idempotency_key=key)
    except Problem as problem:
        if problem.code == "waiting_room":
            drop = selectors.drop_get(drop_id=drop_id)
            return render(
                request,
                "drops/waiting.html",
                {
                    "drop": drop,
                    "key": key,
                    "position": problem.extra.get("position", 1),
                    "retry_after": problem.extra.get("retry_after", 1),
                },
                status=429,
            )
        _problem_message(request, problem)
        return redirect("drops:drop", drop_id)
    messages.success(request, _("구매했습니다! 내 컬렉션에 에디션이 들어왔습니다."))
    return redirect("drops:edition", edition.public_id)


@login_required
@require_POST
def drop_bid(request: HttpRequest, drop_id: UUID) -> HttpResponse:
    try:
        amount = int(request.POST.get("amount", "0").replace(",", ""))
    except ValueError:
        amount = 0
    try:
        services.bid_place(
            bidder=request.user,
            drop_id=drop_id,
            amount=amount,
            idempotency_key=(request.POST.get("key") or uuid.uuid4().hex)[:100],
        )
    except Problem as problem:
        _problem_message(request, problem)
    else:
        messages.success(request, _("입찰했습니다. 입찰 금액은 Pay 지갑에 보류됩니다."))
    return redirect("drops:drop", drop_id)


def artwork_preview(request: HttpRequest, artwork_id: UUID) -> FileResponse:
    artwork = selectors.artwork_public(artwork_id=artwork_id)
    if artwork is None or not artwork.preview:
        raise Http404
    response = FileResponse(artwork.preview.open("rb"), content_type=artwork.preview_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


@login_required
def artwork_original(request: HttpRequest, artwork_id: UUID) -> FileResponse:
    """The original file, for the people who own an edition of it (and its creator); others get 404."""
    artwork = selectors.artwork_original_for(user=request.user, artwork_id=artwork_id)
    if artwork is None:
        raise Http404
    return FileResponse(artwork.original.open("rb"), content_type=artwork.content_type, filename=artwork.original_name)


def edition_page(request: HttpRequest, edition_id: UUID) -> HttpResponse:
    edition = selectors.edition_public(edition_id=edition_id)
    if edition is None:
        raise Http404
    mine = request.user.is_authenticated and edition.owner_id == request.user.pk
    return render(
        request,
        "drops/edition.html",
        {
            "edition": edition,
            "mine": mine,
            "listing": selectors.edition_active_listing(edition=edition),
            "provenance": selectors.provenance(edition=edition),
            "prices": selectors.price_history(edition=edition),
            "chain_history": selectors.chain_history(edition=edition),
            "buy_key": uuid.uuid4().hex,
        },
    )


@login_required
@require_POST
def edition_list(request: HttpRequest, edition_id: UUID) -> HttpResponse:
    access_edition(actor=request.user, id=edition_id)
    try:
        price = int(request.POST.get("price", "0").replace(",", ""))
    except ValueError:
        price = 0
    try:
        services.listing_create(seller=request.user, edition_id=edition_id, price=price)
    except Problem as problem:
        _problem_message(request, problem)
    else:
        messages.success(request, _("판매를 등록했습니다."))
    return redirect("drops:edition", edition_id)


@login_required
@require_POST
def edition_withdraw(request: HttpRequest, edition_id: UUID) -> HttpResponse:
    access_edition(actor=request.user, id=edition_id)
    try:
        services.edition_withdraw(owner=request.user, edition_id=edition_id, idempotency_key=uuid.uuid4().hex)
    except Problem as problem:
        _problem_message(request, problem)
    else:
        messages.success(request, _("연결된 외부 지갑으로 출금을 요청했습니다."))
    return redirect("drops:edition", edition_id)


@login_required
@require_POST
def listing_buy(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    try:
        listing = services.listing_buy(
            buyer=request.user, listing_id=listing_id, idempotency_key=(request.POST.get("key") or "x")[:100]
        )
    except Problem as problem:
        _problem_message(request, problem)
        return redirect("drops:market")
    messages.success(request, _("구매했습니다. 작가에게 로열티가 지급되었습니다."))
    return redirect("drops:edition", listing.edition.public_id)


@login_required
@require_POST
def listing_cancel(request: HttpRequest, listing_id: UUID) -> HttpResponse:
    listing = access_listing_own(actor=request.user, id=listing_id)
    try:
        services.listing_cancel(seller=request.user, listing_id=listing_id)
    except Problem as problem:
        _problem_message(request, problem)
    return redirect("drops:edition", listing.edition.public_id)


@login_required
def collection(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "drops/collection.html",
        {"editions": selectors.collection(user=request.user), "listings": selectors.listings_of(seller=request.user)},
    )


def market(request: HttpRequest) -> HttpResponse:
    return render(request, "drops/market.html", {"listings": selectors.listings_active(), "buy_key": uuid.uuid4().hex})


def creator_page(request: HttpRequest, creator_id: UUID) -> HttpResponse:
    creator = selectors.creator_get_public(creator_id=creator_id)
    if creator is None:
        raise Http404
    drops = [{"drop": d, **selectors.drop_summary(d)} for d in selectors.creator_drops(creator=creator)]
    return render(
        request,
        "drops/creator.html",
        {"creator": creator, "drops": drops, "artworks": selectors.creator_artworks(creator=creator)},
    )


def _aware(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _int(value: str | None) -> int:
    try:
        return int((value or "0").replace(",", ""))
    except ValueError:
        return -1


@login_required
def studio(request: HttpRequest) -> HttpResponse:
    """The creator's own page: apply, then upload artworks and schedule drops."""
    profile = selectors.creator_of(user=request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "apply":
                services.creator_apply(
                    user=request.user,
                    display_name=request.POST.get("display_name", ""),
                    portfolio_url=request.POST.get("portfolio_url", ""),
                    bio=request.POST.get("bio", ""),
                    statement=request.POST.get("statement", ""),
                )
                messages.success(request, _("작가 신청을 보냈습니다. 운영자가 포트폴리오를 검토합니다."))
            elif action == "upload" and "file" in request.FILES:
                services.artwork_create(
                    actor=request.user,
                    title=request.POST.get("title", ""),
                    upload=request.FILES.getlist("file")[0],
                    description=request.POST.get("description", ""),
                )
                messages.success(request, _("작품을 올렸습니다."))
            elif action == "drop":
                fmt = request.POST.get("format", "fixed")
                data: dict[str, Any] = {
                    "format": fmt,
                    "title": request.POST.get("title", ""),
                    "opens_at": _aware(request.POST.get("opens_at", "")),
                    "closes_at": _aware(request.POST.get("closes_at", "")) if request.POST.get("closes_at") else None,
                    "price": _int(request.POST.get("price")),
                    "edition_size": _int(request.POST.get("edition_size")),
                    "per_user_limit": _int(request.POST.get("per_user_limit") or "1"),
                    "reserve_price": _int(request.POST.get("price")),
                    "start_price": _int(request.POST.get("price")),
                    "floor_price": _int(request.POST.get("floor_price")),
                    "decay_amount": _int(request.POST.get("decay_amount")),
                    "decay_minutes": _int(request.POST.get("decay_minutes")),
                    "min_increment": _int(request.POST.get("min_increment") or "1000"),
                }
                services.drop_create(actor=request.user, artwork_id=request.POST.get("artwork"), data=data)
                messages.success(request, _("드롭을 예약했습니다."))
        except Problem as problem:
            _problem_message(request, problem)
        return redirect("drops:studio")
    artworks = selectors.creator_artworks(creator=profile) if profile else []
    drops = (
        [{"drop": d, **selectors.drop_summary(d)} for d in selectors.creator_drops(creator=profile)] if profile else []
    )
    return render(
        request,
        "drops/studio.html",
        {"profile": profile, "artworks": artworks, "drops": drops, "formats": Drop.Format.choices},
    )


@login_required
def curation(request: HttpRequest) -> HttpResponse:
    """The operators' queue of creator applications; anyone else gets 404."""
    if not is_operator(request.user):
        raise Http404
    if request.method == "POST":
        try:
            services.creator_review(
                operator=request.user,
                creator_id=request.POST.get("creator"),
                approve=request.POST.get("decision") == "approve",
                reason=request.POST.get("reason", ""),
            )
        except Problem as problem:
            _problem_message(request, problem)
        else:
            messages.success(request, _("심사 결과를 저장했습니다."))
        return redirect("drops:curation")
    return render(request, "drops/curation.html", {"applications": selectors.applications_pending()})
