"""The waiting room: admission tokens when buyers arrive faster than the sale should take them.

A token bucket per drop, refilled at DROPS_ADMIT_PER_SECOND with room for a burst of the same
size, kept in the shared `ratelimit` cache (Redis at scale; files under var/ on one machine, so
every web worker counts against one bucket). Below capacity nobody notices it. Above, a buyer is
answered 429 `waiting_room` with Retry-After and a position estimate; the drop page shows a waiting
screen that polls and retries with the same Idempotency-Key, so nothing is bought twice.

The bucket is counted in one-second windows (core.ratelimit's counter): the window's n-th arrival
is admitted while n <= capacity. Over a file cache the count is best-effort (no atomic increment
across processes), which can only admit a few more than capacity, never fewer; the sale's
correctness never depends on it (see sales.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from sangsaeng.core import ratelimit
from sangsaeng.drops.problems import waiting_room

WINDOW = 1


def capacity() -> int:
    return int(getattr(settings, "DROPS_ADMIT_PER_SECOND", 200))


def admit(*, drop: Any, user: Any) -> None:
    """Take an admission token for this drop or raise the waiting-room problem."""
    limit = capacity()
    if limit <= 0:
        return
    arrival = ratelimit.hit(scope="drops-admit", key=str(drop.public_id), window=WINDOW)
    if arrival > limit:
        over = arrival - limit
        raise waiting_room(position=over, retry_after=1 + over // limit)


def load(*, drop: Any) -> int:
    """Arrivals in the current second, for the waiting page."""
    return ratelimit.count(scope="drops-admit", key=str(drop.public_id), window=WINDOW)
