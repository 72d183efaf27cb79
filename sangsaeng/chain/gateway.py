"""The one way code reaches a chain: web3.py over JSON-RPC at CHAIN_RPC_URL.

With CHAIN_RPC_URL unset that is the embedded node (`sangsaeng chain-node`); in production it is
any EVM node. Every transaction carries an explicit gas limit: estimation costs a round of
execution per send (3-5x slower on the embedded node) and hides runaway costs.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from eth_utils import is_checksum_address, is_hex_address, to_checksum_address
from web3 import Web3
from web3.contract import Contract

from sangsaeng.core.errors import Problem

BUILD_DIR = Path(__file__).resolve().parent / "contracts" / "build"
CONTRACT_NAMES = ("ProductPassport", "ArtworkEditions", "ContributionShares")

# Gas limits per call, measured on the embedded node with headroom. ERC-721 here is snekmate's
# enumerable one, ~200k gas per mint.
GAS = {
    "deploy": 6_000_000,
    "ProductPassport.issue": 400_000,
    "ProductPassport.set_issuer": 100_000,
    "ProductPassport.recover": 250_000,
    "ProductPassport.update_metadata": 80_000,
    "ArtworkEditions.create_drop": 200_000,
    "ArtworkEditions.mint_batch.base": 80_000,
    "ArtworkEditions.mint_batch.each": 230_000,
    "ContributionShares.mint": 120_000,
    "ContributionShares.set_minter": 80_000,
    "ContributionShares.freeze": 80_000,
    "permit": 150_000,
    "transferFrom": 250_000,
}


def rpc_url() -> str:
    return settings.CHAIN_RPC_URL or f"http://{settings.CHAIN_NODE_HOST}:{settings.CHAIN_NODE_PORT}"


@cache
def _web3(url: str) -> Web3:
    return Web3(Web3.HTTPProvider(url, request_kwargs={"timeout": 30}))


def chain_web3() -> Web3:
    return _web3(rpc_url())


@cache
def _chain_id(url: str) -> int:
    return int(_web3(url).eth.chain_id)


def chain_id() -> int:
    """The connected chain's id, asked once per URL: registries and outbox rows are kept per chain id."""
    return _chain_id(rpc_url())


@cache
def artifact(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((BUILD_DIR / f"{name}.json").read_text())
    return data


def contract_at(name: str, address: str) -> Contract:
    return chain_web3().eth.contract(address=to_checksum_address(address), abi=artifact(name)["abi"])


def address_parse(value: str, *, field: str = "address") -> str:
    """A checksummed address, or a 422 problem. All-lowercase input is accepted; mixed case must checksum."""
    text = (value or "").strip()
    digits = text[2:]
    mixed_case = digits != digits.lower() and digits != digits.upper()
    if not text.startswith("0x") or not is_hex_address(text) or (mixed_case and not is_checksum_address(text)):
        raise Problem(
            code="invalid_address",
            status=422,
            ko="올바른 이더리움 주소가 아닙니다 (0x로 시작하는 40자리 16진수).",
            en="This is not a valid Ethereum address (0x followed by 40 hex digits, checksummed if mixed case).",
            field=field,
        )
    return to_checksum_address(text)


def encode_call(name: str, function: str, args: list[Any]) -> str:
    contract = chain_web3().eth.contract(abi=artifact(name)["abi"])
    return str(contract.encode_abi(function, args=args))
