"""Snapshot downloads: the manifest (JSON), the documents as JSONL (streamed) and as Parquet (DuckDB).

pyarrow is not in requirements.lock, so Parquet is written by DuckDB's `COPY ... TO` from the JSONL.
A document of a contribution removed after the snapshot was taken stays in the manifest (the
snapshot is immutable) but its text is no longer handed out.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb

from sangsaeng.contributions.models import Contribution, Document, Snapshot, SnapshotAnchor
from sangsaeng.core.errors import Problem

MERKLE_ALGORITHM = "sha256; leaves are the sorted document hashes; an odd node is paired with itself"
PARQUET_COLUMNS = {
    "sha256": "VARCHAR",
    "text": "VARCHAR",
    "tokens": "BIGINT",
    "licence": "VARCHAR",
    "attribution": "VARCHAR",
}


def snapshot_get(*, root: str) -> Snapshot:
    snap = Snapshot.objects.filter(merkle_root=(root or "").lower()).first()
    if snap is None:
        raise Problem(code="not_found", status=404, ko="스냅숏을 찾을 수 없습니다.", en="Snapshot not found.")
    return snap


def snapshot_anchor_info(*, snapshot: Snapshot) -> dict[str, Any] | None:
    anchor = SnapshotAnchor.objects.filter(snapshot=snapshot).first()
    if anchor is None:
        return None
    return {
        "status": "confirmed" if anchor.confirmed_at else "pending",
        "tx_hash": anchor.tx_hash or None,
        "chain_id": anchor.chain_id,
        "to_address": anchor.to_address,
        "confirmed_at": anchor.confirmed_at.isoformat() if anchor.confirmed_at else None,
    }


def snapshot_manifest(*, root: str) -> dict[str, Any]:
    snap = snapshot_get(root=root)
    return {
        "merkle_root": snap.merkle_root,
        "algorithm": MERKLE_ALGORITHM,
        "document_count": snap.document_count,
        "token_count": snap.token_count,
        "created_at": snap.created_at.isoformat(),
        "hashes": list(snap.hashes),
        "anchor": snapshot_anchor_info(snapshot=snap),
    }


def snapshot_export_lines(*, root: str) -> Iterator[str]:
    """One JSON line per available document of the snapshot, in manifest order."""
    snap = snapshot_get(root=root)
    hashes: list[str] = list(snap.hashes)
    for start in range(0, len(hashes), 500):
        chunk = hashes[start : start + 500]
        docs = {
            d.sha256: d
            for d in Document.objects.filter(
                status=Contribution.Status.ACCEPTED, sha256__in=chunk, contribution__removed_at__isnull=True
            ).select_related("contribution")
        }
        for sha in chunk:
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


def snapshot_export_parquet(*, root: str, directory: Path | None = None) -> Path:
    """Write the snapshot's documents as a Parquet file and return its path (the caller deletes it)."""
    root = snapshot_get(root=root).merkle_root  # 404 before any file is made; only stored hex from here on
    workdir = Path(tempfile.mkdtemp(prefix="commons-export-", dir=directory))
    source = workdir / "docs.jsonl"
    with source.open("w", encoding="utf-8") as fh:
        for line in snapshot_export_lines(root=root):
            fh.write(line + "\n")
    target = workdir / f"snapshot-{root[:16]}.parquet"
    columns = "{" + ", ".join(f"'{k}': '{v}'" for k, v in PARQUET_COLUMNS.items()) + "}"
    with duckdb.connect() as con:
        # the target is our own temporary path and the columns are constants; the source is a parameter
        sql = (
            f"COPY (SELECT * FROM read_json(?, format='newline_delimited', columns={columns})) "  # noqa: S608
            f"TO '{target}' (FORMAT parquet)"
        )
        con.execute(
            sql,
            [str(source)],
        )
    source.unlink()
    return target
