"""Morphological matching, ranking, highlights on the original text, filters."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sangsaeng.search import services
from sangsaeng.search.registry import PUBLIC

pytestmark = pytest.mark.django_db


def _index(posts, *docs):
    services.index_documents([posts.add(*d[:3], **d[3]) if len(d) > 3 else posts.add(*d) for d in docs])


def test_inflected_query_finds_the_lemma(posts, alice):
    # given
    _index(
        posts,
        ("p1", "대통령 연설문", "대통령은 국회의원이 발의한 법안에 대해 말했다", {"visibility": PUBLIC}),
        ("p2", "제주 여행", "성산일출봉에서 본 해돋이", {"visibility": PUBLIC}),
    )
    # when
    found = services.search(user=alice, q="국회의원이")
    # then
    assert [h.id for h in found.hits] == ["p1"]
    assert found.terms == ["국회", "의원"]


def test_highlights_land_on_the_original_text(posts, alice):
    _index(posts, ("p1", "예뻤던 제주도의 노을", "제주도에서 찍은 사진들은 정말 예뻐요", {"visibility": PUBLIC}))

    hit = services.search(user=alice, q="제주도 예쁘다").hits[0]

    assert [hit.title[s:e] for s, e in hit.title_marks] == ["예뻤", "제주도"]
    assert [hit.snippet[s:e] for s, e in hit.snippet_marks] == ["제주도", "예뻐"]
    assert hit.title_html == "<mark>예뻤</mark>던 <mark>제주도</mark>의 노을"


def test_highlight_html_is_escaped(posts, alice):
    _index(posts, ("p1", "<b>사과</b> & 배", "", {"visibility": PUBLIC}))

    hit = services.search(user=alice, q="사과").hits[0]

    assert hit.title_html == "&lt;b&gt;<mark>사과</mark>&lt;/b&gt; &amp; 배"


def test_title_matches_rank_above_body_matches(posts, alice):
    _index(
        posts,
        ("body", "여행 후기", "무선 이어폰을 잃어버렸다", {"visibility": PUBLIC}),
        ("title", "무선 이어폰 추천", "출퇴근길에 쓰기 좋은 제품", {"visibility": PUBLIC}),
    )

    assert [h.id for h in services.search(user=alice, q="이어폰").hits] == ["title", "body"]


def test_filters_by_type_date_and_price(posts, chats, alice):
    day = datetime(2026, 5, 1, tzinfo=UTC)
    _index(
        posts,
        ("cheap", "텀블러 할인", "", {"visibility": PUBLIC, "price": 9000, "date": day}),
        ("dear", "텀블러 한정판", "", {"visibility": PUBLIC, "price": 45000, "date": day}),
        ("old", "텀블러 중고", "", {"visibility": PUBLIC, "price": 5000, "date": datetime(2024, 1, 1, tzinfo=UTC)}),
    )
    services.index_documents([chats.add("c1", "텀블러 샀어?", owner_id=alice.pk)])

    assert {h.id for h in services.search(user=alice, q="텀블러").hits} == {"cheap", "dear", "old", "c1"}
    assert {h.id for h in services.search(user=alice, q="텀블러", kinds=("chat",)).hits} == {"c1"}
    assert {h.id for h in services.search(user=alice, q="텀블러", price_min=8000).hits} == {"cheap", "dear"}
    assert {h.id for h in services.search(user=alice, q="텀블러", price_max=9000).hits} == {"cheap", "old"}
    assert {h.id for h in services.search(user=alice, q="텀블러", date_from=datetime(2025, 1, 1, tzinfo=UTC)).hits} == {
        "cheap",
        "dear",
    }
    assert {h.id for h in services.search(user=alice, q="텀블러", date_to=datetime(2025, 1, 1, tzinfo=UTC)).hits} == {
        "old"
    }


def test_reindexing_a_changed_document_replaces_its_terms(posts, alice):
    _index(posts, ("p1", "여름 원피스", "", {"visibility": PUBLIC}))
    _index(posts, ("p1", "겨울 코트", "", {"visibility": PUBLIC}))

    assert services.search(user=alice, q="원피스").hits == []
    assert [h.id for h in services.search(user=alice, q="코트").hits] == ["p1"]


def test_removed_documents_are_not_found(posts, alice):
    _index(posts, ("p1", "가죽 지갑", "", {"visibility": PUBLIC}))
    posts.docs.clear()

    services.index_refresh(kind="post", ids=["p1"])

    assert services.search(user=alice, q="지갑").hits == []
