"""Revenue distribution: a closed KST month's LM API revenue share, paid pro rata to share holders.

The chain is the app's boundary here: `shares_holdings` (what ContributionShares says each user
holds) is replaced by a table; test_commons_on_chain reads the same balances from a real node.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sangsaeng.accounts.services import user_create
from sangsaeng.chain.selectors import ShareHolding
from sangsaeng.contributions import revenue, services
from sangsaeng.contributions.models import Contribution, RevenueDistribution, RevenueStatement, Takedown
from sangsaeng.core.errors import Problem
from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.services import key_create
from sangsaeng.payments.services import commons_pool_balance, ledger_audit, wallet_balance

PERIOD = "2025-03"
UNIT = 10**18


@pytest.fixture
def carol(db):
    return user_create(email="carol@example.com", password="x-Password-123", display_name="캐롤", verified=True)


@pytest.fixture
def operator(db):
    user = user_create(email="ops@example.com", password="x-Password-123", display_name="운영자", verified=True)
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def chain(monkeypatch):
    """What the chain says each user holds: {user: (balance, frozen, address)}; reads are counted."""
    table: dict = {}
    reads: list = []

    def holdings(*, user_ids, progress=None):
        reads.append(sorted(user_ids))
        out = {}
        for user_id in user_ids:
            balance, frozen, address = next(
                ((b, f, a) for u, (b, f, a) in table.items() if u.pk == user_id), (0, 0, "")
            )
            out[user_id] = ShareHolding(user_id, address, balance, frozen, "", 0)
            if progress:
                progress(len(out), len(user_ids))
        return out

    monkeypatch.setattr(revenue, "shares_holdings", holdings)
    table_reads = type("Chain", (), {"table": table, "reads": reads})
    return table_reads


@pytest.fixture
def priced(settings):
    """1 won per token (so revenue = tokens) and a 10% commons share."""
    settings.LM_PRICE_WON_PER_1K_TOKENS = 1000
    settings.COMMONS_REVENUE_SHARE_BPS = 1000


def _accepted(owner, tokens=10):
    return Contribution.objects.create(
        owner=owner, licence="cc0", raw="", sha256="0" * 64, status=Contribution.Status.ACCEPTED, token_count=tokens
    )


def _usage(owner, tokens, day=dt.date(2025, 3, 14)):
    key = key_create(owner=owner, label="partner bot").key
    UsageDay.objects.create(
        key=key, day=day, requests=1, prompt_tokens=tokens // 2, completion_tokens=tokens - tokens // 2
    )


def _stored():
    audit = ledger_audit()
    return (RevenueDistribution.objects.count(), RevenueStatement.objects.count(), audit["entries"], audit["ok"])


def test_the_pool_is_paid_pro_rata_and_the_remainder_by_largest_fraction(alice, bob, carol, chain, priced):
    # given three holders with equal shares and a pool that does not divide by three
    for user, address in ((alice, "0xCC"), (bob, "0xAA"), (carol, "0xBB")):
        _accepted(user)
        chain.table[user] = (5 * UNIT, 0, address)
    _usage(alice, 1_000)
    _usage(bob, 9)  # another key: billed on its own, 9 won
    # when
    d = services.revenue_distribute(period=PERIOD)
    # then: revenue 1009, pool floor(1009 * 10%) = 100, split 34/33/33; the odd won to the lowest address
    assert (d.tokens, d.revenue_won, d.share_bps, d.pool_won, d.holders) == (1_009, 1_009, 1_000, 100, 3)
    paid = {s.holder_id: (s.amount_won, s.remainder_won) for s in d.statements.all()}
    assert paid == {bob.pk: (34, 1), alice.pk: (33, 0), carol.pk: (33, 0)}
    assert [wallet_balance(user=u) for u in (alice, bob, carol)] == [33, 34, 33]
    assert sum(a for a, _ in paid.values()) == d.pool_won
    assert commons_pool_balance() == 0
    assert ledger_audit()["ok"] is True


def test_weights_follow_the_shares_held(alice, bob, chain, priced):
    _accepted(alice)
    _accepted(bob)
    chain.table[alice] = (3 * UNIT, 0, "0x01")
    chain.table[bob] = (1 * UNIT, 0, "0x02")
    _usage(alice, 10_000)
    d = services.revenue_distribute(period=PERIOD)
    assert d.pool_won == 1_000
    assert {s.holder_id: s.amount_won for s in d.statements.all()} == {alice.pk: 750, bob.pk: 250}


def test_frozen_shares_earn_nothing_and_their_part_goes_to_the_others(alice, bob, carol, chain, priced):
    # given bob's removed contribution froze 4 of his 10 shares in the database (its on-chain freeze
    # is still queued), and carol's are all frozen on chain
    _accepted(alice)
    removed = _accepted(bob)
    _accepted(carol)
    Takedown.objects.create(
        contribution=removed, reporter=alice, reason="복제된 글", status="removed", frozen_shares=Decimal(4 * UNIT)
    )
    chain.table[alice] = (6 * UNIT, 0, "0x01")
    chain.table[bob] = (10 * UNIT, 0, "0x02")
    chain.table[carol] = (2 * UNIT, 2 * UNIT, "0x03")
    _usage(alice, 1_200)
    # when
    d = services.revenue_distribute(period=PERIOD)
    # then the pool (120) is split over 6 + 6 eligible shares; carol gets a statement with 0 won
    rows = {s.holder_id: s for s in d.statements.all()}
    assert {k: (int(s.shares_eligible // UNIT), s.amount_won) for k, s in rows.items()} == {
        alice.pk: (6, 60),
        bob.pk: (6, 60),
        carol.pk: (0, 0),
    }
    assert rows[carol.pk].entry is None and wallet_balance(user=carol) == 0
    assert (d.holders, d.eligible_shares, d.excluded_frozen_shares) == (2, 12 * UNIT, 6 * UNIT)


def test_a_period_is_distributed_once(alice, chain, priced, api_alice, operator):
    _accepted(alice)
    chain.table[alice] = (UNIT, 0, "0x01")
    _usage(alice, 1_000)
    first = services.revenue_distribute(period=PERIOD)
    before = (*_stored(), wallet_balance(user=alice))
    with pytest.raises(Problem) as exc:
        services.revenue_distribute(period=PERIOD)
    assert exc.value.code == "already_distributed" and exc.value.extra["distribution"] == str(first.public_id)
    assert (*_stored(), wallet_balance(user=alice)) == before == (1, 1, 3, True, 100)


@pytest.mark.parametrize(
    ("period", "status", "code"),
    [
        ("2026-13", 422, "period_invalid"),
        ("November", 422, "period_invalid"),
        ("", 422, "period_invalid"),
        ("2025-3", 422, "period_invalid"),
        ("FUTURE", 422, "period_future"),
        ("OPEN", 409, "period_open"),
        ("EMPTY", 409, "nothing_to_distribute"),
    ],
)
def test_bad_periods_are_refused_with_stable_codes_and_store_nothing(
    alice, chain, priced, operator, period, status, code
):
    _accepted(alice)
    chain.table[alice] = (UNIT, 0, "0x01")
    today = timezone.localdate()
    _usage(alice, 1_000, day=today)  # revenue in the open month only
    period = {
        "FUTURE": f"{today.year + 1}-01",
        "OPEN": today.strftime("%Y-%m"),
        "EMPTY": "2024-02",  # closed, but nobody used the API
    }.get(period, period)
    from conftest import ApiClient
    from sangsaeng.accounts.services import token_create

    api = ApiClient(token_create(user=operator, label="ops")[1])
    before = _stored()
    r = api.post("/api/v1/contributions/distributions", {"period": period})
    assert r.status_code == status, r.content
    assert r["Content-Type"].startswith("application/problem+json") and r.json()["code"] == code
    assert _stored() == before == (0, 0, 0, True)
    assert chain.reads == []  # refused before the chain was asked


def test_nothing_to_distribute_without_eligible_shares_or_with_a_zero_share(alice, chain, priced, settings):
    _accepted(alice)
    chain.table[alice] = (UNIT, UNIT, "0x01")  # all frozen
    _usage(alice, 1_000)
    with pytest.raises(Problem) as exc:
        services.revenue_distribute(period=PERIOD)
    assert (exc.value.code, exc.value.extra["reason"]) == ("nothing_to_distribute", "no_holders")
    settings.COMMONS_REVENUE_SHARE_BPS = 0
    with pytest.raises(Problem) as exc:
        services.revenue_distribute(period=PERIOD)
    assert (exc.value.code, exc.value.extra["reason"]) == ("nothing_to_distribute", "no_revenue")
    assert _stored() == (0, 0, 0, True)


def test_an_unreadable_chain_stores_nothing(alice, priced, settings):
    from sangsaeng.chain.tests.conftest import free_port

    # the real chain read, against a port nothing listens on
    settings.CHAIN_RPC_URL = f"http://127.0.0.1:{free_port()}"
    _accepted(alice)
    _usage(alice, 1_000)
    with pytest.raises(Problem) as exc:
        services.revenue_distribute(period=PERIOD)
    assert (exc.value.code, exc.value.status, exc.value.headers) == ("upstream_unavailable", 503, {"Retry-After": "5"})
    assert _stored() == (0, 0, 0, True)


def test_only_operators_distribute_through_the_api(alice, chain, priced, api_alice):
    _accepted(alice)
    chain.table[alice] = (UNIT, 0, "0x01")
    _usage(alice, 1_000)
    r = api_alice.post("/api/v1/contributions/distributions", {"period": PERIOD})
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    assert api_alice.get("/api/v1/contributions/distributions").status_code == 404
    assert _stored() == (0, 0, 0, True)


def test_a_holder_sees_only_their_own_statements(alice, bob, chain, priced, api_alice, api_bob, client):
    _accepted(alice)
    _accepted(bob)
    chain.table[alice] = (3 * UNIT, 0, "0x01")
    chain.table[bob] = (1 * UNIT, 0, "0x02")
    _usage(alice, 10_000)
    services.revenue_distribute(period=PERIOD)
    mine = RevenueStatement.objects.get(holder=alice)
    bobs = RevenueStatement.objects.get(holder=bob)

    listed = api_alice.get("/api/v1/contributions/statements").json()
    assert [(s["id"], s["period"], s["amount_won"], s["pool_won"]) for s in listed] == [
        (str(mine.public_id), PERIOD, 750, 1_000)
    ]
    assert listed[0]["shares_eligible"] == str(3 * UNIT) and listed[0]["eligible_shares_total"] == str(4 * UNIT)
    assert api_alice.get(f"/api/v1/contributions/statements/{mine.public_id}").json()["amount_won"] == 750
    for path in (
        f"/api/v1/contributions/statements/{bobs.public_id}",
        f"/api/v1/contributions/statements/{bobs.public_id}/csv",
    ):
        r = api_alice.get(path)
        assert r.status_code == 404 and r.json()["code"] == "not_found"
    rows = list(csv.DictReader(io.StringIO(api_alice.get("/api/v1/contributions/statements/csv").content.decode())))
    assert [(r["statement_id"], r["amount_won"], r["pool_won"]) for r in rows] == [(str(mine.public_id), "750", "1000")]

    client.force_login(alice)
    page = client.get("/commons/earnings/").content.decode()
    assert "지분 수익 명세서" in page and "750원" in page and "250원" not in page
    detail = client.get(f"/commons/earnings/{mine.public_id}/")
    assert detail.status_code == 200 and "<strong>750원</strong>" in detail.content.decode()
    assert client.get(f"/commons/earnings/{bobs.public_id}/").status_code == 404
    assert client.get(f"/commons/earnings/{bobs.public_id}/statement.csv").status_code == 404
    one = client.get(f"/commons/earnings/{mine.public_id}/statement.csv")
    assert one["Content-Type"].startswith("text/csv")
    assert [r["amount_won"] for r in csv.DictReader(io.StringIO(one.content.decode()))] == ["750"]
    english = client.get("/commons/earnings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Revenue statements" in english


def test_the_operator_command_prints_one_json_line(alice, chain, priced, capsys):
    _accepted(alice)
    chain.table[alice] = (UNIT, 0, "0x01")
    _usage(alice, 1_000)
    call_command("commons", "distribute", "--period", PERIOD, "--quiet")
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (out["period"], out["pool_won"], out["paid_won"], out["holders"]) == (PERIOD, 100, 100, 1)
    with pytest.raises(CommandError, match="already_distributed"):
        call_command("commons", "distribute", "--period", PERIOD, "--quiet")


def test_allocate_sums_to_the_pool_and_is_deterministic():
    rng = random.Random(14)
    for _ in range(200):
        n = rng.randint(1, 30)
        weights = {i: rng.choice([0, 1, rng.randint(1, 10**24)]) for i in range(n)}
        weights[0] = max(weights[0], 1)
        order = {i: f"0x{rng.getrandbits(160):040x}" for i in range(n)}
        pool = rng.randint(0, 10**7)
        split = revenue.allocate(pool, weights, order)
        assert sum(won for won, _ in split.values()) == pool
        total = sum(weights.values())
        for k, (won, extra) in split.items():
            assert won - extra == pool * weights[k] // total and extra in (0, 1)
        assert revenue.allocate(pool, dict(reversed(list(weights.items()))), order) == split
