from __future__ import annotations

from datetime import date

import pytest

from sangsaeng.business_cards import services
from sangsaeng.identity import services as identity_services

CARD = {
    "name": "김앨리스",
    "company": "상생 주식회사",
    "department": "플랫폼팀",
    "title": "개발자",
    "phones": ["010-2021-1117", "02-123-4567"],
    "email": "alice@sangsaeng.kr",
    "address": "경기도 성남시 분당구 판교역로 166",
    "website": "https://sangsaeng.kr",
    "theme": "navy",
}


@pytest.fixture
def verified_alice(alice):
    identity_services.identity_approve_in_person(user=alice, legal_name="김앨리스", birthdate=date(1990, 5, 17))
    return alice


@pytest.fixture
def card(verified_alice):
    return services.card_create(owner=verified_alice, data=dict(CARD))
