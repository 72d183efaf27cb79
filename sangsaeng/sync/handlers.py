"""Sync's reactions to other apps' domain events (through the core outbox)."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts import selectors as accounts
from sangsaeng.core.outbox import handles
from sangsaeng.sync import services


@handles("account_deleted")
def unlink_deleted_account(payload: dict[str, Any]) -> None:
    """A deleted account is unlinked from every partner, each told with an `account_deleted` webhook."""
    user = accounts.user_get(public_id=payload.get("user_id"))
    if user is not None:
        services.links_unlink_all(user=user, reason="account_deleted")
