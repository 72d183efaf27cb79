"""`sangsaeng demo`: 김상생 is verified and has a badged card for 상생 주식회사; running it twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.business_cards import selectors
from sangsaeng.identity import selectors as identity_selectors


def test_the_demo_user_is_verified_with_a_business_card(db):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    user = user_get_by_email(email="demo@sangsaeng.kr")
    assert identity_selectors.verified_legal_name(user=user) == "김상생"
    assert len(identity_selectors.credential_list(user=user)) == 1
    (card,) = selectors.card_list(owner=user)
    assert card.company == "상생 주식회사"
    assert selectors.badges(card) == {"name_verified": True, "company_domain": None}
