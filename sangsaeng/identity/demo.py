"""Demo: 김상생 (demo@sangsaeng.kr) verified in person, with an identity credential in the wallet."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.core.demo import register
from sangsaeng.identity import selectors, services

DEMO_EMAIL = "demo@sangsaeng.kr"


@register("identity", order=20)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None or selectors.verified_identity_get(user=user) is not None:
        return
    services.identity_approve_in_person(user=user, legal_name="김상생", birthdate=date(1990, 11, 17))
    services.credential_issue(user=user)
    say(f"{DEMO_EMAIL}: verified as 김상생, identity credential in the wallet")
