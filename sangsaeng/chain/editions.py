"""Reads of the ArtworkEditions contract that the drops app needs: drop ids, royalties, supply, holders.

These are `eth_call`s (or receipt reads) against the connected node, never writes; writes go
through the outbox (`services.edition_drop_create`, `services.editions_mint`, transfers).
"""

from __future__ import annotations

from web3.exceptions import ContractLogicError

from sangsaeng.chain.gateway import chain_web3, contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.selectors import transaction_get_by_key

NAME = "ArtworkEditions"


def _editions():  # type: ignore[no-untyped-def]
    return contract_at(NAME, contract_address(NAME))


def edition_drop_id(*, idempotency_key: str) -> int | None:
    """The on-chain drop id that `edition_drop_create(idempotency_key=...)` got, once it is confirmed.

    The id comes from the DropCreated event in the transaction's own receipt, so two drops created
    in one block can't be mixed up. None while the transaction is still on its way.
    """
    tx = transaction_get_by_key(idempotency_key=idempotency_key)
    if tx is None or tx.status != ChainTransaction.Status.CONFIRMED:
        return None
    receipt = chain_web3().eth.get_transaction_receipt(tx.tx_hash)  # type: ignore[arg-type]
    events = _editions().events.DropCreated().process_receipt(receipt)
    return int(events[0]["args"]["drop_id"]) if events else None


def royalty_info(*, token_id: int, sale_price: int) -> tuple[str, int]:
    """EIP-2981 `royaltyInfo`: who gets a royalty on a sale at `sale_price`, and how much."""
    receiver, amount = _editions().functions.royaltyInfo(token_id, sale_price).call()
    return str(receiver), int(amount)


def edition_drop_minted(*, drop_id: int) -> int:
    """How many editions of an on-chain drop exist: the contract's own counter."""
    return int(_editions().functions.drops(drop_id).call()[1])


def edition_owner(*, token_id: int) -> str | None:
    """The token's holder on chain, or None when it does not exist (yet)."""
    try:
        return str(_editions().functions.ownerOf(token_id).call())
    except ContractLogicError:
        return None
