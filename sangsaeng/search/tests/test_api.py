"""/api/v1/search/ and /api/v1/search/suggest: results, filters, problems, another user's data."""

from __future__ import annotations

import pytest

from sangsaeng.search import services
from sangsaeng.search.registry import PUBLIC

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(posts, chats, alice, bob):
    services.index_documents(
        [
            posts.add("p1", "제주 한라봉 3kg", "서귀포 농장에서 수확한 한라봉입니다", visibility=PUBLIC, price=32000),
            posts.add("p2", "한라봉 에이드 만드는 법", "한라봉을 반으로 잘라 즙을 짜요", visibility=PUBLIC),
            chats.add("m1", "한라봉 주문했어?", owner_id=bob.pk, audience=(bob.pk,)),
        ]
    )


def test_search_returns_highlighted_results(api_alice, indexed):
    answer = api_alice.get("/api/v1/search/", {"q": "한라봉을"})

    assert answer.status_code == 200
    body = answer.json()
    assert body["terms"] == ["한라봉"]
    assert {r["id"] for r in body["results"]} == {"p1", "p2"}
    first = body["results"][0]
    assert "<mark>한라봉</mark>" in first["title_html"]
    start, end = first["title_highlights"][0]
    assert first["title"][start:end] == "한라봉"


def test_filters_by_type_and_price(api_alice, indexed):
    answer = api_alice.get("/api/v1/search/", {"q": "한라봉", "type": "post", "price_min": 10000, "price_max": 50000})

    assert [r["id"] for r in answer.json()["results"]] == ["p1"]
    assert (
        api_alice.get("/api/v1/search/", {"q": "한라봉", "from": "2020-01-01", "to": "2020-12-31"}).json()["results"]
        == []
    )


def test_another_users_chat_is_not_in_my_results(api_alice, api_bob, indexed):
    assert "m1" not in {r["id"] for r in api_alice.get("/api/v1/search/", {"q": "한라봉"}).json()["results"]}
    assert "m1" in {r["id"] for r in api_bob.get("/api/v1/search/", {"q": "한라봉"}).json()["results"]}


def test_suggest_completes_as_i_type(api_alice, indexed):
    answer = api_alice.get("/api/v1/search/suggest", {"q": "한라"})

    assert answer.status_code == 200
    assert {s["text"] for s in answer.json()} == {"제주 한라봉 3kg", "한라봉 에이드 만드는 법"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"q": "a", "type": "nope"}, "invalid_type"),
        ({"q": "a", "from": "2026-05-02", "to": "2026-05-01"}, "invalid_range"),
        ({"q": "a", "price_min": 9, "price_max": 1}, "invalid_range"),
        ({"q": "a", "price_min": -1}, "invalid_field"),
        ({"q": "a", "from": "어제"}, "invalid_field"),
        ({"q": "a", "limit": 500}, "invalid_field"),
    ],
)
def test_bad_filters_are_problems(api_alice, indexed, params, code):
    answer = api_alice.get("/api/v1/search/", params)

    assert answer.status_code in (400, 422)
    assert answer["Content-Type"].startswith("application/problem+json")
    assert answer.json()["code"] == code


def test_an_empty_query_is_an_empty_answer(api_alice, indexed):
    assert api_alice.get("/api/v1/search/", {"q": ""}).json()["results"] == []
    assert api_alice.get("/api/v1/search/suggest", {"q": "   "}).json() == []


def test_search_needs_a_signed_in_user(anon_api, indexed):
    assert anon_api.get("/api/v1/search/", {"q": "한라봉"}).status_code == 401
