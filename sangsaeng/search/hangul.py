"""Hangul arithmetic for search: initial consonants (초성) and jamo for typo distance.

A precomposed syllable U+AC00..U+D7A3 is 0xAC00 + (initial * 21 + medial) * 28 + final, so both
are a few integer divisions; no table lookups, no Unicode normalisation.
"""

from __future__ import annotations

import re

_BASE, _LAST = 0xAC00, 0xD7A3
# Compatibility jamo, the letters a keyboard types when it stops at ㄱ, ㅁ, ㅈ.
INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ["", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"]
_INITIAL_SET = frozenset(INITIALS)
_HANGUL_WORD = re.compile(r"[가-힣]+")


def is_syllable(char: str) -> bool:
    return _BASE <= ord(char) <= _LAST


def is_initials_query(text: str) -> bool:
    """True for a query typed as initial consonants only: ㄱㅁㅈ, ㅅㅅ ㅈㅈ."""
    letters = text.replace(" ", "")
    return len(letters) >= 2 and all(c in _INITIAL_SET for c in letters)


def initials(word: str) -> str:
    """김민지 -> ㄱㅁㅈ; characters that are not syllables are dropped."""
    return "".join(INITIALS[(ord(c) - _BASE) // 588] for c in word if is_syllable(c))


def initials_of_text(text: str) -> list[str]:
    """The initials of every Hangul run in the text, in order: '김민지 대리' -> [ㄱㅁㅈ, ㄷㄹ]."""
    return [initials(m.group()) for m in _HANGUL_WORD.finditer(text)]


def jamo(word: str) -> str:
    """Decompose syllables into their letters (김 -> ㄱㅣㅁ), other characters kept."""
    out: list[str] = []
    for c in word:
        if is_syllable(c):
            code = ord(c) - _BASE
            out.append(INITIALS[code // 588])
            out.append(MEDIALS[(code % 588) // 28])
            out.append(FINALS[code % 28])
        else:
            out.append(c)
    return "".join(out)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        best = i
        for j, cb in enumerate(b, 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            current.append(value)
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]
