"""The waiting room: admission tokens when buyers arrive faster than the sale should take them.

Admission tokens per drop, DROPS_ADMIT_PER_SECOND of them a second handed out in quarter-second
windows (so a rush is spread out instead of admitted in one burst), counted in the shared
`ratelimit` cache (Redis at scale; files under var/ on one machine, so every web worker counts
against one budget). Below capacity nobody notices it. Above, a buyer is answered 503
`waiting_room` with Retry-After and a position estimate: 503 because nothing happened and the same
request may simply be sent again; the Idempotency-Key middleware keeps no answer for a 5xx, so the
retry carries the same key. The drop page shows a waiting screen that retries with the same key.

The window's n-th arrival is admitted while n <= capacity / 4. Over a file cache the count is
best-effort (no atomic increment across processes), which can only admit a few more than
capacity, never fewer; the sale's correctness never depends on it (see sales.py).
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings

from sangsaeng.core import ratelimit
from sangsaeng.drops.problems import waiting_room

WINDOW = 0.25


def capacity() -> int:
    return int(getattr(settings, "DROPS_ADMIT_PER_SECOND", 100))


def admit(*, drop: Any, user: Any) -> None:
    """Take an admission token for this drop or raise the waiting-room problem."""
    per_second = capacity()
    if per_second <= 0:
        return
    limit = max(1, math.ceil(per_second * WINDOW))
    arrival = ratelimit.hit(scope="drops-admit", key=str(drop.public_id), window=WINDOW)  # type: ignore[arg-type]
    if arrival > limit:
        over = arrival - limit
        raise waiting_room(position=over, retry_after=1 + over // per_second)


def load(*, drop: Any) -> int:
    """Arrivals in the current second, for the waiting page."""
    return ratelimit.count(scope="drops-admit", key=str(drop.public_id), window=WINDOW)  # type: ignore[arg-type]
