"""Provenance: `sangsaeng lm train --snapshot` writes a model card naming the LM commons snapshot,
and `/v1/models` and the playground page show it for the served model."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import CommandError, call_command

from sangsaeng.contributions import services as commons_services
from sangsaeng.lm.engine.runtime import BUNDLED_MODEL_DIR
from sangsaeng.lm.openai.views import _model_card
from sangsaeng.lm.provenance import card_read, provenance

# Distinct Korean paragraphs, each one accepted document (long enough for the quality filter).
TEXTS = [
    "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 "
    "김이 모락모락 나는 시루떡을 썰어 진열합니다. 손님들은 단골 가게마다 들러 안부를 묻습니다.",
    "지난 주말에는 가족과 함께 설악산에 다녀왔습니다. 단풍이 절정이라 등산로마다 사람이 많았지만 "
    "정상에서 바라본 동해 바다는 정말 아름다웠습니다. 내려오는 길에 산채비빔밥을 먹었습니다.",
    "할머니께서는 매년 김장철이면 배추 백 포기를 절이셨습니다. 온 가족이 마당에 모여 양념을 버무리고 "
    "수육을 삶아 나누어 먹던 그 시간이 지금도 가장 따뜻한 기억으로 남아 있습니다.",
]
TINY = [
    "--steps", "2", "--eval-every", "2", "--vocab-size", "300", "--layers", "1", "--embd", "32",
    "--heads", "2", "--rotary-dim", "8", "--seq-len", "32", "--batch-size", "2",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _commit_runs(pipeline_runs_now):
    """The pipeline runs as soon as text is contributed."""


def _contribute(api, text):
    r = api.post("/api/v1/contributions", {"text": text, "licence": "cc0", "licence_accepted": True})
    assert r.status_code == 202, r.content
    got = api.get(f"/api/v1/contributions/{r.json()['id']}").json()
    assert got["status"] == "accepted", got
    return got


def _train(out, *extra):
    call_command("lm", "train", *extra, *TINY, "--out", str(out))


def test_contribute_accept_shares_snapshot_train_card_links_root(
    api_alice, alice, client, tmp_path, settings, monkeypatch
):
    """End to end: contribute, accepted, shares minted, snapshot, train on it, and the card,
    /v1/models and the model page name the snapshot's Merkle root."""
    from sangsaeng.core.models import OutboxEvent
    from sangsaeng.core.outbox import event_process

    settings.CONTRIBUTIONS_SHARES_PER_TOKEN = 3
    minted = []
    # The chain app's boundary: its own tests send ContributionShares.mint to a node.
    monkeypatch.setattr(commons_services, "shares_mint", lambda **kw: minted.append(kw))
    accepted = [_contribute(api_alice, text) for text in TEXTS]
    for event in OutboxEvent.objects.filter(name="contribution_accepted"):
        assert event_process(event_id=event.pk)
    assert sorted((m["idempotency_key"], m["amount"]) for m in minted) == sorted(
        (f"contributions:{got['id']}", got["token_count"] * 3) for got in accepted
    )
    assert all(m["owner"] == alice for m in minted)
    snap = commons_services.snapshot_create(created_by=alice)
    assert snap.document_count == 3

    out = tmp_path / "ko-commons"
    _train(out, "--snapshot", snap.merkle_root, "--snapshot-only")

    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["snapshot"]["merkle_root"] == snap.merkle_root
    assert card["snapshot"]["id"] == str(snap.public_id)
    assert card["snapshot"]["documents_used"] == card["snapshot"]["document_count"] == 3
    weights = (out / "model.safetensors").read_bytes()
    assert card["checkpoint"]["sha256"] == hashlib.sha256(weights).hexdigest()
    assert card["hyperparameters"]["steps"] == 2 and card["hyperparameters"]["n_embd"] == 32
    assert card["metrics"]["held_out_perplexity"] > 1 and card["metrics"]["held_out_tokens"] > 0
    assert set(card["corpus"]["sources"]) == {f"snapshot:{snap.merkle_root[:12]}"}  # --snapshot-only
    assert snap.merkle_root in (out / "MODEL_CARD.md").read_text(encoding="utf-8")

    settings.LM_MODEL_DIR = str(out)
    settings.LM_MODEL_NAME = ""
    settings.LM_BASE_URL = ""
    entry = _model_card("ko-commons")
    assert entry["sangsaeng"]["snapshot"] == {"id": str(snap.public_id), "merkle_root": snap.merkle_root}
    assert entry["sangsaeng"]["checkpoint_sha256"] == hashlib.sha256(weights).hexdigest()

    client.force_login(alice)
    page = client.get("/lm/").content.decode()
    assert f'data-testid="lm-snapshot-root">{snap.merkle_root}</code>' in page
    assert 'href="/commons/' in page


def test_training_adds_the_snapshot_to_the_offline_corpus_by_default(api_alice, alice, tmp_path, monkeypatch):
    from sangsaeng.lm.training import corpus as corpus_module

    # The offline sources stand in small here; the point is that both kinds of text are used.
    monkeypatch.setattr(corpus_module, "_offline_lines", lambda: iter([("po:test", "오프라인 말뭉치 한 줄입니다.")]))
    for text in TEXTS[:2]:
        _contribute(api_alice, text)
    snap = commons_services.snapshot_create()
    _train(tmp_path / "m", "--snapshot", str(snap.public_id))  # the public id works as well as the root
    card = card_read(tmp_path / "m")
    assert card is not None and card["snapshot"]["merkle_root"] == snap.merkle_root
    assert set(card["corpus"]["sources"]) == {"po:test", f"snapshot:{snap.merkle_root[:12]}"}


@pytest.mark.parametrize("ref", ["0" * 64, "00000000-0000-0000-0000-000000000000", "not-a-snapshot"])
def test_unknown_snapshot_is_a_clear_error_and_writes_nothing(db, tmp_path, ref):
    out = tmp_path / "m"
    with pytest.raises(CommandError, match="not found"):
        _train(out, "--snapshot", ref)
    assert not out.exists()


def test_snapshot_only_needs_a_snapshot(db, tmp_path):
    with pytest.raises(CommandError, match="--snapshot-only needs"):
        _train(tmp_path / "m", "--snapshot-only")
    assert not (tmp_path / "m").exists()


def test_bundled_card_matches_the_bundled_weights(settings):
    settings.LM_MODEL_DIR = ""
    settings.LM_BASE_URL = ""
    card = card_read()
    assert card is not None and card["snapshot"] is None
    digest = hashlib.sha256((BUNDLED_MODEL_DIR / "model.safetensors").read_bytes()).hexdigest()
    assert card["checkpoint"]["sha256"] == digest
    assert provenance() == {"snapshot": None, "checkpoint_sha256": digest, "held_out_perplexity": 267.1}


def test_a_model_folder_without_a_card_has_null_provenance(settings, tmp_path):
    settings.LM_MODEL_DIR = str(tmp_path)  # e.g. a KoGPT download
    assert provenance() is None
    assert _model_card("x")["sangsaeng"] is None
