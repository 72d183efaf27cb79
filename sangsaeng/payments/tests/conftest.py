from __future__ import annotations

import uuid

import pytest

from sangsaeng.payments import services
from sangsaeng.payments.ledger import ledger_audit
from sangsaeng.payments.models import Account, JournalEntry, JournalLine
from sangsaeng.payments.tests.toss_fake import toss  # noqa: F401  (the fake Toss fixture)

SHOP = f"channel:{uuid.UUID(int=1)}"
OTHER_SHOP = f"channel:{uuid.UUID(int=2)}"


def money_snapshot() -> tuple[int, int, list[tuple[str, str, int]]]:
    """Everything that says where money is: to assert that a refusal moved nothing."""
    return (
        JournalEntry.objects.count(),
        JournalLine.objects.count(),
        sorted(Account.objects.values_list("kind", "ref", "balance")),
    )


@pytest.fixture
def funded_alice(alice):
    services.wallet_topup_test(user=alice, amount=100_000, idempotency_key="fund-alice")
    return alice


@pytest.fixture
def shop_staff(db, bob, monkeypatch):
    """bob works for SHOP, in place of the channel resolver commerce registers (put back afterwards:
    transactional tests elsewhere run after these and need the real one)."""
    from sangsaeng.payments import access

    monkeypatch.setitem(access._RESOLVERS, "channel", lambda user: {SHOP} if user.pk == bob.pk else set())
    return bob


@pytest.fixture
def audited():
    yield
    audit = ledger_audit()
    assert audit["ok"], audit


@pytest.fixture
def charlie_user(db):
    from sangsaeng.accounts.services import user_create

    return user_create(email="charlie@example.com", password="x" * 20, display_name="찰리", verified=True)
