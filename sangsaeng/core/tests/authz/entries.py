"""The two kinds of matrix entry, and the exemption reasons, grouped."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

# Why a route needs no object check. Each exemption names one of these and may add detail.
OWN = "own: lists, creates or changes only the caller's own rows (request.user), never by another id"
PUBLIC = "public: serves published content to anyone by design"
STATIC = "static: discovery documents, keys, schema, docs or language switch"
AUTH = "sign-in: a credential flow that acts on the signing-in account only"
ADMIN = "admin: Django admin, staff only (AdminSite.admin_view); checked below by test_admin_refuses_user_b"
CAPABILITY = "capability URL: the unguessable secret in the URL is the permission (share links, tag codes)"


@dataclass(frozen=True)
class Exempt:
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Obj:
    """An object route: A's `thing` fills the path (and body); B must get `expect`, nothing changed.

    `params` maps a path parameter to a dotted attribute of the World (`card.public_id`); `body`
    values that start with `@` are dotted attributes too. `methods` is for resolver routes (the REST
    API's operations carry their own)."""

    params: dict[str, str] = field(default_factory=dict)
    methods: tuple[str, ...] = ("GET", "POST")
    body: dict[str, Any] | None = None
    files: dict[str, str] | None = None
    expect: tuple[int, ...] = (404,)
    why: str = ""
    prepare: tuple[str, ...] = ()  # World attributes to make before the snapshot (B's own setup)


def obj(
    _methods: tuple[str, ...] = ("GET", "POST"), *, body=None, files=None, expect=(404,), why="", prepare=(), **params
) -> Obj:
    return Obj(params=params, methods=_methods, body=body, files=files, expect=expect, why=why, prepare=prepare)


def resolve(world: Any, value: Any) -> Any:
    """`@card.public_id` (or a dotted name in params) read off the world; other values as they are."""
    if isinstance(value, str) and value.startswith("@"):
        found = attrgetter(value[1:])(world)
        return found if isinstance(found, int | str | dict | list | None) else str(found)
    if isinstance(value, dict):
        return {k: resolve(world, v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(world, v) for v in value]
    return value
