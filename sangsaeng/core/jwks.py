"""The platform-wide JWK Set at /.well-known/jwks.json.

Several apps sign things: Sync signs ID tokens (RS256), identity signs credentials (ES256). Each
registers where its public keys come from, and one document publishes them all; verifiers pick a
key by `kid`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse

_SOURCES: dict[str, Callable[[], dict[str, Any]]] = {}


def jwks_register(name: str, source: Callable[[], dict[str, Any]]) -> None:
    _SOURCES[name] = source


def jwks_all() -> dict[str, list[dict[str, Any]]]:
    keys: list[dict[str, Any]] = []
    seen: set[str] = set()
    for source in _SOURCES.values():
        for key in source().get("keys", []):
            kid = str(key.get("kid", ""))
            if kid and kid in seen:
                continue
            seen.add(kid)
            keys.append(key)
    return {"keys": keys}


def jwks_view(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(jwks_all())
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=300"
    return response
