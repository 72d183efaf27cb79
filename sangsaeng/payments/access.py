"""Which payee refs a user may see: their own "user:<uuid>" plus what other apps register.

Pay knows nothing of channels or shops. The partners or commerce app registers a function for its
prefix (`payee_access_register("channel", staff_channel_refs)`) that answers which "channel:<uuid>"
refs a user works for; statements and payee-side actions are allowed only for those refs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sangsaeng.core.errors import not_found
from sangsaeng.payments.ledger import user_ref

_RESOLVERS: dict[str, Callable[[Any], set[str]]] = {}


def payee_access_register(prefix: str, fn: Callable[[Any], set[str]]) -> None:
    """Let an app say which refs with this prefix ("channel") a user may see."""
    _RESOLVERS[prefix.rstrip(":")] = fn


def payee_refs_for(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    refs = {user_ref(user)}
    for prefix, fn in _RESOLVERS.items():
        refs |= {ref for ref in fn(user) if ref.startswith(prefix + ":")}
    return refs


def payee_check(*, actor: Any, payee_ref: str, thing: str = "payee") -> None:
    """404 unless the actor may act for this payee."""
    if payee_ref not in payee_refs_for(actor):
        raise not_found(thing)


def is_operator(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))
