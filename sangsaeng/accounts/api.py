"""/api/v1 routes for the signed-in user: profile, addresses, tokens, sessions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sangsaeng.accounts import selectors, services
from sangsaeng.accounts.models import Address, User
from sangsaeng.core.errors import Problem
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["accounts"])


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


class MeOut(Schema):
    id: UUID
    email: str
    display_name: str
    phone: str
    birthdate: date | None
    gender: Literal["female", "male", ""]
    email_verified: bool
    mfa: list[str]
    date_joined: datetime


class MeIn(StrictInput):
    display_name: str = Field(..., max_length=60, examples=["김상생"])
    phone: str = Field("", max_length=20, examples=["010-1234-5678"])
    birthdate: date | None = Field(None, examples=["1990-11-17"])
    gender: Literal["female", "male", ""] | None = None


def _me(user: User) -> MeOut:
    return MeOut(
        id=user.public_id,
        email=user.email,
        display_name=user.display_name,
        phone=user.phone,
        birthdate=user.birthdate,
        gender=user.gender,  # type: ignore[arg-type]
        email_verified=selectors.email_is_verified(user=user),
        mfa=selectors.mfa_types(user=user),
        date_joined=user.date_joined,
    )


@router.get("/me", response=MeOut, summary="The signed-in user")
def me_get(request: HttpRequest) -> MeOut:
    return _me(_user(request))


@router.patch("/me", response=MeOut, summary="Update name and phone")
def me_update(request: HttpRequest, payload: MeIn) -> MeOut:
    user = services.user_update_profile(
        user=_user(request),
        display_name=payload.display_name,
        phone=payload.phone,
        birthdate=payload.birthdate,
        gender=payload.gender,
    )
    return _me(user)


class AddressOut(Schema):
    id: UUID
    name: str
    type: str
    base_address: str
    detail_address: str
    zone_number: str
    receiver_name: str
    receiver_phone_number1: str
    receiver_phone_number2: str
    is_default: bool
    updated_at: datetime


class AddressIn(StrictInput):
    name: str = Field(..., max_length=30, examples=["집"])
    type: Literal["NEW", "OLD"] = "NEW"
    base_address: str = Field(..., min_length=1, max_length=200, examples=["서울특별시 중구 세종대로 110"])
    detail_address: str = Field("", max_length=200, examples=["3층"])
    zone_number: str = Field(..., pattern=r"^\d{5}$", examples=["04524"])
    receiver_name: str = Field(..., min_length=1, max_length=30, examples=["김상생"])
    receiver_phone_number1: str = Field(..., max_length=20, examples=["010-1234-5678"])
    receiver_phone_number2: str = Field("", max_length=20)
    is_default: bool = False


class AddressPatch(StrictInput):
    name: str | None = Field(None, max_length=30)
    type: Literal["NEW", "OLD"] | None = None
    base_address: str | None = Field(None, min_length=1, max_length=200)
    detail_address: str | None = Field(None, max_length=200)
    zone_number: str | None = Field(None, pattern=r"^\d{5}$")
    receiver_name: str | None = Field(None, min_length=1, max_length=30)
    receiver_phone_number1: str | None = Field(None, max_length=20)
    receiver_phone_number2: str | None = Field(None, max_length=20)
    is_default: bool | None = None


def _address(address: Address) -> AddressOut:
    return AddressOut(
        id=address.public_id,
        name=address.name,
        type=address.type,
        base_address=address.base_address,
        detail_address=address.detail_address,
        zone_number=address.zone_number,
        receiver_name=address.receiver_name,
        receiver_phone_number1=address.receiver_phone_number1,
        receiver_phone_number2=address.receiver_phone_number2,
        is_default=address.is_default,
        updated_at=address.updated_at,
    )


@router.get("/addresses", response=list[AddressOut], summary="Shipping addresses, default first")
def address_list(request: HttpRequest) -> list[AddressOut]:
    return [_address(a) for a in selectors.address_list(user=_user(request))]


@router.post("/addresses", response={201: AddressOut}, summary="Add a shipping address")
def address_create(request: HttpRequest, payload: AddressIn) -> Status[AddressOut]:
    data = payload.model_dump(exclude={"is_default"})
    address = services.address_create(user=_user(request), data=data, is_default=payload.is_default)
    return Status(201, _address(address))


@router.get("/addresses/{address_id}", response=AddressOut, summary="One shipping address")
def address_get(request: HttpRequest, address_id: UUID) -> AddressOut:
    return _address(services.access_address(actor=_user(request), address_id=address_id))


@router.patch("/addresses/{address_id}", response=AddressOut, summary="Change a shipping address")
def address_update(request: HttpRequest, address_id: UUID, payload: AddressPatch) -> AddressOut:
    data = payload.model_dump(exclude_unset=True, exclude_none=True)
    return _address(services.address_update(actor=_user(request), address_id=address_id, data=data))


@router.post("/addresses/{address_id}/default", response=AddressOut, summary="Make it the default")
def address_set_default(request: HttpRequest, address_id: UUID) -> AddressOut:
    return _address(services.address_set_default(actor=_user(request), address_id=address_id))


@router.delete("/addresses/{address_id}", response={204: None}, summary="Remove a shipping address")
def address_delete(request: HttpRequest, address_id: UUID) -> Status[None]:
    services.address_delete(actor=_user(request), address_id=address_id)
    return Status(204, None)


class AccessTokenOut(Schema):
    id: UUID
    label: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


class AccessTokenCreated(AccessTokenOut):
    token: str = Field(..., description="The secret. It is shown only in this response.")


class AccessTokenIn(StrictInput):
    label: str = Field(..., min_length=1, max_length=60, examples=["내 스크립트"])
    expires_in_days: int | None = Field(None, ge=1, le=3650)


def _token(token: object) -> dict[str, object]:
    return {
        "id": token.public_id,  # type: ignore[attr-defined]
        **{k: getattr(token, k) for k in ("label", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")},
    }


@router.get("/tokens", response=list[AccessTokenOut], summary="Personal access tokens")
def token_list(request: HttpRequest) -> list[dict[str, object]]:
    return [_token(t) for t in selectors.token_list(user=_user(request))]


@router.post("/tokens", response={201: AccessTokenCreated}, summary="Create a personal access token")
def token_create(request: HttpRequest, payload: AccessTokenIn) -> Status[dict[str, object]]:
    token, secret = services.token_create(
        user=_user(request), label=payload.label, expires_in_days=payload.expires_in_days, request=request
    )
    return Status(201, {**_token(token), "token": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke a token")
def token_revoke(request: HttpRequest, token_id: UUID) -> Status[None]:
    services.token_revoke(actor=_user(request), token_id=token_id, request=request)
    return Status(204, None)


class SessionOut(Schema):
    id: int
    ip: str
    user_agent: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


@router.get("/sessions", response=list[SessionOut], summary="Signed-in browser sessions")
def session_list(request: HttpRequest) -> list[SessionOut]:
    current_key = request.session.session_key if hasattr(request, "session") else None
    return [
        SessionOut(
            id=s.pk,
            ip=s.ip,
            user_agent=s.user_agent,
            created_at=s.created_at,
            last_seen_at=s.last_seen_at,
            current=s.session_key == current_key,
        )
        for s in selectors.session_list(user=_user(request))
    ]


@router.delete("/sessions/{session_id}", response={204: None}, summary="Sign a session out")
def session_revoke(request: HttpRequest, session_id: int) -> Status[None]:
    services.session_revoke(actor=_user(request), session_id=session_id, request=request)
    return Status(204, None)


class DeleteIn(StrictInput):
    password: str = Field(..., max_length=200)
    confirm: Literal["DELETE"]


@router.post("/me/delete", response={204: None}, summary="Delete the account (needs the password)")
def me_delete(request: HttpRequest, payload: DeleteIn) -> Status[None]:
    user = _user(request)
    if not user.check_password(payload.password):
        raise Problem(
            code="wrong_password",
            status=403,
            ko="비밀번호가 맞지 않습니다.",
            en="The password is wrong.",
            field="password",
        )
    services.user_delete(user=user, request=request)
    return Status(204, None)
