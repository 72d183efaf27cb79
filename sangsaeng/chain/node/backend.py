"""The embedded chain: eth-tester's py-evm backend on a SQLite key-value store.

eth-tester already mines each transaction at once and speaks the shapes web3.py expects; what
it lacks is durability (it builds a fresh in-memory chain every start) and lookups that stay fast
as the chain grows (it finds a transaction by scanning every block; py-evm keeps a hash index). This backend opens the
chain from `SQLiteKeyValueDB` instead: when the store holds a canonical head the chain continues
from it, and only an empty store gets a genesis block, which funds the relayer account.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from eth.abc import BlockHeaderAPI
from eth.chains.base import MiningChain
from eth.db.chain import ChainDB
from eth.exceptions import CanonicalHeadNotFound
from eth.exceptions import TransactionNotFound as EVMTransactionNotFound
from eth.vm.forks import PragueVM
from eth_keys import keys
from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import get_default_account_state, get_default_genesis_params
from eth_tester.backends.pyevm.serializers import serialize_transaction, serialize_transaction_receipt
from eth_tester.exceptions import TransactionNotFound
from eth_typing import BlockNumber

from sangsaeng.chain.node.kvstore import SQLiteKeyValueDB

GENESIS_BALANCE_WEI = 10**9 * 10**18  # a billion coins: the relayer never runs dry on a dev chain


def _chain_class(chain_id: int) -> type[MiningChain]:
    class EmbeddedChain(MiningChain):
        vm_configuration = ((BlockNumber(0), PragueVM),)

        def create_header_from_parent(self, parent_header: BlockHeaderAPI, **header_params: Any) -> BlockHeaderAPI:
            # one block per transaction: keep the gas limit constant instead of drifting
            return super().create_header_from_parent(
                parent_header, **{**header_params, "gas_limit": parent_header.gas_limit}
            )

        def get_transaction_builder(self) -> Any:
            return super().get_vm().get_transaction_builder()

    EmbeddedChain.chain_id = chain_id
    return EmbeddedChain


class PersistentPyEVMBackend(PyEVMBackend):
    """PyEVMBackend whose chain lives in `path` and survives restarts and `kill -9`."""

    def __init__(self, *, path: Path, chain_id: int, funded_keys: list[bytes]) -> None:
        self.db = SQLiteKeyValueDB(path)
        self.account_keys = tuple(keys.PrivateKey(key) for key in funded_keys)
        chain_class = _chain_class(chain_id)
        try:
            ChainDB(self.db).get_canonical_head()
        except CanonicalHeadNotFound:
            state = {
                key.public_key.to_canonical_address(): get_default_account_state(
                    overrides={"balance": GENESIS_BALANCE_WEI}
                )
                for key in self.account_keys
            }
            self.chain = chain_class.from_genesis(self.db, get_default_genesis_params(), cast(Any, state))
        else:
            self.chain = chain_class(self.db)

    def _find_transaction(self, transaction_hash: bytes) -> tuple[Any, Any, int]:
        """Look a transaction up through py-evm's hash index instead of eth-tester's scan of every block."""
        try:
            block_number, index = self.chain.chaindb.get_transaction_index(cast(Any, transaction_hash))
        except EVMTransactionNotFound:
            pending = self.chain.get_block()
            for position, transaction in enumerate(pending.transactions):
                if transaction.hash == transaction_hash:
                    return pending, transaction, position
            raise TransactionNotFound(
                f"No transaction found for transaction hash: 0x{transaction_hash.hex()}"
            ) from None
        block = self.chain.get_canonical_block_by_number(block_number)
        return block, block.transactions[index], index

    def get_transaction_by_hash(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._find_transaction(transaction_hash)
        is_pending = block.number == self.chain.get_block().number
        return serialize_transaction(block, transaction, index, is_pending)

    def get_transaction_receipt(self, transaction_hash: bytes) -> Any:
        block, transaction, index = self._find_transaction(transaction_hash)
        is_pending = block.number == self.chain.get_block().number
        receipts = block.get_receipts(self.chain.chaindb)
        return serialize_transaction_receipt(block, receipts, transaction, index, is_pending, self.chain.get_vm())

    def reset_to_genesis(self, *args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the embedded chain is persistent; delete its directory to start over")

    def close(self) -> None:
        self.db.close()


def open_chain(*, path: Path, chain_id: int, funded_keys: list[bytes]) -> tuple[EthereumTester, PersistentPyEVMBackend]:
    backend = PersistentPyEVMBackend(path=path, chain_id=chain_id, funded_keys=funded_keys)
    return EthereumTester(backend=backend, auto_mine_transactions=True), backend
