"""End to end on the embedded chain: contribute, accept, shares on chain, takedown freezes them on
chain, the month's revenue is paid from on-chain balances, snapshot anchored, a small model trained
on the snapshot, and its model card names the anchored root."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from hexbytes import HexBytes

from sangsaeng.chain.gateway import chain_web3, contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.services import wallet_get_or_create
from sangsaeng.chain.tests.conftest import settle
from sangsaeng.chain.withdrawals import shares_permit_transfer
from sangsaeng.contributions import services
from sangsaeng.contributions.anchoring import root_from_calldata
from sangsaeng.contributions.models import Contribution, RevenueStatement, Snapshot
from sangsaeng.core.models import OutboxEvent
from sangsaeng.core.outbox import event_process
from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.services import key_create
from sangsaeng.lm.tests.test_provenance import TEXTS, TINY
from sangsaeng.payments.services import commons_pool_balance, ledger_audit, wallet_balance

COMMONS_EVENTS = ("contribution_accepted", "contribution_removed", "snapshot_created", "chain_transaction_confirmed")
UNIT = 10**18
BOBS_TEXT = (
    "겨울이 되면 동네 어귀의 붕어빵 가게 앞에는 긴 줄이 생깁니다. 팥과 슈크림 중에 무엇을 고를지 고민하는 "
    "아이들의 얼굴이 즐거워 보입니다. 주인 할아버지는 단골손님에게 언제나 한 개를 더 얹어 주십니다."
)


@pytest.fixture(autouse=True)
def _commit_runs(pipeline_runs_now):
    """The pipeline runs as soon as text is contributed."""


def drain() -> None:
    """What the worker does: run the commons' outbox events, send their transactions, repeat."""
    for _ in range(6):
        pending = list(
            OutboxEvent.objects.filter(name__in=COMMONS_EVENTS, processed_at__isnull=True).values_list("pk", flat=True)
        )
        for pk in pending:
            assert event_process(event_id=pk), OutboxEvent.objects.get(pk=pk).last_error
        settle()
        if not pending:
            return


def _contribute(api, text):
    r = api.post("/api/v1/contributions", {"text": text, "licence": "cc0", "licence_accepted": True})
    assert r.status_code == 202, r.content
    c = Contribution.objects.get(public_id=r.json()["id"])
    assert c.status == "accepted", c.reasons
    return c


def test_shares_reach_the_chain_freeze_there_earn_revenue_and_the_model_card_names_the_snapshot(
    embedded,
    deployed,
    api_alice,
    api_bob,
    alice,
    bob,
    tmp_path,
    settings,
):
    settings.LM_PRICE_WON_PER_1K_TOKENS = 1000  # 1 won per token
    settings.COMMONS_REVENUE_SHARE_BPS = 3000
    shares = contract_at("ContributionShares", deployed["ContributionShares"])

    # contribute and accept: the mint goes through the outbox to the chain
    alices = [_contribute(api_alice, text) for text in TEXTS]
    bobs = _contribute(api_bob, BOBS_TEXT)
    drain()
    alice_wallet = wallet_get_or_create(user=alice).address
    bob_wallet = wallet_get_or_create(user=bob).address
    alice_shares = sum(c.token_count for c in alices) * UNIT
    bob_shares = bobs.token_count * UNIT
    assert alice_shares > 0 and bob_shares > 0
    assert shares.functions.balanceOf(alice_wallet).call() == alice_shares
    assert shares.functions.balanceOf(bob_wallet).call() == bob_shares
    assert shares.functions.totalSupply().call() == alice_shares + bob_shares

    # a takedown removes bob's contribution: its shares are frozen on chain too
    report = services.takedown_report(reporter=alice, reason="다른 사람의 글입니다.", contribution_id=bobs.public_id)
    alice.is_staff = True
    alice.save(update_fields=["is_staff"])
    services.takedown_decide(actor=alice, takedown_id=report.public_id, decision="remove")
    drain()
    freeze = ChainTransaction.objects.get(operation="ContributionShares.freeze")
    assert freeze.status == ChainTransaction.Status.CONFIRMED
    assert shares.functions.frozenOf(bob_wallet).call() == bob_shares
    # bob's custodial key signs a move of his shares; the contract reverts it
    bob_w = wallet_get_or_create(user=bob)
    moved = shares_permit_transfer(user=bob, wallet=bob_w, amount=bob_shares, target=alice_wallet, key="bob-moves")
    settle()
    moved.refresh_from_db()
    assert moved.status == ChainTransaction.Status.REVERTED and "shares: amount is frozen" in moved.revert_reason
    assert shares.functions.balanceOf(bob_wallet).call() == bob_shares

    # last month's LM API revenue is paid from the on-chain balances; bob's frozen shares earn nothing
    last_month = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    key = key_create(owner=bob, label="상담 챗봇").key
    UsageDay.objects.create(key=key, day=last_month, requests=3, prompt_tokens=700, completion_tokens=301)
    d = services.revenue_distribute(period=last_month.strftime("%Y-%m"))
    assert (d.revenue_won, d.pool_won, d.holders) == (1_001, 300, 1)
    rows = {
        s.holder_id: (int(s.shares_held), int(s.shares_eligible), s.amount_won) for s in RevenueStatement.objects.all()
    }
    assert rows == {alice.pk: (alice_shares, alice_shares, 300), bob.pk: (bob_shares, 0, 0)}
    assert (wallet_balance(user=alice), wallet_balance(user=bob), commons_pool_balance()) == (300, 0, 0)
    assert ledger_audit()["ok"] is True

    # snapshot (without bob's removed text), anchored on chain
    snap = services.snapshot_create(created_by=alice)
    assert snap.document_count == 3
    drain()
    snap = Snapshot.objects.get(pk=snap.pk)
    assert snap.anchored is True
    anchor_tx = chain_web3().eth.get_transaction(HexBytes(snap.anchor.tx_hash))
    assert root_from_calldata("0x" + bytes(anchor_tx["input"]).hex()) == snap.merkle_root

    # train the small model on the snapshot: the card names the anchored root
    out = tmp_path / "ko-commons"
    call_command("lm", "train", "--snapshot", snap.merkle_root, "--snapshot-only", *TINY, "--out", str(out))
    card = json.loads((out / "model_card.json").read_text(encoding="utf-8"))
    assert card["snapshot"]["merkle_root"] == snap.merkle_root
    assert card["snapshot"]["documents_used"] == 3


def test_the_demo_pays_last_months_revenue_share_when_the_chain_is_up(embedded, deployed):
    from sangsaeng.accounts.services import user_create
    from sangsaeng.contributions import demo as commons_demo
    from sangsaeng.contributions import selectors
    from sangsaeng.lm import demo as lm_demo

    user = user_create(email="demo@sangsaeng.kr", password="demo-password-1234", display_name="김상생")
    said: list[str] = []
    lm_demo.build(said.append)  # API keys with 45 days of usage, into last month
    commons_demo.build(said.append)
    (statement,) = selectors.statement_list(owner=user)
    assert statement.amount_won == statement.distribution.pool_won > 0  # the only holder gets the whole pool
    assert int(statement.shares_held) == sum(c.token_count for c in selectors.contribution_list(owner=user)) * UNIT
    assert wallet_balance(user=user) == statement.amount_won
    assert any("LM revenue share" in line for line in said)
