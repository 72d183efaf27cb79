"""`sangsaeng demo`: a verified brand with three passports, one owned by demo@sangsaeng.kr, and three store
units that 상생마켓's store sells with their passports; twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.authenticity import selectors, services
from sangsaeng.authenticity.models import Brand, Passport
from sangsaeng.commerce import selectors as commerce_selectors

pytestmark = pytest.mark.django_db


def brand_store():
    return commerce_selectors.store_for_handle(handle="sangsaeng-market")


def test_the_demo_brand_issues_and_demo_owns_one(chain_ready):
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=io.StringIO())
    brand = Brand.objects.get(slug="jeju-onggi")
    assert brand.is_verified and Passport.objects.filter(brand=brand).count() == 6
    owned = selectors.passports_owned(user=user_get_by_email(email="demo@sangsaeng.kr"))
    assert [p.serial for p in owned] == ["JO-2026-0001"]
    store_units = Passport.objects.filter(brand=brand, model_code="ONGGI-LTD")
    assert sorted(store_units.values_list("serial", flat=True)) == ["JO-2026-L001", "JO-2026-L002", "JO-2026-L003"]
    assert not store_units.filter(owner__isnull=False).exists()
    (jar,) = [p for p in commerce_selectors.storefront_products(store=brand_store()) if p.authenticity_enabled]
    assert jar.authenticity_brand == "jeju-onggi"
    services.store_brand_check(slug=brand.slug, channel_id=jar.store.channel_id)
    assert "/authenticity/t/" in out.getvalue() and "/authenticity/n/" in out.getvalue()
