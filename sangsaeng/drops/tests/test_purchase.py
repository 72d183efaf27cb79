"""First sale: price, limits, sell-out, timing, insufficient funds; refusals move no money."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.drops import pay, services
from sangsaeng.drops.models import Activity, Drop, Edition
from sangsaeng.drops.tests.conftest import FUNDS, make_drop

pytestmark = pytest.mark.django_db


def _state(drop, *users):
    drop.refresh_from_db()
    return (
        drop.sold,
        Edition.objects.filter(drop=drop).count(),
        [pay.balance(user=u) for u in users],
        pay.ledger_audit()["ok"],
    )


def _refused(code, fn, **kwargs):
    with pytest.raises(Problem) as caught:
        fn(**kwargs)
    assert caught.value.code == code
    return caught.value


def test_a_buyer_gets_edition_one_and_pays_the_creator(fixed_drop, funded_alice, creator):
    # when
    edition = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k1")
    # then
    fixed_drop.refresh_from_db()
    assert (edition.number, edition.owner, edition.price_paid) == (1, funded_alice, 10_000)
    assert fixed_drop.sold == 1
    assert pay.balance(user=funded_alice) == FUNDS - 10_000
    assert Activity.objects.filter(kind="sale", edition=edition).count() == 1
    assert pay.ledger_audit()["ok"] is True


def test_a_retry_with_the_same_key_buys_nothing_more(fixed_drop, funded_alice):
    first = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="same")
    again = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="same")
    assert first.pk == again.pk
    assert pay.balance(user=funded_alice) == FUNDS - 10_000


def test_over_limit_is_refused_and_moves_nothing(creator, artwork, funded_alice):
    # given a limit of 2, already reached
    drop = make_drop(creator, artwork, per_user_limit=2)
    for key in ("a", "b"):
        services.edition_purchase(buyer=funded_alice, drop_id=drop.public_id, idempotency_key=key)
    before = _state(drop, funded_alice, creator)
    # when / then
    problem = _refused(
        "over_limit", services.edition_purchase, buyer=funded_alice, drop_id=drop.public_id, idempotency_key="c"
    )
    assert problem.status == 409
    assert _state(drop, funded_alice, creator) == before


def test_sold_out_is_refused_and_moves_nothing(creator, artwork, buyers):
    drop = make_drop(creator, artwork, edition_size=2)
    first, second, late = buyers(3)
    services.edition_purchase(buyer=first, drop_id=drop.public_id, idempotency_key="k")
    services.edition_purchase(buyer=second, drop_id=drop.public_id, idempotency_key="k")
    before = _state(drop, late, creator)
    _refused("sold_out", services.edition_purchase, buyer=late, drop_id=drop.public_id, idempotency_key="k")
    assert _state(drop, late, creator) == before
    assert before[0] == 2


def test_before_opening_is_refused(creator, artwork, funded_alice):
    drop = make_drop(creator, artwork, opens_at=timezone.now() + timedelta(hours=1))
    before = _state(drop, funded_alice, creator)
    problem = _refused(
        "drop_not_open", services.edition_purchase, buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k"
    )
    assert "opens_at" in problem.extra
    assert _state(drop, funded_alice, creator) == before


def test_after_closing_is_refused(creator, artwork, funded_alice):
    drop = make_drop(
        creator, artwork, opens_at=timezone.now() - timedelta(hours=2), closes_at=timezone.now() - timedelta(hours=1)
    )
    before = _state(drop, funded_alice, creator)
    _refused("drop_closed", services.edition_purchase, buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k")
    assert _state(drop, funded_alice, creator) == before


def test_insufficient_balance_takes_no_money_and_no_edition(fixed_drop, alice, creator):
    # given alice has 5,000 won for a 10,000 won edition
    pay.topup_test(user=alice, amount=5_000, idempotency_key="small")
    before = _state(fixed_drop, alice, creator)
    # when
    _refused(
        "insufficient_funds", services.edition_purchase, buyer=alice, drop_id=fixed_drop.public_id, idempotency_key="k"
    )
    # then the counter rolled back with the debit
    assert _state(fixed_drop, alice, creator) == before
    assert before[0] == 0


def test_presale_is_for_the_allowlist(creator, artwork, funded_alice, funded_bob):
    drop = make_drop(
        creator,
        artwork,
        opens_at=timezone.now() + timedelta(hours=1),
        presale_opens_at=timezone.now() - timedelta(minutes=5),
        allowlist_emails=[funded_alice.email],
    )
    edition = services.edition_purchase(buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k")
    assert edition.number == 1
    _refused("drop_not_open", services.edition_purchase, buyer=funded_bob, drop_id=drop.public_id, idempotency_key="k")


def test_a_dutch_auction_price_decays_to_its_floor(creator, artwork, funded_alice):
    drop = make_drop(
        creator,
        artwork,
        format="dutch",
        opens_at=timezone.now() - timedelta(minutes=25),
        start_price=50_000,
        floor_price=20_000,
        decay_amount=5_000,
        decay_minutes=10,
        edition_size=3,
    )
    # 25 minutes in: two steps down
    edition = services.edition_purchase(buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k")
    assert edition.price_paid == 40_000
    from sangsaeng.drops.sales import dutch_price

    assert dutch_price(drop, drop.opens_at + timedelta(hours=5)) == 20_000


def test_an_english_auction_is_not_bought_outright(creator, artwork, funded_alice):
    drop = make_drop(
        creator,
        artwork,
        format="english",
        reserve_price=10_000,
        min_increment=1_000,
        closes_at=timezone.now() + timedelta(hours=1),
    )
    _refused("wrong_format", services.edition_purchase, buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k")
    assert Drop.objects.get(pk=drop.pk).sold == 0


def test_the_waiting_room_engages_past_capacity(fixed_drop, funded_alice, funded_bob, settings, monkeypatch):
    # given a capacity of one admission a second, both arrivals inside one second
    settings.DROPS_ADMIT_PER_SECOND = 1
    monkeypatch.setattr("sangsaeng.core.ratelimit.time.time", lambda: 1_800_000_000.5)
    services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    problem = _refused(
        "waiting_room", services.edition_purchase, buyer=funded_bob, drop_id=fixed_drop.public_id, idempotency_key="k"
    )
    assert problem.status == 503
    assert problem.headers["Retry-After"] == "2"
    assert problem.extra["position"] == 1
    assert pay.balance(user=funded_bob) == FUNDS
