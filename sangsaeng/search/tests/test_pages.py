"""The search page and the operators' synonym editor."""

from __future__ import annotations

import pytest

from sangsaeng.search import services
from sangsaeng.search.models import SynonymGroup
from sangsaeng.search.registry import PUBLIC

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def operator(django_user_model):
    return django_user_model.objects.create_user(email="op@example.com", password=PASSWORD, is_staff=True)


def test_the_search_page_shows_highlighted_results(client, alice, posts):
    services.index_documents(
        [posts.add("p1", "무선 이어폰 추천", "출퇴근길에 듣기 좋은 이어폰이에요", visibility=PUBLIC)]
    )
    client.force_login(alice)

    page = client.get("/search/", {"q": "이어폰을"})

    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="result"' in html
    assert "무선 <mark>이어폰</mark> 추천" in html


def test_the_search_page_says_when_nothing_matches(client, alice, posts):
    client.force_login(alice)

    page = client.get("/search/", {"q": "없는말", "price_min": "x", "from": "bad"})

    assert page.status_code == 200
    assert 'data-testid="no-results"' in page.content.decode()


def test_the_search_page_needs_sign_in(client):
    assert client.get("/search/").status_code == 302


def test_operators_add_and_delete_synonyms(client, operator):
    client.force_login(operator)

    added = client.post("/search/synonyms/", {"terms": "휴대폰, 핸드폰", "note": "기기"})

    assert added.status_code == 302
    group = SynonymGroup.objects.get()
    assert group.terms == "휴대폰, 핸드폰"
    assert "휴대폰, 핸드폰" in client.get("/search/synonyms/").content.decode()
    assert client.post(f"/search/synonyms/{group.public_id}/delete").status_code == 302
    assert SynonymGroup.objects.count() == 0


def test_a_bad_synonym_group_is_refused_on_the_page(client, operator):
    client.force_login(operator)

    refused = client.post("/search/synonyms/", {"terms": "혼자"})

    assert refused.status_code == 422
    assert SynonymGroup.objects.count() == 0


def test_the_synonym_editor_is_not_there_for_other_users(client, alice, operator):
    group = SynonymGroup.objects.create(terms="가, 나")
    client.force_login(alice)

    assert client.get("/search/synonyms/").status_code == 404
    assert client.post("/search/synonyms/", {"terms": "다, 라"}).status_code == 404
    assert client.post(f"/search/synonyms/{group.public_id}/delete").status_code == 404
    assert list(SynonymGroup.objects.values_list("terms", flat=True)) == ["가, 나"]
