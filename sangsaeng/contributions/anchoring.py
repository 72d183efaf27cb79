"""Anchoring a snapshot's Merkle root on chain through the chain outbox.

None of our contracts has a function for arbitrary anchors, so the relayer sends a plain
transaction to a fixed address (`COMMONS_ANCHOR_ADDRESS`, nobody's contract) with calldata
`ANCHOR_TAG || root` (4 + 32 bytes). Anyone can check the root in that transaction's input.
Once the worker sees it confirmed, `SnapshotAnchor` records the tx hash and the snapshot is anchored.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangsaeng.chain.services import transaction_enqueue
from sangsaeng.contributions.models import Snapshot, SnapshotAnchor
from sangsaeng.core.outbox import handles

# A burn-style address nobody holds a key for; data sent there is only a public record.
DEFAULT_ANCHOR_ADDRESS = "0x000000000000000000000000000000000000a11c"
# First 4 bytes of sha256("sangsaeng-commons-snapshot-v1"), so an anchor is recognisable in calldata.
ANCHOR_TAG = hashlib.sha256(b"sangsaeng-commons-snapshot-v1").hexdigest()[:8]
OPERATION = "commons.snapshot_anchor"
# 21,000 base + at most 16 gas per calldata byte (36 bytes), with headroom.
ANCHOR_GAS = 30_000


def anchor_address() -> str:
    return str(getattr(settings, "COMMONS_ANCHOR_ADDRESS", DEFAULT_ANCHOR_ADDRESS))


def anchor_calldata(root: str) -> str:
    if len(root) != 64:
        raise ValueError("a Merkle root is 32 bytes of hex")
    bytes.fromhex(root)
    return "0x" + ANCHOR_TAG + root.lower()


def root_from_calldata(data: str) -> str | None:
    """The root an anchor transaction carries, or None when `data` is not an anchor."""
    body = data[2:] if data.startswith("0x") else data
    if len(body) != 72 or not body.startswith(ANCHOR_TAG):
        return None
    return body[8:]


def snapshot_anchor(*, snapshot: Snapshot) -> SnapshotAnchor:
    """Queue the anchor transaction of `snapshot` once (idempotent by the snapshot's root)."""
    key = f"commons-anchor:{snapshot.merkle_root}"
    with transaction.atomic():
        existing = SnapshotAnchor.objects.filter(snapshot=snapshot).first()
        tx = transaction_enqueue(
            idempotency_key=key,
            operation=OPERATION,
            to_address=anchor_address(),
            data=anchor_calldata(snapshot.merkle_root),
            gas=ANCHOR_GAS,
            args=[snapshot.merkle_root],
            requested_by=snapshot.created_by,
        )
        if existing is not None:
            return existing
        return SnapshotAnchor.objects.create(
            snapshot=snapshot, idempotency_key=key, to_address=anchor_address(), chain_id=tx.chain_id
        )


@handles("snapshot_created")
def anchor_on_snapshot(payload: dict[str, Any]) -> None:
    """A new snapshot is anchored by the outbox: a chain that is down delays it (retried), never the snapshot."""
    snapshot_anchor(snapshot=Snapshot.objects.get(public_id=payload["snapshot"]))


@handles("chain_transaction_confirmed")
def anchor_confirmed(payload: dict[str, Any]) -> None:
    """Record the confirmed anchor transaction's hash on its snapshot."""
    if payload.get("operation") != OPERATION:
        return
    with transaction.atomic():
        anchor = SnapshotAnchor.objects.select_for_update().filter(idempotency_key=payload["idempotency_key"]).first()
        if anchor is None or anchor.confirmed_at is not None:
            return
        anchor.tx_hash = payload["tx_hash"]
        anchor.chain_id = payload["chain_id"]
        anchor.confirmed_at = timezone.now()
        anchor.save(update_fields=["tx_hash", "chain_id", "confirmed_at"])
        # the manifest is immutable; `anchored` is its status, so it is set without save()
        Snapshot.objects.filter(pk=anchor.snapshot_id).update(anchored=True)
