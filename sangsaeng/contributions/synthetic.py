"""Synthetic Korean text for the pipeline's benchmark and its near-duplicate test (fixed seeds)."""

from __future__ import annotations

import random

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


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) + rng.choice(ENDINGS) for _ in range(rng.randint(4, 9))]
    return " ".join(words) + " " + rng.choice(VERBS) + "."


def corpus(mb: float, seed: int) -> list[str]:
    rng = random.Random(seed)  # noqa: S311 (reproducible test data)
    docs: list[str] = []
    size = 0
    target = int(mb * 1024 * 1024)
    while size < target:
        if docs and rng.random() < 0.1:
            words = rng.choice(docs).split()
            words[rng.randrange(len(words))] = rng.choice(WORDS) + "도"
            text = " ".join(words)
        else:
            text = " ".join(sentence(rng) for _ in range(rng.randint(8, 40)))
            if rng.random() < 0.05:
                text += f" 연락처는 010-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)} 입니다."
            if rng.random() < 0.05:
                text += f" 메일 user{rng.randint(1, 9999)}@example.kr 로 보내 주세요."
        docs.append(text)
        size += len(text.encode())
    return docs


# The near-duplicate test's documents: the first 36 words and 8 endings, one sentence of n words.
TEST_WORDS = WORDS[:36]


def document(rng: random.Random, n: int = 60) -> str:
    return " ".join(rng.choice(TEST_WORDS) + rng.choice(ENDINGS[:8]) for _ in range(n)) + "."


def mutate(rng: random.Random, text: str, rate: float) -> str:
    """Replace about `rate` of the words: a near-copy."""
    words = text.split()
    for i in range(len(words)):
        if rng.random() < rate:
            words[i] = rng.choice(TEST_WORDS) + "도"
    return " ".join(words)
