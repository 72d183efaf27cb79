"""Chat pages: the conversation list, a conversation (live over /ws/chat/), links, backups, blocks,
and the operators' report queue. The conversation view is drawn by static/messaging/chat.js."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.navigation import websocket_url
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging import backup as backups
from sangsaeng.messaging import selectors, services
from sangsaeng.messaging.access import access_member
from sangsaeng.messaging.attachments import media_for


def chat_socket_url(request: HttpRequest) -> str:
    base = websocket_url(request)
    return base.replace("/ws/notifications/", "/ws/chat/") if base else ""


def _page(request: HttpRequest, current: Any = None) -> HttpResponse:
    user: Any = request.user
    conversations = selectors.conversations_for(user)
    context: dict[str, Any] = {
        "conversations": conversations,
        "current": current,
        "chat_ws_url": chat_socket_url(request),
    }
    if current is not None:
        context["current_title"] = selectors.display_title(current.conversation, user)
        context["members"] = selectors.members_of(actor=user, conversation_id=current.conversation.public_id)
    return render(request, "messaging/chat.html", context)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
def conversation(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    return _page(request, access_member(actor=request.user, conversation_id=conversation_id))


def _problem_message(request: HttpRequest, problem: Problem) -> None:
    messages.error(request, problem.ko if (request.LANGUAGE_CODE or "ko").startswith("ko") else problem.en)


@login_required
@require_POST
def direct_new(request: HttpRequest) -> HttpResponse:
    try:
        other = services.user_find(ref=request.POST.get("user", "").strip())
        found = services.conversation_direct_open(actor=request.user, other=other)  # type: ignore[arg-type]
    except Problem as problem:
        _problem_message(request, problem)
        return redirect("messaging:home")
    return redirect("messaging:conversation", conversation_id=found.public_id)


@login_required
@require_POST
def group_new(request: HttpRequest) -> HttpResponse:
    try:
        refs = [r.strip() for r in request.POST.get("members", "").replace("\n", ",").split(",") if r.strip()]
        members = [services.user_find(ref=r) for r in refs[:100]]
        actor: Any = request.user
        created = services.conversation_group_create(actor=actor, title=request.POST.get("title", ""), members=members)
    except Problem as problem:
        _problem_message(request, problem)
        return redirect("messaging:home")
    return redirect("messaging:conversation", conversation_id=created.public_id)


@login_required
@require_POST
def invite(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    access_member(actor=request.user, conversation_id=conversation_id)  # 404 for non-members
    try:
        user = services.user_find(ref=request.POST.get("user", "").strip())
        services.conversation_invite(actor=request.user, conversation_id=conversation_id, user=user)  # type: ignore[arg-type]
        messages.success(request, _("초대했습니다."))
    except Problem as problem:
        _problem_message(request, problem)
    return redirect("messaging:conversation", conversation_id=conversation_id)


@login_required
@require_POST
def leave(request: HttpRequest, conversation_id: UUID) -> HttpResponse:
    services.conversation_leave(actor=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
    messages.success(request, _("대화방에서 나왔습니다."))
    return redirect("messaging:home")


@login_required
def media(request: HttpRequest, message_id: UUID) -> HttpResponseBase:
    """A chat file opens from the viewer's own item in their Drawer while they keep it (its
    renditions and access checks apply), else from the one shared copy the chat holds."""
    chat_media, entry = media_for(actor=request.user, message_id=message_id)  # type: ignore[arg-type]
    preview = request.GET.get("size") == "preview" and chat_media.content_type.startswith("image/")
    if entry is not None:
        return redirect(reverse("drawer:item_file", args=[entry.drawer_item_id, "preview" if preview else "original"]))
    return drawer.shared_file_response(
        request, sha256=chat_media.sha256, content_type=chat_media.content_type, name=chat_media.name, preview=preview
    )


@login_required
def links(request: HttpRequest) -> HttpResponse:
    return render(request, "messaging/links.html", {"links": selectors.links_of(user=request.user)})  # type: ignore[arg-type]


@login_required
def backup(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        try:
            if request.POST.get("action") == "restore":
                result = services.backup_restore(
                    actor=user,
                    drawer_item_id=request.POST.get("drawer_item_id", ""),
                    password=request.POST.get("password", ""),
                )
                messages.success(
                    request,
                    _("복원했습니다: 새로 %(restored)d개, 이미 있던 %(already)d개.")
                    % {"restored": result["restored"], "already": result["already_present"]},
                )
            else:
                made = services.backup_create(actor=user, password=request.POST.get("password", ""))
                messages.success(
                    request, _("%(count)d개 메시지를 서랍에 암호화해 백업했습니다.") % {"count": made.message_count}
                )
        except Problem as problem:
            _problem_message(request, problem)
        return redirect("messaging:backup")
    return render(
        request,
        "messaging/backup.html",
        {"backups": backups.backups_of(user=user), "archive": selectors.archive_of(user=user)},
    )


@login_required
def blocks(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        try:
            other = services.user_find(ref=request.POST.get("user", "").strip())
            if request.POST.get("action") == "unblock":
                services.user_unblock(actor=user, other=other)
                messages.success(request, _("차단을 풀었습니다."))
            else:
                services.user_block(actor=user, other=other)
                messages.success(request, _("차단했습니다."))
        except Problem as problem:
            _problem_message(request, problem)
        return redirect("messaging:blocks")
    return render(request, "messaging/blocks.html", {"blocks": selectors.blocks_of(user=user)})


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.is_staff:
        raise not_found("page")
    if request.method == "POST":
        services.report_resolve(actor=user, report_id=request.POST.get("report", ""))
        messages.success(request, _("처리 완료로 표시했습니다."))
        return redirect("messaging:reports")
    return render(request, "messaging/reports.html", {"reports": selectors.reports_open(actor=user)})
