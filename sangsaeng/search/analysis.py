"""Kiwi morphological analysis: the terms a text is indexed under, with where each one sits.

The Kiwi model takes ~2 s and ~500 MB to load, so it loads once per process, on the first search
or index, never at web start-up. Texts always go through Kiwi's batch API (one call for many
texts): calling it once per text is about four times slower.

A term is a content morpheme: nouns, verb and adjective lemmas (먹었다 -> 먹다), roots, foreign
words and numbers, lower-cased. Particles and endings are dropped, which is what makes 대통령은
find 대통령. Every term keeps its offsets in the ORIGINAL string, so highlights land on the text
the person wrote, not on a normalised copy.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

# Kiwi part-of-speech tags kept as terms (a "-R"/"-I" suffix marks regular/irregular conjugation).
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "SL", "SN", "SH", "VV", "VA", "W_HASHTAG"})
LEMMA_TAGS = frozenset({"VV", "VA"})
MAX_TERM_CHARS = 60
FUNCTION_TAG_PREFIXES = ("J", "E", "XS", "XP", "SF", "SP", "SS", "SE", "SO", "SW")

_lock = threading.Lock()
_kiwi: Any = None


def kiwi() -> Any:
    """The process's one Kiwi instance, created on first use."""
    global _kiwi
    if _kiwi is None:
        with _lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


@dataclass
class Analysis:
    """One text's terms in order, and (start, end, term) spans on the original string."""

    terms: list[str] = field(default_factory=list)
    spans: list[tuple[int, int, str]] = field(default_factory=list)
    # every token left out is a particle, an ending, a suffix or punctuation (제주도에, 예뻐요),
    # not a piece of a word being typed (블루투 -> 블루 + 투)
    only_function_words_dropped: bool = True


def _term(token: Any) -> str | None:
    tag = token.tag.split("-")[0]
    if tag not in CONTENT_TAGS:
        return None
    form = token.lemma if tag in LEMMA_TAGS else token.form
    form = form.strip().lower()
    if not form or len(form) > MAX_TERM_CHARS:
        return None
    return str(form)


def analyse(texts: Sequence[str]) -> list[Analysis]:
    """Analyse many texts in one Kiwi batch call."""
    if not texts:
        return []
    results: list[Analysis] = []
    for tokens in kiwi().tokenize(list(texts)):
        analysis = Analysis()
        for token in tokens:
            term = _term(token)
            if term is None:
                if not token.tag.startswith(FUNCTION_TAG_PREFIXES):
                    analysis.only_function_words_dropped = False
                continue
            analysis.terms.append(term)
            analysis.spans.append((token.start, token.start + token.len, term))
        results.append(analysis)
    return results


def terms_of(text: str) -> list[str]:
    return analyse([text])[0].terms if text.strip() else []


def tokenize_only(texts: Sequence[str]) -> int:
    """Kiwi alone over the texts (the benchmark's baseline); returns the number of tokens."""
    return sum(len(tokens) for tokens in kiwi().tokenize(list(texts)))
