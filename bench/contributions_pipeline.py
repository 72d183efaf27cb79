"""`sangsaeng bench commons [--mb 50] [--seed 14]`: the LM commons pipeline's throughput.

Generated Korean documents (fixed seed; one in ten a near-copy of an earlier one, one in twenty with a
phone number or an e-mail address) go through the whole pipeline of sangsaeng/contributions
(NFC, Hangul ratio, quality, PII scrub, exact dedupe, MinHash LSH, tokens) against a corpus that grows
as documents are accepted. Reported: docs/s, MB/s, the share of time spent in each step, the
acceptance mix, and the ratio to a baseline measured in the same run: NFC + SHA-256 of the same bytes.
"""

from __future__ import annotations

import hashlib
import random
import time
import unicodedata
from typing import Any

NAME = "commons"

WORDS = [
    "하늘",
    "바다",
    "산",
    "강",
    "나무",
    "꽃",
    "바람",
    "구름",
    "햇살",
    "마을",
    "시장",
    "학교",
    "친구",
    "가족",
    "음식",
    "김치",
    "된장",
    "사과",
    "배",
    "기차",
    "버스",
    "도서관",
    "공원",
    "아침",
    "저녁",
    "겨울",
    "봄",
    "여름",
    "가을",
    "노래",
    "책",
    "편지",
    "시간",
    "마음",
    "생각",
    "이야기",
    "할머니",
    "동생",
    "회사",
    "선생님",
    "골목",
    "빵집",
    "자전거",
    "운동장",
    "커피",
    "우산",
    "사진",
    "영화",
    "축제",
    "김밥",
    "떡볶이",
    "시골",
    "도시",
    "뉴스",
    "날씨",
    "주말",
    "여행",
    "병원",
    "약국",
]
ENDINGS = ["은", "는", "이", "가", "을", "를", "에서", "와", "도", "로"]
VERBS = ["갔습니다", "좋아합니다", "보았습니다", "만났습니다", "기다립니다", "이야기했습니다", "샀습니다", "걸었습니다"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) + rng.choice(ENDINGS) for _ in range(rng.randint(4, 9))]
    return " ".join(words) + " " + rng.choice(VERBS) + "."


def corpus(mb: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    docs: list[str] = []
    size = 0
    target = int(mb * 1024 * 1024)
    while size < target:
        if docs and rng.random() < 0.1:
            words = rng.choice(docs).split()
            words[rng.randrange(len(words))] = rng.choice(WORDS) + "도"
            text = " ".join(words)
        else:
            text = " ".join(_sentence(rng) for _ in range(rng.randint(8, 40)))
            if rng.random() < 0.05:
                text += f" 연락처는 010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)} 입니다."
            if rng.random() < 0.05:
                text += f" 메일 user{rng.randint(1, 9999)}@example.kr 로 보내 주세요."
        docs.append(text)
        size += len(text.encode())
    return docs


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
    start = time.perf_counter()
    for d in docs:
        result = pipeline.run(d, corpus_index, timings=timings)
        key = result.status if result.status == "accepted" else result.reasons[0]
        outcomes[key] = outcomes.get(key, 0) + 1
    elapsed = time.perf_counter() - start
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
