"""The commons pipeline: pure steps that accept or reject one Korean document, each with a reason.

Order: NFC normalisation → Korean filter (Hangul ratio) → quality heuristics → PII scrubbing →
exact dedupe (SHA-256 of the normalised, scrubbed text) → near-duplicate check (MinHash LSH on
character 5-grams against the accepted corpus) → token count with the bundled model's tokenizer.
Nothing here touches the database; `Corpus` is the in-memory view of what was already accepted.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import time
import unicodedata
from collections import Counter
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from datasketch import MinHash, MinHashLSH

MIN_HANGUL_RATIO = 0.5
MIN_CHARS = 20
MAX_CHARS = 200_000
MAX_DUP_LINE_RATIO = 0.3
MAX_TOP_NGRAM_RATIO = 0.2
MAX_SYMBOL_RATIO = 0.25
NEAR_DUP_THRESHOLD = 0.6
NUM_PERM = 128
SHINGLE = 5
MINHASH_SCHEME = "affine64"  # pinned: stored signatures must be rebuilt with the scheme that made them


@dataclass
class Step:
    name: str
    ok: bool
    reason: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Span:
    kind: str
    start: int
    end: int
    tag: str


@dataclass
class Result:
    status: str  # "accepted" | "rejected"
    reasons: list[str]
    steps: list[Step]
    spans: list[Span]
    text: str
    sha256: str = ""
    token_count: int = 0
    minhash: MinHash | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "reasons": self.reasons,
            "steps": [asdict(s) for s in self.steps],
            "scrubbed_spans": [asdict(s) for s in self.spans],
            "token_count": self.token_count,
            "sha256": self.sha256,
        }


# -- 1. normalisation ---------------------------------------------------------------------------

_WS = re.compile(r"[ \t\u00a0\u3000]+")


def normalise(text: str) -> tuple[str, Step]:
    """NFC (so decomposed jamo from macOS files compose into syllables), unified newlines, trimmed."""
    nfc = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    nfc = "\n".join(_WS.sub(" ", line).strip() for line in nfc.split("\n")).strip()
    changed = nfc != text
    return nfc, Step("normalise", True, "nfc_changed" if changed else "nfc_unchanged", {"chars": len(nfc)})


# -- 2. Korean filter ---------------------------------------------------------------------------


def _is_hangul(ch: str) -> bool:
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def hangul_ratio(text: str) -> float:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for ch in letters if _is_hangul(ch)) / len(letters)


def korean_filter(text: str, *, min_ratio: float = MIN_HANGUL_RATIO) -> Step:
    ratio = round(hangul_ratio(text), 4)
    ok = ratio >= min_ratio
    return Step("korean", ok, "korean" if ok else "not_korean", {"hangul_ratio": ratio, "min": min_ratio})


# -- 3. quality ---------------------------------------------------------------------------------


def quality(text: str) -> Step:
    n = len(text)
    if n < MIN_CHARS:
        return Step("quality", False, "too_short", {"chars": n, "min": MIN_CHARS})
    if n > MAX_CHARS:
        return Step("quality", False, "too_long", {"chars": n, "max": MAX_CHARS})
    lines = [ln for ln in text.split("\n") if ln.strip()]
    dup_lines = (len(lines) - len(set(lines))) / len(lines) if len(lines) > 1 else 0.0
    if dup_lines > MAX_DUP_LINE_RATIO:
        return Step("quality", False, "repeated_lines", {"dup_line_ratio": round(dup_lines, 4)})
    words = text.split()
    trigrams = Counter(zip(words, words[1:], words[2:], strict=False))
    top_count = trigrams.most_common(1)[0][1] if trigrams else 0
    top = top_count * 3 / len(words) if top_count > 1 else 0.0  # words covered by the most repeated trigram
    if top > MAX_TOP_NGRAM_RATIO:
        return Step("quality", False, "repeated_phrases", {"top_trigram_ratio": round(top, 4)})
    visible = [ch for ch in text if not ch.isspace()]
    symbols = sum(1 for ch in visible if not ch.isalnum() and ch not in ".,!?'\"()~-:;·…「」『』")
    sym_ratio = symbols / len(visible) if visible else 1.0
    if sym_ratio > MAX_SYMBOL_RATIO:
        return Step("quality", False, "too_many_symbols", {"symbol_ratio": round(sym_ratio, 4)})
    return Step(
        "quality",
        True,
        "ok",
        {
            "chars": n,
            "dup_line_ratio": round(dup_lines, 4),
            "top_trigram_ratio": round(top, 4),
            "symbol_ratio": round(sym_ratio, 4),
        },
    )


# -- 4. PII -------------------------------------------------------------------------------------

_RRN = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})\s?-?\s?([1-8])(\d{6})(?!\d)")
_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_PHONE = re.compile(
    r"(?<![\d-])(?:\+82[ -]?(?:10|2|[3-6][1-5])|01[016789]|02|0[3-6][1-5]|070|080|1[5-8]\d{2})"
    r"[ -.)]?\d{3,4}[ -.]?\d{4}(?![\d-])"
)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_ACCOUNT = re.compile(r"(?<![\d-])\d{2,6}-\d{2,6}-\d{2,7}(?:-\d{1,3})?(?![\d-])")
_ACCOUNT_CONTEXT = re.compile(
    r"계좌|은행|입금|송금|뱅크|농협|신협|새마을|우체국|수협|국민|신한|우리|하나|기업|카카오|토스|케이|account", re.I
)
TAGS = {
    "rrn": "[주민등록번호]",
    "card": "[카드번호]",
    "phone": "[전화번호]",
    "email": "[이메일]",
    "account": "[계좌번호]",
}


def rrn_valid(digits: str) -> bool:
    """주민등록번호 checksum (numbers issued before October 2020) and a plausible birth date."""
    if len(digits) != 13 or not digits.isdigit():
        return False
    month, day = int(digits[2:4]), int(digits[4:6])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return False
    total = sum(int(d) * w for d, w in zip(digits[:12], (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5), strict=True))
    return (11 - total % 11) % 10 == int(digits[12])


def luhn_valid(digits: str) -> bool:
    if not 13 <= len(digits) <= 19 or not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _find(text: str) -> list[tuple[str, int, int]]:
    found: list[tuple[str, int, int]] = []
    taken = [False] * len(text)

    def add(kind: str, start: int, end: int) -> None:
        if any(taken[start:end]):
            return
        found.append((kind, start, end))
        for i in range(start, end):
            taken[i] = True

    for m in _EMAIL.finditer(text):
        add("email", m.start(), m.end())
    for m in _RRN.finditer(text):
        if rrn_valid(re.sub(r"\D", "", m.group(0))):
            add("rrn", m.start(), m.end())
    for m in _CARD.finditer(text):
        if luhn_valid(re.sub(r"\D", "", m.group(0))):
            add("card", m.start(), m.end())
    for m in _PHONE.finditer(text):
        add("phone", m.start(), m.end())
    for m in _ACCOUNT.finditer(text):
        digits = re.sub(r"\D", "", m.group(0))
        if 10 <= len(digits) <= 16 and _ACCOUNT_CONTEXT.search(text, max(0, m.start() - 20), m.start()):
            add("account", m.start(), m.end())
    return sorted(found, key=lambda f: f[1])


def pii_scrub(text: str) -> tuple[str, list[Span], Step]:
    """Replace each PII match with its tag; spans give the offsets in the input text (never the value)."""
    found = _find(text)
    out: list[str] = []
    last = 0
    spans: list[Span] = []
    for kind, start, end in found:
        out.append(text[last:start])
        out.append(TAGS[kind])
        spans.append(Span(kind, start, end, TAGS[kind]))
        last = end
    out.append(text[last:])
    counts = Counter(s.kind for s in spans)
    return "".join(out), spans, Step("pii", True, "scrubbed" if spans else "none_found", dict(counts))


# -- 5. exact and near duplicates ---------------------------------------------------------------


def content_hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def minhash(text: str, *, num_perm: int = NUM_PERM) -> MinHash:
    compact = "".join(text.split())
    shingles = {compact[i : i + SHINGLE] for i in range(max(1, len(compact) - SHINGLE + 1))}
    m = MinHash(num_perm=num_perm, scheme=MINHASH_SCHEME)
    m.update_batch([s.encode() for s in shingles])
    return m


class Corpus:
    """What has been accepted: exact hashes and a MinHash LSH index keyed by hash."""

    def __init__(self, *, threshold: float = NEAR_DUP_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        self.hashes: set[str] = set()
        self.lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self.num_perm = num_perm

    def add(self, sha: str, m: MinHash) -> None:
        if sha in self.hashes:
            return
        self.hashes.add(sha)
        self.lsh.insert(sha, m)

    def near(self, m: MinHash) -> list[str]:
        return sorted(self.lsh.query(m))


def exact_dedupe(sha: str, corpus: Corpus) -> Step:
    dup = sha in corpus.hashes
    return Step("exact_dedupe", not dup, "exact_duplicate" if dup else "unique", {"sha256": sha})


def near_dedupe(m: MinHash, corpus: Corpus) -> Step:
    near = corpus.near(m)
    return Step("near_dedupe", not near, "near_duplicate" if near else "unique", {"matches": near[:5]})


# -- 6. tokens ----------------------------------------------------------------------------------


def tokenizer_path() -> Path:
    """The bundled LM's tokenizer.json, found without importing the LM app (so no torch)."""
    from django.conf import settings

    configured = getattr(settings, "LM_MODEL_DIR", "") if settings.configured else ""
    if configured and (Path(configured) / "tokenizer.json").exists():
        return Path(configured) / "tokenizer.json"
    spec = importlib.util.find_spec("sangsaeng.lm")
    assert spec and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "model" / "tokenizer.json"


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    from tokenizers import Tokenizer

    return Tokenizer.from_file(str(tokenizer_path()))


def token_count(text: str) -> int:
    return len(_tokenizer().encode(text, add_special_tokens=False).ids)


# -- the whole pipeline -------------------------------------------------------------------------


def run(text: str, corpus: Corpus, *, remember: bool = True, timings: dict[str, float] | None = None) -> Result:
    """Run every step on `text`; stop at the first rejection. Accepted documents join `corpus` when
    `remember` (so a file's own duplicates are caught)."""
    clock = time.perf_counter
    t = timings if timings is not None else {}

    def lap(name: str, start: float) -> float:
        now = clock()
        t[name] = t.get(name, 0.0) + now - start
        return now

    start = clock()
    steps: list[Step] = []
    norm, step = normalise(text)
    steps.append(step)
    start = lap("normalise", start)

    def rejected(scrubbed: str, spans: list[Span], sha: str = "") -> Result:
        return Result("rejected", [s.reason for s in steps if not s.ok], steps, spans, scrubbed, sha)

    step = korean_filter(norm)
    steps.append(step)
    start = lap("korean", start)
    if not step.ok:
        return rejected(norm, [])
    step = quality(norm)
    steps.append(step)
    start = lap("quality", start)
    if not step.ok:
        return rejected(norm, [])
    scrubbed, spans, step = pii_scrub(norm)
    steps.append(step)
    start = lap("pii", start)
    sha = content_hash(scrubbed)
    step = exact_dedupe(sha, corpus)
    steps.append(step)
    start = lap("exact_dedupe", start)
    if not step.ok:
        return rejected(scrubbed, spans, sha)
    m = minhash(scrubbed, num_perm=corpus.num_perm)
    step = near_dedupe(m, corpus)
    steps.append(step)
    start = lap("near_dedupe", start)
    if not step.ok:
        return rejected(scrubbed, spans, sha)
    tokens = token_count(scrubbed)
    steps.append(Step("tokens", True, "counted", {"tokens": tokens}))
    lap("tokens", start)
    if remember:
        corpus.add(sha, m)
    return Result("accepted", [], steps, spans, scrubbed, sha, tokens, m)
