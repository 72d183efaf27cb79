"""Takedown: report, operator decision, exclusion from later snapshots, frozen shares, bad input."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest

from sangsaeng.contributions import selectors, services
from sangsaeng.contributions.models import Contribution, Snapshot, Takedown
from sangsaeng.core.models import OutboxEvent
from sangsaeng.core.outbox import event_process

TEXT = (
    "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 "
    "김이 모락모락 나는 시루떡을 썰어 진열합니다. 시장 골목은 아침마다 사람들로 붐빕니다."
)
OTHER = (
    "지난 주말에는 가족과 함께 설악산에 다녀왔습니다. 단풍이 절정이라 등산로마다 사람이 많았지만 "
    "정상에서 바라본 동해 바다는 정말 아름다웠습니다. 내려오는 길에 산채비빔밥을 먹었습니다."
)


@pytest.fixture(autouse=True)
def _commit_runs(pipeline_runs_now):
    """The pipeline runs as soon as text is contributed."""


@pytest.fixture
def operator(alice):
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    return alice


def _paste(api, text):
    r = api.post("/api/v1/contributions", {"text": text, "licence": "own_work", "licence_accepted": True})
    assert r.status_code == 202, r.content
    assert r.json()["status"] == "accepted"
    return Contribution.objects.get(public_id=r.json()["id"])


def _state():
    return (
        list(Takedown.objects.values_list("status", "decided_at", "frozen_shares").order_by("pk")),
        list(Contribution.objects.values_list("removed_at", flat=True).order_by("pk")),
        OutboxEvent.objects.filter(name="contribution_removed").count(),
    )


def test_removed_contribution_left_out_of_next_snapshot_and_earlier_one_unchanged(
    api_alice, api_bob, operator, bob, settings
):
    settings.CONTRIBUTIONS_SHARES_PER_TOKEN = 3
    bobs = _paste(api_bob, TEXT)
    alices = _paste(api_alice, OTHER)
    first = services.snapshot_create()
    first_before = (first.merkle_root, list(first.hashes), first.document_count, first.token_count)
    bob_sha = bobs.documents.get().sha256

    # anyone signed in reports, here by a document hash as it appears in the export
    r = api_alice.post(
        "/api/v1/contributions/reports", {"document_sha256": bob_sha, "reason": "남의 블로그 글을 베꼈습니다."}
    )
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    queue = api_alice.get("/api/v1/contributions/reports").json()
    assert [q["id"] for q in queue] == [report_id] and queue[0]["contribution_id"] == str(bobs.public_id)

    r = api_alice.post(f"/api/v1/contributions/reports/{report_id}/decision", {"decision": "remove", "note": "확인"})
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "removed"
    assert Decimal(r.json()["frozen_shares"]) == bobs.token_count * 3 > 0
    assert selectors.shares_frozen_by_owner() == {bob.pk: Decimal(bobs.token_count * 3)}

    # deciding twice: 409 and nothing changes
    before = _state()
    r = api_alice.post(f"/api/v1/contributions/reports/{report_id}/decision", {"decision": "dismiss"})
    assert r.status_code == 409 and r.json()["code"] == "already_decided"
    assert r["Content-Type"].startswith("application/problem+json")
    assert _state() == before

    second = services.snapshot_create()
    assert second.pk != first.pk
    assert bob_sha not in second.hashes and second.hashes == [alices.documents.get().sha256]
    assert second.merkle_root == services.merkle_root(second.hashes)

    first = Snapshot.objects.get(pk=first.pk)
    assert (first.merkle_root, first.hashes, first.document_count, first.token_count) == first_before
    assert bob_sha in first.hashes and services.merkle_root(first.hashes) == first.merkle_root
    # the earlier manifest keeps the hash, but the removed text is no longer handed out
    lines = [json.loads(x) for x in selectors.snapshot_export_lines(root=first.merkle_root)]
    assert [x["sha256"] for x in lines] == [alices.documents.get().sha256]

    # reporting a removed contribution again is a conflict
    r = api_alice.post("/api/v1/contributions/reports", {"contribution_id": str(bobs.public_id), "reason": "다시 신고"})
    assert r.status_code == 409 and r.json()["code"] == "already_removed"


def test_removed_before_its_mint_went_out_mints_nothing(api_bob, operator, monkeypatch):
    minted = []
    monkeypatch.setattr(services, "shares_mint", lambda **kw: minted.append(kw))
    bobs = _paste(api_bob, TEXT)
    report = services.takedown_report(reporter=operator, reason="저작권 침해 의심", contribution_id=bobs.public_id)
    services.takedown_decide(actor=operator, takedown_id=report.public_id, decision="remove")
    event = OutboxEvent.objects.get(name="contribution_accepted")
    assert event_process(event_id=event.pk)
    assert minted == []  # frozen: the shares are never minted


def test_dismissed_report_keeps_the_contribution(api_alice, api_bob, operator):
    bobs = _paste(api_bob, TEXT)
    r = api_alice.post(
        "/api/v1/contributions/reports", {"contribution_id": str(bobs.public_id), "reason": "광고 같아요"}
    )
    r = api_alice.post(f"/api/v1/contributions/reports/{r.json()['id']}/decision", {"decision": "dismiss"})
    assert r.status_code == 200 and r.json()["status"] == "dismissed" and r.json()["frozen_shares"] == "0"
    assert Contribution.objects.get(pk=bobs.pk).removed_at is None
    assert bobs.documents.get().sha256 in services.snapshot_create().hashes
    assert selectors.shares_frozen_by_owner() == {}


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"contribution_id": str(uuid.uuid4()), "reason": "없는 기여 신고"}, 404, "not_found"),
        ({"document_sha256": "ab" * 32, "reason": "없는 문서 신고"}, 404, "not_found"),
        ({"reason": "대상이 없습니다"}, 400, "target_required"),
        ({"contribution_id": "CONTRIB", "reason": "  "}, 400, "reason_required"),
    ],
)
def test_bad_reports_are_refused_and_store_nothing(api_alice, api_bob, body, status, code):
    bobs = _paste(api_bob, TEXT)
    if body.get("contribution_id") == "CONTRIB":
        body = body | {"contribution_id": str(bobs.public_id)}
    r = api_alice.post("/api/v1/contributions/reports", body)
    assert r.status_code == status, r.content
    assert r.json()["code"] == code and r["Content-Type"].startswith("application/problem+json")
    assert not Takedown.objects.exists()


def test_double_report_is_409_and_operator_only_decides(api_alice, api_bob, alice, bob):
    bobs = _paste(api_bob, TEXT)
    body = {"contribution_id": str(bobs.public_id), "reason": "개인정보가 있어요"}
    report_id = api_alice.post("/api/v1/contributions/reports", body).json()["id"]
    r = api_alice.post("/api/v1/contributions/reports", body)
    assert r.status_code == 409 and r.json()["code"] == "already_reported"
    assert Takedown.objects.count() == 1
    # not staff: the queue and decisions are 404 and nothing changes
    before = _state()
    assert api_bob.get("/api/v1/contributions/reports").status_code == 404
    r = api_bob.post(f"/api/v1/contributions/reports/{report_id}/decision", {"decision": "remove"})
    assert r.status_code == 404 and _state() == before
    # staff: unknown report 404, unknown decision refused; nothing changes
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    assert (
        api_alice.post(f"/api/v1/contributions/reports/{uuid.uuid4()}/decision", {"decision": "remove"}).status_code
        == 404
    )
    r = api_alice.post(f"/api/v1/contributions/reports/{report_id}/decision", {"decision": "delete"})
    assert r.status_code in (400, 422) and _state() == before
    with pytest.raises(Exception, match="dismiss or remove"):
        services.takedown_decide(actor=alice, takedown_id=report_id, decision="delete")
    assert _state() == before


def test_operator_page_korean_and_hidden_from_others(client, api_bob, alice, bob):
    bobs = _paste(api_bob, TEXT)
    client.force_login(bob)
    r = client.post(f"/commons/{bobs.public_id}/report/", {"reason": "제가 올린 글이 아닙니다"})
    assert r.status_code == 302 and Takedown.objects.count() == 1
    assert client.get("/commons/operator/").status_code == 404
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    client.force_login(alice)
    page = client.get("/commons/operator/")
    assert page.status_code == 200 and "기여 신고 검토" in page.content.decode()
    assert "제가 올린 글이 아닙니다" in page.content.decode()
    report = Takedown.objects.get()
    r = client.post("/commons/operator/", {"report": str(report.public_id), "decision": "remove"})
    assert r.status_code == 302
    assert Contribution.objects.get(pk=bobs.pk).removed_at is not None
    en = client.get("/commons/operator/", HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 200 and "Contribution reports" in en.content.decode()


def test_a_removal_freezes_the_minted_shares_on_chain_through_the_outbox(api_bob, bob, operator, settings, monkeypatch):
    from sangsaeng.contributions import takedown

    settings.CONTRIBUTIONS_SHARES_PER_TOKEN = 5
    frozen: list[dict] = []
    mints: dict[str, dict] = {}
    # the chain app's boundary: its gateway tests send ContributionShares.freeze to real nodes
    monkeypatch.setattr(services, "shares_mint", lambda **kw: mints.setdefault(kw["idempotency_key"], kw))
    monkeypatch.setattr(takedown, "transaction_get_by_key", lambda *, idempotency_key: mints.get(idempotency_key))
    monkeypatch.setattr(takedown, "shares_freeze", lambda **kw: frozen.append(kw))
    minted = _paste(api_bob, TEXT)
    never_minted = _paste(api_bob, OTHER)
    assert event_process(
        event_id=OutboxEvent.objects.get(name="contribution_accepted", payload__contribution=str(minted.public_id)).pk
    )
    for c in (minted, never_minted):
        report = services.takedown_report(reporter=operator, reason="저작권 침해 의심", contribution_id=c.public_id)
        services.takedown_decide(actor=operator, takedown_id=report.public_id, decision="remove")
    for event in OutboxEvent.objects.filter(name="contribution_removed"):
        assert event_process(event_id=event.pk)
        assert event_process(event_id=event.pk)  # processed once: a second run does nothing
    assert frozen == [
        {"idempotency_key": f"contributions-freeze:{minted.public_id}", "owner": bob, "amount": minted.token_count * 5}
    ]
