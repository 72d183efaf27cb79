"""Opening and running a channel: handle rules, profile and images, the operator's badge, staff roles
and the attachments other apps hang on it."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangsaeng.accounts import selectors as accounts
from sangsaeng.core.errors import Problem, not_found
from sangsaeng.partners import images
from sangsaeng.partners.models import Attachment, Channel, ChannelStaff

Role = ChannelStaff.Role
ALL_ROLES = (Role.OWNER, Role.MANAGER, Role.AGENT)
EDITORS = (Role.OWNER, Role.MANAGER)
HANDLE_RE = re.compile(r"^[a-z0-9](?:[a-z0-9_-]{1,28})[a-z0-9]$")
RESERVED_HANDLES = frozenset(
    {"admin", "api", "c", "channel", "channels", "help", "new", "partners", "sangsaeng", "settings", "static", "www"}
)
ATTACHMENT_KIND_RE = re.compile(r"^[a-z][a-z0-9_]{1,19}$")


def _invalid(field: str, code: str, ko: str, en: str, status: int = 422) -> Problem:
    return Problem(code=code, status=status, field=field, ko=ko, en=en)


def handle_clean(handle: str) -> str:
    """3-30 characters of a-z, 0-9, `_` and `-`, starting and ending with a letter or digit: safe in
    a URL path as is (`/c/<handle>/`) and unambiguous to read aloud."""
    value = str(handle or "").strip().lower().lstrip("@")
    if not HANDLE_RE.match(value) or "--" in value or "__" in value:
        raise _invalid(
            "handle",
            "invalid_handle",
            "채널 주소는 영문 소문자, 숫자, -, _ 로 3~30자이며 영문이나 숫자로 시작하고 끝나야 합니다.",
            "A handle is 3-30 characters of a-z, 0-9, - and _, starting and ending with a letter or digit.",
        )
    if value in RESERVED_HANDLES:
        raise _invalid("handle", "handle_reserved", "사용할 수 없는 채널 주소입니다.", "This handle is reserved.")
    return value


def _text(data: dict[str, Any], field: str, limit: int, *, required: bool = False, multiline: bool = False) -> str:
    raw = str(data.get(field) or "")
    value = raw.strip() if multiline else " ".join(raw.split())
    if required and not value:
        raise _invalid(field, "missing_field", "필수 입력 항목입니다.", "This field is required.")
    if len(value) > limit:
        raise _invalid(field, "too_long", f"{limit}자 이하로 입력하세요.", f"At most {limit} characters.")
    return value


def _handle_taken() -> Problem:
    return _invalid("handle", "handle_taken", "이미 사용 중인 채널 주소입니다.", "This handle is already taken.", 409)


def channel_create(
    *, owner: Any, name: str, handle: str, description: str = "", logo: bytes | None = None, cover: bytes | None = None
) -> Channel:
    """Open a channel; its creator becomes its owner."""
    data = {"name": name, "description": description}
    channel = Channel(
        name=_text(data, "name", 60, required=True),
        handle=handle_clean(handle),
        description=_text(data, "description", 1000, multiline=True),
    )
    if logo:
        channel.logo, channel.logo_type = images.image_clean(logo, field="logo", shape=images.LOGO)
    if cover:
        channel.cover, channel.cover_type = images.image_clean(cover, field="cover", shape=images.COVER)
    if Channel.objects.filter(handle=channel.handle).exists():
        raise _handle_taken()
    try:
        with transaction.atomic():
            channel.save()
            ChannelStaff.objects.create(channel=channel, user=owner, role=Role.OWNER)
    except IntegrityError as exc:  # a concurrent request took the handle between check and insert
        raise _handle_taken() from exc
    return channel


def uuid_or_404(value: Any, thing: str) -> UUID:
    """A public id from a URL or a caller; anything malformed is the same 404 as a missing one."""
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        raise not_found(thing) from None


def access_channel_staff(*, actor: Any, channel_id: Any, roles: Iterable[str] = ALL_ROLES) -> Channel:
    """The channel if the actor is on its staff; one 404 for "missing" and "not staff". Staff whose
    role is not among `roles` get a 403: they already know the channel exists."""
    uid = uuid_or_404(channel_id, "channel")
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise not_found("channel")
    membership = ChannelStaff.objects.select_related("channel").filter(channel__public_id=uid, user=actor).first()
    if membership is None:
        raise not_found("channel")
    if membership.role not in set(roles):
        raise Problem(
            code="channel_role_required",
            status=403,
            ko="이 작업을 할 수 있는 권한이 없습니다.",
            en="Your role on this channel does not allow this.",
            extra={"roles": sorted(str(r) for r in roles)},
        )
    return membership.channel


def channel_update(
    *,
    actor: Any,
    channel_id: Any,
    data: dict[str, Any],
    logo: bytes | None = None,
    cover: bytes | None = None,
) -> Channel:
    """Edit name, handle, description and images (owner or manager)."""
    with transaction.atomic():
        channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=EDITORS)
        fields: list[str] = []
        if "name" in data:
            channel.name = _text(data, "name", 60, required=True)
            fields.append("name")
        if "description" in data:
            channel.description = _text(data, "description", 1000, multiline=True)
            fields.append("description")
        if "handle" in data:
            handle = handle_clean(data["handle"])
            if handle != channel.handle:
                if Channel.objects.filter(handle=handle).exists():
                    raise _handle_taken()
                channel.handle = handle
                fields.append("handle")
        if logo:
            channel.logo, channel.logo_type = images.image_clean(logo, field="logo", shape=images.LOGO)
            fields += ["logo", "logo_type"]
        if cover:
            channel.cover, channel.cover_type = images.image_clean(cover, field="cover", shape=images.COVER)
            fields += ["cover", "cover_type"]
        if fields:
            channel.save(update_fields=[*fields, "updated_at"])
    return channel


def channel_verify(*, actor: Any, channel_id: Any, verified: bool) -> Channel:
    """An operator (staff user) gives or takes the verified badge. Everyone else gets the 404."""
    channel = Channel.objects.filter(public_id=uuid_or_404(channel_id, "channel")).first()
    if channel is None or not getattr(actor, "is_staff", False):
        raise not_found("channel")
    channel.verified_at = timezone.now() if verified else None
    channel.verified_by = actor if verified else None
    channel.save(update_fields=["verified_at", "verified_by", "updated_at"])
    return channel


def _staff_changed(channel: Channel) -> None:
    from sangsaeng.partners.inbox import inbox_staff_sync

    inbox_staff_sync(channel=channel)


def staff_invite(*, actor: Any, channel_id: Any, email: str, role: str) -> ChannelStaff:
    """The owner adds a person with an account by email, or changes the role of one already on staff."""
    if role not in Role.values:
        raise _invalid("role", "invalid_role", "역할을 선택하세요.", "Choose owner, manager or agent.")
    with transaction.atomic():
        channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=(Role.OWNER,))
        user = accounts.user_get_by_email(email=str(email or "").strip().lower())
        if user is None or not user.is_active:
            raise _invalid(
                "email",
                "staff_user_not_found",
                "이 이메일로 가입한 사용자가 없습니다. 먼저 상생에 가입해 달라고 요청하세요.",
                "No account uses this email; ask them to sign up first.",
            )
        membership, created = ChannelStaff.objects.get_or_create(channel=channel, user=user, defaults={"role": role})
        if not created and membership.role != role:
            _keep_an_owner(channel, leaving=membership if role != Role.OWNER else None)
            membership.role = role
            membership.save(update_fields=["role", "updated_at"])
        _staff_changed(channel)
    return membership


def _keep_an_owner(channel: Channel, *, leaving: ChannelStaff | None) -> None:
    if leaving is None or leaving.role != Role.OWNER:
        return
    if not ChannelStaff.objects.filter(channel=channel, role=Role.OWNER).exclude(pk=leaving.pk).exists():
        raise Problem(
            code="last_owner",
            status=409,
            ko="채널에는 소유자가 한 명 이상 있어야 합니다.",
            en="A channel must keep at least one owner.",
        )


def staff_remove(*, actor: Any, channel_id: Any, staff_id: Any) -> None:
    """The owner removes a staff member; the last owner can't be removed."""
    with transaction.atomic():
        channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=(Role.OWNER,))
        membership = ChannelStaff.objects.filter(
            channel=channel, public_id=uuid_or_404(staff_id, "staff member")
        ).first()
        if membership is None:
            raise not_found("staff member")
        _keep_an_owner(channel, leaving=membership)
        membership.delete()
        _staff_changed(channel)


def _attachment_url(url: str) -> str:
    value = str(url or "").strip()
    if not value:
        return ""
    parts = urlsplit(value)
    local = value.startswith("/") and not value.startswith("//") and not parts.netloc
    if len(value) > 500 or not (local or (parts.scheme in ("http", "https") and parts.netloc)):
        raise _invalid("url", "invalid_attachment_url", "링크 주소가 올바르지 않습니다.", "The url is not valid.")
    return value


def channel_attachment_set(
    *, actor: Any, channel_id: Any, kind: str, ref: str, title: str, url: str = ""
) -> Attachment:
    """Another app (a store, a drop) links itself on the channel page; the same kind and ref updates
    the title and link. Owner or manager only. `url` is a path on this site or an http(s) link."""
    if not ATTACHMENT_KIND_RE.match(str(kind or "")):
        raise _invalid("kind", "invalid_attachment_kind", "첨부 종류가 올바르지 않습니다.", "The kind is not valid.")
    ref = str(ref or "").strip()
    if not ref or len(ref) > 200:
        raise _invalid("ref", "invalid_field", "참조 값이 올바르지 않습니다.", "The ref must be 1-200 characters.")
    clean_title = _text({"title": title}, "title", 120, required=True)
    clean_url = _attachment_url(url)
    channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=EDITORS)
    attachment, created = Attachment.objects.get_or_create(
        channel=channel, kind=kind, ref=ref, defaults={"title": clean_title, "url": clean_url}
    )
    if not created and (attachment.title, attachment.url) != (clean_title, clean_url):
        attachment.title, attachment.url = clean_title, clean_url
        attachment.save(update_fields=["title", "url", "updated_at"])
    return attachment


def channel_attachment_remove(*, actor: Any, channel_id: Any, kind: str, ref: str) -> None:
    channel = access_channel_staff(actor=actor, channel_id=channel_id, roles=EDITORS)
    Attachment.objects.filter(channel=channel, kind=kind, ref=ref).delete()
