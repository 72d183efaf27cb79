"""The /healthz check for the chain: the node answers, and on which block.

A chain that holds none of our contracts and no pending transactions is not in use yet, so its
node being absent is not an outage; once anything lives there, an unreachable node fails the check.
"""

from __future__ import annotations

from typing import Any

from sangsaeng.chain.gateway import chain_id, chain_web3, rpc_url
from sangsaeng.chain.models import ChainTransaction, DeployedContract


def chain_health() -> dict[str, Any]:
    in_use = DeployedContract.objects.exists() or ChainTransaction.objects.exists()
    if not in_use:
        return {"in_use": False, "rpc": rpc_url().split("@")[-1]}
    w3 = chain_web3()
    return {"chain_id": chain_id(), "block": int(w3.eth.block_number), "rpc": rpc_url().split("@")[-1]}
