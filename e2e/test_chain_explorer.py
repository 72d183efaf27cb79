"""A person follows a passport on the chain explorer: their wallet's token, its transaction, its history."""

from __future__ import annotations

import re

import pytest

from conftest import PASSWORD
from sangsaeng.chain import services
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


def test_explore_a_passport_from_the_wallet_to_its_history(page, live_server, alice, embedded, deployed, shoot):  # noqa: F811
    # given a product passport minted into alice's custodial wallet through the outbox
    tx = services.passport_issue(
        idempotency_key="e2e-passport", brand="상생공방", owner=alice, token_id=2021, metadata_hash=b"\x21" * 32
    )
    services.chain_sweep()
    base = live_server.url

    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", alice.email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/chain/")
    shoot(page, "chain-01-home")
    page.locator('a[href="/chain/tokens/ProductPassport/2021"]').first.click()
    page.wait_for_url(re.compile(r"/chain/tokens/ProductPassport/2021"))
    assert page.locator('[data-testid="history-row"]').count() == 1
    shoot(page, "chain-02-token")

    page.goto(f"{base}/chain/tx/{tx.public_id}")
    assert "2021" in page.content() or tx.tx_hash in page.content()
    shoot(page, "chain-03-transaction")
