"""Read-side of the LM commons."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

from sangsaeng.contributions import exports
from sangsaeng.contributions.exports import (
    snapshot_anchor_info,
    snapshot_export_lines,
    snapshot_export_parquet,
    snapshot_manifest,
)
from sangsaeng.contributions.models import Contribution, Document, Snapshot
from sangsaeng.contributions.statements import (
    access_statement,
    distribution_list,
    shares_display,
    statement_list,
    statements_csv,
)
from sangsaeng.contributions.takedown import shares_frozen_by_owner, takedown_queue
from sangsaeng.core.errors import Problem

__all__ = [
    "access_statement",
    "contribution_documents",
    "contribution_get",
    "contribution_list",
    "distribution_list",
    "shares_display",
    "shares_frozen_by_owner",
    "snapshot_anchor_info",
    "snapshot_export_lines",
    "snapshot_export_parquet",
    "snapshot_get",
    "snapshot_list",
    "snapshot_manifest",
    "statement_list",
    "statements_csv",
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


def snapshot_get(*, ref: str = "", root: str = "") -> Snapshot:
    """A snapshot by its Merkle root or its public id (what `sangsaeng lm train --snapshot` takes);
    with `root`, by its Merkle root only (the export URLs)."""
    if root:
        return exports.snapshot_get(root=root)
    ref = ref.strip().lower()
    found = None
    if len(ref) == 64:
        found = Snapshot.objects.filter(merkle_root=ref).first()
    else:
        try:
            public_id = uuid.UUID(ref)
        except ValueError:
            public_id = None
        if public_id is not None:
            found = Snapshot.objects.filter(public_id=public_id).first()
    if found is None:
        raise Problem(code="not_found", status=404, ko="스냅숏을 찾을 수 없습니다.", en=f"Snapshot {ref!r} not found.")
    return found


def snapshot_documents(*, snapshot: Snapshot) -> Iterator[str]:
    """The texts of the snapshot's documents that are still accepted, in manifest order (a document
    taken down after the snapshot was made is left out)."""
    wanted = list(snapshot.hashes)
    texts = dict(
        Document.objects.filter(
            status=Contribution.Status.ACCEPTED, sha256__in=wanted, contribution__removed_at__isnull=True
        ).values_list("sha256", "text")
    )
    for sha in wanted:
        if sha in texts:
            yield texts[sha]
