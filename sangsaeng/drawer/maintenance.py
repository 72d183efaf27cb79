"""The Drawer's periodic job: purge trash past its 30 days and drop expired tus uploads."""

from __future__ import annotations


def drawer_sweep() -> dict[str, int]:
    from sangsaeng.drawer.services import trash_purge_expired
    from sangsaeng.drawer.tus import uploads_expire

    return {"trash_purged": trash_purge_expired(), "uploads_expired": uploads_expire()}
