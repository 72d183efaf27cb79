"""Actions that wait for the user's yes: reminders and message drafts the assistant proposed.

The `reminder` and `draft_message` tools only *propose* (a pending `Action`); nothing is sent or
scheduled until the owner confirms it (`action_confirm`), and a pending action expires. Only the
owner reaches an action: `access_action` gives the same 404 for "missing" and "not yours".

Confirming is one conditional UPDATE from pending, so two confirmations racing (a double click, a
retried request) change it once; the second gets 409 `action_already_confirmed`. A draft is sent
through `messaging.services.message_post` as the user, with the user's own membership, rate limit
and blocks; if messaging refuses, the transaction rolls back and the action stays pending. A
confirmed reminder waits for `reminders_send_due` (the worker's periodic sweep), which posts it into
the user's conversation with the assistant.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.assistant.models import Action, AuditEntry
from sangsaeng.core.errors import Problem, not_found

log = logging.getLogger(__name__)
WEEKDAYS = "월화수목금토일"


class Unavailable(Exception):
    """A proposal that can't be made; `code` and the Korean `message` go back to the user."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def when_label(at: datetime) -> str:
    """12월 1일 (화) 오후 3:00, in Seoul time."""
    local = timezone.localtime(at)
    half = "오전" if local.hour < 12 else "오후"
    hour = local.hour % 12 or 12
    return f"{local.month}월 {local.day}일 ({WEEKDAYS[local.weekday()]}) {half} {hour}:{local.minute:02d}"


def _audit(action: Action, step: str, *, ok: bool = True, error: str = "") -> None:
    AuditEntry.objects.create(
        user_id=action.user_id,
        tool=f"{action.kind}.{step}",
        args={"action": str(action.public_id)},
        ok=ok,
        error=error,
        results=1 if ok else 0,
    )


def _ttl(now: datetime) -> datetime:
    return now + timedelta(hours=settings.ASSISTANT_ACTION_TTL_HOURS)


# Proposals (called by the tools, for the user whose own words asked for them) -----------------------


def reminder_propose(*, user: Any, at: datetime, text: str, now: datetime | None = None) -> Action:
    """A pending reminder; it expires when it is due or after the TTL, whichever comes first."""
    now = now or timezone.now()
    if at <= now:
        raise Unavailable("past_time", _("이미 지난 시간이에요. 앞으로의 시간을 말씀해 주세요."))
    if at > now + timedelta(days=366):
        raise Unavailable("too_far", _("알림은 1년 안쪽으로만 맞출 수 있어요."))
    action = Action.objects.create(
        user=user,
        kind=Action.Kind.REMINDER,
        text=text.strip()[:500] or _("알림"),
        due_at=at,
        expires_at=min(at, _ttl(now)),
    )
    return action


def _norm(name: str) -> str:
    return re.sub(r"\s+", "", name).lower().removesuffix("님")


def _recipient(user: Any, to: str) -> tuple[str, str]:
    """The user's conversation that `to` names: (conversation id, its title for this user)."""
    from sangsaeng.assistant.chat import bot_user
    from sangsaeng.messaging.selectors import conversations_for

    wanted = _norm(to)
    bot = bot_user(create=False)
    rows = []
    for conversation in conversations_for(user):
        if bot is not None and any(m.user_id == bot.pk for m in conversation.active_members):
            continue  # the assistant's own room is never a draft's target
        rows.append((str(conversation.public_id), conversation.display_title))
    exact = [r for r in rows if _norm(r[1]) == wanted]
    found = exact or [r for r in rows if wanted and wanted in _norm(r[1])]
    if not found:
        raise Unavailable(
            "no_conversation",
            _("'%(name)s' 님과의 대화방을 찾지 못했어요. 채팅에서 먼저 대화를 시작해 주세요.") % {"name": to},
        )
    if len(found) > 1:
        names = ", ".join(title for _id, title in found[:5])
        raise Unavailable(
            "ambiguous_recipient",
            _("'%(name)s'(으)로 찾은 대화방이 여러 개예요: %(names)s. 누구에게 보낼지 정확히 말씀해 주세요.")
            % {"name": to, "names": names},
        )
    return found[0]


def draft_propose(*, user: Any, to: str, text: str, now: datetime | None = None) -> Action:
    """A pending message draft to one of the user's own conversations, chosen by name."""
    now = now or timezone.now()
    body = text.strip()
    if not body:
        raise Unavailable("no_text", _("어떤 내용을 보낼지 알려 주세요."))
    if len(body) > settings.MESSAGING_TEXT_MAX:
        raise Unavailable("text_too_long", _("보낼 내용이 너무 길어요."))
    conversation_id, title = _recipient(user, to)
    return Action.objects.create(
        user=user,
        kind=Action.Kind.DRAFT,
        text=body,
        conversation_id=conversation_id,
        target=title[:100],
        expires_at=_ttl(now),
    )


# The owner's reads and decisions ------------------------------------------------------------------


def access_action(*, actor: Any, action_id: Any) -> Action:
    """The actor's own action, or 404 for "missing" and "not yours" alike."""
    try:
        public_id = action_id if isinstance(action_id, UUID) else UUID(str(action_id))
    except ValueError:
        raise not_found("action") from None
    action = Action.objects.filter(public_id=public_id, user=actor).first()
    if action is None:
        raise not_found("action")
    return action


def actions_list(*, user: Any, open_only: bool = False, limit: int = 50) -> list[Action]:
    query = Action.objects.filter(user=user)
    if open_only:
        query = query.filter(_open(timezone.now()))
    return list(query.order_by("-created_at", "-id")[: max(1, min(limit, 200))])


def _open(now: datetime) -> Q:
    """Still waiting on the owner: pending and not expired, or a reminder scheduled and not sent."""
    return Q(status=Action.Status.PENDING, expires_at__gt=now) | Q(status=Action.Status.SCHEDULED)


def _refusal(action: Action, now: datetime, *, verb: str) -> Problem:
    """Why a decision can't be taken on this action any more (409, stable codes)."""
    if action.status == Action.Status.CANCELLED:
        return Problem(
            code="action_cancelled", status=409, ko=_("이미 취소한 요청이에요."), en="This action was cancelled."
        )
    if action.status == Action.Status.EXPIRED or (action.status == Action.Status.PENDING and action.expires_at <= now):
        return Problem(
            code="action_expired",
            status=409,
            ko=_("확인 시간이 지나 만료된 요청이에요. 비서에게 다시 부탁해 주세요."),
            en="This action expired before it was confirmed.",
        )
    if verb == "cancel" and action.status in (Action.Status.SENT, Action.Status.FAILED):
        return Problem(
            code="action_done", status=409, ko=_("이미 처리된 요청이라 취소할 수 없어요."), en="This action is done."
        )
    return Problem(
        code="action_already_confirmed",
        status=409,
        ko=_("이미 확인한 요청이에요."),
        en="This action was already confirmed.",
    )


def action_confirm(*, actor: Any, action_id: Any, now: datetime | None = None) -> Action:
    """The owner's yes: a draft is sent now (as the owner), a reminder is scheduled."""
    from sangsaeng.messaging.services import message_post

    action = access_action(actor=actor, action_id=action_id)
    now = now or timezone.now()
    target = Action.Status.SENT if action.kind == Action.Kind.DRAFT else Action.Status.SCHEDULED
    with transaction.atomic():
        claimed = Action.objects.filter(pk=action.pk, status=Action.Status.PENDING, expires_at__gt=now).update(
            status=target, decided_at=now, updated_at=now
        )
        if not claimed:
            action.refresh_from_db()
            raise _refusal(action, now, verb="confirm")
        action.refresh_from_db()
        if action.kind == Action.Kind.DRAFT and action.conversation_id is not None:
            try:
                message = message_post(
                    actor=actor,
                    conversation_id=action.conversation_id,
                    text=action.text,
                    client_id=f"assistant-{action.public_id}",
                )
            except Problem as problem:
                if problem.status != 404:
                    raise
                raise Problem(
                    code="conversation_unavailable",
                    status=409,
                    ko=_("이 대화방에는 더 이상 보낼 수 없어요."),
                    en="You can no longer post in that conversation.",
                ) from problem
            action.message_id, action.sent_at = message.public_id, now
            action.save(update_fields=["message_id", "sent_at", "updated_at"])
        _audit(action, "confirm")
    return action


def action_cancel(*, actor: Any, action_id: Any, now: datetime | None = None) -> Action:
    """The owner's no: a pending action, or a scheduled reminder that has not gone out, is dropped."""
    action = access_action(actor=actor, action_id=action_id)
    now = now or timezone.now()
    with transaction.atomic():
        if not Action.objects.filter(_open(now), pk=action.pk).update(
            status=Action.Status.CANCELLED, decided_at=now, updated_at=now
        ):
            action.refresh_from_db()
            raise _refusal(action, now, verb="cancel")
        action.refresh_from_db()
        _audit(action, "cancel")
    return action


# The periodic sweep --------------------------------------------------------------------------------


def reminder_text(action: Action) -> str:
    when = f"\n({when_label(action.due_at)}에 맞춰 둔 알림이에요)" if action.due_at else ""
    return f"⏰ 알림: {action.text}{when}"


def reminder_send(*, action_id: int, now: datetime | None = None) -> bool:
    """Post one due, scheduled reminder into its owner's conversation with the assistant (once)."""
    from sangsaeng.assistant.chat import assistant_say, conversation_for

    now = now or timezone.now()
    with transaction.atomic():
        action = Action.objects.select_related("user").filter(pk=action_id).first()
        if action is None or action.status != Action.Status.SCHEDULED or action.due_at is None or action.due_at > now:
            return False
        try:
            conversation_id = conversation_for(user=action.user)
            message = assistant_say(
                conversation_id=conversation_id, text=reminder_text(action), client_id=f"reminder-{action.public_id}"
            )
        except Problem as problem:
            log.warning("reminder %s not delivered: %s", action.public_id, problem.code)
            Action.objects.filter(pk=action.pk).update(status=Action.Status.FAILED, error=problem.code[:60])
            _audit(action, "send", ok=False, error=problem.code[:60])
            return False
        action.status, action.sent_at, action.message_id = Action.Status.SENT, now, message.public_id
        action.save(update_fields=["status", "sent_at", "message_id", "updated_at"])
        _audit(action, "send")
    return True


def reminders_send_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """The periodic job: send every confirmed reminder whose time has come. Returns reminders sent."""
    now = now or timezone.now()
    due = Action.objects.filter(status=Action.Status.SCHEDULED, due_at__lte=now).order_by("due_at")
    return sum(reminder_send(action_id=pk, now=now) for pk in list(due.values_list("pk", flat=True)[:limit]))


def actions_expire(*, now: datetime | None = None) -> int:
    """Pending actions nobody confirmed in time become expired (they could not be confirmed anyway)."""
    now = now or timezone.now()
    return Action.objects.filter(status=Action.Status.PENDING, expires_at__lte=now).update(
        status=Action.Status.EXPIRED, updated_at=now
    )


def action_dict(action: Action) -> dict[str, Any]:
    """The shape tools, the API and the chat card share."""
    return {
        "action_id": str(action.public_id),
        "kind": action.kind,
        "status": action.status,
        "text": action.text,
        "to": action.target,
        "at": timezone.localtime(action.due_at).isoformat() if action.due_at else None,
        "at_label": when_label(action.due_at) if action.due_at else "",
        "expires_at": action.expires_at.isoformat(),
    }
