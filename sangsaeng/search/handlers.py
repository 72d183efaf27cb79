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


# Kinds whose apps emit no event when they change (partners' channels, posts sent to nobody, drops
# and artworks): the worker re-reads them at most every REFRESH_SECONDS.
UNEVENTFUL_KINDS = ("channel", "post", "drop", "artwork")
REFRESH_SECONDS = 900


def search_public_refresh() -> dict[str, int] | None:
    """Periodic job: reindex the uneventful kinds (new ones appear, cancelled ones leave)."""
    from django.core.cache import cache

    from sangsaeng.search.indexing import reindex

    if not cache.add("search:public_refresh", 1, timeout=REFRESH_SECONDS):
        return None
    return dict(reindex(kinds=UNEVENTFUL_KINDS)["documents"])
