"""Blocking users and reporting messages to the operators' queue."""

from __future__ import annotations

from uuid import UUID

from django.db import IntegrityError, transaction

from sangsaeng.accounts.selectors import User
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.messaging.access import access_message, uuid_or_404
from sangsaeng.messaging.models import Block, Report


def user_block(*, actor: User, other: User) -> Block:
    """Block someone: they can't open a 1:1 with me or message me there; I can't either."""
    if other.pk == actor.pk:
        raise Problem(
            code="block_self",
            status=422,
            ko="자기 자신은 차단할 수 없습니다.",
            en="You can't block yourself.",
            field="user",
        )
    block, _created = Block.objects.get_or_create(blocker=actor, blocked=other)
    return block


def user_unblock(*, actor: User, other: User) -> None:
    Block.objects.filter(blocker=actor, blocked=other).delete()


def message_report(*, actor: User, message_id: UUID | str, reason: str) -> Report:
    """Report a message in one of my conversations; one report per message and person."""
    message, _member = access_message(actor=actor, message_id=message_id)
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="신고 사유는 1~500자입니다.",
            en="The reason must be 1-500 characters.",
            field="reason",
        )
    try:
        with transaction.atomic():
            return Report.objects.create(message=message, reporter=actor, reason=reason)
    except IntegrityError:
        raise Problem(
            code="already_reported", status=409, ko="이미 신고한 메시지입니다.", en="You already reported this message."
        ) from None


def report_resolve(*, actor: User, report_id: UUID | str) -> Report:
    """Operators (staff users) close a report."""
    if not actor.is_staff:
        raise not_found("report")
    report = Report.objects.filter(public_id=uuid_or_404(report_id, "report")).first()
    if report is None:
        raise not_found("report")
    report.status = Report.Status.RESOLVED
    report.save(update_fields=["status", "updated_at"])
    return report
