"""json.loads for untrusted bytes, with the nesting depth checked *before* parsing.

Python's C JSON decoder recurses once per nesting level and stops only at the interpreter's
recursion limit. py_ecc (pulled in by web3 and py-evm) raises that limit to 100,000 at import, so in
this process `json.loads(b"[" * 100_000)` does not raise RecursionError: it overflows the C stack and
the worker dies with a segmentation fault. A 200 KB request body could take a web worker down.
So every parser of client JSON measures the depth first, with a scan that skips string contents
(a `[` inside a string is not nesting) and stops as soon as the limit is passed.
"""

from __future__ import annotations

import json
import re
from typing import Any

DEFAULT_MAX_DEPTH = 64

# a JSON string with its escapes: removed first, since a bracket inside a string is not nesting
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
# every bracket becomes [ or ], and every other byte goes
_TO_SQUARE = bytes.maketrans(b"{}", b"[]")
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JsonTooDeep(ValueError):
    """The JSON nests deeper than allowed; a ValueError, so "not valid JSON" handlers catch it too."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


def nesting_depth(raw: bytes | str, *, limit: int) -> int:
    """How deep `raw` nests (an upper bound when that is within `limit`), counting no further than
    `limit` + 1. Each pass deletes the innermost bracket pairs (bytes.replace does not rescan what it
    produced, so one pass is one level), all in C."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    brackets = data.count(b"[") + data.count(b"{")
    if brackets <= limit:  # can't nest deeper than it has brackets: no scan needed
        return brackets
    data = _STRING.sub(b"", data).translate(_TO_SQUARE, _NOT_BRACKETS)
    for level in range(limit):
        if b"[]" not in data:
            return level  # nothing pairs up any more (empty, or unbalanced junk json.loads refuses)
        data = data.replace(b"[]", b"")
    return limit + 1 if b"[]" in data else limit


def loads_bounded(raw: bytes | str, *, max_depth: int = DEFAULT_MAX_DEPTH) -> Any:
    """json.loads, but JsonTooDeep (a ValueError) for anything nested deeper than `max_depth`."""
    if nesting_depth(raw, limit=max_depth) > max_depth:
        raise JsonTooDeep(max_depth)
    return json.loads(raw)
