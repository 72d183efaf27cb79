"""Fixed-window rate limits on a cache shared by every web process.

Used for failed sign-ins (per account and per IP) and token endpoints. The counter lives in the
`ratelimit` cache alias: Redis at scale, files under var/ on one machine, so every worker process
counts against the same budget.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import caches


@dataclass
class RateLimited(Exception):
    retry_after: int
    scope: str = ""


def _key(scope: str, key: str, window: int, now: float) -> tuple[str, int]:
    start = int(now // window) * window
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{start}", start + window


def count(*, scope: str, key: str, window: int) -> int:
    cache_key, _ = _key(scope, key, window, time.time())
    return int(caches["ratelimit"].get(cache_key, 0))


def check(*, scope: str, key: str, limit: int, window: int) -> None:
    """Raise RateLimited when `key` has already used its `limit` in the current window."""
    now = time.time()
    cache_key, ends = _key(scope, key, window, now)
    if int(caches["ratelimit"].get(cache_key, 0)) >= limit:
        raise RateLimited(retry_after=max(1, int(ends - now)), scope=scope)


def hit(*, scope: str, key: str, window: int) -> int:
    """Count one event for `key` and return the count in the current window."""
    cache = caches["ratelimit"]
    cache_key, _ = _key(scope, key, window, time.time())
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        return int(cache.incr(cache_key))
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        return 1


def consume(*, scope: str, key: str, limit: int, window: int) -> None:
    """Check and count in one step, for endpoints where every call counts."""
    check(scope=scope, key=key, limit=limit, window=window)
    hit(scope=scope, key=key, window=window)


def reset(*, scope: str, key: str, window: int) -> None:
    cache_key, _ = _key(scope, key, window, time.time())
    caches["ratelimit"].delete(cache_key)


def client_ip(request: object) -> str:
    """The peer address. Behind nginx, REMOTE_ADDR is set from X-Real-IP by the proxy config."""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR") or "0.0.0.0")  # noqa: S104 (a key, not a bind address)
