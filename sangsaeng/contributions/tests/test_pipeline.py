"""Each pipeline step on Korean fixtures, and MinHash precision/recall on a synthetic corpus."""

from __future__ import annotations

import random
import unicodedata

from sangsaeng.contributions import pipeline as p
from sangsaeng.contributions import synthetic

DOC = (
    "상생은 누구나 스스로 설치해 쓸 수 있는 열린 플랫폼입니다. 이 글은 한국어 말뭉치에 기여하기 위해 "
    "작성한 예시 문서로, 오늘 아침 시장에서 산 사과와 배 이야기를 담고 있습니다. 할머니께서는 "
    "가을 사과가 가장 달다고 말씀하셨습니다."
)


def test_normalise_composes_decomposed_hangul() -> None:
    nfd = unicodedata.normalize("NFD", "한국어  문장\r\n둘째 줄 ")
    text, step = p.normalise(nfd)
    assert text == "한국어 문장\n둘째 줄"
    assert step.ok and step.reason == "nfc_changed"


def test_korean_filter_by_hangul_ratio() -> None:
    assert p.korean_filter(DOC).ok
    step = p.korean_filter("This is an English paragraph with only a few 한글 letters in it.")
    assert not step.ok and step.reason == "not_korean" and step.detail["hangul_ratio"] < 0.5


def test_quality_heuristics() -> None:
    assert p.quality(DOC).ok
    assert p.quality("짧은 글").reason == "too_short"
    assert p.quality("\n".join(["같은 줄이 계속 반복됩니다"] * 10)).reason == "repeated_lines"
    assert p.quality("좋아요 정말 좋아요 " * 30).reason == "repeated_phrases"
    twelve_words = "오늘 아침 동네 시장에서 산 빨간 사과가 정말 달고 맛있어서 모두 좋아했습니다"
    assert p.quality(twelve_words).ok  # a short text with no repeated phrase is not "repetitive"
    assert p.quality("가나다 ### @@@ $$$ %%% ^^^ &&& *** 라마바 ### @@@").reason == "too_many_symbols"


def test_rrn_checksum_and_luhn() -> None:
    digits = "800101123456"
    total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    good = digits + str((11 - total % 11) % 10)
    bad = digits + str(((11 - total % 11) % 10 + 1) % 10)
    assert p.rrn_valid(good) and not p.rrn_valid(bad)
    assert p.luhn_valid("4111111111111111") and not p.luhn_valid("4111111111111112")


def test_pii_scrub_replaces_with_tags_and_reports_spans() -> None:
    digits = "900315123456"
    total = sum(int(d) * w for d, w in zip(digits, (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    rrn = f"{digits[:6]}-{digits[6:]}{(11 - total % 11) % 10}"
    text = (
        f"제 주민등록번호는 {rrn}이고, 휴대폰은 010-1234-5678, 메일은 minji.kim@example.co.kr 입니다. "
        "카드 4111-1111-1111-1111 로 결제했고 환불은 국민은행 계좌 123456-01-123456 으로 받았습니다. "
        "체크섬이 틀린 900315-1234560 과 카드 4111-1111-1111-1112 는 그대로 둡니다."
    )
    scrubbed, spans, step = p.pii_scrub(text)
    kinds = [s.kind for s in spans]
    assert kinds == ["rrn", "phone", "email", "card", "account"]
    assert rrn not in scrubbed and "010-1234-5678" not in scrubbed and "minji.kim" not in scrubbed
    assert "[주민등록번호]" in scrubbed and "[계좌번호]" in scrubbed and "[카드번호]" in scrubbed
    assert "900315-1234560" in scrubbed and "4111-1111-1111-1112" in scrubbed
    assert all(text[s.start : s.end] for s in spans)
    assert step.detail == {"rrn": 1, "phone": 1, "email": 1, "card": 1, "account": 1}


def test_exact_and_near_dedupe_against_corpus() -> None:
    corpus = p.Corpus()
    first = p.run(DOC, corpus)
    assert first.status == "accepted" and first.token_count > 0
    again = p.run(DOC.replace(" ", "  "), corpus)
    assert again.status == "rejected" and again.reasons == ["exact_duplicate"]
    near = p.run(DOC.replace("할머니께서는", "할아버지께서는"), corpus)
    assert near.status == "rejected" and near.reasons == ["near_duplicate"]
    assert near.steps[-1].detail["matches"] == [first.sha256]


def test_token_count_uses_bundled_tokenizer() -> None:
    assert p.tokenizer_path().name == "tokenizer.json" and p.tokenizer_path().exists()
    assert 0 < p.token_count(DOC) < len(DOC)


def test_minhash_precision_recall_on_synthetic_corpus() -> None:
    rng = random.Random(14)
    corpus = p.Corpus()
    originals = [synthetic.document(rng) for _ in range(150)]
    for text in originals:
        corpus.add(p.content_hash(text), p.minhash(text))
    near = [synthetic.mutate(rng, rng.choice(originals), 0.05) for _ in range(150)]  # ~5% of words changed
    fresh = [synthetic.document(rng) for _ in range(150)]
    tp = sum(1 for t in near if corpus.near(p.minhash(t)))
    fp = sum(1 for t in fresh if corpus.near(p.minhash(t)))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / len(near)
    print(f"minhash precision={precision:.3f} recall={recall:.3f} (tp={tp} fp={fp})")
    assert precision >= 0.95
    assert recall >= 0.9
