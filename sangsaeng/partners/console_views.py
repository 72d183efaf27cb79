"""The partner console: my channels, settings, staff, broadcasts with their counts, the shared inbox."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.partners import selectors, services
from sangsaeng.partners.forms import BroadcastForm, ChannelForm, ReplyForm, StaffForm
from sangsaeng.partners.models import Channel, ChannelStaff, InboxThread

MAX_UPLOAD = 10 * 1_048_576


def _form_problem(form: Any, problem: Problem) -> None:
    field = (problem.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, problem.ko)


def _ctx(request: HttpRequest, channel: Channel, tab: str, **extra: Any) -> dict[str, Any]:
    roles = dict((c.pk, r) for c, r in selectors.channels_for_staff(request.user))
    return {
        "channel": channel,
        "role": roles.get(channel.pk, ""),
        "role_label": ChannelStaff.Role(roles[channel.pk]).label if channel.pk in roles else "",
        "tab": tab,
        "followers": selectors.follower_count(channel),
        "marketing_followers": selectors.marketing_follower_count(channel),
        **extra,
    }


def _read(upload: Any) -> bytes | None:
    return upload.read(MAX_UPLOAD) if upload else None


@login_required
def channel_list(request: HttpRequest) -> HttpResponse:
    form = ChannelForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            channel = services.channel_create(
                owner=request.user,
                name=data["name"],
                handle=data["handle"],
                description=data["description"],
                logo=_read(data["logo"]),
                cover=_read(data["cover"]),
            )
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("채널을 열었습니다."))
            return redirect("partners_console:settings", channel.public_id)
    return render(
        request,
        "partners/console/list.html",
        {"channels": selectors.channels_for_staff(request.user), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def channel_settings(request: HttpRequest, channel_id: UUID) -> HttpResponse:
    channel = services.access_channel_staff(actor=request.user, channel_id=channel_id)
    initial = {"name": channel.name, "handle": channel.handle, "description": channel.description}
    form = ChannelForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.channel_update(
                actor=request.user,
                channel_id=channel_id,
                data={k: data[k] for k in ("name", "handle", "description")},
                logo=_read(data["logo"]),
                cover=_read(data["cover"]),
            )
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("채널 설정을 저장했습니다."))
            return redirect("partners_console:settings", channel_id)
    context = _ctx(request, channel, "settings", form=form, attachments=selectors.channel_attachments(channel_id))
    return render(request, "partners/console/settings.html", context, status=400 if form.errors else 200)


@login_required
def staff(request: HttpRequest, channel_id: UUID) -> HttpResponse:
    channel = services.access_channel_staff(actor=request.user, channel_id=channel_id)
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_invite(actor=request.user, channel_id=channel_id, **form.cleaned_data)
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("담당자를 추가했습니다."))
            return redirect("partners_console:staff", channel_id)
    context = _ctx(request, channel, "staff", form=form, staff=selectors.staff_list(channel=channel))
    return render(request, "partners/console/staff.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def staff_remove(request: HttpRequest, channel_id: UUID, staff_id: UUID) -> HttpResponse:
    try:
        services.staff_remove(actor=request.user, channel_id=channel_id, staff_id=staff_id)
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, problem.ko)
    else:
        messages.success(request, _("담당자를 내보냈습니다."))
    return redirect("partners_console:staff", channel_id)


@login_required
def broadcasts(request: HttpRequest, channel_id: UUID) -> HttpResponse:
    channel = services.access_channel_staff(actor=request.user, channel_id=channel_id)
    form = BroadcastForm(request.POST or None, request.FILES or None, initial={"segment": request.GET.get("segment")})
    if request.method == "POST" and form.is_valid():
        image = _read(form.cleaned_data["image"])
        try:
            broadcast = services.broadcast_create(
                actor=request.user,
                channel_id=channel_id,
                text=form.cleaned_data["text"],
                is_advertising=form.cleaned_data["is_advertising"],
                cards=form.cards(),
                scheduled_at=form.schedule(),
                image_files=[image] if image else [],
                segment=form.cleaned_data["segment"],
            )
        except Problem as problem:
            _form_problem(form, problem)
        else:
            messages.success(request, _("소식을 등록했습니다."))
            return redirect("partners_console:broadcast", channel_id, broadcast.public_id)
    posts = list(selectors.broadcasts_for(channel=channel)[:100])
    labels = dict(selectors.segment_choices())
    for post in posts:
        post.segment_label = labels.get(post.segment, post.segment)  # type: ignore[attr-defined]
    context = _ctx(request, channel, "broadcasts", form=form, broadcasts=posts)
    return render(request, "partners/console/broadcasts.html", context, status=400 if form.errors else 200)


def _broadcast_in(request: HttpRequest, channel_id: UUID, broadcast_id: UUID) -> Any:
    broadcast = services.access_broadcast(
        actor=request.user, broadcast_id=broadcast_id, roles=("owner", "manager", "agent")
    )
    if broadcast.channel.public_id != channel_id:
        raise not_found("broadcast")
    return broadcast


@login_required
def broadcast(request: HttpRequest, channel_id: UUID, broadcast_id: UUID) -> HttpResponse:
    post = _broadcast_in(request, channel_id, broadcast_id)
    context = _ctx(
        request,
        post.channel,
        "broadcasts",
        post=post,
        text=selectors.post_text(post),
        images=list(post.images.all()),
        stats=selectors.broadcast_stats(post),
        segment_size=selectors.broadcast_segment_size(post),
        segment_label=dict(selectors.segment_choices()).get(post.segment, post.segment),
    )
    return render(request, "partners/console/broadcast.html", context)


@login_required
@require_POST
def broadcast_cancel(request: HttpRequest, channel_id: UUID, broadcast_id: UUID) -> HttpResponse:
    _broadcast_in(request, channel_id, broadcast_id)
    try:
        services.broadcast_cancel(actor=request.user, broadcast_id=broadcast_id)
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, problem.ko)
    else:
        messages.success(request, _("예약을 취소했습니다."))
    return redirect("partners_console:broadcast", channel_id, broadcast_id)


@login_required
def inbox(request: HttpRequest, channel_id: UUID) -> HttpResponse:
    channel = services.access_channel_staff(actor=request.user, channel_id=channel_id)
    status = request.GET.get("status", "open")
    status = status if status in InboxThread.Status.values else ""
    mine = request.GET.get("mine") == "1"
    threads = selectors.inbox_list(actor=request.user, channel_id=channel_id, status=status or None, mine=mine)
    context = _ctx(request, channel, "inbox", threads=threads[:100], status=status, mine=mine)
    return render(request, "partners/console/inbox.html", context)


@login_required
def thread(request: HttpRequest, channel_id: UUID, thread_id: UUID) -> HttpResponse:
    found = services.access_thread(actor=request.user, thread_id=thread_id)
    if found.channel.public_id != channel_id:
        raise not_found("thread")
    form = ReplyForm(request.POST or None if "text" in request.POST else None)
    try:
        if request.method == "POST" and "assignee" in request.POST:
            assignee = request.POST["assignee"] or None
            services.thread_assign(actor=request.user, thread_id=thread_id, assignee_id=assignee)
            messages.success(request, _("담당자를 배정했습니다."))
            return redirect("partners_console:thread", channel_id, thread_id)
        if request.method == "POST" and "status" in request.POST:
            services.thread_status_set(actor=request.user, thread_id=thread_id, status=request.POST["status"])
            messages.success(request, _("상태를 바꿨습니다."))
            return redirect("partners_console:thread", channel_id, thread_id)
        if request.method == "POST" and form.is_valid():
            services.thread_reply(actor=request.user, thread_id=thread_id, text=form.cleaned_data["text"])
            return redirect("partners_console:thread", channel_id, thread_id)
    except Problem as problem:
        if problem.status == 404:
            raise
        messages.error(request, problem.ko)
    found, history = services.thread_messages(actor=request.user, thread_id=thread_id)
    context = _ctx(
        request,
        found.channel,
        "inbox",
        thread=found,
        history=history,
        form=form,
        staff=selectors.staff_list(channel=found.channel),
    )
    return render(request, "partners/console/thread.html", context)
