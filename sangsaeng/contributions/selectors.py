"""Read-side of the LM commons."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from sangsaeng.contributions.models import Contribution, Document, Snapshot
from sangsaeng.core.errors import Problem


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


def snapshot_export_lines(*, root: str) -> Iterator[str]:
    """One JSON line per accepted document of the snapshot with Merkle root `root`, in manifest order."""
    snap = Snapshot.objects.filter(merkle_root=root).first()
    if snap is None:
        raise Problem(code="not_found", status=404, ko="스냅숏을 찾을 수 없습니다.", en="Snapshot not found.")
    wanted = set(snap.hashes)
    docs = {
        d.sha256: d
        for d in Document.objects.filter(status=Contribution.Status.ACCEPTED, sha256__in=wanted).select_related(
            "contribution"
        )
    }
    for sha in snap.hashes:
        doc = docs.get(sha)
        if doc is None:
            continue
        c = doc.contribution
        yield json.dumps(
            {
                "sha256": sha,
                "text": doc.text,
                "tokens": doc.token_count,
                "licence": c.licence,
                "attribution": c.attribution,
            },
            ensure_ascii=False,
        )


def snapshot_get(*, ref: str) -> Snapshot:
    """A snapshot by its Merkle root or its public id (what `sangsaeng lm train --snapshot` takes)."""
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
        Document.objects.filter(status=Contribution.Status.ACCEPTED, sha256__in=wanted).values_list("sha256", "text")
    )
    for sha in wanted:
        if sha in texts:
            yield texts[sha]
