"""The rush, against a live server: 2,000 concurrent buyers (asyncio httpx clients), 500 editions,
limit 1 per person, each buyer sending two purchases at once. Exactly 500 sold, nobody over the
limit, no payment without an edition, the ledger balanced, and once the outbox drains the chain
holds exactly as many editions as were sold. The same code is `sangsaeng bench drop-rush`; here only
the invariants are asserted, never the timing (it is printed for the record)."""

from __future__ import annotations

import json
import os
import time

import pytest

from bench.drops_rush import run

BUYERS = int(os.environ.get("DROPS_RUSH_BUYERS", "2000"))


@pytest.mark.skipif(
    os.environ.get("DROPS_RUSH_SKIP") == "1",
    reason="DROPS_RUSH_SKIP=1: the 2,000-buyer live rush takes minutes on two cores; run it on its own",
)
def test_two_thousand_buyers_get_exactly_five_hundred_editions():
    # when
    started = time.monotonic()
    result = run({"buyers": BUYERS, "editions": 500, "limit": 1, "drain_seconds": 600})
    print(json.dumps({**result, "test_seconds": round(time.monotonic() - started, 1)}))
    # then
    assert result["sold"] == 500
    assert result["oversold"] == 0
    assert result["users_over_limit"] == 0
    assert result["charged_without_edition"] == 0
    assert result["ledger_imbalance_krw"] == 0
    assert result["replay_mismatches"] == 0
    assert result["minted_onchain"] == 500
    assert result["refused"].get("sold_out", 0) + result["refused"].get("over_limit", 0) == BUYERS * 2 - 500
