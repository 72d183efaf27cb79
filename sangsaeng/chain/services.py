"""The chain app's public operations. Other apps call these; each writes outbox rows, never the chain.

Every operation takes the caller's idempotency key: the business event that causes it (an order
paid, a contribution accepted) names the key, so a retried handler finds its first intent.
"""

from __future__ import annotations

from eth_utils import keccak

from sangsaeng.chain.editions import edition_drop_id, edition_drop_minted, edition_owner, royalty_info
from sangsaeng.chain.gateway import GAS, address_parse
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.shares import shares_freeze, shares_mint
from sangsaeng.chain.transactions import contract_call_enqueue, transaction_enqueue
from sangsaeng.chain.wallets import (
    link_message,
    wallet_export,
    wallet_get_or_create,
    wallet_link,
    wallet_link_challenge,
)
from sangsaeng.chain.withdrawals import (
    passport_permit_transfer,
    shares_withdraw,
    token_transfer_custodial,
    token_withdraw,
)
from sangsaeng.chain.worker import chain_sweep, transactions_process

__all__ = [
    "brand_id",
    "chain_sweep",
    "edition_drop_create",
    "edition_drop_id",
    "edition_drop_minted",
    "edition_owner",
    "editions_mint",
    "link_message",
    "passport_custody_address",
    "passport_issue",
    "passport_issue_to_custody",
    "passport_recover",
    "passport_transfer",
    "royalty_info",
    "shares_freeze",
    "shares_mint",
    "shares_withdraw",
    "token_transfer_custodial",
    "token_withdraw",
    "transaction_enqueue",
    "transactions_process",
    "wallet_export",
    "wallet_get_or_create",
    "wallet_link",
    "wallet_link_challenge",
]


def brand_id(brand: str) -> bytes:
    """A brand's on-chain id: keccak-256 of its public id, so no brand name is written to the chain."""
    return keccak(text=f"sangsaeng-brand:{brand}")


def _recipient(owner: object) -> str:
    return wallet_get_or_create(user=owner).address


def passport_issue(
    *, idempotency_key: str, brand: str, owner: object, token_id: int, metadata_hash: bytes, requested_by: object = None
) -> ChainTransaction:
    """Issue a product passport to `owner`'s custodial wallet; the relayer issues for the brand."""
    if len(metadata_hash) != 32:
        raise ValueError("metadata_hash must be 32 bytes (keccak-256 of the metadata document)")
    brand_key = brand_id(brand)
    _issuer_enqueue(brand_key)
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation="ProductPassport.issue",
        contract_name="ProductPassport",
        function="issue",
        args=[brand_key, _recipient(owner), token_id, metadata_hash],
        requested_by=requested_by,
    )


def passport_custody_address() -> str:
    """Where unclaimed passports wait: the relayer, which issues for every brand.

    A passport held here belongs to no customer yet; the relayer can hand it to the buyer with a
    plain `transferFrom`, so a claim needs no signature from anyone else.
    """
    return str(relayer_account().address)


def passport_issue_to_custody(
    *, idempotency_key: str, brand: str, token_id: int, metadata_hash: bytes, requested_by: object = None
) -> ChainTransaction:
    """Issue a passport into custody (see `passport_custody_address`) until its buyer claims it."""
    if len(metadata_hash) != 32:
        raise ValueError("metadata_hash must be 32 bytes")
    brand_key = brand_id(brand)
    _issuer_enqueue(brand_key)
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation="ProductPassport.issue",
        contract_name="ProductPassport",
        function="issue",
        args=[brand_key, passport_custody_address(), token_id, metadata_hash],
        requested_by=requested_by,
    )


def _issuer_enqueue(brand_key: bytes) -> None:
    contract_call_enqueue(
        idempotency_key=f"passport-issuer:{contract_address('ProductPassport')}:{brand_key.hex()}",
        operation="ProductPassport.set_issuer",
        contract_name="ProductPassport",
        function="set_issuer",
        args=[brand_key, relayer_account().address, True],
    )


def passport_transfer(
    *, idempotency_key: str, token_id: int, to_address: str, holder: object = None, requested_by: object = None
) -> ChainTransaction:
    """Move a passport to `to_address`.

    With no `holder` the passport is in custody and the relayer sends it itself. With a holder
    (a user whose custodial wallet has it) that wallet signs an ERC-4494 permit for the relayer,
    which then submits the permit and `transferFrom`; the holder's wallet must hold it on chain now.
    """
    target = address_parse(to_address, field="to_address")
    if holder is None:
        custody = passport_custody_address()
        return contract_call_enqueue(
            idempotency_key=idempotency_key,
            operation="ProductPassport.transfer",
            contract_name="ProductPassport",
            function="transferFrom",
            args=[custody, target, token_id],
            gas=GAS["transferFrom"],
            requested_by=requested_by,
        )
    return passport_permit_transfer(user=holder, token_id=token_id, to_address=target, idempotency_key=idempotency_key)


def passport_recover(
    *, idempotency_key: str, token_id: int, to_address: str, requested_by: object = None
) -> ChainTransaction:
    """The brand's issuer moves a passport without the holder, allowed on chain only inside the
    contract's recovery window (a disputed or mis-addressed issuance)."""
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation="ProductPassport.recover",
        contract_name="ProductPassport",
        function="recover",
        args=[token_id, address_parse(to_address, field="to_address")],
        requested_by=requested_by,
    )


def edition_drop_create(
    *, idempotency_key: str, cap: int, royalty_receiver: str, royalty_bps: int, requested_by: object = None
) -> ChainTransaction:
    """Open a drop with a hard supply cap; the drop id is in the DropCreated event (the n-th drop gets n)."""
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation="ArtworkEditions.create_drop",
        contract_name="ArtworkEditions",
        function="create_drop",
        args=[cap, address_parse(royalty_receiver, field="royalty_receiver"), royalty_bps],
        requested_by=requested_by,
    )


def editions_mint(
    *, idempotency_key: str, drop_id: int, owners: list[object], requested_by: object = None
) -> ChainTransaction:
    """Mint one edition per owner in one batch transaction; the contract refuses to pass the cap."""
    recipients = [_recipient(owner) for owner in owners]
    return contract_call_enqueue(
        idempotency_key=idempotency_key,
        operation="ArtworkEditions.mint_batch",
        contract_name="ArtworkEditions",
        function="mint_batch",
        args=[drop_id, recipients],
        gas=GAS["ArtworkEditions.mint_batch.base"] + GAS["ArtworkEditions.mint_batch.each"] * len(recipients),
        requested_by=requested_by,
    )
