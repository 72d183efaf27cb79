"""Bad queries give empty or ordinary results, never an error and never FTS syntax."""

from __future__ import annotations

import random

import pytest

from sangsaeng.search import services
from sangsaeng.search.registry import PUBLIC

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    "\t\n",
    '"',
    '""',
    "'",
    "*",
    "**",
    "NEAR",
    "NEAR(a b)",
    "a NEAR/2 b",
    "(",
    ")",
    "()",
    "-",
    "--",
    ":",
    "title:비밀",
    "{title body}: x",
    "a OR b",
    "AND",
    "NOT 사과",
    "사과*",
    "^사과",
    "'; DROP TABLE search_document; --",
    "\\",
    "\x00",
    "사과\x00배",
    "ㄱ",
    "ㅏㅓ",
    "😀🍎",
    "사과 😀 apple リンゴ 苹果",
    "!@#$%^&*()",
    "a" * 5000,
    "대통령은 " * 500,
    "<script>alert(1)</script>",
    "%",
    "_",
    "%%사과%%",
    "사과 & 배 | 귤 ! 감",
    "'사과':*",
    "사과 <-> 배",
]


@pytest.fixture
def indexed(posts):
    services.index_documents(
        [
            posts.add("p1", "사과 한 상자", "부사 사과 5kg", visibility=PUBLIC),
            posts.add("p2", "apple 주스", "NEAR 역 근처 카페", visibility=PUBLIC),
        ]
    )


@pytest.mark.parametrize("q", NASTY)
def test_nasty_queries_are_answered_safely(q, indexed, alice):
    found = services.search(user=alice, q=q)
    suggested = services.suggest(user=alice, q=q)

    assert isinstance(found.hits, list) and isinstance(suggested, list)
    for hit in found.hits:
        assert "<script>" not in hit.title_html + hit.snippet_html


def test_syntax_characters_are_searched_as_text(indexed, alice):
    assert {h.id for h in services.search(user=alice, q='"사과*"').hits} == {"p1"}
    assert {h.id for h in services.search(user=alice, q="(사과) -배 title:").hits} == {"p1"}
    assert {h.id for h in services.search(user=alice, q="near").hits} == {"p2"}  # a word, not an operator
    assert {h.id for h in services.search(user=alice, q="APPLE").hits} == {"p2"}


def test_fuzzed_queries_never_raise(indexed, alice):
    rng = random.Random(15)
    alphabet = (
        list("\"*():-^{}[]<>|&!~'\\%_,.;/ NEARORANDNOT") + list("사과배귤ㄱㅁㅈㅏ가힣") + ["😀", "\u200b", "\u0301"]
    )
    for _ in range(300):
        q = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        services.search(user=alice, q=q)
        services.suggest(user=alice, q=q)


def test_a_long_query_is_cut_not_refused(indexed, alice):
    found = services.search(user=alice, q="사과 " * 2000)

    assert [h.id for h in found.hits] == ["p1"]
    assert found.terms == ["사과"]
