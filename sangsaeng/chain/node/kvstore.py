"""A durable key-value store for py-evm on SQLite.

py-evm keeps the whole chain (headers, bodies, receipts, the state trie, the canonical head
pointer) in a key-value database and groups the writes that must land together (a block and
its new canonical head) in `atomic_batch`. Here each batch is one SQLite transaction in WAL
mode, so a `kill -9` leaves either the whole block or none of it: on reopen the canonical head
always points at a block whose every node is on disk. Writes outside a batch are content
addressed (trie nodes keyed by their hash), so losing one on a crash is harmless.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from eth.abc import AtomicWriteBatchAPI
from eth.db.atomic import AtomicDBWriteBatch
from eth.db.backends.base import BaseAtomicDB


class SQLiteKeyValueDB(BaseAtomicDB):
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("CREATE TABLE IF NOT EXISTS kv (key BLOB PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __getitem__(self, key: bytes) -> bytes:
        with self._lock:
            row = self._conn.execute("SELECT value FROM kv WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return bytes(row[0])

    def __setitem__(self, key: bytes, value: bytes) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))

    def __delitem__(self, key: bytes) -> None:
        with self._lock:
            deleted = self._conn.execute("DELETE FROM kv WHERE key = ?", (key,)).rowcount
        if not deleted:
            raise KeyError(key)

    def _exists(self, key: bytes) -> bool:
        with self._lock:
            return self._conn.execute("SELECT 1 FROM kv WHERE key = ?", (key,)).fetchone() is not None

    @contextmanager
    def atomic_batch(self) -> Iterator[AtomicWriteBatchAPI]:
        """Collect the batch in memory, then write it in one SQLite transaction."""
        batch = AtomicDBWriteBatch(self)
        try:
            yield batch
            diff = batch._diff()
            with self._lock:
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    self._conn.executemany(
                        "INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", list(diff.pending_items())
                    )
                    self._conn.executemany("DELETE FROM kv WHERE key = ?", [(key,) for key in diff.deleted_keys()])
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise
                self._conn.execute("COMMIT")
        finally:
            batch._track_diff = None  # type: ignore[assignment]
