"""`sangsaeng bench commons [--mb 50] [--seed 14]`: the LM commons pipeline's throughput.

Generated Korean documents (fixed seed; one in ten a near-copy of an earlier one, one in twenty with a
phone number or an e-mail address) go through the whole pipeline of sangsaeng/contributions
(NFC, Hangul ratio, quality, PII scrub, exact dedupe, MinHash LSH, tokens) against a corpus that grows
as documents are accepted. Reported: docs/s, MB/s, the share of time spent in each step, the
acceptance mix, and the ratio to a baseline measured in the same run: NFC + SHA-256 of the same bytes.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from typing import Any

from bench.harness import record_samples
from sangsaeng.contributions.synthetic import corpus

NAME = "commons"


def run(options: dict[str, Any]) -> dict[str, Any]:
    import django

    django.setup()
    from sangsaeng.contributions import pipeline

    mb = float(options.get("mb", 50))
    docs = corpus(mb, int(options.get("seed", 14)))
    total_bytes = sum(len(d.encode()) for d in docs)
    pipeline.token_count("워밍업")  # load the tokenizer outside the timing

    start = time.perf_counter()
    for d in docs:
        hashlib.sha256(unicodedata.normalize("NFC", d).encode()).digest()
    baseline_s = time.perf_counter() - start

    corpus_index = pipeline.Corpus()
    timings: dict[str, float] = {}
    outcomes: dict[str, int] = {}
    per_doc: list[float] = []
    start = time.perf_counter()
    for d in docs:
        one = time.perf_counter()
        result = pipeline.run(d, corpus_index, timings=timings)
        per_doc.append((time.perf_counter() - one) * 1000)
        key = result.status if result.status == "accepted" else result.reasons[0]
        outcomes[key] = outcomes.get(key, 0) + 1
    elapsed = time.perf_counter() - start
    record_samples("pipeline_per_doc", per_doc)
    baseline_per_doc = []  # for the plots only, after the timed runs: a timer per document would skew the ratio
    for d in docs:
        one = time.perf_counter()
        hashlib.sha256(unicodedata.normalize("NFC", d).encode()).digest()
        baseline_per_doc.append((time.perf_counter() - one) * 1000)
    record_samples("nfc_sha256_per_doc", baseline_per_doc, baseline=True)
    stepped = sum(timings.values()) or 1.0
    out: dict[str, Any] = {
        "bench": NAME,
        "docs": len(docs),
        "mb": round(total_bytes / 1024 / 1024, 2),
        "seconds": round(elapsed, 2),
        "docs_per_s": round(len(docs) / elapsed, 1),
        "mb_per_s": round(total_bytes / 1024 / 1024 / elapsed, 3),
        "baseline_mb_per_s": round(total_bytes / 1024 / 1024 / baseline_s, 1),
        "pipeline_vs_nfc_sha256": round(baseline_s / elapsed, 4),
    }
    out |= {f"share_{name}": round(t / stepped, 3) for name, t in sorted(timings.items())}
    out |= {f"outcome_{k}": v for k, v in sorted(outcomes.items())}
    return out
