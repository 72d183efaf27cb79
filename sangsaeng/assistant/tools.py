"""The assistant's tools: read-only views of the user's own data through other apps' selectors.

Each tool runs as the asking user and returns plain data (dicts of strings and numbers). None of them
touches the vault or moves money; reminder and draft_message only propose a pending action (see
`actions`), which the user confirms or cancels before anything is scheduled or sent. Tool output is
data for phrasing, never re-planned.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from sangsaeng.core.errors import Problem

MAX_ROWS = 10


class ToolError(Exception):
    """A tool could not answer; `message` is Korean and safe to show."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code)
        self.code, self.message = code, message


def _day(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ToolError("bad_date", _("날짜를 이해하지 못했어요.")) from exc


def find_photos(user: Any, *, date_from: Any = None, date_to: Any = None, place: str = "") -> dict[str, Any]:
    from sangsaeng.drawer.selectors import TimelineFilters, timeline_page

    items: list[Any] = []
    for kind in ("image", "video"):
        filters = TimelineFilters(kind=kind, place=place or "", date_from=_day(date_from), date_to=_day(date_to))
        items += timeline_page(owner=user, filters=filters, limit=MAX_ROWS)[0]
    items.sort(key=lambda i: i.sort_at, reverse=True)
    return {
        "rows": [
            {
                "name": i.name,
                "place": i.place,
                "at": timezone.localtime(i.sort_at).date().isoformat(),
                "url": f"/drawer/item/{i.public_id}",
            }
            for i in items[:MAX_ROWS]
        ]
    }


def find_files(user: Any, *, name: str = "") -> dict[str, Any]:
    from sangsaeng.drawer.selectors import TimelineFilters, timeline_page

    if not name.strip():
        raise ToolError("no_name", _("어떤 파일을 찾을지 알려 주세요."))
    words = name.lower().split()
    rows: list[dict[str, Any]] = []
    before = None
    for _page in range(20):  # at most 1,200 files scanned: a name filter the selector lacks
        items, before = timeline_page(owner=user, filters=TimelineFilters(), before=before, limit=60)
        for item in items:
            if all(w in item.name.lower().replace(" ", "") or w in item.name.lower() for w in words):
                rows.append(
                    {"name": item.name, "at": item.sort_at.date().isoformat(), "url": f"/drawer/item/{item.public_id}"}
                )
        if before is None or len(rows) >= MAX_ROWS:
            break
    return {"rows": rows[:MAX_ROWS]}


def find_card(user: Any, *, name: str = "") -> dict[str, Any]:
    from sangsaeng.business_cards.selectors import book_list

    if not name.strip():
        raise ToolError("no_name", _("누구의 명함을 찾을지 알려 주세요."))
    rows = []
    for entry in book_list(holder=user, query=name)[:MAX_ROWS]:
        card = entry.card
        shown = set(card.visible_fields)
        rows.append(
            {
                "name": card.name,
                "company": card.company if "company" in shown else "",
                "title": card.title if "title" in shown else "",
                "phones": card.phones if "phones" in shown else [],
                "email": card.email if "email" in shown else "",
            }
        )
    return {"rows": rows}


def my_orders(user: Any, *, status: str = "") -> dict[str, Any]:
    from sangsaeng.commerce.selectors import orders_for_buyer

    orders = orders_for_buyer(user=user)
    if status:
        orders = orders.filter(status=status)
    return {
        "rows": [
            {
                "number": o.number,
                "store": o.store.name,
                "status": o.get_status_display(),
                "total": o.total,
                "items": [line.title for line in o.lines.all()][:3],
                "courier": o.courier,
                "tracking_number": o.tracking_number,
            }
            for o in orders.order_by("-created_at")[:MAX_ROWS]
        ]
    }


def search_products(user: Any, *, query: str = "") -> dict[str, Any]:
    from sangsaeng.search.services import search

    if not query.strip():
        raise ToolError("no_query", _("어떤 상품을 찾을지 알려 주세요."))
    results = search(user=user, q=query, kinds=("product",), limit=MAX_ROWS)
    return {"rows": [{"title": h.title, "price": h.price, "url": h.url, "text": h.snippet} for h in results.hits]}


def verify_passport(user: Any, *, code: str = "") -> dict[str, Any]:
    from sangsaeng.authenticity.selectors import passport_get

    digits = re.sub(r"\D", "", code or "")
    if not digits or len(digits) > 18:
        raise ToolError("no_code", _("확인할 정품 인증 번호(숫자)를 알려 주세요."))
    try:
        passport = passport_get(token_id=int(digits))
    except Problem:
        return {"rows": [], "verdict": "unknown"}
    return {
        "verdict": "registered",
        "rows": [
            {
                "token_id": passport.token_id,
                "brand": passport.brand.name,
                "product": passport.product_name,
                "serial": passport.serial,
                "state": passport.get_state_display(),
                "url": f"/authenticity/p/{passport.token_id}",
            }
        ],
    }


def my_collection(user: Any) -> dict[str, Any]:
    from sangsaeng.drops.selectors import collection

    return {
        "rows": [
            {
                "title": e.drop.title,
                "number": e.number,
                "creator": str(e.drop.creator),
                "status": e.get_status_display(),
            }
            for e in collection(user=user)[:MAX_ROWS]
        ]
    }


def channel_summary(user: Any, *, channel: str = "") -> dict[str, Any]:
    from sangsaeng.partners.selectors import channel_for_handle, follows_of, post_text, posts_public

    wanted = (channel or "").strip().lstrip("@").lower()
    if not wanted:
        raise ToolError("no_channel", _("어느 채널인지 알려 주세요."))
    found = None
    for follow in follows_of(user):
        if wanted in (follow.channel.handle.lower(), follow.channel.name.lower().replace(" ", "")):
            found = follow.channel
            break
    if found is None:
        try:
            found = channel_for_handle(wanted)
        except Problem:
            raise ToolError("no_channel", _("'%(name)s' 채널을 찾지 못했어요.") % {"name": channel}) from None
    posts = list(posts_public(channel=found, limit=5))
    return {
        "channel": found.name,
        "rows": [
            {"at": p.first_sent_at.date().isoformat() if p.first_sent_at else "", "text": post_text(p)[:300]}
            for p in posts
        ],
    }


def reminder(user: Any, *, at: Any = None, text: str = "", now: datetime | None = None) -> dict[str, Any]:
    """Proposes a reminder (pending); it is scheduled only when the user confirms it."""
    from sangsaeng.assistant import actions

    if not at:
        raise ToolError("no_time", _("언제 알려 드릴지 시간을 말씀해 주세요."))
    try:
        when = datetime.fromisoformat(str(at))
    except ValueError as exc:
        raise ToolError("bad_time", _("시간을 이해하지 못했어요.")) from exc
    if timezone.is_naive(when):
        when = timezone.make_aware(when)
    try:
        action = actions.reminder_propose(user=user, at=when, text=text or _("알림"), now=now)
    except actions.Unavailable as exc:
        raise ToolError(exc.code, exc.message) from None
    return {"rows": [actions.action_dict(action)], "pending_confirmation": True}


def draft_message(user: Any, *, to: str = "", text: str = "", now: datetime | None = None) -> dict[str, Any]:
    """Proposes a message to one of the user's conversations (pending); sent only when confirmed."""
    from sangsaeng.assistant import actions

    if not to:
        raise ToolError("no_recipient", _("누구에게 보낼지 알려 주세요."))
    body = text.strip()
    if body and not re.search(r"[.!?요다]$", body):
        body += "."
    try:
        action = actions.draft_propose(user=user, to=to, text=body, now=now)
    except actions.Unavailable as exc:
        raise ToolError(exc.code, exc.message) from None
    return {"rows": [actions.action_dict(action)], "pending_confirmation": True}


# tools that propose an action (which expires) and so are told the moment the request was planned at
PROPOSING = frozenset({"reminder", "draft_message"})
TOOLS: dict[str, Callable[..., dict[str, Any]]] = {
    "find_photos": find_photos,
    "find_files": find_files,
    "find_card": find_card,
    "my_orders": my_orders,
    "search_products": search_products,
    "verify_passport": verify_passport,
    "my_collection": my_collection,
    "channel_summary": channel_summary,
    "reminder": reminder,
    "draft_message": draft_message,
}
