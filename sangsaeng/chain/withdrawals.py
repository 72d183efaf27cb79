"""Withdraw a user's tokens from their custodial wallet to the address they linked.

Custodial wallets hold no coins, so they never send transactions. The custodial key signs a
permit instead (ERC-4494 for an NFT, EIP-2612 for shares) naming the relayer as spender; the
relayer submits the permit and then `transferFrom`, paying the gas for both. The two outbox rows
share the caller's idempotency key, so a retried request neither signs nor sends anything twice.
"""

from __future__ import annotations

import time
from typing import Any

from eth_account import Account
from web3.exceptions import ContractLogicError

from sangsaeng.chain.deploy import eip712_name
from sangsaeng.chain.gateway import GAS, chain_id, contract_at, encode_call
from sangsaeng.chain.models import ChainTransaction, Wallet
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.chain.transactions import transaction_enqueue
from sangsaeng.chain.wallets import wallet_get_or_create, wallet_private_key
from sangsaeng.core.errors import Problem

NFT_CONTRACTS = ("ProductPassport", "ArtworkEditions")
PERMIT_LIFETIME_SECONDS = 24 * 3600


def _linked(wallet: Wallet) -> str:
    if not wallet.linked_address:
        raise Problem(
            code="no_linked_address",
            status=409,
            ko="먼저 외부 지갑 주소를 연결하세요.",
            en="Link an external address before withdrawing.",
        )
    return wallet.linked_address


def _not_owned() -> Problem:
    return Problem(
        code="token_not_owned",
        status=403,
        ko="이 토큰은 내 지갑에 없습니다.",
        en="This token is not in your wallet.",
        field="token_id",
    )


def _domain(name: str, address: str) -> dict[str, Any]:
    """The EIP-712 domain the contract was deployed with (see deploy.constructor_args)."""
    return {"name": eip712_name(name), "version": "1", "chainId": chain_id(), "verifyingContract": address}


def _enqueue_pair(
    *, key: str, operation: str, name: str, user: Any, permit_args: list[Any], transfer_args: list[Any]
) -> ChainTransaction:
    address = contract_address(name)
    transaction_enqueue(
        idempotency_key=f"{key}:permit",
        operation=f"{operation}.permit",
        to_address=address,
        data=encode_call(name, "permit", permit_args),
        gas=GAS["permit"],
        contract_name=name,
        function="permit",
        args=permit_args,
        requested_by=user,
    )
    return transaction_enqueue(
        idempotency_key=f"{key}:transfer",
        operation=operation,
        to_address=address,
        data=encode_call(name, "transferFrom", transfer_args),
        gas=GAS["transferFrom"],
        contract_name=name,
        function="transferFrom",
        args=transfer_args,
        requested_by=user,
    )


def token_withdraw(*, user: Any, contract_name: str, token_id: int, idempotency_key: str) -> ChainTransaction:
    """Move an NFT from the user's custodial wallet to their linked address; returns the transfer row."""
    key = f"withdraw:{getattr(user, 'pk', '')}:{idempotency_key}"
    existing = ChainTransaction.objects.filter(chain_id=chain_id(), idempotency_key=f"{key}:transfer").first()
    if existing is not None:
        return existing
    _nft_contract(contract_name)
    return _nft_move(
        key=key,
        operation=f"{contract_name}.withdraw",
        user=user,
        contract_name=contract_name,
        token_id=token_id,
        target=_linked(wallet_get_or_create(user=user)),
    )


def token_transfer_custodial(
    *, from_user: Any, to_user: Any, contract_name: str, token_id: int, idempotency_key: str
) -> ChainTransaction:
    """Move an NFT between two custodial wallets (a sale on the platform's market).

    Same permit-then-transferFrom pair as a withdrawal, so the relayer pays the gas. The key is the
    caller's (the sale's), so a retried sale enqueues nothing twice.
    """
    key = f"transfer:{idempotency_key}"
    existing = ChainTransaction.objects.filter(chain_id=chain_id(), idempotency_key=f"{key}:transfer").first()
    if existing is not None:
        return existing
    _nft_contract(contract_name)
    return _nft_move(
        key=key,
        operation=f"{contract_name}.transfer",
        user=from_user,
        contract_name=contract_name,
        token_id=token_id,
        target=wallet_get_or_create(user=to_user).address,
    )


def passport_permit_transfer(*, user: Any, token_id: int, to_address: str, idempotency_key: str) -> ChainTransaction:
    """Move a passport from the user's custodial wallet to any address (a resale, a gift)."""
    key = f"passport-move:{idempotency_key}"
    existing = ChainTransaction.objects.filter(chain_id=chain_id(), idempotency_key=f"{key}:transfer").first()
    if existing is not None:
        return existing
    return _nft_move(
        key=key,
        operation="ProductPassport.transfer",
        user=user,
        contract_name="ProductPassport",
        token_id=token_id,
        target=to_address,
    )


def _nft_contract(contract_name: str) -> None:
    if contract_name not in NFT_CONTRACTS:
        raise Problem(
            code="unknown_contract", status=404, ko="그런 토큰 계약이 없습니다.", en="No such token contract."
        )


def _nft_move(
    *, key: str, operation: str, user: Any, contract_name: str, token_id: int, target: str
) -> ChainTransaction:
    wallet = wallet_get_or_create(user=user)
    token = contract_at(contract_name, contract_address(contract_name))
    try:
        holder = token.functions.ownerOf(token_id).call()
    except ContractLogicError as exc:
        raise _not_owned() from exc
    if holder.lower() != wallet.address.lower():
        raise _not_owned()
    relayer = relayer_account().address
    nonce = int(token.functions.nonces(token_id).call())
    deadline = int(time.time()) + PERMIT_LIFETIME_SECONDS
    signed = Account.sign_typed_data(
        wallet_private_key(wallet=wallet),
        domain_data=_domain(contract_name, token.address),
        message_types={
            "Permit": [
                {"name": "spender", "type": "address"},
                {"name": "tokenId", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ]
        },
        message_data={"spender": relayer, "tokenId": token_id, "nonce": nonce, "deadline": deadline},
    )
    return _enqueue_pair(
        key=key,
        operation=operation,
        name=contract_name,
        user=user,
        permit_args=[relayer, token_id, deadline, signed.v, signed.r.to_bytes(32, "big"), signed.s.to_bytes(32, "big")],
        transfer_args=[wallet.address, target, token_id],
    )


def shares_withdraw(*, user: Any, amount: int, idempotency_key: str) -> ChainTransaction:
    """Move contribution shares (ERC-20, 18 decimals, in base units) to the linked address."""
    key = f"withdraw-shares:{getattr(user, 'pk', '')}:{idempotency_key}"
    existing = ChainTransaction.objects.filter(chain_id=chain_id(), idempotency_key=f"{key}:transfer").first()
    if existing is not None:
        return existing
    if amount <= 0:
        raise Problem(
            code="invalid_amount", status=422, ko="수량은 0보다 커야 합니다.", en="The amount must be positive."
        )
    wallet = wallet_get_or_create(user=user)
    target = _linked(wallet)
    name = "ContributionShares"
    token = contract_at(name, contract_address(name))
    balance = int(token.functions.balanceOf(wallet.address).call())
    if balance < amount:
        raise Problem(
            code="insufficient_shares", status=403, ko="지분이 부족합니다.", en="Not enough shares.", field="amount"
        )
    if balance - int(token.functions.frozenOf(wallet.address).call()) < amount:
        # the contract would revert the transfer: refuse now instead of queueing a doomed pair
        raise Problem(
            code="shares_frozen",
            status=409,
            ko="삭제된 기여의 지분은 동결되어 옮길 수 없습니다.",
            en="Shares of a removed contribution are frozen and cannot be moved.",
            field="amount",
        )
    return shares_permit_transfer(user=user, wallet=wallet, amount=amount, target=target, key=key)


def shares_permit_transfer(*, user: Any, wallet: Wallet, amount: int, target: str, key: str) -> ChainTransaction:
    """The custodial wallet signs an EIP-2612 permit for the relayer, which sends permit and
    transferFrom. No checks here: `shares_withdraw` checks first; the contract checks again."""
    name = "ContributionShares"
    token = contract_at(name, contract_address(name))
    relayer = relayer_account().address
    deadline = int(time.time()) + PERMIT_LIFETIME_SECONDS
    signed = Account.sign_typed_data(
        wallet_private_key(wallet=wallet),
        domain_data=_domain(name, token.address),
        message_types={
            "Permit": [
                {"name": "owner", "type": "address"},
                {"name": "spender", "type": "address"},
                {"name": "value", "type": "uint256"},
                {"name": "nonce", "type": "uint256"},
                {"name": "deadline", "type": "uint256"},
            ]
        },
        message_data={
            "owner": wallet.address,
            "spender": relayer,
            "value": amount,
            "nonce": int(token.functions.nonces(wallet.address).call()),
            "deadline": deadline,
        },
    )
    return _enqueue_pair(
        key=key,
        operation=f"{name}.withdraw",
        name=name,
        user=user,
        permit_args=[
            wallet.address,
            relayer,
            amount,
            deadline,
            signed.v,
            signed.r.to_bytes(32, "big"),
            signed.s.to_bytes(32, "big"),
        ],
        transfer_args=[wallet.address, target, amount],
    )
