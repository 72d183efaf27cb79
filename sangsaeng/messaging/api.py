"""/api/v1/messaging: conversations, messages, reactions, reads, blocks, reports, links, backups."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any, cast
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Form, Router, Schema, Status, UploadedFile

from sangsaeng.core.errors import Problem, not_found
from sangsaeng.core.schemas import StrictInput
from sangsaeng.messaging import backup, selectors, services
from sangsaeng.messaging.models import Conversation, Member
from sangsaeng.messaging.serialize import message_dict

router = Router(tags=["messaging"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class MessagingMemberOut(Schema):
    user: UUID
    name: str
    role: str
    last_read_seq: int


class MessagingConversationOut(Schema):
    id: UUID
    kind: str
    title: str
    last_seq: int
    last_ev: int = Field(..., description="The last change event: where a client that loaded the history resumes")
    unread: int
    role: str
    last_message_at: datetime | None
    members: list[MessagingMemberOut]


def _member(m: Member) -> MessagingMemberOut:
    return MessagingMemberOut(user=m.user.public_id, name=str(m.user), role=m.role, last_read_seq=m.last_read_seq)


def _conversation(c: Conversation) -> MessagingConversationOut:
    members: list[Member] = getattr(c, "active_members", [])
    return MessagingConversationOut(
        id=c.public_id,
        kind=c.kind,
        title=getattr(c, "display_title", c.title),
        last_seq=c.last_seq,
        last_ev=c.last_ev,
        unread=getattr(c, "unread", 0),
        role=getattr(c, "my_role", ""),
        last_message_at=c.last_message_at,
        members=[_member(m) for m in members],
    )


def _one(user: Any, conversation_id: UUID) -> MessagingConversationOut:
    for c in selectors.conversations_for(user):
        if c.public_id == conversation_id:
            return _conversation(c)
    raise not_found("conversation")


class MessagingDirectIn(StrictInput):
    user: str = Field(..., max_length=254, description="The other person's id or e-mail", examples=["bob@example.com"])


class MessagingGroupIn(StrictInput):
    title: str = Field(..., max_length=100, examples=["제주 여행"])
    members: list[str] = Field(default_factory=list, max_length=100, description="Ids or e-mails")


class MessagingInviteIn(StrictInput):
    user: str = Field(..., max_length=254)


class MessagingRoleIn(StrictInput):
    role: str = Field(..., max_length=10, examples=["admin"])


class MessagingPostIn(StrictInput):
    kind: str = Field("text", max_length=30, examples=["text", "business_card"])
    text: str = Field("", max_length=100_000, examples=["내일 3시에 봬요 🙂"])
    card: dict[str, Any] | None = None
    reply_to: UUID | None = None
    client_id: str | None = Field(None, max_length=64, description="Same id on a retry: the message is stored once")


class MessagingEditIn(StrictInput):
    text: str = Field(..., max_length=100_000)


class MessagingReadIn(StrictInput):
    seq: int = Field(..., ge=0)


class MessagingReactionIn(StrictInput):
    emoji: str = Field(..., max_length=16, examples=["👍"])


class MessagingReportIn(StrictInput):
    reason: str = Field(..., max_length=500, examples=["스팸 광고입니다"])


class MessagingUserIn(StrictInput):
    user: str = Field(..., max_length=254)


class MessagingBackupIn(StrictInput):
    password: str = Field(..., max_length=1024, description="Used in this request only; never stored")


class MessagingRestoreIn(StrictInput):
    drawer_item_id: UUID
    password: str = Field(..., max_length=1024)


@router.get(
    "/messaging/conversations", response=list[MessagingConversationOut], summary="My conversations, with unread counts"
)
def conversation_list(request: HttpRequest) -> list[MessagingConversationOut]:
    return [_conversation(c) for c in selectors.conversations_for(_user(request))]


@router.post(
    "/messaging/conversations/direct", response={200: MessagingConversationOut}, summary="Open the 1:1 with someone"
)
def direct_open(request: HttpRequest, payload: MessagingDirectIn) -> MessagingConversationOut:
    user = _user(request)
    conversation = services.conversation_direct_open(actor=user, other=services.user_find(ref=payload.user))
    return _one(user, conversation.public_id)


@router.post(
    "/messaging/conversations", response={201: MessagingConversationOut}, summary="Create a group conversation"
)
def group_create(request: HttpRequest, payload: MessagingGroupIn) -> Status[MessagingConversationOut]:
    user = _user(request)
    members = [services.user_find(ref=ref) for ref in payload.members]
    conversation = services.conversation_group_create(actor=user, title=payload.title, members=members)
    return Status(201, _one(user, conversation.public_id))


@router.get("/messaging/conversations/{conversation_id}", response=MessagingConversationOut, summary="One conversation")
def conversation_get(request: HttpRequest, conversation_id: UUID) -> MessagingConversationOut:
    return _one(_user(request), conversation_id)


@router.post("/messaging/conversations/{conversation_id}/members", response={201: MessagingMemberOut}, summary="Invite")
def member_invite(
    request: HttpRequest, conversation_id: UUID, payload: MessagingInviteIn
) -> Status[MessagingMemberOut]:
    member = services.conversation_invite(
        actor=_user(request), conversation_id=conversation_id, user=services.user_find(ref=payload.user)
    )
    return Status(201, _member(member))


@router.patch(
    "/messaging/conversations/{conversation_id}/members/{user_id}", response=MessagingMemberOut, summary="Set a role"
)
def member_role(
    request: HttpRequest, conversation_id: UUID, user_id: UUID, payload: MessagingRoleIn
) -> MessagingMemberOut:
    member = services.member_role_set(
        actor=_user(request), conversation_id=conversation_id, user=services.user_find(ref=user_id), role=payload.role
    )
    return _member(member)


@router.post("/messaging/conversations/{conversation_id}/leave", response={204: None}, summary="Leave a conversation")
def conversation_leave(request: HttpRequest, conversation_id: UUID) -> Status[None]:
    services.conversation_leave(actor=_user(request), conversation_id=conversation_id)
    return Status(204, None)


@router.get(
    "/messaging/conversations/{conversation_id}/messages",
    response=list[dict[str, Any]],
    summary="History in seq order: after_seq to catch up, before_seq to scroll back",
)
def message_list(
    request: HttpRequest,
    conversation_id: UUID,
    after_seq: int | None = None,
    before_seq: int | None = None,
    limit: int = 50,
) -> list[dict[str, Any]]:
    rows = selectors.messages_for(
        actor=_user(request), conversation_id=conversation_id, after_seq=after_seq, before_seq=before_seq, limit=limit
    )
    return [message_dict(m) for m in rows]


@router.post(
    "/messaging/conversations/{conversation_id}/messages", response={201: dict[str, Any]}, summary="Send a message"
)
def message_post(request: HttpRequest, conversation_id: UUID, payload: MessagingPostIn) -> Status[dict[str, Any]]:
    message = services.message_post(
        actor=_user(request),
        conversation_id=conversation_id,
        kind=payload.kind,
        text=payload.text,
        card=payload.card,
        reply_to=payload.reply_to,
        client_id=payload.client_id,
    )
    return Status(201, message_dict(message))


@router.post(
    "/messaging/conversations/{conversation_id}/attachments",
    response={201: dict[str, Any]},
    summary="Send a photo, video or file (saved in every member's Drawer, folder 채팅 미디어)",
)
def message_attach(
    request: HttpRequest,
    conversation_id: UUID,
    file: File[UploadedFile],
    text: Form[str] = "",
    client_id: Form[str] = "",
) -> Status[dict[str, Any]]:
    if file.size is not None and file.size > int(settings.MESSAGING_ATTACHMENT_MAX_BYTES):
        limit = int(settings.MESSAGING_ATTACHMENT_MAX_BYTES)
        raise Problem(
            code="attachment_too_large",
            status=413,
            ko="첨부 파일이 너무 큽니다.",
            en="The attachment is too large.",
            field="file",
            extra={"limit": limit},
        )
    message = services.message_attach(
        actor=_user(request),
        conversation_id=conversation_id,
        name=file.name or "file",
        data=cast(IO[bytes], file),
        content_type=file.content_type or "",
        text=text,
        client_id=client_id or None,
    )
    return Status(201, message_dict(message))


@router.post(
    "/messaging/conversations/{conversation_id}/read", response=MessagingMemberOut, summary="Mark read up to seq"
)
def conversation_read(request: HttpRequest, conversation_id: UUID, payload: MessagingReadIn) -> MessagingMemberOut:
    return _member(services.conversation_read(actor=_user(request), conversation_id=conversation_id, seq=payload.seq))


@router.patch("/messaging/messages/{message_id}", response=dict[str, Any], summary="Edit my message")
def message_edit(request: HttpRequest, message_id: UUID, payload: MessagingEditIn) -> dict[str, Any]:
    return message_dict(services.message_edit(actor=_user(request), message_id=message_id, text=payload.text))


@router.delete("/messaging/messages/{message_id}", response=dict[str, Any], summary="Delete my message for everyone")
def message_delete(request: HttpRequest, message_id: UUID) -> dict[str, Any]:
    return message_dict(services.message_delete(actor=_user(request), message_id=message_id))


@router.post("/messaging/messages/{message_id}/reactions", response=dict[str, Any], summary="React")
def reaction_add(request: HttpRequest, message_id: UUID, payload: MessagingReactionIn) -> dict[str, Any]:
    services.reaction_add(actor=_user(request), message_id=message_id, emoji=payload.emoji)
    return _reloaded(request, message_id)


@router.post(
    "/messaging/messages/{message_id}/reactions/remove", response=dict[str, Any], summary="Take a reaction back"
)
def reaction_remove(request: HttpRequest, message_id: UUID, payload: MessagingReactionIn) -> dict[str, Any]:
    services.reaction_remove(actor=_user(request), message_id=message_id, emoji=payload.emoji)
    return _reloaded(request, message_id)


def _reloaded(request: HttpRequest, message_id: UUID) -> dict[str, Any]:
    message = selectors.message_get(actor=_user(request), message_id=message_id)
    return message_dict(message)


@router.post(
    "/messaging/messages/{message_id}/report", response={201: dict[str, str]}, summary="Report to the operators"
)
def message_report(request: HttpRequest, message_id: UUID, payload: MessagingReportIn) -> Status[dict[str, str]]:
    report = services.message_report(actor=_user(request), message_id=message_id, reason=payload.reason)
    return Status(201, {"id": str(report.public_id), "status": report.status})


@router.post(
    "/messaging/messages/{message_id}/card/save", response=dict[str, str], summary="Save a shared card (card book)"
)
def card_save(request: HttpRequest, message_id: UUID) -> dict[str, str]:
    return {"result": services.message_card_receive(actor=_user(request), message_id=message_id)}


@router.get("/messaging/blocks", response=list[MessagingMemberOut], summary="People I blocked")
def block_list(request: HttpRequest) -> list[MessagingMemberOut]:
    return [
        MessagingMemberOut(user=b.blocked.public_id, name=str(b.blocked), role="blocked", last_read_seq=0)
        for b in selectors.blocks_of(user=_user(request))
    ]


@router.post("/messaging/blocks", response={204: None}, summary="Block someone")
def block_add(request: HttpRequest, payload: MessagingUserIn) -> Status[None]:
    services.user_block(actor=_user(request), other=services.user_find(ref=payload.user))
    return Status(204, None)


@router.post("/messaging/blocks/remove", response={204: None}, summary="Unblock someone")
def block_remove(request: HttpRequest, payload: MessagingUserIn) -> Status[None]:
    services.user_unblock(actor=_user(request), other=services.user_find(ref=payload.user))
    return Status(204, None)


class MessagingLinkOut(Schema):
    url: str
    conversation: UUID
    message: UUID
    sender_name: str
    shared_at: datetime


@router.get("/messaging/links", response=list[MessagingLinkOut], summary="Links shared in my chats")
def link_list(request: HttpRequest) -> list[MessagingLinkOut]:
    return [
        MessagingLinkOut(
            url=link.url,
            conversation=link.message.conversation.public_id,
            message=link.message.public_id,
            sender_name=str(link.message.sender or link.message.conversation.title),
            shared_at=link.created_at,
        )
        for link in selectors.links_of(user=_user(request))
    ]


class MessagingBackupOut(Schema):
    id: UUID
    drawer_item_id: UUID
    name: str
    message_count: int
    size: int
    created_at: datetime


@router.get("/messaging/backups", response=list[MessagingBackupOut], summary="My chat backups in the Drawer")
def backup_list(request: HttpRequest) -> list[MessagingBackupOut]:
    return [
        MessagingBackupOut(
            id=b.public_id,
            drawer_item_id=b.drawer_item_id,
            name=b.name,
            message_count=b.message_count,
            size=b.size,
            created_at=b.created_at,
        )
        for b in backup.backups_of(user=_user(request))
    ]


@router.post(
    "/messaging/backups", response={201: MessagingBackupOut}, summary="Back up my chats, encrypted, to my Drawer"
)
def backup_create(request: HttpRequest, payload: MessagingBackupIn) -> Status[MessagingBackupOut]:
    b = services.backup_create(actor=_user(request), password=payload.password)
    return Status(
        201,
        MessagingBackupOut(
            id=b.public_id,
            drawer_item_id=b.drawer_item_id,
            name=b.name,
            message_count=b.message_count,
            size=b.size,
            created_at=b.created_at,
        ),
    )


@router.post("/messaging/backups/restore", response=dict[str, int], summary="Restore a backup (merges by message id)")
def backup_restore(request: HttpRequest, payload: MessagingRestoreIn) -> dict[str, int]:
    return services.backup_restore(
        actor=_user(request), drawer_item_id=payload.drawer_item_id, password=payload.password
    )


@router.get("/messaging/reports", response=list[dict[str, Any]], summary="Open reports (operators only)")
def report_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "id": str(r.public_id),
            "reason": r.reason,
            "reporter": str(r.reporter.public_id),
            "message": message_dict(r.message),
            "created_at": r.created_at.isoformat(),
        }
        for r in selectors.reports_open(actor=_user(request))
    ]
