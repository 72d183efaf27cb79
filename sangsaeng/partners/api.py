"""/api/v1/partners: channels, staff, following and consents, broadcasts and the customer inbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, File, Router, Schema, Status, UploadedFile

from sangsaeng.core.schemas import StrictInput
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import Broadcast, Channel, ChannelStaff, Follow, InboxThread

router = Router(tags=["partners"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class PartnersChannelOut(Schema):
    id: UUID
    name: str
    handle: str
    description: str
    verified: bool
    followers: int
    url: str
    logo_url: str | None
    cover_url: str | None


def _channel(channel: Channel) -> PartnersChannelOut:
    base = f"/c/{channel.handle}/"
    return PartnersChannelOut(
        id=channel.public_id,
        name=channel.name,
        handle=channel.handle,
        description=channel.description,
        verified=channel.is_verified,
        followers=selectors.follower_count(channel),
        url=base,
        logo_url=f"{base}logo" if channel.logo_type else None,
        cover_url=f"{base}cover" if channel.cover_type else None,
    )


@router.get("/handles/{handle}", response=PartnersChannelOut, summary="A public channel by its handle")
def channel_by_handle(request: HttpRequest, handle: str) -> PartnersChannelOut:
    return _channel(selectors.channel_for_handle(handle[:40]))


class PartnersPostOut(Schema):
    id: UUID
    channel_id: UUID
    text: str
    is_advertising: bool
    cards: list[dict[str, Any]]
    url: str
    sent_at: datetime | None


def _post(b: Broadcast) -> PartnersPostOut:
    return PartnersPostOut(
        id=b.public_id,
        channel_id=b.channel.public_id,
        text=selectors.post_text(b),
        is_advertising=b.is_advertising,
        cards=b.cards,
        url=f"/c/{b.channel.handle}/p/{b.public_id}/",
        sent_at=b.first_sent_at,
    )


@router.get("/handles/{handle}/posts", response=list[PartnersPostOut], summary="A channel's public posts")
def channel_posts(request: HttpRequest, handle: str) -> list[PartnersPostOut]:
    channel = selectors.channel_for_handle(handle[:40])
    return [_post(b) for b in selectors.posts_public(channel=channel)]


@router.get("/feed", response=list[PartnersPostOut], summary="Posts delivered to me, newest first")
def feed(request: HttpRequest) -> list[PartnersPostOut]:
    return [_post(d.broadcast) for d in selectors.feed_for(user=_user(request))]


class PartnersChannelIn(StrictInput):
    name: str = Field(..., max_length=60, examples=["상생마켓"])
    handle: str = Field(..., max_length=40, examples=["sangsaeng-market"])
    description: str = Field("", max_length=1000)


class PartnersChannelPatch(StrictInput):
    name: str | None = Field(None, max_length=60)
    handle: str | None = Field(None, max_length=40)
    description: str | None = Field(None, max_length=1000)


@router.get("/channels", response=list[PartnersChannelOut], summary="Channels I work on")
def channel_list(request: HttpRequest) -> list[PartnersChannelOut]:
    return [_channel(c) for c, _role in selectors.channels_for_staff(_user(request))]


@router.post("/channels", response={201: PartnersChannelOut}, summary="Open a channel (I become its owner)")
def channel_create(request: HttpRequest, payload: PartnersChannelIn) -> Status[PartnersChannelOut]:
    channel = services.channel_create(owner=_user(request), **payload.model_dump())
    return Status(201, _channel(channel))


@router.get("/channels/{channel_id}", response=PartnersChannelOut, summary="A channel I work on")
def channel_get(request: HttpRequest, channel_id: UUID) -> PartnersChannelOut:
    return _channel(services.access_channel_staff(actor=_user(request), channel_id=channel_id))


@router.patch("/channels/{channel_id}", response=PartnersChannelOut, summary="Edit the channel (owner, manager)")
def channel_update(request: HttpRequest, channel_id: UUID, payload: PartnersChannelPatch) -> PartnersChannelOut:
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    return _channel(services.channel_update(actor=_user(request), channel_id=channel_id, data=data))


def _image(upload: UploadedFile) -> bytes:
    return upload.read(settings.PARTNERS_IMAGE_MAX_BYTES + 1)


@router.post("/channels/{channel_id}/logo", response=PartnersChannelOut, summary="Upload the logo (JPEG/PNG/WebP)")
def channel_logo(request: HttpRequest, channel_id: UUID, image: File[UploadedFile]) -> PartnersChannelOut:
    return _channel(services.channel_update(actor=_user(request), channel_id=channel_id, data={}, logo=_image(image)))


@router.post("/channels/{channel_id}/cover", response=PartnersChannelOut, summary="Upload the cover image")
def channel_cover(request: HttpRequest, channel_id: UUID, image: File[UploadedFile]) -> PartnersChannelOut:
    return _channel(services.channel_update(actor=_user(request), channel_id=channel_id, data={}, cover=_image(image)))


class PartnersVerifyIn(StrictInput):
    verified: bool


@router.put("/channels/{channel_id}/verification", response=PartnersChannelOut, summary="Operator: set the badge")
def channel_verify(request: HttpRequest, channel_id: UUID, payload: PartnersVerifyIn) -> PartnersChannelOut:
    return _channel(services.channel_verify(actor=_user(request), channel_id=channel_id, verified=payload.verified))


class PartnersStaffOut(Schema):
    id: UUID
    user_id: UUID
    email: str
    name: str
    role: str


def _staff(row: ChannelStaff) -> PartnersStaffOut:
    return PartnersStaffOut(
        id=row.public_id,
        user_id=row.user.public_id,
        email=row.user.email,
        name=str(getattr(row.user, "display_name", "") or ""),
        role=row.role,
    )


class PartnersStaffIn(StrictInput):
    email: str = Field(..., max_length=254, examples=["manager@sangsaeng.kr"])
    role: Literal["owner", "manager", "agent"]


@router.get("/channels/{channel_id}/staff", response=list[PartnersStaffOut], summary="The channel's staff")
def staff_list(request: HttpRequest, channel_id: UUID) -> list[PartnersStaffOut]:
    channel = services.access_channel_staff(actor=_user(request), channel_id=channel_id)
    return [_staff(r) for r in selectors.staff_list(channel=channel)]


@router.post("/channels/{channel_id}/staff", response={201: PartnersStaffOut}, summary="Owner: add staff by email")
def staff_invite(request: HttpRequest, channel_id: UUID, payload: PartnersStaffIn) -> Status[PartnersStaffOut]:
    row = services.staff_invite(actor=_user(request), channel_id=channel_id, email=payload.email, role=payload.role)
    return Status(201, _staff(row))


@router.delete("/channels/{channel_id}/staff/{staff_id}", response={204: None}, summary="Owner: remove staff")
def staff_remove(request: HttpRequest, channel_id: UUID, staff_id: UUID) -> Status[None]:
    services.staff_remove(actor=_user(request), channel_id=channel_id, staff_id=staff_id)
    return Status(204, None)


class PartnersFollowOut(Schema):
    channel_id: UUID
    handle: str
    following: bool
    marketing_consent_at: datetime | None
    marketing_revoked_at: datetime | None
    night_consent_at: datetime | None
    night_revoked_at: datetime | None


def _follow(follow: Follow) -> PartnersFollowOut:
    return PartnersFollowOut(
        channel_id=follow.channel.public_id,
        handle=follow.channel.handle,
        following=True,
        marketing_consent_at=follow.marketing_consent_at,
        marketing_revoked_at=follow.marketing_revoked_at,
        night_consent_at=follow.night_consent_at,
        night_revoked_at=follow.night_revoked_at,
    )


class PartnersFollowIn(StrictInput):
    marketing: bool = False
    night: bool = False


class PartnersConsentIn(StrictInput):
    marketing: bool | None = None
    night: bool | None = None


@router.get("/follows", response=list[PartnersFollowOut], summary="Channels I follow, with my consents")
def follow_list(request: HttpRequest) -> list[PartnersFollowOut]:
    return [_follow(f) for f in selectors.follows_of(_user(request))]


@router.post("/channels/{channel_id}/follow", response=PartnersFollowOut, summary="Follow (친구 추가)")
def follow(request: HttpRequest, channel_id: UUID, payload: PartnersFollowIn) -> PartnersFollowOut:
    return _follow(services.channel_follow(user=_user(request), channel_id=channel_id, **payload.model_dump()))


@router.delete("/channels/{channel_id}/follow", response={204: None}, summary="Unfollow")
def unfollow(request: HttpRequest, channel_id: UUID) -> Status[None]:
    services.channel_unfollow(user=_user(request), channel_id=channel_id)
    return Status(204, None)


@router.put("/channels/{channel_id}/consents", response=PartnersFollowOut, summary="Grant or revoke ad consents")
def consents(request: HttpRequest, channel_id: UUID, payload: PartnersConsentIn) -> PartnersFollowOut:
    follow = services.follow_consents_set(user=_user(request), channel_id=channel_id, **payload.model_dump())
    return _follow(follow)


class PartnersCardIn(StrictInput):
    kind: str = Field(..., max_length=20, examples=["product"])
    title: str = Field(..., max_length=80, examples=["제주 감귤 5kg"])
    url: str = Field(..., max_length=500, examples=["https://sangsaeng.kr/s/market/p/1"])
    image: str = Field("", max_length=500)
    price_krw: int | None = Field(None, ge=0, le=10**10, examples=[19900])


class PartnersBroadcastIn(StrictInput):
    text: str = Field("", max_length=2000, examples=["이번 주말 감귤 20% 할인!"])
    is_advertising: bool = True
    cards: list[PartnersCardIn] = Field(default_factory=list, max_length=10)
    scheduled_at: datetime | None = Field(None, description="With a time zone; omitted means now")
    segment: str | None = Field(
        None,
        max_length=30,
        examples=["champions"],
        description="Only this customer segment (GET /partners/segments); omitted means every follower",
    )


class PartnersSegmentOut(Schema):
    key: str
    label: str


class PartnersStatsOut(Schema):
    delivered: int
    opened: int
    clicked: int
    open_rate: float
    click_rate: float


class PartnersBroadcastOut(Schema):
    id: UUID
    channel_id: UUID
    text: str
    display_text: str
    is_advertising: bool
    cards: list[dict[str, Any]]
    status: str
    segment: str | None = Field(description="The targeted customer segment; null for every follower")
    segment_size: int | None = Field(
        description="Customers in the segment when the post was written (0: the channel has no such data yet); "
        "only those who follow, and for an advertisement consented, get it"
    )
    images: int
    scheduled_at: datetime
    next_run_at: datetime | None
    sent_at: datetime | None
    stats: PartnersStatsOut


def _broadcast(b: Broadcast) -> PartnersBroadcastOut:
    return PartnersBroadcastOut(
        id=b.public_id,
        channel_id=b.channel.public_id,
        text=b.text,
        display_text=selectors.post_text(b),
        is_advertising=b.is_advertising,
        cards=b.cards,
        status=b.status,
        segment=b.segment or None,
        segment_size=selectors.broadcast_segment_size(b),
        images=b.images.count(),
        scheduled_at=b.scheduled_at,
        next_run_at=b.next_run_at,
        sent_at=b.sent_at,
        stats=PartnersStatsOut(**selectors.broadcast_stats(b)),
    )


@router.get("/channels/{channel_id}/broadcasts", response=list[PartnersBroadcastOut], summary="The channel's posts")
def broadcast_list(request: HttpRequest, channel_id: UUID) -> list[PartnersBroadcastOut]:
    channel = services.access_channel_staff(actor=_user(request), channel_id=channel_id)
    return [_broadcast(b) for b in selectors.broadcasts_for(channel=channel)[:200]]


@router.post(
    "/channels/{channel_id}/broadcasts", response={201: PartnersBroadcastOut}, summary="Post or schedule a broadcast"
)
def broadcast_create(
    request: HttpRequest, channel_id: UUID, payload: PartnersBroadcastIn
) -> Status[PartnersBroadcastOut]:
    broadcast = services.broadcast_create(
        actor=_user(request),
        channel_id=channel_id,
        text=payload.text,
        is_advertising=payload.is_advertising,
        cards=[c.model_dump() for c in payload.cards],
        scheduled_at=payload.scheduled_at,
        segment=payload.segment,
    )
    return Status(201, _broadcast(broadcast))


@router.get("/segments", response=list[PartnersSegmentOut], summary="Customer segments a broadcast can target")
def segment_list(request: HttpRequest) -> list[PartnersSegmentOut]:
    return [PartnersSegmentOut(key=key, label=label) for key, label in selectors.segment_choices()]


@router.get("/broadcasts/{broadcast_id}", response=PartnersBroadcastOut, summary="A broadcast with its counts")
def broadcast_get(request: HttpRequest, broadcast_id: UUID) -> PartnersBroadcastOut:
    roles = ("owner", "manager", "agent")
    return _broadcast(services.access_broadcast(actor=_user(request), broadcast_id=broadcast_id, roles=roles))


@router.get("/broadcasts/{broadcast_id}/stats", response=PartnersStatsOut, summary="Deliveries, opens, clicks")
def broadcast_stats(request: HttpRequest, broadcast_id: UUID) -> PartnersStatsOut:
    roles = ("owner", "manager", "agent")
    broadcast = services.access_broadcast(actor=_user(request), broadcast_id=broadcast_id, roles=roles)
    return PartnersStatsOut(**selectors.broadcast_stats(broadcast))


@router.post(
    "/broadcasts/{broadcast_id}/images", response={201: PartnersBroadcastOut}, summary="Add an image before it goes"
)
def broadcast_image(
    request: HttpRequest, broadcast_id: UUID, image: File[UploadedFile]
) -> Status[PartnersBroadcastOut]:
    services.broadcast_image_add(actor=_user(request), broadcast_id=broadcast_id, data=_image(image))
    return Status(201, _broadcast(services.access_broadcast(actor=_user(request), broadcast_id=broadcast_id)))


@router.post("/broadcasts/{broadcast_id}/cancel", response=PartnersBroadcastOut, summary="Cancel a scheduled post")
def broadcast_cancel(request: HttpRequest, broadcast_id: UUID) -> PartnersBroadcastOut:
    return _broadcast(services.broadcast_cancel(actor=_user(request), broadcast_id=broadcast_id))


class PartnersThreadOut(Schema):
    id: UUID
    channel_id: UUID
    conversation_id: UUID
    customer_id: UUID
    customer_name: str
    assignee_id: UUID | None
    status: str
    last_activity_at: datetime
    last_preview: str


def _thread(t: InboxThread) -> PartnersThreadOut:
    return PartnersThreadOut(
        id=t.public_id,
        channel_id=t.channel.public_id,
        conversation_id=t.conversation_id,
        customer_id=t.customer.public_id,
        customer_name=str(getattr(t.customer, "display_name", "") or ""),
        assignee_id=t.assignee.public_id if t.assignee else None,
        status=t.status,
        last_activity_at=t.last_activity_at,
        last_preview=t.last_preview,
    )


@router.post("/channels/{channel_id}/chat", response=PartnersThreadOut, summary="Customer: open my chat with it")
def chat_open(request: HttpRequest, channel_id: UUID) -> PartnersThreadOut:
    return _thread(services.thread_open(customer=_user(request), channel_id=channel_id))


@router.get("/channels/{channel_id}/inbox", response=list[PartnersThreadOut], summary="Staff: the shared inbox")
def inbox(
    request: HttpRequest, channel_id: UUID, status: Literal["open", "done"] | None = None, mine: bool = False
) -> list[PartnersThreadOut]:
    threads = selectors.inbox_list(actor=_user(request), channel_id=channel_id, status=status, mine=mine)
    return [_thread(t) for t in threads[:200]]


class PartnersAssignIn(StrictInput):
    assignee_id: UUID | None


class PartnersStatusIn(StrictInput):
    status: Literal["open", "done"]


class PartnersReplyIn(StrictInput):
    text: str = Field(..., max_length=4000)


@router.post("/inbox/{thread_id}/assign", response=PartnersThreadOut, summary="Assign a thread to staff")
def thread_assign(request: HttpRequest, thread_id: UUID, payload: PartnersAssignIn) -> PartnersThreadOut:
    thread = services.thread_assign(actor=_user(request), thread_id=thread_id, assignee_id=payload.assignee_id)
    return _thread(thread)


@router.post("/inbox/{thread_id}/status", response=PartnersThreadOut, summary="Mark a thread open or done")
def thread_status(request: HttpRequest, thread_id: UUID, payload: PartnersStatusIn) -> PartnersThreadOut:
    return _thread(services.thread_status_set(actor=_user(request), thread_id=thread_id, status=payload.status))


@router.post("/inbox/{thread_id}/reply", response={201: PartnersThreadOut}, summary="Answer as the channel")
def thread_reply(request: HttpRequest, thread_id: UUID, payload: PartnersReplyIn) -> Status[PartnersThreadOut]:
    services.thread_reply(actor=_user(request), thread_id=thread_id, text=payload.text)
    return Status(201, _thread(services.access_thread(actor=_user(request), thread_id=thread_id)))
