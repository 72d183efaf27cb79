"""Relevance evaluation: nDCG@10 of sangsaeng against two baselines on any judged query set.

The corpus is indexed through the real pipeline (Kiwi, the configured database's backend) inside
a transaction that is rolled back, so nothing is left behind. The baselines run in an in-memory
SQLite database on the same documents:
- `like`: every whitespace-separated query word as a substring (LIKE), title hits 2, body 1;
- `fts5_trigram`: FTS5 with the trigram tokenizer over the raw text, bm25 with the title
  weighted 4x (words shorter than three characters can't match: a trigram limit).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from sangsaeng.search.backends.base import Filters
from sangsaeng.search.indexing import index_documents
from sangsaeng.search.query import parse
from sangsaeng.search.registry import PUBLIC, Doc, provider_register, provider_unregister
from sangsaeng.search.searching import run_plan

KIND = "relevance_eval"
K = 10


@dataclass(frozen=True)
class Judged:
    queries: dict[str, dict[str, int]]  # query -> doc id -> grade


def corpus_load(path: Path) -> list[dict[str, str]]:
    docs = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        row = json.loads(line)
        if not isinstance(row, dict) or "id" not in row or "title" not in row:
            raise ValueError(f"{path}:{number}: each line needs id and title (and text)")
        docs.append({"id": str(row["id"]), "title": str(row["title"]), "text": str(row.get("text", ""))})
    return docs


def qrels_load(path: Path) -> Judged:
    queries: dict[str, dict[str, int]] = defaultdict(dict)
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}:{number}: expected query<TAB>doc_id<TAB>grade")
        queries[parts[0]][parts[1]] = int(parts[2])
    return Judged(queries=dict(queries))


def ndcg(ranked: Sequence[str], grades: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted((g for g in grades.values() if g > 0), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


class _CorpusProvider:
    label = "eval"
    events: dict[str, Any] = {}

    def documents(self, ids: Sequence[str] | None) -> Iterable[Doc]:
        return []

    def visible(self, *, user: Any, ids: Sequence[str]) -> set[str]:
        return set(ids)


def _sangsaeng_rankings(docs: list[dict[str, str]], queries: Iterable[str]) -> dict[str, list[str]]:
    rankings: dict[str, list[str]] = {}
    provider_register(KIND, _CorpusProvider())
    try:
        with transaction.atomic():
            for start in range(0, len(docs), 200):
                index_documents(
                    [
                        Doc(id=d["id"], kind=KIND, title=d["title"], text=d["text"], visibility=PUBLIC)
                        for d in docs[start : start + 200]
                    ]
                )
            for query in queries:
                hits, _more = run_plan(
                    parsed=parse(query), user=None, filters=Filters(kinds=(KIND,)), limit=K, offset=0
                )
                rankings[query] = [h.id for h in hits]
            transaction.set_rollback(True)
    finally:
        provider_unregister(KIND)
    return rankings


def _baseline_db(docs: list[dict[str, str]]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE docs (id TEXT PRIMARY KEY, title TEXT, body TEXT)")
    db.execute("CREATE VIRTUAL TABLE tri USING fts5(id UNINDEXED, title, body, tokenize = 'trigram')")
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", [(d["id"], d["title"], d["text"]) for d in docs])
    db.executemany("INSERT INTO tri VALUES (?, ?, ?)", [(d["id"], d["title"], d["text"]) for d in docs])
    return db


def like_ranking(db: sqlite3.Connection, query: str) -> list[str]:
    words = [w for w in query.split() if w][:12]
    if not words:
        return []
    score = " + ".join(
        "(CASE WHEN title LIKE ? ESCAPE '\\' THEN 2 ELSE 0 END) + (CASE WHEN body LIKE ? ESCAPE '\\' THEN 1 ELSE 0 END)"
        for _ in words
    )
    params: list[str] = []
    for word in words:
        pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    sql = f"SELECT id, {score} AS s FROM docs WHERE s > 0 ORDER BY s DESC, id LIMIT {K}"  # noqa: S608 (placeholders)
    rows = db.execute(sql, params)
    return [r[0] for r in rows]


def trigram_ranking(db: sqlite3.Connection, query: str) -> list[str]:
    words = [w for w in query.split() if len(w) >= 3][:12]
    if not words:
        return []
    match = " OR ".join('"' + w.replace('"', '""') + '"' for w in words)
    rows = db.execute(f"SELECT id FROM tri WHERE tri MATCH ? ORDER BY bm25(tri, 0, 4.0, 1.0) LIMIT {K}", [match])  # noqa: S608
    return [r[0] for r in rows]


def evaluate(docs: list[dict[str, str]], judged: Judged) -> dict[str, Any]:
    """nDCG@10 averaged over the judged queries, for sangsaeng and both baselines."""
    queries = sorted(judged.queries)
    ours = _sangsaeng_rankings(docs, queries)
    db = _baseline_db(docs)
    scores: dict[str, list[float]] = {"sangsaeng": [], "like": [], "fts5_trigram": []}
    for query in queries:
        grades = judged.queries[query]
        scores["sangsaeng"].append(ndcg(ours[query], grades))
        scores["like"].append(ndcg(like_ranking(db, query), grades))
        scores["fts5_trigram"].append(ndcg(trigram_ranking(db, query), grades))
    mean = {name: round(sum(v) / len(v), 4) if v else 0.0 for name, v in scores.items()}
    return {
        "name": "search-eval",
        "backend": connection.vendor,
        "documents": len(docs),
        "queries": len(queries),
        "ndcg@10": mean,
        "ndcg10_sangsaeng": mean["sangsaeng"],
        "ndcg10_like": mean["like"],
        "ndcg10_fts5_trigram": mean["fts5_trigram"],
        "sangsaeng_vs_like": round(mean["sangsaeng"] / mean["like"], 3) if mean["like"] else None,
        "sangsaeng_vs_fts5_trigram": round(mean["sangsaeng"] / mean["fts5_trigram"], 3)
        if mean["fts5_trigram"]
        else None,
    }
