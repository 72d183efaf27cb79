"""`sangsaeng search eval` on the checked-in relevance set, and `sangsaeng search reindex`."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sangsaeng.drawer import services as drawer
from sangsaeng.search import services
from sangsaeng.search.evaluation import ndcg
from sangsaeng.search.models import Document

pytestmark = pytest.mark.django_db
RELEVANCE = Path(__file__).resolve().parents[1] / "relevance"


def test_ndcg():
    assert ndcg(["a", "b"], {"a": 2, "b": 1}) == 1.0
    assert ndcg(["x", "y"], {"a": 2}) == 0.0
    assert 0 < ndcg(["b", "a"], {"a": 2, "b": 1}) < 1


def test_sangsaeng_beats_like_and_trigram_on_the_korean_relevance_set():
    out = io.StringIO()

    call_command(
        "search",
        "eval",
        "--corpus",
        str(RELEVANCE / "corpus.jsonl"),
        "--qrels",
        str(RELEVANCE / "qrels.tsv"),
        stdout=out,
    )

    result = json.loads(out.getvalue())
    assert result["queries"] >= 60 and result["documents"] >= 300
    assert result["ndcg10_sangsaeng"] > result["ndcg10_like"]
    assert result["ndcg10_sangsaeng"] > result["ndcg10_fts5_trigram"]
    assert result["ndcg10_sangsaeng"] >= 0.8
    assert not Document.objects.exists()  # the temporary index was rolled back


def test_eval_refuses_missing_or_malformed_files(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("search", "eval", "--corpus", str(tmp_path / "none.jsonl"), "--qrels", str(bad))
    with pytest.raises(CommandError):
        call_command("search", "eval", "--corpus", str(RELEVANCE / "corpus.jsonl"), "--qrels", str(bad))


def test_reindex_builds_the_index_from_every_provider_and_drops_stale_rows(alice, posts):
    drawer.file_save_from(owner=alice, name="회의록 11월.txt", data=b"x", source="test")  # no events run here
    services.index_documents([posts.add("gone", "사라진 글")])
    posts.docs.clear()
    out = io.StringIO()

    call_command("search", "reindex", "--quiet", stdout=out)

    result = json.loads(out.getvalue())
    assert result["documents"]["media"] == 1 and result["documents"]["post"] == 0
    assert [h.title for h in services.search(user=alice, q="회의록").hits] == ["회의록 11월.txt"]
    assert not Document.objects.filter(kind="post").exists()


def test_reindex_refuses_an_unknown_kind():
    with pytest.raises(CommandError):
        call_command("search", "reindex", "--kind", "nope")
