"""200 bidders at once (8 threads, real transactions): one leading bid, the highest accepted one;
every other hold released; the winner pays exactly the winning bid."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.drops import pay, services
from sangsaeng.drops.models import Bid, Drop
from sangsaeng.drops.tests.conftest import FUNDS, make_drop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor == "sqlite",
        reason="SQLite's in-memory test database uses shared-cache locking, which refuses a second writer "
        "(SQLITE_LOCKED) instead of waiting; bids race here on PostgreSQL, and the live-server rush covers SQLite",
    ),
]


def test_two_hundred_concurrent_bidders(creator, artwork, buyers):
    # given
    auction = make_drop(
        creator,
        artwork,
        format="english",
        reserve_price=50_000,
        min_increment=1_000,
        closes_at=timezone.now() + timedelta(hours=1),
    )
    bidders = buyers(200, prefix="racer")
    amounts = [50_000 + i * 1_000 for i in range(200)]
    random.Random(11).shuffle(amounts)

    def bid(pair):
        bidder, amount = pair
        try:
            services.bid_place(bidder=bidder, drop_id=auction.public_id, amount=amount, idempotency_key="k")
            return amount
        except Problem as problem:
            assert problem.code == "bid_too_low", problem.code
            return None
        finally:
            close_old_connections()
            connection.close()

    # when all bid at once
    with ThreadPoolExecutor(max_workers=8) as pool:
        accepted = [a for a in pool.map(bid, zip(bidders, amounts, strict=True)) if a is not None]
    Drop.objects.filter(pk=auction.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    services.auctions_close_due()
    # then the highest accepted bid won and every other bidder has all their money back
    auction.refresh_from_db()
    assert auction.final_price == max(accepted)
    assert Bid.objects.filter(drop=auction, status="leading").count() == 0
    assert Bid.objects.filter(drop=auction, status="won").count() == 1
    assert Bid.objects.filter(drop=auction).count() == len(accepted)
    for bidder in bidders:
        expected = FUNDS - auction.final_price if bidder == auction.winner else FUNDS
        assert pay.balance(user=bidder) == expected
    assert pay.ledger_audit()["ok"] is True
