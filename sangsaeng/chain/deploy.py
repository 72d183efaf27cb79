"""`sangsaeng chain deploy`: put our contracts on the connected chain once, through the outbox.

Deployments go through the same outbox as every other transaction, so the relayer's nonces have
one owner. A contract counts as deployed when the registry has it for this chain id with the same
bytecode hash *and* the chain has code at that address; a dev chain wiped and restarted under the
same id gets a fresh deployment.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from django.conf import settings
from eth_utils import to_checksum_address

from sangsaeng.chain.gateway import CONTRACT_NAMES, GAS, artifact, chain_id, chain_web3
from sangsaeng.chain.models import ChainTransaction, DeployedContract
from sangsaeng.chain.transactions import transaction_enqueue
from sangsaeng.chain.worker import transactions_process
from sangsaeng.core.errors import Problem

PASSPORT_RECOVERY_WINDOW_SECONDS = 7 * 24 * 3600
Status = ChainTransaction.Status


def _base_uri(name: str) -> str:
    uri = f"{settings.PUBLIC_URL}/chain/tokens/{name}/"
    return uri if len(uri) <= 80 else ""


def constructor_args(name: str) -> list[Any]:
    if name == "ProductPassport":
        return ["Sangsaeng Passport", "SSPP", _base_uri(name), PASSPORT_RECOVERY_WINDOW_SECONDS]
    if name == "ArtworkEditions":
        return ["Sangsaeng Editions", "SSED", _base_uri(name)]
    return ["Sangsaeng Shares", "SSSH", "Sangsaeng Shares", "1"]


def eip712_name(name: str) -> str:
    """The EIP-712 domain name permits are signed for: the NFTs use their token name, shares pass one."""
    args = constructor_args(name)
    return str(args[2] if name == "ContributionShares" else args[0])


def code_hash(name: str) -> str:
    return hashlib.sha256(artifact(name)["bytecode"].encode()).hexdigest()


def _is_live(row: DeployedContract, sha: str) -> bool:
    return row.code_sha256 == sha and len(chain_web3().eth.get_code(to_checksum_address(row.address))) > 0


def contracts_deploy(*, timeout: float = 120.0) -> dict[str, str]:
    """Deploy whichever contracts this chain lacks; returns every contract's address."""
    w3 = chain_web3()
    chain = chain_id()
    waiting: list[ChainTransaction] = []
    for name in CONTRACT_NAMES:
        sha = code_hash(name)
        row = DeployedContract.objects.filter(chain_id=chain, name=name).first()
        if row is not None and _is_live(row, sha):
            continue
        deploys = ChainTransaction.objects.filter(chain_id=chain, operation="contract.deploy", contract_name=name)
        in_flight = deploys.filter(status__in=[Status.QUEUED, Status.SENT, Status.MINED]).first()
        if in_flight is not None:
            # another process is deploying it: wait for that one instead of deploying twice
            waiting.append(in_flight)
            continue
        factory = w3.eth.contract(abi=artifact(name)["abi"], bytecode=artifact(name)["bytecode"])
        waiting.append(
            transaction_enqueue(
                idempotency_key=f"deploy:{name}:{sha}:{deploys.filter(status=Status.CONFIRMED).count()}",
                operation="contract.deploy",
                to_address="",
                data=factory.constructor(*constructor_args(name)).data_in_transaction,
                gas=GAS["deploy"],
                contract_name=name,
                args=[sha],
                wake=False,
            )
        )
    deadline = time.monotonic() + timeout
    while waiting:
        transactions_process()
        for tx in list(waiting):
            tx.refresh_from_db()
            if tx.status in {Status.REVERTED, Status.FAILED}:
                raise Problem(
                    code="deploy_failed",
                    status=502,
                    ko=f"{tx.contract_name} 배포에 실패했습니다: {tx.revert_reason or tx.last_error}",
                    en=f"Deploying {tx.contract_name} failed: {tx.revert_reason or tx.last_error}",
                )
            if tx.status == Status.CONFIRMED:
                waiting.remove(tx)
        if waiting and time.monotonic() > deadline:
            raise Problem(
                code="deploy_timeout", status=504, ko="배포 확인 시간이 지났습니다.", en="Deployment timed out."
            )
        if waiting:
            time.sleep(0.2)
    return {row.name: row.address for row in DeployedContract.objects.filter(chain_id=chain)}
