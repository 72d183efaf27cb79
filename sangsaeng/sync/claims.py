"""Which scope and claims each consent item covers, and the user's values for them.

A claim leaves the provider only when three things hold at the moment of the request: the token
carries the item's scope, the partner asks for the item, and the user's consent to it is live.
Data the account does not hold (a birth date or gender the user never entered, a profile picture)
is never invented: those claims are simply absent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone

from sangsaeng.accounts import selectors as accounts
from sangsaeng.sync.models import ConsentItem


@dataclass(frozen=True)
class ItemSpec:
    scope: str
    claims: tuple[str, ...]


ITEMS: dict[str, ItemSpec] = {
    ConsentItem.PROFILE: ItemSpec("profile", ("nickname", "picture")),
    ConsentItem.NAME: ItemSpec("profile", ("name",)),
    ConsentItem.EMAIL: ItemSpec("email", ("email", "email_verified")),
    ConsentItem.PHONE: ItemSpec("phone", ("phone_number",)),
    ConsentItem.BIRTHDAY: ItemSpec("profile", ("birthdate", "birthyear")),
    ConsentItem.AGE_RANGE: ItemSpec("profile", ("age_range",)),
    ConsentItem.GENDER: ItemSpec("profile", ("gender",)),
    ConsentItem.SHIPPING_ADDRESS: ItemSpec("shipping_address", ()),
}

SCOPES = {
    "openid": "OpenID Connect 로그인",
    "profile": "프로필 (닉네임, 이름, 생일, 연령대, 성별)",
    "email": "이메일",
    "phone": "전화번호",
    "shipping_address": "배송지",
}

# The scope each item needs, for items named in `sangsaeng sync apps create --scopes`.
SCOPE_ITEMS: dict[str, list[str]] = {}
for _item, _spec in ITEMS.items():
    SCOPE_ITEMS.setdefault(_spec.scope, []).append(str(_item))


def pairwise_sub(*, sector: str, user_public_id: Any) -> str:
    """OIDC Core §8.1 pairwise subject: HMAC(secret, sector ‖ user), so partners can't correlate.

    The sector is the partner's client id. Stable for a user and partner, unlinkable across
    partners, and reversible only through a link row that holds both ids.
    """
    key = hashlib.sha256(b"sangsaeng-sync-pairwise:" + settings.SECRET_KEY.encode()).digest()
    mac = hmac.new(key, f"{sector}:{user_public_id}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac[:24]).decode().rstrip("=")


def item_values(*, user: Any, item: str) -> dict[str, Any]:
    """The user's data for one item; empty values are left out rather than sent blank."""
    values: dict[str, Any] = {}
    if item == ConsentItem.PROFILE:
        values["nickname"] = user.display_name or user.email.split("@")[0]
    elif item == ConsentItem.NAME and user.display_name:
        values["name"] = user.display_name
    elif item == ConsentItem.EMAIL:
        values["email"] = user.email
        values["email_verified"] = accounts.email_is_verified(user=user)
    elif item == ConsentItem.PHONE and user.phone:
        values["phone_number"] = user.phone
    elif item == ConsentItem.BIRTHDAY and user.birthdate:
        values["birthdate"] = user.birthdate.isoformat()  # OIDC Core: YYYY-MM-DD
        values["birthyear"] = str(user.birthdate.year)
    elif item == ConsentItem.AGE_RANGE and user.birthdate:
        values["age_range"] = age_range(birthdate=user.birthdate, today=timezone.localdate())
    elif item == ConsentItem.GENDER and user.gender:
        values["gender"] = user.gender  # OIDC Core: "female" or "male"
    return values


def age_range(*, birthdate: date, today: date) -> str:
    """Kakao Sync's bands: 1~9, 10~14, 15~19, 20~29 … 80~89, 90~ (full years of age)."""
    age = today.year - birthdate.year - ((today.month, today.day) < (birthdate.month, birthdate.day))
    if age < 10:
        return "1~9"
    if age < 15:
        return "10~14"
    if age < 20:
        return "15~19"
    if age >= 90:
        return "90~"
    low = age // 10 * 10
    return f"{low}~{low + 9}"


def claims_for(*, user: Any, scopes: set[str], granted: set[str], asked: dict[str, str]) -> dict[str, Any]:
    """Claims per scope and per live consent, plus `<item>_needs_agreement` for every asked item."""
    claims: dict[str, Any] = {}
    for item in asked:
        spec = ITEMS.get(item)
        if spec is None:
            continue
        claims[f"{item}_needs_agreement"] = item not in granted
        if item in granted and spec.scope in scopes:
            claims.update(item_values(user=user, item=item))
    return claims
