"""Contributing through the API: processing, shares, bad input, isolation, snapshots, the check command."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test.client import MULTIPART_CONTENT

from sangsaeng.contributions import selectors, services
from sangsaeng.contributions.models import Contribution, Document, Snapshot
from sangsaeng.core.models import OutboxEvent
from sangsaeng.core.outbox import event_process

TEXT = (
    "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 "
    "김이 모락모락 나는 시루떡을 썰어 진열합니다. 문의는 010-2222-3333 으로 해 주세요."
)
OTHER = (
    "지난 주말에는 가족과 함께 설악산에 다녀왔습니다. 단풍이 절정이라 등산로마다 사람이 많았지만 "
    "정상에서 바라본 동해 바다는 정말 아름다웠습니다. 내려오는 길에 산채비빔밥을 먹었습니다."
)


def _paste(api, text=TEXT, **extra):
    body = {"text": text, "licence": "own_work", "licence_accepted": True, "title": "시장 이야기"} | extra
    return api.post("/api/v1/contributions", body)


@pytest.fixture(autouse=True)
def _commit_runs(pipeline_runs_now):
    """The pipeline runs as soon as text is contributed."""


def test_paste_is_processed_scrubbed_and_mints_shares(api_alice, alice, settings, monkeypatch):
    settings.CONTRIBUTIONS_SHARES_PER_TOKEN = 7
    minted = []
    monkeypatch.setattr(services, "shares_mint", lambda **kw: minted.append(kw))  # the chain app's boundary
    r = _paste(api_alice)
    assert r.status_code == 202, r.content
    got = api_alice.get(f"/api/v1/contributions/{r.json()['id']}").json()
    assert got["status"] == "accepted" and got["token_count"] > 0
    doc = got["documents"][0]
    assert [s["kind"] for s in doc["scrubbed_spans"]] == ["phone"]
    stored = Document.objects.get()
    assert "010-2222-3333" not in stored.text and "[전화번호]" in stored.text
    c = Contribution.objects.get()
    assert c.raw == ""  # the unscrubbed upload (with the phone number) is not kept
    event = OutboxEvent.objects.get(name="contribution_accepted")
    assert event.payload["amount"] == str(got["token_count"] * 7)
    assert event_process(event_id=event.pk)
    assert minted == [
        {"idempotency_key": f"contributions:{c.public_id}", "owner": alice, "amount": got["token_count"] * 7}
    ]
    # idempotent: running the task again changes nothing and queues no second mint
    assert services.contribution_process(contribution_id=c.pk) == "skipped"
    assert Document.objects.count() == 1


def test_duplicate_contribution_is_rejected_with_reason_and_no_shares(api_alice, api_bob):
    _paste(api_alice)
    r = _paste(api_bob, text=TEXT.replace("새벽", "이른 새벽"))
    got = api_bob.get(f"/api/v1/contributions/{r.json()['id']}").json()
    assert got["status"] == "rejected" and got["reasons"] == ["near_duplicate"]
    assert OutboxEvent.objects.filter(name="contribution_accepted").count() == 1  # alice's only


def test_jsonl_instruction_pairs_decided_per_document(api_alice):
    lines = [
        json.dumps({"instruction": "김치찌개 끓이는 법을 알려 주세요.", "response": OTHER}, ensure_ascii=False),
        json.dumps({"text": "Hello world, this is an English sentence only."}),
    ]
    f = SimpleUploadedFile("pairs.jsonl", "\n".join(lines).encode(), content_type="application/jsonl")
    r = api_alice.post(
        "/api/v1/contributions/upload",
        {"file": f, "licence": "cc0", "licence_accepted": "true"},
        content_type=MULTIPART_CONTENT,
    )
    assert r.status_code == 202, r.content
    docs = r.json()["documents"]
    assert [(d["status"], d["reasons"]) for d in docs] == [("accepted", []), ("rejected", ["not_korean"])]


@pytest.mark.parametrize(
    ("name", "raw", "extra", "code", "status"),
    [
        ("a.txt", b"\x89PNG\x00\x00\x00binary", {}, "binary_file", 400),
        ("a.txt", TEXT.encode("euc-kr", errors="ignore"), {}, "wrong_encoding", 400),
        ("a.txt", b"x" * 3000, {}, "too_large", 413),
        ("a.pdf", TEXT.encode(), {}, "unsupported_type", 400),
        ("a.jsonl", b'{"foo": 1}', {}, "invalid_jsonl", 400),
        ("a.txt", TEXT.encode(), {"licence_accepted": "false"}, "licence_required", 400),
        ("a.txt", TEXT.encode(), {"licence": "cc_by"}, "attribution_required", 400),
    ],
)
def test_bad_uploads_are_refused_and_store_nothing(api_alice, settings, name, raw, extra, code, status):
    settings.CONTRIBUTIONS_MAX_UPLOAD_BYTES = 2000
    body = {"file": SimpleUploadedFile(name, raw), "licence": "cc0", "licence_accepted": "true"} | extra
    r = api_alice.post("/api/v1/contributions/upload", body, content_type=MULTIPART_CONTENT)
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/problem+json")
    assert r.json()["code"] == code
    assert Contribution.objects.count() == 0


def test_flood_is_rate_limited(api_alice, settings):
    settings.CONTRIBUTIONS_UPLOADS_PER_HOUR = 2
    assert _paste(api_alice).status_code == 202
    assert _paste(api_alice, text=OTHER).status_code == 202
    r = _paste(api_alice, text=OTHER + " 세 번째")
    assert r.status_code == 429 and r["Content-Type"].startswith("application/problem+json")
    assert Contribution.objects.count() == 2


def test_another_users_contribution_is_404(api_alice, api_bob):
    cid = _paste(api_alice).json()["id"]
    r = api_bob.get(f"/api/v1/contributions/{cid}")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert api_bob.get("/api/v1/contributions").json() == []
    assert api_alice.get(f"/api/v1/contributions/{uuid.uuid4()}").status_code == 404


def test_pages_in_korean_and_other_users_page_404(client, alice, bob):
    client.force_login(alice)
    r = client.post("/commons/", {"text": TEXT, "licence": "cc0", "licence_accepted": "on", "title": "시장"})
    assert r.status_code == 302
    page = client.get(r["Location"])
    assert page.status_code == 200 and "수락됨" in page.content.decode()
    assert "말뭉치" in client.get("/commons/").content.decode()
    client.force_login(bob)
    assert client.get(r["Location"]).status_code == 404


def test_snapshot_merkle_root_immutable_and_export(api_alice):
    _paste(api_alice)
    _paste(api_alice, text=OTHER)
    snap = services.snapshot_create()
    assert snap.document_count == 2 and not snap.anchored
    assert snap.merkle_root == services.merkle_root(list(reversed(snap.hashes)))
    assert services.snapshot_create().pk == snap.pk  # same corpus, same snapshot
    with pytest.raises(ValueError, match="immutable"):
        snap.save()
    lines = [json.loads(x) for x in selectors.snapshot_export_lines(root=snap.merkle_root)]
    assert {x["sha256"] for x in lines} == set(snap.hashes) and all(x["licence"] == "own_work" for x in lines)
    assert Snapshot.objects.count() == 1


def test_merkle_root_known_values():
    import hashlib

    a, b, c = (hashlib.sha256(x).hexdigest() for x in (b"a", b"b", b"c"))
    ab = hashlib.sha256(bytes.fromhex(min(a, b)) + bytes.fromhex(max(a, b))).hexdigest()
    assert services.merkle_root([a]) == a
    assert services.merkle_root([b, a]) == ab
    assert len(services.merkle_root([a, b, c])) == 64


def test_check_command_prints_one_json_line_per_document_and_stores_nothing(tmp_path, db):
    f = tmp_path / "docs.jsonl"
    f.write_text(
        "\n".join(
            json.dumps({"text": t}, ensure_ascii=False) for t in (TEXT, TEXT, "영어 English only text here please ok")
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("commons", "check", str(f), stdout=out)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert [r["status"] for r in rows] == ["accepted", "rejected", "rejected"]
    assert rows[0]["scrubbed_spans"][0]["kind"] == "phone" and rows[0]["token_count"] > 0
    assert rows[1]["reasons"] == ["exact_duplicate"]
    assert Contribution.objects.count() == 0 and Document.objects.count() == 0
