"""Enumerate every route the platform serves: Django's resolver, walked through every include, and
every operation of the REST API's OpenAPI document."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

REST_PREFIX = "api/v1/"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    key: str
    interface: str


def interface_of(route: str) -> str:
    """Which interface a resolver route belongs to, by its prefix."""
    for prefix, name in (
        ("vault/identity/", "vault"),
        ("vault/api/", "vault"),
        ("vault/attachments/", "vault"),
        ("dav", "webdav"),
        ("files/", "tus"),
        ("v1/", "openai"),
        (".well-known/openid-configuration", "oidc"),
        ("oauth/", "oidc"),
        ("admin/", "admin"),
        ("accounts/", "allauth"),
    ):
        if route.startswith(prefix):
            return name
    return "html"


def _walk(patterns: list, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_walk(pattern.url_patterns, prefix + str(pattern.pattern)))
        else:
            found.append((prefix + str(pattern.pattern), pattern))
    return found


def resolver_routes() -> list[str]:
    """Every route string in the URL configuration, in order, each once."""
    seen: dict[str, None] = {}
    for route, _pattern in _walk(get_resolver().url_patterns):
        seen.setdefault(route, None)
    return list(seen)


def _ninja_path(route: str) -> str:
    """`api/v1/cards/<card_id>` (the resolver's form, converters included) as `/api/v1/cards/{card_id}`."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def openapi_operations() -> list[str]:
    """Every operation of /api/v1/openapi.json as `METHOD /api/v1/path`."""
    from sangsaeng.api import api

    schema = api.get_openapi_schema(path_prefix="/" + REST_PREFIX)
    return [
        f"{method.upper()} {path}"
        for path, operations in schema["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    ]


def rest_paths_from_resolver() -> set[str]:
    """The REST API's paths as the resolver serves them, in OpenAPI form."""
    return {_ninja_path(route) for route in resolver_routes() if route.startswith(REST_PREFIX)}


def all_routes() -> list[Route]:
    """The routes the matrix must cover: REST operations, and every other resolver route."""
    operations = openapi_operations()
    documented = {op.split(" ", 1)[1] for op in operations}
    routes = [Route(op, "rest") for op in operations]
    for route in resolver_routes():
        if not route.startswith(REST_PREFIX):
            routes.append(Route(route, interface_of(route)))
        elif _ninja_path(route) not in documented:
            routes.append(Route(route, "rest"))  # the API's own pages: the schema, its docs, its root
    return routes
