"""Public share pages: anyone with the link sees the shared item or album, after the password
when there is one. Unlocking is remembered in the visitor's session."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sangsaeng.core import ratelimit
from sangsaeng.core.errors import not_found
from sangsaeng.drawer import sharing
from sangsaeng.drawer.media import RENDITIONS, item_rendition
from sangsaeng.drawer.models import ShareLink

SESSION_KEY = "drawer_shares"
BAD_PASSWORD_SCOPE = "drawer-share-password"


def _unlocked(request: HttpRequest, link: ShareLink) -> bool:
    return not link.password_hash or link.token in request.session.get(SESSION_KEY, [])


@require_http_methods(["GET", "POST"])
def share_page(request: HttpRequest, token: str) -> HttpResponse:
    link = sharing.share_get(token=token)
    wrong = False
    if request.method == "POST" and link.password_hash:
        ip = ratelimit.client_ip(request)
        ratelimit.check(scope=BAD_PASSWORD_SCOPE, key=f"{ip}:{token}", limit=10, window=300)
        if sharing.share_password_ok(link=link, password=request.POST.get("password", "")):
            request.session[SESSION_KEY] = [*request.session.get(SESSION_KEY, []), link.token][-50:]
            return redirect("drawer:share", token=token)
        ratelimit.hit(scope=BAD_PASSWORD_SCOPE, key=f"{ip}:{token}", window=300)
        wrong = True
    if not _unlocked(request, link):
        return render(request, "drawer/share_password.html", {"wrong": wrong}, status=403 if wrong else 200)
    return render(request, "drawer/share.html", {"link": link, "items": sharing.share_items(link=link)})


def share_file(request: HttpRequest, token: str, item_id: str, rendition: str) -> HttpResponseBase:
    link = sharing.share_get(token=token)
    if rendition not in RENDITIONS or not _unlocked(request, link):
        raise not_found("file")
    return item_rendition(request, sharing.share_item(link=link, item_id=item_id), rendition)
