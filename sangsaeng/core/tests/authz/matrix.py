"""The whole matrix, and how B calls a route on each interface."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.tests.authz import bodies
from sangsaeng.core.tests.authz.entries import ADMIN, Exempt, Obj
from sangsaeng.core.tests.authz.pages import ALLAUTH, PAGES
from sangsaeng.core.tests.authz.protocols import OIDC, OPENAI, TUS, VAULT, WEBDAV
from sangsaeng.core.tests.authz.rest import REST
from sangsaeng.core.tests.authz.routes import Route, resolver_routes


def admin_routes() -> list[str]:
    return [route for route in resolver_routes() if route.startswith("admin/")]


MATRIX: dict[str, Any] = {
    **REST,
    **PAGES,
    **ALLAUTH,
    **VAULT,
    **WEBDAV,
    **TUS,
    **OPENAI,
    **OIDC,
    **{route: Exempt(ADMIN) for route in admin_routes()},
}


def client_for(world: Any, interface: str) -> Any:
    """B, signed in the way this interface signs callers in."""
    return {
        "rest": lambda: world.rest_b,
        "html": lambda: world.page_b,
        "allauth": lambda: world.page_b_reauthenticated,
        "vault": lambda: world.vault_b,
        "webdav": lambda: world.dav_b,
        "tus": lambda: world.tus_b,
        "oidc": lambda: Client(),
    }[interface]()


def _path(route: Route, params: dict[str, str]) -> str:
    import re

    if route.interface == "rest":
        path = route.key.split(" ", 1)[1]
        return re.sub(r"\{(\w+)\}", lambda m: params[m.group(1)], path)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: params[m.group(1)], route.key)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: params[m.group(1)], path)
    return "/" + path.lstrip("^").rstrip("$").replace("^", "")


from django.test import Client  # noqa: E402


def call(client: Any, route: Route, method: str, params: dict[str, str], body: Any, entry: Obj) -> Any:
    path = _path(route, params)
    if entry.files:
        data = {name: bodies.FILES[kind]() for name, kind in entry.files.items()}
        return client.generic(method, path, **_multipart(data)) if method != "POST" else _post_files(client, path, data)
    if route.interface == "webdav":
        extra = {"HTTP_DESTINATION": "/dav/moved.jpg"} if method in ("MOVE", "COPY") else {}
        return client.generic(method, path, **extra)
    if route.interface == "tus":
        extra = {"HTTP_UPLOAD_OFFSET": "0"} if method == "PATCH" else {}
        return client.generic(method, path, b"12345", "application/offset+octet-stream", **extra)
    if route.interface == "vault":
        import json

        return client.generic(method, path, json.dumps(body or {}), "application/json", headers=client._auth(None))
    if route.interface == "oidc":
        return client.post(path, body)
    handler = getattr(client, method.lower())
    if route.interface == "rest":
        headers = {"Idempotency-Key": "matrix-b"}
        return handler(path, body, headers=headers) if method != "GET" else handler(path, headers=headers)
    if method == "GET":
        return client.get(path, body or {})
    return handler(path, body or {}) if method == "POST" else client.generic(method, path)


def _post_files(client: Any, path: str, data: dict[str, Any]) -> Any:
    from django.test import Client

    return Client.post(client, path, data, headers=client._headers(None) if hasattr(client, "_headers") else None)


def _multipart(data: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, data), "content_type": MULTIPART_CONTENT}
