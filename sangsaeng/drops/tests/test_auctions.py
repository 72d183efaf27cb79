"""English auctions: 200 bidders, holds released when outbid, the winner's hold captured, anti-sniping."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.drops import pay, services
from sangsaeng.drops.models import Bid, Drop, Edition
from sangsaeng.drops.tests.conftest import FUNDS, make_drop

pytestmark = pytest.mark.django_db


@pytest.fixture
def auction(creator, artwork):
    return make_drop(
        creator,
        artwork,
        format="english",
        reserve_price=50_000,
        min_increment=1_000,
        anti_snipe_minutes=5,
        extension_minutes=5,
        closes_at=timezone.now() + timedelta(hours=1),
    )


def _close(drop):
    Drop.objects.filter(pk=drop.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.auctions_close_due() == 1
    drop.refresh_from_db()
    return drop


def test_two_hundred_bidders_the_highest_wins_and_every_loser_is_released(auction, buyers, creator):
    # given 200 bidders, each bidding once in turn, each 1,000 won above the last
    bidders = buyers(200, prefix="bidder")
    creator_before = pay.balance(user=creator)
    for i, bidder in enumerate(bidders):
        services.bid_place(bidder=bidder, drop_id=auction.public_id, amount=50_000 + i * 1_000, idempotency_key="b")
    # when the auction closes
    drop = _close(auction)
    # then the last (highest) bidder wins at their price
    winner = bidders[-1]
    assert (drop.winner, drop.final_price, drop.sold) == (winner, 249_000, 1)
    assert Edition.objects.get(drop=drop).owner == winner
    # every losing bid's hold is released: losers have all their money back
    assert all(pay.balance(user=b) == FUNDS for b in bidders[:-1])
    assert Bid.objects.filter(drop=drop, status="outbid").count() == 199
    assert pay.balance(user=winner) == FUNDS - 249_000
    # the winner's hold was captured for the creator (into the creator's payable, not the wallet)
    assert pay.balance(user=creator) == creator_before
    assert pay.ledger_audit()["ok"] is True


def test_a_bid_below_the_increment_is_refused_and_holds_nothing(auction, funded_alice, funded_bob):
    services.bid_place(bidder=funded_alice, drop_id=auction.public_id, amount=60_000, idempotency_key="a")
    with pytest.raises(Problem) as caught:
        services.bid_place(bidder=funded_bob, drop_id=auction.public_id, amount=60_500, idempotency_key="b")
    assert caught.value.code == "bid_too_low"
    assert caught.value.extra["minimum"] == 61_000
    assert pay.balance(user=funded_bob) == FUNDS
    assert Bid.objects.filter(drop=auction).count() == 1


def test_a_first_bid_below_the_reserve_is_refused(auction, funded_alice):
    with pytest.raises(Problem) as caught:
        services.bid_place(bidder=funded_alice, drop_id=auction.public_id, amount=49_999, idempotency_key="a")
    assert caught.value.code == "bid_too_low"
    assert pay.balance(user=funded_alice) == FUNDS


def test_a_bid_in_the_last_minutes_extends_the_end(auction, funded_alice):
    # given the auction ends in two minutes (inside the five-minute anti-sniping window)
    Drop.objects.filter(pk=auction.pk).update(closes_at=timezone.now() + timedelta(minutes=2))
    # when
    services.bid_place(bidder=funded_alice, drop_id=auction.public_id, amount=50_000, idempotency_key="a")
    # then the end moves to five minutes after the bid
    auction.refresh_from_db()
    remaining = auction.closes_at - timezone.now()
    assert timedelta(minutes=4, seconds=50) < remaining <= timedelta(minutes=5)


def test_an_early_bid_does_not_extend(auction, funded_alice):
    end = auction.closes_at
    services.bid_place(bidder=funded_alice, drop_id=auction.public_id, amount=50_000, idempotency_key="a")
    auction.refresh_from_db()
    assert auction.closes_at == end


def test_a_bid_without_the_money_is_refused(auction, alice):
    pay.topup_test(user=alice, amount=10_000, idempotency_key="t")
    with pytest.raises(Problem) as caught:
        services.bid_place(bidder=alice, drop_id=auction.public_id, amount=50_000, idempotency_key="a")
    assert caught.value.code == "insufficient_funds"
    assert Bid.objects.count() == 0
    assert pay.balance(user=alice) == 10_000


def test_an_auction_without_bids_closes_unsold(auction):
    drop = _close(auction)
    assert drop.settled_at is not None
    assert (drop.winner, drop.sold) == (None, 0)


def test_bids_after_the_end_are_refused(auction, funded_alice):
    _close(auction)
    with pytest.raises(Problem) as caught:
        services.bid_place(bidder=funded_alice, drop_id=auction.public_id, amount=90_000, idempotency_key="a")
    assert caught.value.code == "drop_closed"
    assert pay.balance(user=funded_alice) == FUNDS
