"""WsgiDAV's locks and dead properties in the database, so every web worker sees the same ones.

WsgiDAV keeps both in a dict (or a shelve file, for one process). Its storage classes re-assign
every value they change, as shelve needs, so a mapping that writes through to a table is all it
takes to share them between the worker processes `sangsaeng serve` starts.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator, MutableMapping
from typing import Any

from wsgidav.lock_man.lock_storage import LockStorageDict
from wsgidav.prop_man.property_manager import PropertyManager

from sangsaeng.drawer.models import DavEntry

_BYTES = "__bytes_b64__"


def _encode(value: Any) -> Any:
    """JSON for WsgiDAV's values, which hold XML as bytes (lock owners, property values)."""
    if isinstance(value, bytes):
        return {_BYTES: base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {_BYTES}:
            return base64.b64decode(value[_BYTES])
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class TableMapping(MutableMapping[str, Any]):
    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def _rows(self) -> Any:
        return DavEntry.objects.filter(namespace=self.namespace)

    def __getitem__(self, key: str) -> Any:
        row = self._rows().filter(key=key).values_list("value", flat=True).first()
        if row is None:
            raise KeyError(key)
        return _decode(row)

    def __setitem__(self, key: str, value: Any) -> None:
        DavEntry.objects.update_or_create(namespace=self.namespace, key=key, defaults={"value": _encode(value)})

    def __delitem__(self, key: str) -> None:
        deleted, _ = self._rows().filter(key=key).delete()
        if not deleted:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._rows().filter(key=key).exists()

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows().values_list("key", flat=True)))

    def __len__(self) -> int:
        return int(self._rows().count())

    def items(self) -> Any:
        return [(key, _decode(value)) for key, value in self._rows().values_list("key", "value")]

    def clear(self) -> None:
        self._rows().delete()


class TableLockStorage(LockStorageDict):
    def open(self) -> None:
        self._dict: TableMapping | None = TableMapping("lock")

    def close(self) -> None:
        self._dict = None


class TablePropertyManager(PropertyManager):
    def _lazy_open(self) -> None:
        self._dict = TableMapping("prop")
        self._loaded = True
