"""The navigation grows as capabilities land: each app registers its entries in `AppConfig.ready`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    icon: str
    order: int = 100
    requires_login: bool = True


_ITEMS: dict[str, NavItem] = {}


def nav_register(item: NavItem) -> None:
    _ITEMS[item.key] = item


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the entries this visitor may see, with the active one marked."""
    signed_in = request.user.is_authenticated
    entries = []
    for item in sorted(_ITEMS.values(), key=lambda i: (i.order, i.key)):
        if item.requires_login and not signed_in:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and request.path.startswith(url))
        entries.append({"key": item.key, "label": item.label, "url": url, "icon": item.icon, "active": active})
    return {"nav_items": entries, "websocket_url": websocket_url(request)}


def websocket_url(request: HttpRequest) -> str:
    """Where pages open their WebSocket: WEBSOCKET_URL, or the ASGI port on the same host.

    An HTTPS page can't open plain ws://, so without a configured URL (nginx joining both under
    one origin) HTTPS pages go without live updates.
    """
    if settings.WEBSOCKET_URL:
        return settings.WEBSOCKET_URL.rstrip("/") + "/ws/notifications/"
    if request.is_secure():
        return ""
    host = request.get_host().rsplit(":", 1)[0] if not request.get_host().endswith("]") else request.get_host()
    return f"ws://{host}:{settings.WS_PORT}/ws/notifications/"
