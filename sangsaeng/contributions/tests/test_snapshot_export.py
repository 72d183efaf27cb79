"""Snapshot downloads (manifest, JSONL, Parquet) and anchoring the root on the embedded chain."""

from __future__ import annotations

import json

import duckdb
import pytest

from sangsaeng.chain.tests.conftest import rpc, settle
from sangsaeng.contributions import anchoring, services
from sangsaeng.contributions.models import Contribution, Snapshot, SnapshotAnchor
from sangsaeng.core.models import OutboxEvent
from sangsaeng.core.outbox import event_process

TEXTS = [
    "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 "
    "김이 모락모락 나는 시루떡을 썰어 진열합니다. 시장 골목은 아침마다 사람들로 붐빕니다.",
    "지난 주말에는 가족과 함께 설악산에 다녀왔습니다. 단풍이 절정이라 등산로마다 사람이 많았지만 "
    "정상에서 바라본 동해 바다는 정말 아름다웠습니다. 내려오는 길에 산채비빔밥을 먹었습니다.",
    "도서관에서 빌린 소설을 밤새 읽었습니다. 주인공이 어린 시절 살던 바닷가 마을로 돌아가 잊고 지낸 "
    "친구들을 다시 만나는 이야기였는데, 마지막 장을 덮고 나서도 한참 동안 여운이 남았습니다.",
]


@pytest.fixture(autouse=True)
def _commit_runs(pipeline_runs_now):
    """The pipeline runs as soon as text is contributed."""


@pytest.fixture
def snapshot(api_alice):
    for text in TEXTS:
        r = api_alice.post("/api/v1/contributions", {"text": text, "licence": "cc0", "licence_accepted": True})
        assert r.status_code == 202 and r.json()["status"] == "accepted", r.content
    return services.snapshot_create()


def test_manifest_recomputes_the_merkle_root(api_bob, snapshot):
    r = api_bob.get(f"/api/v1/contributions/snapshots/{snapshot.merkle_root}/manifest")
    assert r.status_code == 200
    manifest = r.json()
    assert manifest["document_count"] == 3 and len(manifest["hashes"]) == 3
    # recomputed independently of services.merkle_root, from the manifest alone
    import hashlib

    level = [bytes.fromhex(h) for h in sorted(manifest["hashes"])]
    while len(level) > 1:
        if len(level) % 2:
            level.append(level[-1])
        level = [hashlib.sha256(level[i] + level[i + 1]).digest() for i in range(0, len(level), 2)]
    assert level[0].hex() == manifest["merkle_root"] == snapshot.merkle_root
    # each hash is the sha256 of its exported document's normalised text
    lines = _jsonl(api_bob, snapshot)
    assert sorted(x["sha256"] for x in lines) == sorted(manifest["hashes"])


def _jsonl(api, snap):
    r = api.get(f"/api/v1/contributions/snapshots/{snap.merkle_root}/documents.jsonl")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/x-ndjson")
    body = b"".join(r.streaming_content).decode()
    return [json.loads(line) for line in body.splitlines()]


def test_jsonl_and_parquet_hold_the_same_documents(api_bob, snapshot, tmp_path):
    lines = _jsonl(api_bob, snapshot)
    assert [x["sha256"] for x in lines] == snapshot.hashes  # manifest order
    assert all(x["licence"] == "cc0" and x["tokens"] > 0 for x in lines)
    r = api_bob.get(f"/api/v1/contributions/snapshots/{snapshot.merkle_root}/documents.parquet")
    assert r.status_code == 200
    path = tmp_path / "s.parquet"
    path.write_bytes(b"".join(r.streaming_content))
    r.close()
    with duckdb.connect() as con:
        query = "SELECT sha256, text, tokens, licence FROM read_parquet(?) ORDER BY sha256"
        rows = con.execute(query, [str(path)]).fetchall()
    assert rows == sorted((x["sha256"], x["text"], x["tokens"], x["licence"]) for x in lines)


def test_unknown_snapshot_is_404_problem(api_bob, snapshot):
    for suffix in ("manifest", "documents.jsonl", "documents.parquet"):
        r = api_bob.get(f"/api/v1/contributions/snapshots/{'0' * 64}/{suffix}")
        assert r.status_code == 404 and r.json()["code"] == "not_found"
        assert r["Content-Type"].startswith("application/problem+json")


def test_snapshot_page_downloads_for_staff_only(client, bob, alice, snapshot):
    client.force_login(bob)
    page = client.get(f"/commons/snapshots/{snapshot.merkle_root}/")
    assert page.status_code == 200 and "아직 기록되지 않음" in page.content.decode()
    assert client.get(f"/commons/snapshots/{snapshot.merkle_root}/manifest.json").status_code == 404
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client.force_login(alice)
    r = client.get(f"/commons/snapshots/{snapshot.merkle_root}/manifest.json")
    assert r.status_code == 200 and r.json()["merkle_root"] == snapshot.merkle_root
    assert client.get(f"/commons/snapshots/{'f' * 64}/").status_code == 404


def test_anchor_calldata_round_trip():
    root = "ab" * 32
    assert anchoring.root_from_calldata(anchoring.anchor_calldata(root)) == root
    assert anchoring.root_from_calldata("0x" + root) is None
    with pytest.raises(ValueError):
        anchoring.anchor_calldata("zz" * 32)


def test_root_is_anchored_on_the_embedded_chain(embedded, settings, client, bob, snapshot):
    settings.CHAIN_CONFIRMATIONS = 1
    event = OutboxEvent.objects.get(name="snapshot_created")
    assert event.payload["merkle_root"] == snapshot.merkle_root
    assert event_process(event_id=event.pk)
    anchor = SnapshotAnchor.objects.get(snapshot=snapshot)
    assert anchor.confirmed_at is None
    settle()
    confirmed = OutboxEvent.objects.filter(name="chain_transaction_confirmed", processed_at__isnull=True)
    for e in confirmed:
        event_process(event_id=e.pk)
    anchor.refresh_from_db()
    assert anchor.confirmed_at is not None and anchor.tx_hash.startswith("0x")
    assert Snapshot.objects.get(pk=snapshot.pk).anchored
    tx = rpc(embedded, "eth_getTransactionByHash", [anchor.tx_hash])["result"]
    assert tx["to"].lower() == anchoring.anchor_address().lower()
    assert anchoring.root_from_calldata(tx["input"]) == snapshot.merkle_root
    receipt = rpc(embedded, "eth_getTransactionReceipt", [anchor.tx_hash])["result"]
    assert int(receipt["status"], 16) == 1
    client.force_login(bob)
    page = client.get(f"/commons/snapshots/{snapshot.merkle_root}/").content.decode()
    assert anchor.tx_hash in page
    # anchoring again is the same outbox row: no second transaction
    assert services.snapshot_anchor(snapshot=snapshot).pk == anchor.pk
    assert Contribution.objects.count() == 3
