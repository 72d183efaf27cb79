"""Reads: outbox transactions, token histories from the index, the registry."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count

from sangsaeng.chain.gateway import chain_id, rpc_url
from sangsaeng.chain.models import ChainTransaction, DeployedContract, TokenTransfer, Wallet
from sangsaeng.chain.shares import ShareHolding, shares_holdings
from sangsaeng.core.errors import not_found

__all__ = [
    "ShareHolding",
    "chain_status",
    "contract_get",
    "contract_list",
    "shares_holdings",
    "token_history",
    "token_owner_indexed",
    "tokens_held",
    "transaction_get",
    "transaction_get_by_key",
    "transaction_list_recent",
    "wallet_get",
]


def transaction_get(*, public_id: Any) -> ChainTransaction:
    """Outbox rows are public by id (the chain itself is public); a bad id is the same 404 as a missing one."""
    try:
        return ChainTransaction.objects.get(public_id=public_id)
    except (ChainTransaction.DoesNotExist, ValidationError, ValueError) as exc:
        raise not_found("transaction") from exc


def transaction_get_by_key(*, idempotency_key: str) -> ChainTransaction | None:
    return ChainTransaction.objects.filter(chain_id=chain_id(), idempotency_key=idempotency_key).first()


def transaction_list_recent(*, limit: int = 20) -> list[ChainTransaction]:
    return list(ChainTransaction.objects.filter(chain_id=chain_id()).order_by("-id")[:limit])


def contract_list() -> list[DeployedContract]:
    return list(DeployedContract.objects.filter(chain_id=chain_id()).order_by("name"))


def contract_get(*, name: str) -> DeployedContract:
    row = DeployedContract.objects.filter(chain_id=chain_id(), name=name).first()
    if row is None:
        raise not_found("contract")
    return row


def token_history(*, contract_name: str, token_id: int) -> list[TokenTransfer]:
    """Every indexed transfer of one NFT, oldest first (mint first)."""
    return list(
        TokenTransfer.objects.filter(chain_id=chain_id(), contract_name=contract_name, token_id=token_id).order_by(
            "block_number", "log_index"
        )
    )


def token_owner_indexed(*, contract_name: str, token_id: int) -> str | None:
    """The holder after the last indexed transfer: what token pages show without a chain call."""
    last = (
        TokenTransfer.objects.filter(chain_id=chain_id(), contract_name=contract_name, token_id=token_id)
        .order_by("-block_number", "-log_index")
        .first()
    )
    return last.to_address if last else None


def tokens_held(*, contract_name: str, address: str) -> list[int]:
    """NFT ids whose last indexed transfer went to `address`."""
    held: dict[int, str] = {}
    for row in TokenTransfer.objects.filter(
        chain_id=chain_id(), contract_name=contract_name, token_id__isnull=False
    ).order_by("block_number", "log_index"):
        held[int(row.token_id or 0)] = row.to_address.lower()
    return sorted(token for token, owner in held.items() if owner == address.lower())


def wallet_get(*, user: Any) -> Wallet | None:
    return Wallet.objects.filter(user=user).first()


def chain_status() -> dict[str, Any]:
    counts = dict(ChainTransaction.objects.filter(chain_id=chain_id()).values_list("status").annotate(n=Count("id")))
    return {
        "rpc": rpc_url(),
        "chain_id": chain_id(),
        "contracts": {row.name: row.address for row in contract_list()},
        "transactions": counts,
    }
