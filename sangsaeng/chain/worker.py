"""The outbox worker: assigns the relayer's nonces, sends, retries, and follows receipts to finality.

Exactly once rests on two rules:
- a transaction gets its nonce, its signature and its hash in one database commit *before* it is
  broadcast, so a crash at any point leaves a row that names the one signed transaction that can
  ever use that nonce; after a restart the worker asks the chain for that hash and rebroadcasts
  the same bytes when it is missing. A nonce can be mined only once, so the intent is too;
- only the holder of the relayer lease assigns nonces, so two workers never sign one nonce twice.

A node that refuses a transaction (its answer, not a lost connection) has not used the nonce;
after the allowed attempts the row fails, its nonce is given back, and later rows that counted on
it return to the queue.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid
from datetime import timedelta
from typing import Any

import requests
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from hexbytes import HexBytes
from web3 import Web3
from web3.exceptions import ContractLogicError, TransactionNotFound, Web3RPCError

from sangsaeng.chain.gateway import chain_id, chain_web3
from sangsaeng.chain.models import ChainTransaction, DeployedContract, RelayerLease
from sangsaeng.chain.relayer import relayer_account
from sangsaeng.core.outbox import event_emit

log = logging.getLogger(__name__)

Status = ChainTransaction.Status
HOLDER = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
# Refusals that no retry can cure: fail at once instead of blocking the nonces behind them.
PERMANENT_REFUSALS = (
    "intrinsic gas",
    "insufficient gas",
    "gas cannot be negative",
    "exceeds block gas limit",
    "gas limit",
    "invalid sender",
    "oversized",
)
NETWORK_ERRORS = (requests.ConnectionError, requests.Timeout, ConnectionError, TimeoutError)


class Refused(Exception):
    pass


def lease_acquire(*, chain: int, holder: str = HOLDER) -> bool:
    now = timezone.now()
    with contextlib.suppress(IntegrityError):
        RelayerLease.objects.get_or_create(chain_id=chain)
    free = Q(expires_at__isnull=True) | Q(expires_at__lt=now) | Q(holder=holder)
    expires = now + timedelta(seconds=settings.CHAIN_WORKER_LEASE_SECONDS)
    return RelayerLease.objects.filter(free, chain_id=chain).update(holder=holder, expires_at=expires) == 1


def lease_release(*, chain: int, holder: str = HOLDER) -> None:
    RelayerLease.objects.filter(chain_id=chain, holder=holder).update(holder="", expires_at=None)


def _receipt(w3: Web3, tx_hash: str) -> Any:
    try:
        return w3.eth.get_transaction_receipt(HexBytes(tx_hash))
    except TransactionNotFound:
        return None


def _broadcast(w3: Web3, tx: ChainTransaction, *, fresh: bool = False) -> Any:
    """Send the stored signed bytes; the receipt when the chain has the transaction, else None.

    A row signed in this pass (`fresh`) was never sent before, so only rows from an earlier pass
    (perhaps sent just before a crash) are looked up first.
    """
    if not fresh:
        receipt = _receipt(w3, tx.tx_hash)
        if receipt is not None:
            return receipt
    try:
        w3.eth.send_raw_transaction(HexBytes(tx.raw_transaction))
    except Web3RPCError as exc:
        receipt = _receipt(w3, tx.tx_hash)
        if receipt is not None:
            return receipt
        message = str(exc.message if hasattr(exc, "message") else exc)
        if "already known" in message.lower() or "known transaction" in message.lower():
            return None
        raise Refused(message) from exc
    return _receipt(w3, tx.tx_hash)


def _revert_reason(w3: Web3, tx: ChainTransaction, receipt: Any) -> str:
    """Replay the call on the state before its block; the node's revert message is the reason."""
    if receipt["gasUsed"] >= tx.gas:
        return "out of gas"
    call: dict[str, Any] = {"from": tx.from_address, "data": tx.data, "gas": tx.gas, "value": int(tx.value_wei)}
    if tx.to_address:
        call["to"] = tx.to_address
    try:
        w3.eth.call(call, block_identifier=max(0, int(receipt["blockNumber"]) - 1))  # type: ignore[arg-type]
    except ContractLogicError as exc:
        return str(exc.message or exc).removeprefix("execution reverted: ").strip() or "execution reverted"
    except Web3RPCError as exc:
        return str(exc)[:500]
    return "execution reverted"


def _record_receipt(w3: Web3, tx: ChainTransaction, receipt: Any) -> None:
    tx.block_number = int(receipt["blockNumber"])
    tx.block_hash = "0x" + bytes(receipt["blockHash"]).hex()
    tx.gas_used = int(receipt["gasUsed"])
    tx.succeeded = int(receipt["status"]) == 1
    tx.contract_address = receipt.get("contractAddress") or ""
    tx.revert_reason = "" if tx.succeeded else _revert_reason(w3, tx, receipt)
    tx.status = Status.MINED
    tx.mined_at = timezone.now()
    fields = ["block_number", "block_hash", "gas_used", "succeeded", "contract_address", "revert_reason", "status"]
    tx.save(update_fields=[*fields, "mined_at", "updated_at"])


def _release_nonce(tx: ChainTransaction, reason: str) -> None:
    """The node refused `tx` for good: fail it, free its nonce, and requeue the rows signed after it."""
    with transaction.atomic():
        later = ChainTransaction.objects.filter(
            chain_id=tx.chain_id, from_address=tx.from_address, status=Status.SENT, nonce__gt=tx.nonce
        )
        later.update(status=Status.QUEUED, nonce=None, raw_transaction="", tx_hash="", gas_price_wei=None)
        tx.status = Status.FAILED
        tx.last_error = reason[:4000]
        tx.nonce = None
        tx.finished_at = timezone.now()
        tx.save(update_fields=["status", "last_error", "nonce", "finished_at", "updated_at"])
        event_emit(name="chain_transaction_failed", payload=_event_payload(tx))


def _refused(w3: Web3, tx: ChainTransaction, reason: str) -> bool:
    """Handle a refusal; True when the rows after this one may still be sent."""
    tx.attempts += 1
    tx.last_error = reason[:4000]
    tx.save(update_fields=["attempts", "last_error", "updated_at"])
    chain_nonce = w3.eth.get_transaction_count(Web3.to_checksum_address(tx.from_address), "latest")
    if tx.nonce is not None and chain_nonce > tx.nonce:
        # Another transaction took this nonce (someone else used the relayer key). Ours can never be mined.
        _release_nonce(tx, f"nonce {tx.nonce} was used by another transaction: {reason}")
        return False
    if tx.attempts >= settings.CHAIN_TX_MAX_ATTEMPTS or any(p in reason.lower() for p in PERMANENT_REFUSALS):
        _release_nonce(tx, reason)
    return False


def _settle_sent(w3: Web3, chain: int, address: str, stats: dict[str, int]) -> bool:
    """Rebroadcast or record every signed row; True when nothing blocks new nonces."""
    for tx in ChainTransaction.objects.filter(chain_id=chain, from_address=address, status=Status.SENT).order_by(
        "nonce"
    ):
        try:
            receipt = _broadcast(w3, tx)
        except Refused as exc:
            stats["refused"] += 1
            return _refused(w3, tx, str(exc))
        if receipt is not None:
            _record_receipt(w3, tx, receipt)
            stats["mined"] += 1
    return True


def fee_fields(w3: Web3) -> dict[str, int]:
    """EIP-1559 fees where the chain has a base fee, else a legacy gas price.

    The fee cap is twice the latest base fee plus the tip, so a signed transaction stays valid
    through several blocks of rising base fee (it pays only base fee + tip); the stored signed
    bytes can then be rebroadcast unchanged.
    """
    base_fee = w3.eth.get_block("latest").get("baseFeePerGas")
    if base_fee is None:
        return {"gasPrice": int(w3.eth.gas_price)}
    tip = int(w3.eth.max_priority_fee)
    return {"maxFeePerGas": 2 * int(base_fee) + tip, "maxPriorityFeePerGas": tip}


def _send_queued(w3: Web3, chain: int, limit: int, stats: dict[str, int], fresh_receipts: set[int]) -> None:
    relayer = relayer_account()
    queued = list(
        ChainTransaction.objects.filter(chain_id=chain, from_address=relayer.address, status=Status.QUEUED).order_by(
            "id"
        )[:limit]
    )
    if not queued:
        return
    used = ChainTransaction.objects.filter(chain_id=chain, from_address=relayer.address, nonce__isnull=False)
    db_next = (used.aggregate(top=Max("nonce"))["top"] or -1) + 1
    nonce = max(int(w3.eth.get_transaction_count(relayer.address, "pending")), db_next)
    fees = fee_fields(w3)
    for tx in queued:
        # A pass can outlive its lease (a slow or restarting node); renew it before each nonce, and
        # stop when another worker holds it now.
        if not lease_acquire(chain=chain):
            stats["locked"] = 1
            return
        fields: dict[str, Any] = {
            **fees,
            "data": tx.data,
            "gas": tx.gas,
            "nonce": nonce,
            "chainId": chain,
            "value": int(tx.value_wei),
        }
        if tx.to_address:
            fields["to"] = Web3.to_checksum_address(tx.to_address)
        signed = relayer.sign_transaction(fields)
        tx.nonce, tx.gas_price_wei = nonce, fees.get("maxFeePerGas", fees.get("gasPrice"))
        tx.raw_transaction = "0x" + bytes(signed.raw_transaction).hex()
        tx.tx_hash = "0x" + bytes(signed.hash).hex()
        tx.status, tx.sent_at = Status.SENT, timezone.now()
        # Claim the row only while it is still queued, and the nonce only while no row has it: a
        # row another worker signed meanwhile is never signed again (that sent one intent twice,
        # at two nonces, when a pass outlived its lease).
        try:
            with transaction.atomic():
                claimed = ChainTransaction.objects.filter(pk=tx.pk, status=Status.QUEUED, nonce__isnull=True).update(
                    nonce=tx.nonce,
                    gas_price_wei=tx.gas_price_wei,
                    raw_transaction=tx.raw_transaction,
                    tx_hash=tx.tx_hash,
                    status=tx.status,
                    sent_at=tx.sent_at,
                    updated_at=timezone.now(),
                )
        except IntegrityError:
            claimed = 0
        if claimed != 1:
            stats["locked"] = 1
            return
        nonce += 1
        stats["sent"] += 1
        try:
            receipt = _broadcast(w3, tx, fresh=True)
        except Refused as exc:
            stats["refused"] += 1
            _refused(w3, tx, str(exc))
            return
        if receipt is not None:
            _record_receipt(w3, tx, receipt)
            fresh_receipts.add(tx.pk)
            stats["mined"] += 1


def _event_payload(tx: ChainTransaction) -> dict[str, Any]:
    return {
        "transaction_id": str(tx.public_id),
        "idempotency_key": tx.idempotency_key,
        "operation": tx.operation,
        "chain_id": tx.chain_id,
        "tx_hash": tx.tx_hash,
        "status": tx.status,
        "revert_reason": tx.revert_reason,
        "contract_address": tx.contract_address,
    }


def _finalize(tx: ChainTransaction) -> None:
    with transaction.atomic():
        tx.status = Status.CONFIRMED if tx.succeeded else Status.REVERTED
        tx.finished_at = timezone.now()
        tx.save(update_fields=["status", "finished_at", "updated_at"])
        if tx.succeeded and tx.operation == "contract.deploy" and tx.contract_address:
            DeployedContract.objects.update_or_create(
                chain_id=tx.chain_id,
                name=tx.contract_name,
                defaults={
                    "address": tx.contract_address,
                    "code_sha256": str(tx.args[0]) if tx.args else "",
                    "deploy_tx_hash": tx.tx_hash,
                    "block_number": tx.block_number or 0,
                },
            )
        name = "chain_transaction_confirmed" if tx.succeeded else "chain_transaction_reverted"
        event_emit(name=name, payload=_event_payload(tx))


def _confirm_mined(w3: Web3, chain: int, stats: dict[str, int], fresh_receipts: set[int]) -> None:
    mined = list(ChainTransaction.objects.filter(chain_id=chain, status=Status.MINED).order_by("nonce"))
    if not mined:
        return
    head = int(w3.eth.block_number)
    for tx in mined:
        assert tx.block_number is not None
        if head - tx.block_number + 1 < settings.CHAIN_CONFIRMATIONS:
            continue
        if tx.pk in fresh_receipts and settings.CHAIN_CONFIRMATIONS <= 1:
            # its receipt was read a moment ago in this pass, at the head: nothing to re-check
            _finalize(tx)
            stats["confirmed" if tx.succeeded else "reverted"] += 1
            continue
        receipt = _receipt(w3, tx.tx_hash)
        if receipt is None or "0x" + bytes(receipt["blockHash"]).hex() != tx.block_hash:
            # reorganised away: the same signed bytes go out again
            tx.status = Status.SENT
            tx.save(update_fields=["status", "updated_at"])
            stats["reorged"] += 1
            continue
        _finalize(tx)
        stats["confirmed" if tx.succeeded else "reverted"] += 1


def transactions_process(*, limit: int = 100) -> dict[str, int]:
    """One pass of the worker over the relayer's outbox on the connected chain."""
    w3 = chain_web3()
    chain = chain_id()
    stats = {"sent": 0, "mined": 0, "confirmed": 0, "reverted": 0, "refused": 0, "reorged": 0, "locked": 0}
    if not lease_acquire(chain=chain):
        stats["locked"] = 1
        return stats
    fresh_receipts: set[int] = set()
    try:
        if _settle_sent(w3, chain, relayer_account().address, stats):
            _send_queued(w3, chain, limit, stats, fresh_receipts)
        _confirm_mined(w3, chain, stats, fresh_receipts)
    finally:
        lease_release(chain=chain)
    return stats


def chain_sweep(limit: int = 100) -> dict[str, Any]:
    """The periodic job: outbox work, then indexing.

    On the embedded node it first deploys the contracts if the chain lacks them; against an
    external node it stays quiet until something of ours is there.
    """
    from sangsaeng.chain.indexer import transfers_index

    embedded = not settings.CHAIN_RPC_URL
    pending = ChainTransaction.objects.exclude(status__in=[Status.CONFIRMED, Status.REVERTED, Status.FAILED])
    if not embedded and not pending.exists() and not DeployedContract.objects.exists():
        return {"idle": True}
    try:
        if embedded and not DeployedContract.objects.filter(chain_id=chain_id()).exists():
            # the embedded dev chain is ours: put the contracts on it without a manual step
            from sangsaeng.chain.deploy import contracts_deploy

            contracts_deploy()
        result: dict[str, Any] = dict(transactions_process(limit=limit))
        result["indexed"] = transfers_index()
    except NETWORK_ERRORS as exc:
        log.warning("chain node unreachable: %r", exc)
        return {"unreachable": True}
    return result
