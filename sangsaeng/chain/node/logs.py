"""eth_getLogs for the embedded node, the way real nodes answer it: skip blocks by their logs bloom.

eth-tester answers eth_getLogs by serialising every block in the range and every receipt in it,
which costs seconds once a chain has a few hundred blocks. Each header carries a bloom filter of
the addresses and topics its logs touch, so only blocks that may match are opened.
"""

from __future__ import annotations

from typing import Any

from eth_bloom import BloomFilter
from eth_typing import BlockNumber, Hash32
from eth_utils import to_checksum_address
from hexbytes import HexBytes

from sangsaeng.chain.node.backend import PersistentPyEVMBackend


class BadParams(ValueError):
    pass


def _block_number(backend: PersistentPyEVMBackend, value: Any, head: int) -> int:
    if value is None or value in ("latest", "safe", "finalized", "pending"):
        return head
    if value == "earliest":
        return 0
    if isinstance(value, str) and value.startswith("0x"):
        return int(value, 16)
    if isinstance(value, int):
        return value
    raise BadParams(f"invalid block number {value!r}")


def _topic_sets(topics: list[Any] | None) -> list[set[bytes] | None]:
    sets: list[set[bytes] | None] = []
    for position in topics or []:
        if position is None:
            sets.append(None)
        elif isinstance(position, list):
            sets.append({bytes(HexBytes(t)) for t in position})
        else:
            sets.append({bytes(HexBytes(position))})
    return sets


def _may_match(bloom: BloomFilter, addresses: set[bytes], topics: list[set[bytes] | None]) -> bool:
    if addresses and not any(address in bloom for address in addresses):
        return False
    return all(position is None or any(t in bloom for t in position) for position in topics)


def logs_query(backend: PersistentPyEVMBackend, params: dict[str, Any]) -> list[dict[str, Any]]:
    """The matching logs in wire form, in block order, with block-wide log indexes."""
    chain = backend.chain
    head = chain.get_canonical_head().block_number
    raw_address = params.get("address")
    addresses = {bytes(HexBytes(a)) for a in ([raw_address] if isinstance(raw_address, str) else raw_address or [])}
    topics = _topic_sets(params.get("topics"))
    if params.get("blockHash"):
        header = chain.get_block_header_by_hash(Hash32(bytes(HexBytes(params["blockHash"]))))
        numbers = range(header.block_number, header.block_number + 1)
    else:
        start = _block_number(backend, params.get("fromBlock"), head)
        end = min(_block_number(backend, params.get("toBlock"), head), head)
        numbers = range(start, end + 1)
    found: list[dict[str, Any]] = []
    for number in numbers:
        header = chain.get_canonical_block_header_by_number(BlockNumber(number))
        if not _may_match(BloomFilter(header.bloom), addresses, topics):
            continue
        block = chain.get_canonical_block_by_number(BlockNumber(number))
        log_index = 0
        for tx_index, receipt in enumerate(block.get_receipts(chain.chaindb)):
            for entry in receipt.logs:
                entry_topics = [int(t).to_bytes(32, "big") for t in entry.topics]
                matches = (not addresses or entry.address in addresses) and all(
                    wanted is None or (i < len(entry_topics) and entry_topics[i] in wanted)
                    for i, wanted in enumerate(topics)
                )
                if matches:
                    found.append(
                        {
                            "address": to_checksum_address(entry.address),
                            "topics": ["0x" + t.hex() for t in entry_topics],
                            "data": "0x" + bytes(entry.data).hex(),
                            "blockNumber": hex(number),
                            "blockHash": "0x" + bytes(header.hash).hex(),
                            "transactionHash": "0x" + bytes(block.transactions[tx_index].hash).hex(),
                            "transactionIndex": hex(tx_index),
                            "logIndex": hex(log_index),
                            "removed": False,
                        }
                    )
                log_index += 1
    return found
