"""Read-side of the LM commons."""

from __future__ import annotations

from typing import Any

from sangsaeng.contributions.exports import (
    snapshot_anchor_info,
    snapshot_export_lines,
    snapshot_export_parquet,
    snapshot_get,
    snapshot_manifest,
)
from sangsaeng.contributions.models import Contribution, Document, Snapshot
from sangsaeng.contributions.takedown import shares_frozen_by_owner, takedown_queue
from sangsaeng.core.errors import Problem

__all__ = [
    "contribution_documents",
    "contribution_get",
    "contribution_list",
    "shares_frozen_by_owner",
    "snapshot_anchor_info",
    "snapshot_export_lines",
    "snapshot_export_parquet",
    "snapshot_get",
    "snapshot_list",
    "snapshot_manifest",
    "takedown_queue",
]


def contribution_list(*, owner: Any) -> list[Contribution]:
    return list(Contribution.objects.filter(owner=owner).order_by("-created_at")[:200])


def contribution_get(*, owner: Any, public_id: Any) -> Contribution:
    """The owner's contribution; anyone else gets 404."""
    found = Contribution.objects.filter(owner=owner, public_id=public_id).first()
    if found is None:
        raise Problem(code="not_found", status=404, ko="기여를 찾을 수 없습니다.", en="Contribution not found.")
    return found


def contribution_documents(*, contribution: Contribution) -> list[Document]:
    return list(contribution.documents.order_by("index"))


def snapshot_list() -> list[Snapshot]:
    return list(Snapshot.objects.order_by("-created_at")[:50])
