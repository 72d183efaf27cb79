"""Per-key admission: requests per minute, concurrent requests, monthly token quota.

Counters live in the shared `ratelimit` cache (Redis at scale, files on one machine), so every web
worker counts against the same budget. The concurrency slot is released when the response (a
stream included) is closed, whether it finished or the client went away.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import caches

from sangsaeng.core import ratelimit
from sangsaeng.lm.models import ApiKey
from sangsaeng.lm.usage import tokens_this_month


@dataclass
class LimitExceeded(Exception):
    kind: str  # "rate_limit_exceeded" or "insufficient_quota"
    message: str
    retry_after: int = 1


def _slot_key(key: ApiKey) -> str:
    return f"lm:inflight:{key.pk}"


def admit(*, key: ApiKey) -> None:
    """Count one request against the key's limits, or raise LimitExceeded (nothing is counted then)."""
    if tokens_this_month(key=key) >= key.monthly_token_quota:
        raise LimitExceeded(
            "insufficient_quota",
            f"You exceeded your current quota of {key.monthly_token_quota} tokens this month. "
            "이번 달 토큰 한도를 모두 사용했습니다.",
            retry_after=3600,
        )
    try:
        ratelimit.consume(scope="lm-rpm", key=str(key.pk), limit=key.requests_per_minute, window=60)
    except ratelimit.RateLimited as exc:
        raise LimitExceeded(
            "rate_limit_exceeded",
            f"Rate limit reached: {key.requests_per_minute} requests per minute. 분당 요청 한도를 넘었습니다.",
            retry_after=exc.retry_after,
        ) from None
    cache = caches["ratelimit"]
    cache.add(_slot_key(key), 0, timeout=3600)
    try:
        inflight = int(cache.incr(_slot_key(key)))
    except ValueError:
        cache.set(_slot_key(key), 1, timeout=3600)
        inflight = 1
    if inflight > key.max_concurrent:
        release(key=key)
        raise LimitExceeded(
            "rate_limit_exceeded",
            f"Too many concurrent requests: at most {key.max_concurrent} at a time. 동시 요청 한도를 넘었습니다.",
        )


def release(*, key: ApiKey) -> None:
    cache = caches["ratelimit"]
    try:
        if int(cache.decr(_slot_key(key))) < 0:
            cache.set(_slot_key(key), 0, timeout=3600)
    except ValueError:
        pass
