"""Highlights on the original text: the stored Kiwi spans say where each term sits in the string
the person wrote, so 대통령은 is marked on 대통령 and 예뻐요 on 예뻐, with no re-analysis."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from django.utils.html import escape

from sangsaeng.search.hangul import initials

SNIPPET_CHARS = 140
_WORD = re.compile(r"\S+")

Marks = list[tuple[int, int]]


def matcher(exact: set[str], prefixes: set[str]) -> Callable[[str], bool]:
    def matches(term: str) -> bool:
        return term in exact or any(term.startswith(p) for p in prefixes)

    return matches


def marks_from_spans(spans: Sequence[Sequence[object]], matches: Callable[[str], bool]) -> Marks:
    found = [(int(str(s)), int(str(e))) for s, e, term in spans if matches(str(term))]
    return _merge(found)


def marks_for_initials(text: str, words: Sequence[str]) -> Marks:
    """Mark the syllables of title words whose initials start with a typed word (ㄱㅁ -> 김민)."""
    found = []
    for match in _WORD.finditer(text):
        letters = initials(match.group())
        for word in words:
            if letters.startswith(word):
                found.append((match.start(), match.start() + len(word)))
                break
    return _merge(found)


def _merge(marks: Marks) -> Marks:
    merged: Marks = []
    for start, end in sorted(marks):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def snippet(text: str, marks: Marks, size: int = SNIPPET_CHARS) -> tuple[str, Marks]:
    """A window of the text around the first mark, with the marks shifted into it."""
    if len(text) <= size:
        return text, marks
    start = 0
    if marks:
        start = max(0, min(marks[0][0] - size // 4, len(text) - size))
    end = start + size
    window = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shift = len(prefix) - start
    inside = [(max(s, start) + shift, min(e, end) + shift) for s, e in marks if e > start and s < end]
    return prefix + window + suffix, inside


def to_html(text: str, marks: Marks) -> str:
    """The text escaped, with <mark> around each highlighted range."""
    out: list[str] = []
    cursor = 0
    for start, end in marks:
        out.append(escape(text[cursor:start]))
        out.append("<mark>" + escape(text[start:end]) + "</mark>")
        cursor = end
    out.append(escape(text[cursor:]))
    return "".join(out)
