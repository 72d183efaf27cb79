"""Authenticity fixtures: a verified brand (alice owns it), the embedded chain, an issued passport."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from sangsaeng.authenticity import services
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node, settle  # noqa: F401

ROW = {
    "serial": "JO-2026-0001",
    "product_name": "제주 옹기 달항아리",
    "model": "MOON-L",
    "manufactured_on": "2026-10-01",
    "manufactured_at": "제주특별자치도 제주시 애월읍",
    "materials": "제주 화산토;유약",
    "images": "https://img.sangsaeng.kr/onggi/moon-l.jpg",
    "warranty_months": "24",
    "warranty_terms": "정상 사용 중 균열 시 무상 수리",
}


@pytest.fixture
def operator(db):
    return get_user_model().objects.create_user(email="ops@sangsaeng.kr", password="ops-password-2026", is_staff=True)


@pytest.fixture
def brand(alice, operator):
    made = services.brand_create(owner=alice, name="제주 옹기", slug="jeju-onggi")
    return services.brand_verify(actor=operator, slug=made.slug)


@pytest.fixture
def chain_ready(embedded, deployed):  # noqa: F811  (fixtures imported above)
    return deployed


@pytest.fixture
def issued(chain_ready, brand, alice):
    return services.passport_issue(actor=alice, slug=brand.slug, data=dict(ROW))
