"""A person searches their own photos, albums and card book in Korean: autocomplete as they type,
an inflected query, highlighted results, initial consonants, and the English page."""

from __future__ import annotations

import pytest

from conftest import PASSWORD
from sangsaeng.business_cards import services as cards
from sangsaeng.drawer import services as drawer
from sangsaeng.search import services

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_search_with_autocomplete_and_highlights(page, live_server, alice, bob, shoot):
    # given: alice's Drawer and card book, and bob's file with the same words (never shown to her)
    base = live_server.url
    drawer.file_save_from(owner=alice, name="제주도 가족여행 일정표.pdf", data=b"%PDF-1.4", source="test")
    album = drawer.album_create(actor=alice, title="성산일출봉 해돋이")
    card = cards.card_create(owner=bob, data={"name": "김민지", "company": "상생전자", "title": "대리"})
    entry = cards.book_add(holder=alice, card_id=card.public_id)
    cards.entry_update(actor=alice, entry_id=entry.public_id, note="제주도 워크숍에서 만남", tags=["마케팅"])
    drawer.file_save_from(owner=bob, name="제주도 출장 영수증.pdf", data=b"%PDF-1.4", source="test")
    services.reindex()
    _sign_in(page, base, alice.email)

    # when: she opens search from the navigation and starts typing
    page.get_by_role("link", name="검색").first.click()
    page.wait_for_url(f"{base}/search/")
    box = page.get_by_test_id("search-input")
    box.press_sequentially("제주", delay=40)
    suggestion = page.get_by_test_id("suggestion").first
    suggestion.wait_for()
    assert "제주" in page.get_by_test_id("suggest").inner_text()
    assert page.locator("[data-testid=suggest] mark").first.inner_text() == "제주도"  # the whole word it completes
    assert "영수증" not in page.get_by_test_id("suggest").inner_text()
    shoot(page, "search-autocomplete")

    # then: an inflected query finds both her file and the card note, highlighted on the original words
    box.fill("제주도에서")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    results = page.get_by_test_id("result")
    assert results.count() == 2
    text = page.get_by_test_id("results").inner_text()
    assert "일정표" in text and "김민지" in text and "영수증" not in text
    assert page.locator("[data-testid=results] mark").first.inner_text() == "제주도"
    shoot(page, "search-results")

    # initial consonants find the card
    box = page.get_by_test_id("search-input")
    box.fill("ㄱㅁㅈ")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert page.get_by_test_id("result").count() == 1
    assert page.locator("[data-testid=results] mark").first.inner_text() == "김민지"
    shoot(page, "search-initials")

    # the type filter keeps albums only
    page.goto(f"{base}/search/?q=해돋이&type=album")
    assert page.get_by_test_id("result").count() == 1
    assert album.title in page.get_by_test_id("results").inner_text()

    # the page in English
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Search").is_visible()
    shoot(page, "search-english")
    assert not [e for e in page.csp_errors if "Content Security Policy" in e]
