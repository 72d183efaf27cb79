"""The search app's handlers of other apps' events (providers' own events are wired by the registry)."""

from __future__ import annotations

from typing import Any

from sangsaeng.core.outbox import handles
from sangsaeng.search.backends import backend
from sangsaeng.search.models import Document


@handles("account_deleted")
def search_forget_deleted_account(payload: dict[str, Any]) -> None:
    """A deleted account's documents leave the index (rows cascade; the FTS5 table is swept)."""
    Document.objects.filter(owner__public_id=payload["user_id"]).delete()
    backend().vacuum()
