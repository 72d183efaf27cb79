"""ContributionShares (the LM commons' ERC-20): mint, freeze, and read holdings.

Mint and freeze are outbox intents, like every write. Holdings are read from the chain itself
(`balanceOf`, `frozenOf`), because the chain is the record of who holds shares: a mint still
queued or reverted is not a holding, and a withdrawal moves shares out of the custodial wallet.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3.exceptions import Web3Exception

from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.models import ChainTransaction, Wallet
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.transactions import contract_call_enqueue
from sangsaeng.chain.wallets import wallet_get_or_create
from sangsaeng.core.errors import Problem

NAME = "ContributionShares"


def shares_mint(*, idempotency_key: str, owner: object, amount: int, requested_by: object = None) -> ChainTransaction:
    """Mint contribution shares (base units, 18 decimals) to `owner`'s custodial wallet."""
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation=f"{NAME}.mint",
        contract_name=NAME,
        function="mint",
        args=[wallet_get_or_create(user=owner).address, amount],
        requested_by=requested_by,
    )


def shares_freeze(*, idempotency_key: str, owner: object, amount: int, requested_by: object = None) -> ChainTransaction:
    """Freeze `amount` base units of `owner`'s custodial wallet on chain (the relayer owns the
    contract): the holder can no longer transfer or burn them. Sent after the mint it follows,
    because the outbox sends the relayer's transactions in the order they were queued."""
    if amount <= 0:
        raise ValueError("a freeze needs a positive amount")
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation=f"{NAME}.freeze",
        contract_name=NAME,
        function="freeze",
        args=[wallet_get_or_create(user=owner).address, amount],
        requested_by=requested_by,
    )


@dataclass(frozen=True)
class ShareHolding:
    """What the chain says one user holds: the custodial wallet's balance and frozen amount, and
    the balance of the address they linked (proven theirs by signature) where withdrawals go."""

    user_id: int
    address: str
    balance: int
    frozen: int
    linked_address: str
    linked_balance: int

    @property
    def total(self) -> int:
        return self.balance + self.linked_balance


def _chain_unavailable(exc: Exception) -> Problem:
    """The platform's answer for a node that does not answer (see sangsaeng/api.py): retryable 503."""
    return Problem(
        code="upstream_unavailable",
        status=503,
        ko="체인 노드가 응답하지 않아 지분을 읽지 못했습니다. 잠시 후 다시 시도하세요.",
        en=f"The chain node did not answer, so share balances could not be read ({type(exc).__name__}).",
        headers={"Retry-After": "5"},
    )


def shares_holdings(*, user_ids: list[int], progress: Any = None) -> dict[int, ShareHolding]:
    """On-chain holdings of these users, read now (two or three `eth_call`s per user with a wallet).

    `progress(done, total)` is called after each user. A chain that cannot be read is a 503
    problem, never a partial answer.
    """
    wallets = {w.user_id: w for w in Wallet.objects.filter(user_id__in=user_ids)}
    holdings: dict[int, ShareHolding] = {}
    try:
        token = contract_at(NAME, contract_address(NAME))
        for done, user_id in enumerate(sorted(set(user_ids)), start=1):
            wallet = wallets.get(user_id)
            if wallet is None:
                holdings[user_id] = ShareHolding(user_id, "", 0, 0, "", 0)
            else:
                linked = wallet.linked_address
                same = linked.lower() == wallet.address.lower()
                holdings[user_id] = ShareHolding(
                    user_id=user_id,
                    address=wallet.address,
                    balance=int(token.functions.balanceOf(wallet.address).call()),
                    frozen=int(token.functions.frozenOf(wallet.address).call()),
                    linked_address=linked,
                    linked_balance=int(token.functions.balanceOf(linked).call()) if linked and not same else 0,
                )
            if progress is not None:
                progress(done, len(set(user_ids)))
    except (OSError, Web3Exception) as exc:
        raise _chain_unavailable(exc) from exc
    return holdings
