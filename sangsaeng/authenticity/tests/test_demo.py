"""`sangsaeng demo`: a verified brand with three passports, one owned by demo@sangsaeng.kr; twice adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.authenticity import selectors
from sangsaeng.authenticity.models import Brand, Passport

pytestmark = pytest.mark.django_db


def test_the_demo_brand_issues_and_demo_owns_one(chain_ready):
    out = io.StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=io.StringIO())
    brand = Brand.objects.get(slug="jeju-onggi")
    assert brand.is_verified and Passport.objects.filter(brand=brand).count() == 3
    owned = selectors.passports_owned(user=user_get_by_email(email="demo@sangsaeng.kr"))
    assert [p.serial for p in owned] == ["JO-2026-0001"]
    assert "/authenticity/t/" in out.getvalue() and "/authenticity/n/" in out.getvalue()
