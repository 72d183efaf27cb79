"""ASGI entry: WebSockets only. Plain HTTP is served by the WSGI workers (see ARCHITECTURE.md)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
django_asgi = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from sangsaeng.core.channel_layers import BRIDGE_PATH, bridge_app  # noqa: E402
from sangsaeng.routing import websocket_urlpatterns  # noqa: E402


async def http_app(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["path"] == BRIDGE_PATH:
        await bridge_app(scope, receive, send)
    else:
        await django_asgi(scope, receive, send)


application = ProtocolTypeRouter(
    {
        "http": http_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
