"""Outbox handlers: the vault follows the platform account it belongs to."""

from __future__ import annotations

from typing import Any

from sangsaeng.accounts.selectors import user_get
from sangsaeng.core.outbox import handles
from sangsaeng.vault import selectors, services


@handles("account_deleted")
def vault_erase_on_account_deleted(payload: dict[str, Any]) -> None:
    """A deleted platform account takes its vault with it (idempotent: a second run finds none)."""
    user = user_get(public_id=payload.get("user_id"))
    account = selectors.account_for_user(user=user) if user is not None else None
    if account is not None:
        services.account_delete(account=account, login_hash=None, verified=True)
