"""Public channel pages (/c/<handle>/), posts with open and click tracking, and my feed."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sangsaeng.core.errors import Problem
from sangsaeng.partners import chat, selectors, services
from sangsaeng.partners.models import Broadcast, Channel


def _post(post: Broadcast) -> dict[str, Any]:
    return {"post": post, "text": selectors.post_text(post), "images": list(post.images.all())}


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    deliveries = selectors.feed_for(user=request.user)
    return render(
        request,
        "partners/feed.html",
        {
            "items": [{"delivery": d, **_post(d.broadcast)} for d in deliveries],
            "follows": selectors.follows_of(request.user),
            "my_channels": selectors.channels_for_staff(request.user),
        },
    )


def _channel(handle: str) -> Channel:
    try:
        return selectors.channel_for_handle(handle)
    except Problem:
        raise Http404 from None


@require_GET
def channel_page(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    roles = dict((c.pk, r) for c, r in selectors.channels_for_staff(request.user))
    return render(
        request,
        "partners/channel.html",
        {
            "channel": channel,
            "follow": selectors.follow_get(user=request.user, channel=channel),
            "followers": selectors.follower_count(channel),
            "posts": [_post(p) for p in selectors.posts_public(channel=channel)],
            "attachments": selectors.channel_attachments(channel.public_id),
            "is_staff_of": channel.pk in roles,
        },
    )


def _image(data: bytes, content_type: str) -> HttpResponse:
    if not content_type:
        raise Http404
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Cache-Control"] = "public, max-age=300"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
def channel_logo(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    return _image(channel.logo, channel.logo_type)


@require_GET
def channel_cover(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    return _image(channel.cover, channel.cover_type)


@login_required
@require_POST
def follow(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    if request.POST.get("action") == "unfollow":
        services.channel_unfollow(user=request.user, channel_id=channel.public_id)
        messages.success(request, _("친구를 끊었습니다."))
    else:
        services.channel_follow(user=request.user, channel_id=channel.public_id)
        messages.success(request, _("채널을 친구로 추가했습니다."))
    return redirect("partners:channel", channel.handle)


@login_required
@require_POST
def consents(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    marketing = request.POST.get("marketing") == "on"
    night = request.POST.get("night") == "on" and marketing
    try:
        services.follow_consents_set(user=request.user, channel_id=channel.public_id, marketing=marketing, night=night)
    except Problem as problem:
        messages.error(request, problem.ko)
    else:
        messages.success(request, _("수신 동의를 저장했습니다."))
    return redirect("partners:channel", channel.handle)


@login_required
@require_POST
def chat_open(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    try:
        thread = services.thread_open(customer=request.user, channel_id=channel.public_id)
    except Problem as problem:
        messages.error(request, problem.ko)
        return redirect("partners:channel", channel.handle)
    url = chat.conversation_url(thread.conversation_id)
    if url is None:
        messages.info(request, _("대화를 열었습니다. 채널 담당자가 곧 답장합니다."))
        return redirect("partners:channel", channel.handle)
    return redirect(url)


@login_required
@require_POST
def verify(request: HttpRequest, handle: str) -> HttpResponse:
    channel = _channel(handle)
    try:
        services.channel_verify(
            actor=request.user, channel_id=channel.public_id, verified=request.POST.get("verified") == "1"
        )
    except Problem:
        raise Http404 from None
    return redirect("partners:channel", channel.handle)


@require_GET
def post_page(request: HttpRequest, handle: str, post_id: UUID) -> HttpResponse:
    channel = _channel(handle)
    try:
        post = selectors.post_public(channel=channel, post_id=post_id)
    except Problem:
        raise Http404 from None
    services.broadcast_opened(user=request.user, broadcast=post)
    return render(request, "partners/post.html", {"channel": channel, **_post(post)})


@require_GET
def post_image(request: HttpRequest, handle: str, post_id: UUID, position: int) -> HttpResponse:
    try:
        post = selectors.post_public(channel=_channel(handle), post_id=post_id)
    except Problem:
        raise Http404 from None
    image = post.images.filter(position=position).first()
    if image is None:
        raise Http404
    return _image(image.data, image.content_type)


@require_GET
def post_click(request: HttpRequest, handle: str, post_id: UUID, index: int) -> HttpResponse:
    """The tracked link of a card: count the click, then go to the card's (http/https) url."""
    try:
        post = selectors.post_public(channel=_channel(handle), post_id=post_id)
        url = services.broadcast_clicked(user=request.user, broadcast=post, index=index)
    except Problem:
        raise Http404 from None
    return HttpResponseRedirect(url)
