"""The selectors `sangsaeng lm train --snapshot` reads a snapshot through."""

from __future__ import annotations

import pytest

from sangsaeng.contributions import selectors, services
from sangsaeng.contributions.models import Contribution, Document
from sangsaeng.core.errors import Problem


def _accepted(owner, index, text):
    c = Contribution.objects.create(owner=owner, licence="cc0", raw="", sha256=f"{index:064x}", status="accepted")
    return Document.objects.create(
        contribution=c, index=0, status="accepted", text=text, sha256=f"{index + 100:064x}", token_count=5
    )


def test_snapshot_by_root_or_id_and_its_documents_in_manifest_order(alice):
    docs = [_accepted(alice, i, f"문서 {i}번입니다.") for i in range(3)]
    snap = services.snapshot_create()
    assert selectors.snapshot_get(ref=snap.merkle_root.upper()).pk == snap.pk
    assert selectors.snapshot_get(ref=str(snap.public_id)).pk == snap.pk
    by_hash = {d.sha256: d.text for d in docs}
    assert list(selectors.snapshot_documents(snapshot=snap)) == [by_hash[h] for h in snap.hashes]
    # A document taken down after the snapshot is left out of training; the manifest is unchanged.
    Document.objects.filter(pk=docs[1].pk).update(status="rejected")
    assert docs[1].text not in list(selectors.snapshot_documents(snapshot=snap))
    assert len(selectors.snapshot_get(ref=snap.merkle_root).hashes) == 3


@pytest.mark.parametrize("ref", ["f" * 64, "00000000-0000-0000-0000-000000000000", "", "abc"])
def test_unknown_snapshot_is_not_found(db, ref):
    with pytest.raises(Problem) as caught:
        selectors.snapshot_get(ref=ref)
    assert caught.value.status == 404 and caught.value.code == "not_found"
