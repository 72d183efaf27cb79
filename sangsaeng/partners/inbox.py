"""The staff's shared inbox of customer chats: one thread per (channel, customer), assigned to a
staff member, open or done. The messages live in messaging; see `chat`."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.partners import chat
from sangsaeng.partners.channels import ALL_ROLES, access_channel_staff
from sangsaeng.partners.follows import _channel
from sangsaeng.partners.models import Channel, ChannelStaff, InboxThread

PREVIEW = 120


def _staff_users(channel: Channel) -> list[Any]:
    return [m.user for m in ChannelStaff.objects.filter(channel=channel).select_related("user")]


def _touch(thread: InboxThread, *, text: str, now: datetime | None = None, reopen: bool = False) -> None:
    thread.last_activity_at = now or timezone.now()
    thread.last_preview = " ".join(text.split())[:PREVIEW]
    fields = ["last_activity_at", "last_preview", "updated_at"]
    if reopen and thread.status != InboxThread.Status.OPEN:
        thread.status = InboxThread.Status.OPEN
        fields.append("status")
    thread.save(update_fields=fields)


def thread_open(*, customer: Any, channel_id: Any) -> InboxThread:
    """A customer starts (or returns to) their 1:1 chat with the channel."""
    channel = _channel(channel_id)
    if ChannelStaff.objects.filter(channel=channel, user=customer).exists():
        raise Problem(
            code="own_channel",
            status=409,
            ko="내가 운영하는 채널과는 대화를 시작할 수 없습니다.",
            en="Staff can't open a customer chat with their own channel.",
        )
    conversation_id = chat.conversation_open(
        customer=customer, channel_id=channel.public_id, channel_name=channel.name, staff=_staff_users(channel)
    )
    thread = InboxThread.objects.filter(channel=channel, customer=customer).first()
    if thread is None:
        try:
            with transaction.atomic():
                thread = InboxThread.objects.create(
                    channel=channel, customer=customer, conversation_id=conversation_id, last_activity_at=timezone.now()
                )
        except IntegrityError:
            thread = InboxThread.objects.get(channel=channel, customer=customer)
    return thread


def access_thread(*, actor: Any, thread_id: Any) -> InboxThread:
    """A thread of a channel the actor is staff of; one 404 otherwise."""
    try:
        uid = thread_id if isinstance(thread_id, UUID) else UUID(str(thread_id))
    except ValueError:
        raise not_found("thread") from None
    thread = InboxThread.objects.select_related("channel", "customer", "assignee").filter(public_id=uid).first()
    if thread is None:
        raise not_found("thread")
    access_channel_staff(actor=actor, channel_id=thread.channel.public_id, roles=ALL_ROLES)
    return thread


def thread_assign(*, actor: Any, thread_id: Any, assignee_id: Any | None) -> InboxThread:
    """Give the thread to one staff member (by their user id), or to nobody."""
    with transaction.atomic():
        thread = access_thread(actor=actor, thread_id=thread_id)
        assignee = None
        if assignee_id is not None:
            membership = (
                ChannelStaff.objects.select_related("user")
                .filter(channel=thread.channel, user__public_id=assignee_id)
                .first()
            )
            if membership is None:
                raise Problem(
                    code="assignee_not_staff",
                    status=422,
                    field="assignee_id",
                    ko="이 채널의 담당자만 배정할 수 있습니다.",
                    en="Only this channel's staff can be assigned.",
                )
            assignee = membership.user
        thread.assignee = assignee
        thread.save(update_fields=["assignee", "updated_at"])
    return thread


def thread_status_set(*, actor: Any, thread_id: Any, status: str) -> InboxThread:
    if status not in InboxThread.Status.values:
        raise Problem(
            code="invalid_status", status=422, field="status", ko="상태를 선택하세요.", en="Status is open or done."
        )
    with transaction.atomic():
        thread = access_thread(actor=actor, thread_id=thread_id)
        thread.status = status
        thread.save(update_fields=["status", "updated_at"])
    return thread


def thread_reply(*, actor: Any, thread_id: Any, text: str) -> Any:
    """A staff member answers in the channel's name; an unassigned thread becomes theirs."""
    body = str(text or "").strip()
    if not body:
        raise Problem(code="missing_field", status=422, field="text", ko="내용을 입력하세요.", en="Write a reply.")
    thread = access_thread(actor=actor, thread_id=thread_id)
    message = chat.post_as_staff(actor=actor, conversation_id=thread.conversation_id, text=body)
    if thread.assignee_id is None:
        thread.assignee = actor
        thread.save(update_fields=["assignee", "updated_at"])
    _touch(thread, text=body)
    return message


def thread_messages(*, actor: Any, thread_id: Any, limit: int = 50) -> tuple[InboxThread, list[Any]]:
    thread = access_thread(actor=actor, thread_id=thread_id)
    return thread, chat.messages(actor=actor, conversation_id=thread.conversation_id, limit=limit)


def inbox_refresh(*, actor: Any, channel: Channel) -> int:
    """Bring threads up to date with their conversations: newer messages move a thread up, and a
    customer's new message opens a thread marked done again. Returns the threads changed."""
    threads = {t.conversation_id: t for t in InboxThread.objects.filter(channel=channel)}
    changed = 0
    for conversation_id, last_at in chat.conversation_activity(actor=actor).items():
        thread = threads.get(conversation_id)
        if thread is None or last_at <= thread.last_activity_at:
            continue
        latest = chat.messages(actor=actor, conversation_id=conversation_id, limit=1)
        message = latest[-1] if latest else None
        from_customer = message is not None and message.sender_id == thread.customer_id
        _touch(thread, text=getattr(message, "text", "") or "", now=last_at, reopen=from_customer)
        changed += 1
    return changed


def inbox_list(*, actor: Any, channel_id: Any, status: str | None = None, mine: bool = False) -> QuerySet[InboxThread]:
    """The shared inbox, newest activity first, refreshed from the conversations."""
    channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=ALL_ROLES)
    inbox_refresh(actor=actor, channel=channel)
    threads = InboxThread.objects.filter(channel=channel).select_related("customer", "assignee")
    if status:
        threads = threads.filter(status=status)
    if mine:
        threads = threads.filter(assignee=actor)
    return threads


def inbox_staff_sync(*, channel: Channel) -> None:
    """After a staff change every customer chat of the channel gets exactly the current staff."""
    staff = _staff_users(channel)
    for conversation_id in InboxThread.objects.filter(channel=channel).values_list("conversation_id", flat=True):
        chat.conversation_staff_set(conversation_id=conversation_id, staff=staff)
    InboxThread.objects.filter(channel=channel).exclude(assignee__in=staff).exclude(assignee=None).update(assignee=None)


def channel_message_customer(*, channel_id: Any, customer: Any, text: str, card: dict[str, Any] | None = None) -> Any:
    """Post from the channel to a customer (an order notification), opening the chat if needed."""
    thread = thread_open(customer=customer, channel_id=channel_id)
    message = chat.post_from_channel(conversation_id=thread.conversation_id, text=text, card=card)
    _touch(thread, text=text or (card or {}).get("title", ""), reopen=False)
    return message


def customer_activity(*, conversation_id: Any, text: str, at: datetime) -> None:
    """A customer wrote in a channel chat: the thread moves up and opens again."""
    for thread in InboxThread.objects.filter(conversation_id=conversation_id):
        _touch(thread, text=text, now=at, reopen=True)
