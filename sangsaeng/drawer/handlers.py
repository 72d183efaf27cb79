"""The Drawer's handlers of other apps' domain events."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.selectors import user_get
from sangsaeng.core.outbox import handles
from sangsaeng.drawer.erase import drawer_erase


@handles("account_deleted")
def erase_deleted_account(payload: dict[str, Any]) -> None:
    """A deleted account's photos, videos and files are erased, bytes included (idempotent)."""
    user = user_get(public_id=payload["user_id"])
    if user is not None:
        drawer_erase(owner=user)
