"""`sangsaeng bench search [--docs 100000] [--queries 200] [--sample 2000]`: Korean search at scale.

Synthetic Korean documents are drawn from the relevance corpus's titles and sentences (fixed seed).
Everything runs in a child process on a fresh SQLite file, or on the database DATABASE_URL names
(PostgreSQL), where the benchmark's documents are deleted afterwards.

- Indexing throughput: the full pipeline (Kiwi analysis, rows, audience, full-text index,
  vocabulary) over `sample` documents, as a ratio to Kiwi's batch tokenisation alone over the same
  texts in the same run (1.0 would mean indexing costs nothing beyond Kiwi).
- Query latency at `docs` documents: p50 and p99 of the search service (query analysis, synonyms,
  typo check, full-text query with the visibility filter, the provider check, highlights) for the
  judged queries of the relevance set, and of autocomplete; the baseline is a LIKE substring scan
  over the same table, ranked
  (title 2, body 1) like the relevance baseline. The fill beyond the sample reuses Kiwi's analysis of each distinct
  sentence (the synthetic documents are made of them), which gives the same terms and offsets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

from bench.harness import record_samples

NAME = "search"

CHILD = r"""
import json, random, sys, time
import django
django.setup()
from pathlib import Path
from django.db.models import Case, Value, When
from sangsaeng.accounts.services import user_create
from sangsaeng.search import analysis
from sangsaeng.search.analysis import Analysis, analyse, tokenize_only
from sangsaeng.search.indexing import index_documents
from sangsaeng.search.models import Document
from sangsaeng.search.registry import PRIVATE, PUBLIC, Doc, provider_register
from sangsaeng.search.searching import search, suggest

docs_total, n_queries, sample = (int(a) for a in sys.argv[1:4])
root = Path("sangsaeng/search/relevance")
corpus = [json.loads(l) for l in (root / "corpus.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
queries = sorted({l.split("\t")[0] for l in (root / "qrels.tsv").read_text(encoding="utf-8").splitlines() if l})
titles = sorted({d["title"] for d in corpus})
sentences = sorted({s.strip() + ("." if not s.strip().endswith(".") else "") for d in corpus
                    for s in d["text"].replace(" · ", ". ").split(". ") if s.strip()})
rng = random.Random(15)
me = user_create(email="bench-search@example.com", password="bench-password-2026", verified=True, validate=False)
other = user_create(email="bench-other@example.com", password="bench-password-2026", verified=True, validate=False)

class BenchProvider:
    label = "bench"
    events = {}
    def documents(self, ids):
        return []
    def visible(self, *, user, ids):
        return set(ids)

provider_register("bench", BenchProvider())

def make(i):
    pieces = rng.sample(sentences, k=rng.randint(3, 5))
    visibility = PUBLIC if i % 2 else PRIVATE
    owner = me.pk if i % 4 == 0 else other.pk
    return Doc(id=str(i), kind="bench", title=rng.choice(titles), text=" ".join(pieces), owner_id=owner,
               visibility=visibility, price=rng.randrange(1000, 200000, 100)), pieces

pieces_of = {}
def made_range(start, end):
    out = []
    for i in range(start, end):
        doc, pieces = make(i)
        pieces_of[doc.text] = pieces
        out.append(doc)
    return out

# 1. throughput on the sample: Kiwi alone, then the full pipeline, on the same texts
sample_docs = made_range(0, sample)
texts = [t for d in sample_docs for t in (d.title, d.text)]
analyse(["워밍업"])
# batches alternate between the two, so noise from other work on the machine hits both alike
kiwi_s = index_s = 0.0
for start in range(0, len(sample_docs), 200):
    batch = sample_docs[start : start + 200]
    started = time.perf_counter()
    tokenize_only([t for d in batch for t in (d.title, d.text)])
    kiwi_s += time.perf_counter() - started
    started = time.perf_counter()
    index_documents(batch)
    index_s += time.perf_counter() - started
chars = sum(len(t) for t in texts)

# 2. fill to docs_total, reusing each distinct title's and sentence's analysis
cache = {}
def cached(texts):
    missing = sorted({p for t in texts for p in pieces_of.get(t, [t]) if p not in cache})
    for p, a in zip(missing, analyse(missing)):
        cache[p] = a
    out = []
    for t in texts:
        whole, offset = Analysis(), 0
        for p in pieces_of.get(t, [t]):
            a = cache[p]
            whole.terms += a.terms
            whole.spans += [(s + offset, e + offset, term) for s, e, term in a.spans]
            offset += len(p) + 1
        out.append(whole)
    return out

started = time.perf_counter()
for start in range(sample, docs_total, 500):
    index_documents(made_range(start, min(start + 500, docs_total)), analyser=cached)
fill_s = time.perf_counter() - started

# 3. query latency
def timed(fn, items):
    samples = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        samples.append((time.perf_counter() - t) * 1000)
    return samples

picked = [rng.choice(queries) for _ in range(n_queries)]
for q in picked[:10]:
    search(user=me, q=q)
found = [len(search(user=me, q=q).hits) for q in queries]
search_ms = timed(lambda q: search(user=me, q=q, limit=10), picked)
suggest_ms = timed(lambda q: suggest(user=me, q=q[:2]), picked)
def like(q):
    # ranked like the eval baseline: every word as a substring, title 2, body 1, best first
    score = Value(0)
    for w in q.split():
        score = score + Case(When(title__contains=w, then=Value(2)), default=Value(0)) + Case(
            When(text__contains=w, then=Value(1)), default=Value(0))
    rows = Document.objects.filter(kind="bench").annotate(s=score).filter(s__gt=0).order_by("-s", "id")
    return list(rows.values_list("id", flat=True)[:10])
like_ms = timed(like, picked)
count = Document.objects.filter(kind="bench").count()
if "DATABASE_URL" in __import__("os").environ:
    Document.objects.filter(kind="bench").delete()
    me.delete(); other.delete()
print(json.dumps({"kiwi_s": kiwi_s, "index_s": index_s, "chars": chars, "fill_s": fill_s, "count": count,
                  "search_ms": search_ms, "suggest_ms": suggest_ms, "like_ms": like_ms,
                  "queries_with_hits": sum(1 for f in found if f), "queries_judged": len(queries)}))
"""


def _pct(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    return round(ordered[min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))], 2)


def run(options: dict[str, Any]) -> dict[str, Any]:
    docs = int(options.get("docs", 100_000))
    queries = int(options.get("queries", 200))
    sample = min(int(options.get("sample", 2000)), docs)
    with tempfile.TemporaryDirectory(prefix="ssg-bench-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "DJANGO_SETTINGS_MODULE": "sangsaeng.settings"}
        for name in ("STORAGE_URL", "REDIS_URL"):
            env.pop(name, None)
        subprocess.run([sys.executable, "-m", "sangsaeng.cli", "migrate", "--noinput", "-v", "0"], env=env, check=True)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(docs), str(queries), str(sample)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout.splitlines()[-1]
    data = json.loads(out)
    kiwi_rate = sample / data["kiwi_s"]
    index_rate = sample / data["index_s"]
    record_samples("search", data["search_ms"])
    record_samples("suggest", data["suggest_ms"])
    record_samples("like_scan", data["like_ms"], baseline=True)
    p50 = {k: _pct(data[f"{k}_ms"], 50) for k in ("search", "suggest", "like")}
    p99 = {k: _pct(data[f"{k}_ms"], 99) for k in ("search", "suggest", "like")}
    return {
        "name": NAME,
        "database": "postgresql" if "DATABASE_URL" in os.environ else "sqlite",
        "documents": data["count"],
        "queries": queries,
        "index_docs_per_s": round(index_rate, 1),
        "kiwi_docs_per_s": round(kiwi_rate, 1),
        "kiwi_chars_per_s": round(data["chars"] / data["kiwi_s"]),
        "index_vs_kiwi_throughput": round(index_rate / kiwi_rate, 3),
        "fill_s": round(data["fill_s"], 1),
        "p50_ms": p50,
        "p99_ms": p99,
        "search_p50_vs_like_p50": round(p50["search"] / p50["like"], 3) if p50["like"] else None,
        "judged_queries_with_hits": f"{data['queries_with_hits']}/{data['queries_judged']}",
    }
