"""Opening conversations (direct, group, channel), invites, leaving and roles."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.accounts.selectors import User, user_get, user_get_by_email
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.messaging import delivery
from sangsaeng.messaging.access import access_member, as_uuid, require_role, uuid_or_404
from sangsaeng.messaging.models import Block, Conversation, Member

GROUP_MAX_MEMBERS = 500


def user_find(*, ref: Any) -> User:
    """A user by public id or e-mail address; 404 when there is none."""
    user = user_get(public_id=ref) if as_uuid(ref) is not None else user_get_by_email(email=str(ref or ""))
    if user is None or not user.is_active:
        raise not_found("user")
    return user


def blocked_between(a: User, b: User) -> bool:
    return Block.objects.filter(blocker=a, blocked=b).exists() or Block.objects.filter(blocker=b, blocked=a).exists()


def _blocked() -> Problem:
    return Problem(
        code="blocked",
        status=403,
        ko="차단한 사용자이거나 나를 차단한 사용자입니다.",
        en="One of you has blocked the other.",
    )


def _member_add(conversation: Conversation, user: User, role: str) -> Member:
    member, created = Member.objects.get_or_create(conversation=conversation, user=user, defaults={"role": role})
    if not created and (member.left_at is not None or member.role != role):
        member.left_at = None
        member.role = role
        member.last_read_seq = max(member.last_read_seq, 0)
        member.save(update_fields=["left_at", "role", "updated_at"])
        created = True
    if created:
        delivery.user_joined(user_public_id=user.public_id, conversation_public_id=conversation.public_id)
    return member


def conversation_direct_open(*, actor: User, other: User) -> Conversation:
    """Get or create the one direct conversation of this pair. Blocked either way: refused."""
    if actor.pk == other.pk:
        raise Problem(
            code="direct_self",
            status=422,
            ko="자기 자신과는 대화할 수 없습니다.",
            en="You can't chat with yourself.",
            field="user",
        )
    if blocked_between(actor, other):
        raise _blocked()
    low, high = sorted([actor.pk, other.pk])
    key = f"{low}:{high}"
    existing = Conversation.objects.filter(direct_key=key).first()
    if existing is not None:
        _member_add(existing, actor, Member.Role.MEMBER)
        return existing
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(kind=Conversation.Kind.DIRECT, direct_key=key)
            _member_add(conversation, actor, Member.Role.MEMBER)
            _member_add(conversation, other, Member.Role.MEMBER)
    except IntegrityError:  # the other side opened it at the same moment
        conversation = Conversation.objects.get(direct_key=key)
    return conversation


def conversation_group_create(*, actor: User, title: str, members: Iterable[User]) -> Conversation:
    """A group conversation; the creator is its owner."""
    title = title.strip()
    if not title or len(title) > 100:
        raise Problem(
            code="invalid_field",
            status=422,
            ko="대화방 이름은 1~100자입니다.",
            en="The title must be 1-100 characters.",
            field="title",
        )
    others = {u.pk: u for u in members if u.pk != actor.pk}
    if len(others) + 1 > GROUP_MAX_MEMBERS:
        raise Problem(
            code="too_many_members",
            status=422,
            ko="대화방 인원이 너무 많습니다.",
            en="Too many members.",
            field="members",
        )
    for other in others.values():
        if blocked_between(actor, other):
            raise _blocked()
    with transaction.atomic():
        conversation = Conversation.objects.create(kind=Conversation.Kind.GROUP, title=title)
        _member_add(conversation, actor, Member.Role.OWNER)
        for other in others.values():
            _member_add(conversation, other, Member.Role.MEMBER)
    return conversation


def conversation_invite(*, actor: User, conversation_id: UUID | str, user: User) -> Member:
    """Add someone to a group. Owners and admins may invite."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    conversation = member.conversation
    if conversation.kind != Conversation.Kind.GROUP:
        raise Problem(
            code="not_a_group",
            status=422,
            ko="그룹 대화에만 초대할 수 있습니다.",
            en="Only group conversations take invites.",
        )
    require_role(member, Member.Role.OWNER, Member.Role.ADMIN)
    if blocked_between(actor, user):
        raise _blocked()
    if conversation.members.filter(left_at__isnull=True).count() >= GROUP_MAX_MEMBERS:
        raise Problem(code="too_many_members", status=422, ko="대화방 인원이 가득 찼습니다.", en="The group is full.")
    with transaction.atomic():
        return _member_add(conversation, user, Member.Role.MEMBER)


def conversation_leave(*, actor: User, conversation_id: UUID | str) -> None:
    """Leave a conversation; an owner leaving hands the group to the longest-standing member."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    with transaction.atomic():
        member.left_at = timezone.now()
        was_owner = member.role == Member.Role.OWNER
        member.role = Member.Role.MEMBER
        member.save(update_fields=["left_at", "role", "updated_at"])
        if was_owner:
            remaining = Member.objects.filter(conversation=member.conversation, left_at__isnull=True).order_by(
                "created_at"
            )
            heir = remaining.filter(role=Member.Role.ADMIN).first() or remaining.filter(role=Member.Role.MEMBER).first()
            if heir is not None:
                heir.role = Member.Role.OWNER
                heir.save(update_fields=["role", "updated_at"])
        delivery.user_left(user_public_id=actor.public_id, conversation_public_id=member.conversation.public_id)


def member_role_set(*, actor: User, conversation_id: UUID | str, user: User, role: str) -> Member:
    """The owner makes members admins or members again."""
    member = access_member(actor=actor, conversation_id=conversation_id)
    require_role(member, Member.Role.OWNER)
    if role not in (Member.Role.ADMIN, Member.Role.MEMBER):
        raise Problem(
            code="invalid_field",
            status=422,
            ko="역할은 admin 또는 member입니다.",
            en="Role is admin or member.",
            field="role",
        )
    target = Member.objects.filter(conversation=member.conversation, user=user, left_at__isnull=True).first()
    if target is None or target.pk == member.pk:
        raise not_found("member")
    target.role = role
    target.save(update_fields=["role", "updated_at"])
    return target


def conversation_channel_open(
    *, customer: User, channel_id: UUID, channel_name: str, staff: Iterable[User]
) -> Conversation:
    """Get or create a customer's 1:1 conversation with a partner channel (key: customer, channel).

    The channel's staff are members with the role "staff"; the customer sees the channel's name.
    """
    channel_uuid = as_uuid(channel_id)
    if channel_uuid is None:
        raise not_found("channel")
    staff_list = [u for u in staff if u.pk != customer.pk]
    with transaction.atomic():
        conversation = Conversation.objects.filter(channel_customer=customer, channel_id=channel_uuid).first()
        if conversation is None:
            try:
                with transaction.atomic():
                    conversation = Conversation.objects.create(
                        kind=Conversation.Kind.CHANNEL,
                        title=channel_name[:100],
                        channel_id=channel_uuid,
                        channel_customer=customer,
                    )
            except IntegrityError:
                conversation = Conversation.objects.get(channel_customer=customer, channel_id=channel_uuid)
        elif channel_name and conversation.title != channel_name[:100]:
            conversation.title = channel_name[:100]
            conversation.save(update_fields=["title", "updated_at"])
        _member_add(conversation, customer, Member.Role.MEMBER)
        for user in staff_list:
            _member_add(conversation, user, Member.Role.STAFF)
    return conversation


def conversation_staff_set(*, conversation_id: UUID, staff: Iterable[User]) -> None:
    """Make exactly these users the channel conversation's staff (others lose access)."""
    conversation = Conversation.objects.filter(
        public_id=uuid_or_404(conversation_id, "conversation"), kind=Conversation.Kind.CHANNEL
    ).first()
    if conversation is None:
        raise not_found("conversation")
    wanted = {u.pk: u for u in staff if u.pk != conversation.channel_customer_id}
    with transaction.atomic():
        for member in Member.objects.filter(conversation=conversation, role=Member.Role.STAFF, left_at__isnull=True):
            if member.user_id not in wanted:
                member.left_at = timezone.now()
                member.save(update_fields=["left_at", "updated_at"])
                delivery.user_left(user_public_id=member.user.public_id, conversation_public_id=conversation.public_id)
        for user in wanted.values():
            _member_add(conversation, user, Member.Role.STAFF)
