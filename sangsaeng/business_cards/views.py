"""Card pages: my cards, the public link page with its QR and vCard, the card book."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.business_cards import selectors, services, sharing
from sangsaeng.business_cards.forms import CardForm, CompanyCodeForm, CompanyEmailForm, EntryForm
from sangsaeng.business_cards.models import SHAREABLE_FIELDS
from sangsaeng.core.errors import Problem


def _form_problem(form: Any, problem: Problem) -> None:
    form.add_error(problem.field if problem.field in form.fields else None, problem.ko)


@login_required
def card_list(request: HttpRequest) -> HttpResponse:
    cards = [{"card": c, "badges": selectors.badges(c)} for c in selectors.card_list(owner=request.user)]
    return render(request, "business_cards/list.html", {"cards": cards})


def _save_card(request: HttpRequest, form: CardForm, card_id: UUID | None) -> Any:
    photo = form.cleaned_data["photo"]
    data = photo.read(10 * 1_048_576) if photo else None
    if card_id is None:
        return services.card_create(owner=request.user, data=form.data_for_service(), photo=data)
    return services.card_update(actor=request.user, card_id=card_id, data=form.data_for_service(), photo=data)


@login_required
def card_new(request: HttpRequest) -> HttpResponse:
    initial = {
        "name": str(getattr(request.user, "display_name", "")),
        "shown_fields": list(SHAREABLE_FIELDS),
        "theme": "mint",
    }
    form = CardForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            card = _save_card(request, form, None)
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("명함을 만들었습니다."))
            return redirect("business_cards:edit", card.public_id)
    return render(request, "business_cards/edit.html", {"form": form, "card": None}, status=400 if form.errors else 200)


@login_required
def card_edit(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = services.access_card(actor=request.user, card_id=card_id)
    form = CardForm(request.POST or None, request.FILES or None, initial=CardForm.initial_for(card))
    if request.method == "POST" and form.is_valid():
        try:
            _save_card(request, form, card_id)
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("명함을 저장했습니다."))
            return redirect("business_cards:edit", card.public_id)
    return render(
        request,
        "business_cards/edit.html",
        {
            "form": form,
            "card": card,
            "badges": selectors.badges(card),
            "public_url": sharing.public_url(card),
            "email_form": CompanyEmailForm(),
            "code_form": CompanyCodeForm(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def card_delete(request: HttpRequest, card_id: UUID) -> HttpResponse:
    services.card_delete(actor=request.user, card_id=card_id)
    messages.success(request, _("명함을 삭제했습니다."))
    return redirect("business_cards:list")


@login_required
@require_POST
def company_verify(request: HttpRequest, card_id: UUID) -> HttpResponse:
    services.access_card(actor=request.user, card_id=card_id)
    try:
        if "company_email" in request.POST:
            services.company_code_send(actor=request.user, card_id=card_id, email=request.POST["company_email"])
            messages.success(request, _("회사 이메일로 확인 코드를 보냈습니다."))
        else:
            services.company_code_confirm(actor=request.user, card_id=card_id, code=request.POST.get("code", ""))
            messages.success(request, _("회사를 확인했습니다."))
    except Problem as problem:
        messages.error(request, problem.ko)
    return redirect("business_cards:edit", card_id)


@require_GET
def public_card(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = selectors.shared_card_get(card_id=card_id)
    return render(
        request,
        "business_cards/public.html",
        {
            "card": card,
            "shown": selectors.visible(card),
            "badges": selectors.badges(card),
            "public_url": sharing.public_url(card),
            "is_owner": request.user == card.owner,
        },
    )


@require_GET
def public_qr(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = selectors.shared_card_get(card_id=card_id)
    return HttpResponse(sharing.card_qr_svg(card=card), content_type="image/svg+xml")


@require_GET
def public_vcard(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = selectors.shared_card_get(card_id=card_id)
    response = HttpResponse(sharing.card_vcard(cards=[card]), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="card.vcf"'
    return response


@require_GET
def public_photo(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = selectors.shared_card_get(card_id=card_id)
    if not card.photo or "photo" not in card.visible_fields:
        raise Http404
    response = HttpResponse(bytes(card.photo), content_type=card.photo_type)
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def public_signed(request: HttpRequest, card_id: UUID) -> HttpResponse:
    card = selectors.shared_card_get(card_id=card_id)
    return HttpResponse(sharing.card_signed(card=card), content_type="application/sd-jwt")


@login_required
@require_POST
def book_save(request: HttpRequest, card_id: UUID) -> HttpResponse:
    try:
        entry = services.book_add(holder=request.user, card_id=card_id)
    except Problem as problem:
        messages.error(request, problem.ko)
        return redirect("business_cards:public", card_id)
    messages.success(request, _("명함첩에 저장했습니다."))
    return redirect("business_cards:entry", entry.public_id)


@login_required
def book(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:100]
    tag = request.GET.get("tag", "")[:30]
    entries = [
        {
            "entry": e,
            "shown": selectors.visible(e.card),
            "badges": selectors.badges(e.card),
            "updated": selectors.entry_updated(e),
        }
        for e in selectors.book_list(holder=request.user, query=query, tag=tag)
    ]
    return render(request, "business_cards/book.html", {"entries": entries, "q": query, "tag": tag})


@login_required
def book_entry(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    entry = services.access_entry(actor=request.user, entry_id=entry_id)
    form = EntryForm(request.POST or None, initial={"note": entry.note, "tags": ", ".join(entry.tags)})
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_update(
                actor=request.user,
                entry_id=entry_id,
                note=form.cleaned_data["note"],
                tags=form.cleaned_data["tags"].split(","),
            )
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("저장했습니다."))
            return redirect("business_cards:entry", entry_id)
    updated = selectors.entry_updated(entry)
    services.entry_mark_seen(actor=request.user, entry_id=entry_id)
    return render(
        request,
        "business_cards/entry.html",
        {
            "entry": entry,
            "shown": selectors.visible(entry.card),
            "badges": selectors.badges(entry.card),
            "updated": updated,
            "form": form,
        },
    )


@login_required
@require_POST
def book_entry_delete(request: HttpRequest, entry_id: UUID) -> HttpResponse:
    services.entry_delete(actor=request.user, entry_id=entry_id)
    return redirect("business_cards:book")


@login_required
@require_GET
def book_export_vcard(request: HttpRequest) -> HttpResponse:
    entries = selectors.book_list(holder=request.user)
    response = HttpResponse(sharing.book_vcard(entries=entries), content_type="text/vcard; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sangsaeng-cards.vcf"'
    return response


@login_required
@require_GET
def book_export_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        sharing.card_csv(entries=selectors.book_list(holder=request.user)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="sangsaeng-cards.csv"'
    return response
