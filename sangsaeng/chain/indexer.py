"""Index Transfer events of our contracts into the database, so pages never ask the chain per view.

ERC-20 and ERC-721 share the Transfer topic; ERC-721 indexes the token id (four topics), ERC-20
puts the amount in the data. Only blocks with CHAIN_CONFIRMATIONS on top are read, so a reorg on
a real chain cannot leave a transfer here that the chain dropped. Rows are unique per
(chain, tx hash, log index), so reading a range twice changes nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from eth_utils import keccak, to_checksum_address
from hexbytes import HexBytes

from sangsaeng.chain.gateway import chain_id, chain_web3
from sangsaeng.chain.models import DeployedContract, IndexCursor, TokenTransfer

TRANSFER_TOPIC = HexBytes(keccak(text="Transfer(address,address,uint256)"))
MAX_RANGE = 2_000


def _topic_address(topic: bytes) -> str:
    return to_checksum_address(bytes(topic)[-20:])


def transfers_index(*, max_blocks: int = 20_000) -> int:
    """Read new confirmed blocks' Transfer logs; returns how many transfers were stored."""
    contracts = {row.address.lower(): row for row in DeployedContract.objects.filter(chain_id=chain_id())}
    if not contracts:
        return 0
    w3 = chain_web3()
    chain = chain_id()
    cursor, _ = IndexCursor.objects.get_or_create(
        chain_id=chain, defaults={"last_block": min(c.block_number for c in contracts.values()) - 1}
    )
    safe_head = int(w3.eth.block_number) - max(0, settings.CHAIN_CONFIRMATIONS - 1)
    start = cursor.last_block + 1
    stored = 0
    while start <= safe_head and start <= cursor.last_block + max_blocks:
        end = min(safe_head, start + MAX_RANGE - 1)
        logs = w3.eth.get_logs(
            {
                "fromBlock": start,
                "toBlock": end,
                "address": [to_checksum_address(a) for a in contracts],
                "topics": [TRANSFER_TOPIC],
            }
        )
        with transaction.atomic():
            for entry in logs:
                contract = contracts[str(entry["address"]).lower()]
                topics = entry["topics"]
                is_nft = len(topics) == 4
                _, created = TokenTransfer.objects.get_or_create(
                    chain_id=chain,
                    tx_hash="0x" + bytes(entry["transactionHash"]).hex(),
                    log_index=int(entry["logIndex"]),
                    defaults={
                        "contract_address": contract.address,
                        "contract_name": contract.name,
                        "block_number": int(entry["blockNumber"]),
                        "from_address": _topic_address(topics[1]),
                        "to_address": _topic_address(topics[2]),
                        "token_id": int.from_bytes(bytes(topics[3]), "big") if is_nft else None,
                        "amount": None if is_nft else int.from_bytes(bytes(entry["data"]), "big"),
                    },
                )
                stored += int(created)
            IndexCursor.objects.filter(pk=cursor.pk).update(last_block=end)
        cursor.last_block = end
        start = end + 1
    return stored
