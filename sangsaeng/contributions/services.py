"""Public operations of the LM commons: contribute text, process it (background), snapshot the corpus,
distribute a month's LM revenue share to share holders (`revenue_distribute`).

Other apps call `contribution_create`, `contribution_process` and `snapshot_create`.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import numpy as np
from datasketch import MinHash
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sangsaeng.chain.services import shares_mint
from sangsaeng.contributions import documents, pipeline
from sangsaeng.contributions.anchoring import snapshot_anchor
from sangsaeng.contributions.models import Contribution, Document, Snapshot
from sangsaeng.contributions.revenue import revenue_distribute
from sangsaeng.contributions.takedown import mint_key, takedown_decide, takedown_report
from sangsaeng.core import ratelimit
from sangsaeng.core.errors import Problem
from sangsaeng.core.outbox import event_emit, handles

__all__ = [
    "contribution_create",
    "contribution_process",
    "contributions_retry_stalled",
    "merkle_root",
    "revenue_distribute",
    "snapshot_anchor",
    "snapshot_create",
    "takedown_decide",
    "takedown_report",
]

LICENCES = {c.value for c in Contribution.Licence}


def _not_found() -> Problem:
    return Problem(code="not_found", status=404, ko="기여를 찾을 수 없습니다.", en="Contribution not found.")


def contribution_create(
    *, owner: Any, raw: bytes, name: str, licence: str, licence_accepted: bool, title: str = "", attribution: str = ""
) -> Contribution:
    """Validate an upload or paste and queue it for the pipeline. Bad input stores nothing."""
    if licence not in LICENCES or not licence_accepted:
        raise Problem(
            code="licence_required",
            ko="CC0, CC BY 또는 직접 쓴 글 중 하나를 고르고 공개 라이선스에 동의해 주세요.",
            en="Choose CC0, CC BY or own work and accept the open licence.",
            field="licence",
        )
    if licence == Contribution.Licence.CC_BY and not attribution.strip():
        raise Problem(
            code="attribution_required",
            ko="CC BY 글은 저작자 표시가 필요합니다.",
            en="CC BY text needs an attribution.",
            field="attribution",
        )
    if len(raw) > settings.CONTRIBUTIONS_MAX_UPLOAD_BYTES:
        raise Problem(
            code="too_large",
            status=413,
            ko="파일이 너무 큽니다.",
            en="The upload is too large.",
            field="file",
            extra={"max_bytes": settings.CONTRIBUTIONS_MAX_UPLOAD_BYTES},
        )
    if not raw.strip():
        raise Problem(code="empty", ko="내용이 비어 있습니다.", en="The upload is empty.", field="file")
    kind = documents.kind_of(name)
    text = documents.decode(raw)
    documents.split(text, kind)  # a malformed jsonl is refused now, not half-processed later
    ratelimit.consume(
        scope="contributions", key=str(owner.pk), limit=settings.CONTRIBUTIONS_UPLOADS_PER_HOUR, window=3600
    )
    with transaction.atomic():
        contribution = Contribution.objects.create(
            owner=owner,
            title=title[:200],
            licence=licence,
            attribution=attribution[:200],
            kind=kind,
            raw=text,
            sha256=hashlib.sha256(raw).hexdigest(),
        )

        def enqueue() -> None:
            from sangsaeng.contributions.tasks import process_contribution

            process_contribution.enqueue(contribution_id=contribution.pk)

        transaction.on_commit(enqueue)
    return contribution


def _minhash_bytes(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint64).tobytes()


def corpus_load() -> pipeline.Corpus:
    """The accepted corpus as the pipeline sees it (exact hashes and the MinHash LSH index)."""
    corpus = pipeline.Corpus()
    for sha, blob in Document.objects.filter(status=Contribution.Status.ACCEPTED).values_list("sha256", "minhash"):
        values = np.frombuffer(bytes(blob), dtype=np.uint64)
        corpus.add(sha, MinHash(num_perm=len(values), hashvalues=values, scheme=pipeline.MINHASH_SCHEME))
    return corpus


def contribution_process(*, contribution_id: int) -> str:
    """Run the pipeline on a pending contribution (idempotent: a processed one is left alone).

    All documents are decided and shares are queued in one transaction: nothing is half-accepted.
    """
    with transaction.atomic():
        contribution = Contribution.objects.select_for_update().filter(pk=contribution_id).first()
        if contribution is None or contribution.status != Contribution.Status.PENDING:
            return "skipped"
        corpus = corpus_load()
        rows: list[Document] = []
        for doc in documents.split(contribution.raw, contribution.kind):
            result = pipeline.run(doc.text, corpus)
            rows.append(
                Document(
                    contribution=contribution,
                    index=doc.index,
                    status=result.status,
                    reasons=result.reasons,
                    steps=result.as_json()["steps"],
                    spans=result.as_json()["scrubbed_spans"],
                    text=result.text if result.status == "accepted" else "",
                    sha256=result.sha256,
                    minhash=_minhash_bytes(result.minhash) if result.minhash is not None else b"",
                    token_count=result.token_count,
                )
            )
        Document.objects.bulk_create(rows)
        accepted = [r for r in rows if r.status == Contribution.Status.ACCEPTED]
        contribution.token_count = sum(r.token_count for r in accepted)
        contribution.status = Contribution.Status.ACCEPTED if accepted else Contribution.Status.REJECTED
        contribution.reasons = sorted({reason for r in rows for reason in r.reasons})
        contribution.processed_at = timezone.now()
        contribution.raw = ""  # the unscrubbed upload may hold PII: only the scrubbed documents are kept
        contribution.save(update_fields=["token_count", "status", "reasons", "processed_at", "raw", "updated_at"])
        if accepted:
            # Shares are minted by the outbox handler below: a chain that is down or not yet deployed
            # delays the mint (retried with backoff) but never the pipeline's decision.
            event_emit(
                name="contribution_accepted",
                payload={
                    "contribution": str(contribution.public_id),
                    "owner_id": contribution.owner_id,
                    "tokens": contribution.token_count,
                    "amount": str(contribution.token_count * settings.CONTRIBUTIONS_SHARES_PER_TOKEN),
                },
            )
        return contribution.status


def contributions_retry_stalled(*, limit: int = 5) -> int:
    """Run the pipeline on contributions still pending CONTRIBUTIONS_RETRY_AFTER_SECONDS after upload.

    The task queue can lose a contribution's task: django-tasks-db leaves a task RUNNING for good
    when its worker is killed mid-run (and the pipeline's transaction rolls back), and an enqueue
    can be lost between the upload's commit and `on_commit`. The worker's periodic sweep picks up
    what waited too long. `contribution_process` locks the row and skips a decided one, so a task
    that was merely slow and this sweep decide each contribution once. Returns how many it decided.
    """
    due = timezone.now() - timedelta(seconds=settings.CONTRIBUTIONS_RETRY_AFTER_SECONDS)
    stalled = list(
        Contribution.objects.filter(status=Contribution.Status.PENDING, created_at__lte=due)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in stalled if contribution_process(contribution_id=pk) != "skipped")


@handles("contribution_accepted")
def shares_for_contribution(payload: dict[str, Any]) -> None:
    """Mint ContributionShares for an accepted contribution through the chain outbox (idempotent by key)."""
    contribution = Contribution.objects.select_related("owner").get(public_id=payload["contribution"])
    if contribution.removed_at is not None:
        return  # removed before its mint went out: its shares stay frozen, i.e. never minted
    owner = contribution.owner
    shares_mint(idempotency_key=mint_key(payload["contribution"]), owner=owner, amount=int(payload["amount"]))


def merkle_root(hashes: list[str]) -> str:
    """SHA-256 Merkle root over sorted hex leaves; an odd node is paired with itself."""
    if not hashes:
        return hashlib.sha256(b"").hexdigest()
    level = [bytes.fromhex(h) for h in sorted(hashes)]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    return level[0].hex()


def snapshot_create(*, created_by: Any = None) -> Snapshot:
    """Freeze the accepted corpus (less removed contributions) as a manifest; its root is then
    anchored on chain by the outbox handler in `anchoring`."""
    rows = list(
        Document.objects.filter(status=Contribution.Status.ACCEPTED, contribution__removed_at__isnull=True).values_list(
            "sha256", "token_count"
        )
    )
    hashes = sorted(sha for sha, _ in rows)
    root = merkle_root(hashes)
    existing = Snapshot.objects.filter(merkle_root=root).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        snap = Snapshot.objects.create(
            created_by=created_by,
            merkle_root=root,
            hashes=hashes,
            document_count=len(hashes),
            token_count=sum(t for _, t in rows),
        )
        event_emit(name="snapshot_created", payload={"snapshot": str(snap.public_id), "merkle_root": root})
    return snap
