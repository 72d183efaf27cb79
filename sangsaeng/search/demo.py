"""Demo: three colleagues' cards in 김상생's card book (so ㄱㅁㅈ finds 김민지), a Jeju album,
synonym groups, and the whole index built from every provider."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sangsaeng.accounts import selectors as accounts
from sangsaeng.accounts import services as account_services
from sangsaeng.accounts.selectors import User
from sangsaeng.business_cards import selectors as card_selectors
from sangsaeng.business_cards import services as cards
from sangsaeng.core.demo import register
from sangsaeng.drawer import selectors as drawer_selectors
from sangsaeng.drawer import services as drawer
from sangsaeng.search.indexing import reindex
from sangsaeng.search.models import SynonymGroup

DEMO_EMAIL = "demo@sangsaeng.kr"
COLLEAGUES = [
    (
        "minji@sangsaeng.kr",
        {
            "name": "김민지",
            "company": "상생전자",
            "department": "마케팅팀",
            "title": "대리",
            "address": "서울특별시 강남구 테헤란로 152",
        },
        "판교 컨퍼런스에서 만남. 브랜드 캠페인 협업",
        ["마케팅"],
    ),
    (
        "seoyeon@sangsaeng.kr",
        {"name": "박서연", "company": "제주감귤농원", "title": "대표", "address": "제주특별자치도 서귀포시 남원읍"},
        "한라봉 납품 문의, 12월 수확",
        ["거래처", "제주"],
    ),
    (
        "junho@sangsaeng.kr",
        {
            "name": "이준호",
            "company": "한빛소프트",
            "department": "개발팀",
            "title": "책임",
            "address": "경기도 성남시 분당구 판교역로 235",
        },
        "검색 엔진 기술 미팅",
        ["개발"],
    ),
]
SYNONYMS = [
    ("휴대폰, 핸드폰, 스마트폰", "기기 이름"),
    ("사진, 포토, 이미지", "사진을 부르는 말"),
    ("제주, 제주도", "지명"),
]


def _colleagues(user: User, say: Callable[[str], None]) -> None:
    held = {e.card.name for e in card_selectors.book_list(holder=user)}
    for email, card, note, tags in COLLEAGUES:
        if card["name"] in held:
            continue
        person = accounts.user_get_by_email(email=email) or account_services.user_create(
            email=email, password=secrets.token_urlsafe(24), display_name=card["name"], verified=True, validate=False
        )
        mine = card_selectors.card_list(owner=person)
        made = mine[0] if mine else cards.card_create(owner=person, data=card)
        entry = cards.book_add(holder=user, card_id=made.public_id)
        cards.entry_update(actor=user, entry_id=entry.public_id, note=note, tags=tags)
        say(f"search: {card['name']}'s card in {DEMO_EMAIL}'s card book")


def _album(user: User, say: Callable[[str], None]) -> None:
    if any(a.title == "제주 여행" for a in drawer_selectors.album_list(owner=user)):
        return
    album = drawer.album_create(actor=user, title="제주 여행")
    for item in drawer_selectors.items_for_search():
        if item.owner_id == user.pk and "제주" in item.place:
            drawer.album_item_add(actor=user, album_id=album.public_id, item_id=item.public_id)
    say("search: album 제주 여행")


@register("search", order=900)
def build(say: Callable[[str], None]) -> None:
    user = accounts.user_get_by_email(email=DEMO_EMAIL)
    if user is not None:
        _colleagues(user, say)
        _album(user, say)
    for terms, note in SYNONYMS:
        SynonymGroup.objects.get_or_create(terms=terms, defaults={"note": note})
    result = reindex()
    say(f"search: indexed {sum(result['documents'].values())} documents")
