"""Drawer pages: the timeline with infinite scroll, upload, item, trash, albums, devices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import app_passwords, selectors, services, sharing
from sangsaeng.drawer.media import RENDITIONS, item_rendition
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.selectors import TimelineFilters


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _date(text: str) -> date | None:
    try:
        return parse_date(text) if text else None
    except ValueError:  # well-formed but impossible, like 2025-02-30
        return None


def _filters(request: HttpRequest) -> tuple[TimelineFilters, dict[str, str]]:
    get = request.GET
    raw = {k: get.get(k, "").strip() for k in ("kind", "place", "from", "to")}
    filters = TimelineFilters(
        kind=raw["kind"],
        place=raw["place"][:60],
        date_from=_date(raw["from"]),
        date_to=_date(raw["to"]),
    )
    return filters, {k: v for k, v in raw.items() if v}


def _cursor(request: HttpRequest) -> tuple[datetime, int] | None:
    try:
        when = parse_datetime(request.GET.get("before", ""))
    except ValueError:
        return None
    try:
        pk = int(request.GET.get("id", ""))
    except ValueError:
        return None
    if when is not None and timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    return (when, pk) if when else None


@dataclass
class Row:
    item: Item
    month: str
    day: str


def _rows(items: list[Item], previous: datetime | None) -> list[Row]:
    """Month and day headings in Asia/Seoul, only where they change (also across pages)."""
    rows = []
    last = timezone.localtime(previous) if previous else None
    last_month = _("%(year)d년 %(month)d월") % {"year": last.year, "month": last.month} if last else ""
    last_day = last.date() if last else None
    for item in items:
        local = timezone.localtime(item.sort_at)
        month = _("%(year)d년 %(month)d월") % {"year": local.year, "month": local.month}
        day = ""
        if local.date() != last_day:
            day = date_format(local, "MONTH_DAY_FORMAT") + " (" + date_format(local, "D") + ")"
            if item.place:
                day += f" · {item.place}"
        rows.append(Row(item=item, month=month if month != last_month else "", day=day))
        last_month, last_day = month, local.date()
    return rows


def _page(
    request: HttpRequest, *, filters: TimelineFilters, query: dict[str, str], template: str, context: dict[str, Any]
) -> HttpResponse:
    user = _user(request)
    items, cursor = selectors.timeline_page(owner=user, filters=filters, before=_cursor(request))
    next_url = ""
    if cursor is not None:
        last_day = items[-1].sort_at
        next_url = "?" + urlencode(
            {**query, "before": cursor[0].isoformat(), "id": str(cursor[1]), "after_day": last_day.isoformat()}
        )
    try:
        previous = parse_datetime(request.GET.get("after_day", ""))
    except ValueError:
        previous = None
    context = {
        **context,
        "rows": _rows(items, previous),
        "next_url": next_url,
        "query": query,
        "first_page": not previous,
    }
    if request.headers.get("HX-Request"):
        return render(request, "drawer/_page.html", context)
    places = cache.get_or_set(f"drawer:places:{user.pk}", lambda: selectors.places_list(owner=user), 300)
    return render(request, template, {**context, "places": places, "kinds": Item.Kind.choices})


@login_required
def timeline(request: HttpRequest) -> HttpResponse:
    filters, query = _filters(request)
    user = _user(request)
    usage = cache.get_or_set(f"drawer:usage:{user.pk}", lambda: services.drawer_usage(owner=user), 60)
    return _page(
        request,
        filters=filters,
        query=query,
        template="drawer/timeline.html",
        context={"section": "timeline", "usage": usage},
    )


@login_required
def favourites(request: HttpRequest) -> HttpResponse:
    filters, query = _filters(request)
    filters.favourite = True
    return _page(
        request, filters=filters, query=query, template="drawer/timeline.html", context={"section": "favourites"}
    )


@login_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    """Plain multipart upload from the web page (several files at once)."""
    user = _user(request)
    files = request.FILES.getlist("files")
    saved = 0
    for uploaded in files:
        try:
            path = getattr(uploaded, "temporary_file_path", None)
            if path is not None:
                services.item_create(
                    owner=user,
                    path=Path(path()),
                    name=uploaded.name or "file",
                    content_type=uploaded.content_type or "",
                    source="web",
                )
            else:
                services.file_save_from(
                    owner=user,
                    name=uploaded.name or "file",
                    data=uploaded,
                    content_type=uploaded.content_type or "",
                    source="web",
                )
            saved += 1
        except Problem as problem:
            messages.error(request, f"{uploaded.name}: {problem.ko}")
    if saved:
        messages.success(request, _("%(count)d개 파일을 올렸습니다.") % {"count": saved})
    return redirect("drawer:timeline")


@login_required
def item_detail(request: HttpRequest, item_id: str) -> HttpResponse:
    user = _user(request)
    item = services.access_item(actor=user, id=item_id, trashed=None)
    return render(
        request,
        "drawer/item.html",
        {
            "item": item,
            "albums": selectors.album_list(owner=user),
            "shares": item.shares.filter(revoked_at__isnull=True),
            "section": "timeline",
        },
    )


@login_required
def item_file(request: HttpRequest, item_id: str, rendition: str) -> HttpResponseBase:
    if rendition not in RENDITIONS:
        raise services.not_found("file")
    item = services.access_item(actor=_user(request), id=item_id, trashed=None)
    return item_rendition(request, item, rendition)


@login_required
@require_POST
def item_favourite(request: HttpRequest, item_id: str) -> HttpResponse:
    services.item_favourite_set(actor=_user(request), id=item_id, favourite=request.POST.get("favourite") == "1")
    return redirect("drawer:item", item_id=item_id)


@login_required
@require_POST
def item_trash(request: HttpRequest, item_id: str) -> HttpResponse:
    services.item_trash(actor=_user(request), id=item_id)
    messages.success(request, _("휴지통으로 옮겼습니다. 30일 안에 되살릴 수 있습니다."))
    return redirect("drawer:timeline")


@login_required
@require_POST
def item_restore(request: HttpRequest, item_id: str) -> HttpResponse:
    services.item_restore(actor=_user(request), id=item_id)
    messages.success(request, _("되살렸습니다."))
    return redirect("drawer:trash")


@login_required
@require_POST
def item_purge(request: HttpRequest, item_id: str) -> HttpResponse:
    item = services.access_item(actor=_user(request), id=item_id, trashed=True)
    services.item_purge(item=item)
    messages.success(request, _("영구 삭제했습니다."))
    return redirect("drawer:trash")


@login_required
def trash(request: HttpRequest) -> HttpResponse:
    return render(
        request, "drawer/trash.html", {"items": selectors.trash_list(owner=_user(request)), "section": "trash"}
    )


@login_required
def albums(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        try:
            album = services.album_create(actor=user, title=request.POST.get("title", ""))
        except Problem as problem:
            messages.error(request, problem.ko)
        else:
            return redirect("drawer:album", album_id=album.public_id)
    return render(request, "drawer/albums.html", {"albums": selectors.album_list(owner=user), "section": "albums"})


@login_required
def album_detail(request: HttpRequest, album_id: str) -> HttpResponse:
    user = _user(request)
    album = services.access_album(actor=user, id=album_id)
    filters = TimelineFilters(album=album)
    return _page(
        request, filters=filters, query={}, template="drawer/album.html", context={"album": album, "section": "albums"}
    )


@login_required
@require_POST
def album_add(request: HttpRequest, item_id: str) -> HttpResponse:
    services.album_item_add(actor=_user(request), album_id=request.POST.get("album", ""), item_id=item_id)
    messages.success(request, _("앨범에 넣었습니다."))
    return redirect("drawer:item", item_id=item_id)


@login_required
@require_POST
def album_remove(request: HttpRequest, item_id: str) -> HttpResponse:
    services.album_item_remove(actor=_user(request), album_id=request.POST.get("album", ""), item_id=item_id)
    messages.success(request, _("앨범에서 뺐습니다."))
    return redirect("drawer:item", item_id=item_id)


@login_required
@require_POST
def share_create(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    days = request.POST.get("expires_in_days", "").strip()
    try:
        link = sharing.share_create(
            actor=user,
            item_id=request.POST.get("item") or None,
            album_id=request.POST.get("album") or None,
            expires_in_days=int(days) if days.isdigit() else None,
            password=request.POST.get("password", ""),
        )
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, problem.ko)
        return redirect(request.POST.get("next") or "drawer:timeline")
    messages.success(request, _("공유 링크를 만들었습니다."))
    if link.item is not None:
        return redirect("drawer:item", item_id=link.item.public_id)
    assert link.album is not None
    return redirect("drawer:album", album_id=link.album.public_id)


@login_required
@require_POST
def share_revoke(request: HttpRequest, share_id: str) -> HttpResponse:
    sharing.share_revoke(actor=_user(request), id=share_id)
    messages.success(request, _("공유 링크를 끊었습니다."))
    return redirect("drawer:timeline")


@login_required
def devices(request: HttpRequest) -> HttpResponse:
    """WebDAV app passwords, one per device (phone backup app, rclone)."""
    user = _user(request)
    secret = ""
    if request.method == "POST":
        try:
            _row, secret = app_passwords.app_password_create(owner=user, label=request.POST.get("label", ""))
        except Problem as problem:
            messages.error(request, problem.ko)
    return render(
        request,
        "drawer/devices.html",
        {
            "passwords": app_passwords.app_password_list(owner=user),
            "new_secret": secret,
            "section": "devices",
            "dav_url": request.build_absolute_uri("/dav/"),
        },
    )


@login_required
@require_POST
def device_revoke(request: HttpRequest, password_id: str) -> HttpResponse:
    app_passwords.app_password_revoke(actor=_user(request), id=password_id)
    messages.success(request, _("앱 비밀번호를 폐기했습니다."))
    return redirect("drawer:devices")
