"""A collector waits for a drop's countdown, buys an edition with Pay, finds it in their collection,
lists it, and another collector buys it on the market (the creator's royalty is paid)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PASSWORD
from sangsaeng.chain.tests.conftest import deployed, embedded, embedded_node  # noqa: F401  (fixtures)
from sangsaeng.drops import pay, services
from sangsaeng.drops.demo import art_png
from sangsaeng.drops.models import Drop
from sangsaeng.drops.tests.conftest import creator, fund, make_drop, operator, settle  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def _login(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="로그인", exact=True).click()
    page.wait_for_url(f"{base}/")


def test_countdown_buy_collect_list_and_resell(page, live_server, alice, bob, creator, embedded, deployed, shoot):  # noqa: F811
    # given an approved creator's drop opening in a few seconds, and two funded collectors
    artwork = services.artwork_create(actor=creator, title="물빛 #1 · 새벽", upload=art_png(seed=1))
    drop = make_drop(
        creator,
        artwork,
        title="물빛 #1 · 새벽",
        opens_at=timezone.now() + timedelta(hours=1),
        price=30_000,
        edition_size=10,
        royalty_bps=1000,
    )
    fund(alice)
    fund(bob)
    settle()
    base = live_server.url

    # the countdown, then the buy button once it opens
    _login(page, base, alice.email)
    page.goto(f"{base}/drops/")
    shoot(page, "drops-01-home")
    page.goto(f"{base}/drops/d/{drop.public_id}/")
    countdown = page.locator('[data-testid="countdown"]')
    page.wait_for_function("document.querySelector('[data-testid=countdown]').textContent.includes(':')")
    assert re.search(r"\d\d:\d\d:\d\d", countdown.text_content() or "")
    shoot(page, "drops-02-countdown")
    # the opening comes near: the page counts down to zero and reloads itself with the buy button
    Drop.objects.filter(pk=drop.pk).update(opens_at=timezone.now() + timedelta(seconds=3))
    page.reload()
    page.locator('[data-testid="buy"]').wait_for(timeout=30_000)
    shoot(page, "drops-03-open")
    page.locator('[data-testid="buy"]').click()
    page.wait_for_url(re.compile(r"/drops/e/"))
    assert "#1" in (page.locator('[data-testid="edition-title"]').text_content() or "")
    assert pay.balance(user=alice) == 1_000_000 - 30_000

    # minted lazily through the chain outbox; then it is in my collection
    settle()
    page.goto(f"{base}/drops/me/")
    page.locator('[data-testid="collection"] a').first.wait_for()
    shoot(page, "drops-04-collection")
    page.locator('[data-testid="collection"] a').first.click()
    page.wait_for_url(re.compile(r"/drops/e/"))
    assert "ArtworkEditions" in (page.locator('[data-testid="token"]').text_content() or "")
    page.fill('[data-testid="list-price"]', "50000")
    page.locator('[data-testid="list"]').click()
    page.locator('[data-testid="listing-price"]').wait_for()
    shoot(page, "drops-05-listed")

    # bob buys it on the market
    creator_before = pay.payable(user=creator)
    _login(page, base, bob.email)
    page.goto(f"{base}/drops/market/")
    shoot(page, "drops-06-market")
    page.locator('[data-testid="market"] a').first.click()
    page.locator('[data-testid="buy-listing"]').click()
    page.wait_for_url(re.compile(r"/drops/e/"))
    shoot(page, "drops-07-resold")
    assert pay.balance(user=bob) == 1_000_000 - 50_000
    assert pay.payable(user=creator) - creator_before == 5_000
    kinds = page.locator('[data-testid="provenance"] li').all_text_contents()
    assert len(kinds) == 4
