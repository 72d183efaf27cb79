"""/api/v1/chain: the signed-in user's custodial wallet, withdrawals, and the explorer's data."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from sangsaeng.chain import selectors, services
from sangsaeng.chain.gateway import CONTRACT_NAMES
from sangsaeng.chain.models import ChainTransaction, TokenTransfer, Wallet
from sangsaeng.core.errors import not_found
from sangsaeng.core.schemas import StrictInput

router = Router(tags=["chain"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


class WalletOut(Schema):
    address: str
    linked_address: str
    link_message: str


def _wallet(wallet: Wallet) -> WalletOut:
    return WalletOut(
        address=wallet.address, linked_address=wallet.linked_address, link_message=services.link_message(wallet=wallet)
    )


@router.get("/wallet", response=WalletOut, summary="My custodial wallet (made on first request)")
def wallet_get(request: HttpRequest) -> WalletOut:
    wallet, _message = services.wallet_link_challenge(user=_user(request))
    return _wallet(wallet)


class LinkIn(StrictInput):
    address: str = Field(..., max_length=64, examples=["0x8BFA6A21638A90A291D5749e9dF1d313ad76A1db"])
    signature: str = Field(..., max_length=200, description="EIP-191 personal_sign of `link_message`, 0x-hex")


@router.post("/wallet/link", response=WalletOut, summary="Link an external address by signing the link message")
def wallet_link(request: HttpRequest, payload: LinkIn) -> WalletOut:
    wallet = services.wallet_link(
        user=_user(request), address=payload.address, signature=payload.signature, request=request
    )
    return _wallet(wallet)


class ExportIn(StrictInput):
    password: str = Field(..., max_length=200)


class ExportOut(Schema):
    address: str
    private_key: str


@router.post("/wallet/export", response=ExportOut, summary="Export my private key (password required again)")
def wallet_export(request: HttpRequest, payload: ExportIn) -> ExportOut:
    key = services.wallet_export(user=_user(request), password=payload.password, request=request)
    return ExportOut(address=services.wallet_get_or_create(user=_user(request)).address, private_key=key)


class TransactionOut(Schema):
    id: UUID
    operation: str
    status: str
    chain_id: int
    tx_hash: str
    nonce: int | None
    block_number: int | None
    gas: int
    gas_used: int | None
    revert_reason: str
    last_error: str
    created_at: datetime
    finished_at: datetime | None


def _tx(tx: ChainTransaction) -> TransactionOut:
    return TransactionOut(
        id=tx.public_id,
        operation=tx.operation,
        status=tx.status,
        chain_id=tx.chain_id,
        tx_hash=tx.tx_hash,
        nonce=tx.nonce,
        block_number=tx.block_number,
        gas=tx.gas,
        gas_used=tx.gas_used,
        revert_reason=tx.revert_reason,
        last_error=tx.last_error,
        created_at=tx.created_at,
        finished_at=tx.finished_at,
    )


class WithdrawIn(StrictInput):
    contract: Literal["ProductPassport", "ArtworkEditions"]
    token_id: int = Field(..., ge=0, lt=2**256)
    idempotency_key: str = Field(..., min_length=1, max_length=100)


@router.post("/withdrawals", response={202: TransactionOut}, summary="Withdraw an NFT to my linked address")
def withdraw_token(request: HttpRequest, payload: WithdrawIn) -> Status[TransactionOut]:
    tx = services.token_withdraw(
        user=_user(request),
        contract_name=payload.contract,
        token_id=payload.token_id,
        idempotency_key=payload.idempotency_key,
    )
    return Status(202, _tx(tx))


class SharesWithdrawIn(StrictInput):
    amount: int = Field(..., gt=0, lt=2**256, description="base units (18 decimals)")
    idempotency_key: str = Field(..., min_length=1, max_length=100)


@router.post("/withdrawals/shares", response={202: TransactionOut}, summary="Withdraw contribution shares")
def withdraw_shares(request: HttpRequest, payload: SharesWithdrawIn) -> Status[TransactionOut]:
    tx = services.shares_withdraw(user=_user(request), amount=payload.amount, idempotency_key=payload.idempotency_key)
    return Status(202, _tx(tx))


@router.get("/transactions/{tx_id}", response=TransactionOut, summary="An outbox transaction's status")
def transaction_get(request: HttpRequest, tx_id: str) -> TransactionOut:
    return _tx(selectors.transaction_get(public_id=tx_id))


class TransferOut(Schema):
    tx_hash: str
    block_number: int
    from_address: str
    to_address: str


class ChainTokenOut(Schema):
    contract: str
    token_id: str
    owner: str | None
    history: list[TransferOut]


def _transfer(row: TokenTransfer) -> TransferOut:
    return TransferOut(
        tx_hash=row.tx_hash, block_number=row.block_number, from_address=row.from_address, to_address=row.to_address
    )


@router.get("/tokens/{contract}/{token_id}", response=ChainTokenOut, summary="A token's owner and transfer history")
def token_get(request: HttpRequest, contract: str, token_id: int) -> ChainTokenOut:
    if contract not in CONTRACT_NAMES:
        raise not_found("contract")
    history = selectors.token_history(contract_name=contract, token_id=token_id)
    if not history:
        raise not_found("token")
    return ChainTokenOut(
        contract=contract,
        token_id=str(token_id),
        owner=history[-1].to_address,
        history=[_transfer(row) for row in history],
    )
