"""Demo: 김상생 contributes three Korean texts to the commons (two accepted, one near-duplicate), and a snapshot.

With the chain node up (`sangsaeng serve` runs it), the shares are minted on chain and last month's
LM API revenue (the lm demo's usage) is distributed, so 김상생 has a revenue statement. Without a
node that part is skipped and said so, and the rest of the demo still runs.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.contributions import selectors, services
from sangsaeng.contributions.takedown import mint_key
from sangsaeng.core.demo import register
from sangsaeng.core.errors import Problem

DEMO_EMAIL = "demo@sangsaeng.kr"
TEXTS = [
    (
        "우리 동네 전통시장",
        "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 김이 "
        "모락모락 나는 시루떡을 썰어 진열합니다. 주말이면 장을 보러 온 가족들로 골목이 북적입니다.",
    ),
    (
        "설악산 단풍",
        "지난 주말에는 가족과 함께 설악산에 다녀왔습니다. 단풍이 절정이라 등산로마다 사람이 많았지만 정상에서 "
        "바라본 동해 바다는 정말 아름다웠습니다. 문의는 010-2021-1117 로 주세요.",
    ),
    (
        "전통시장 (다시 올림)",
        "우리 동네 전통시장은 새벽 다섯 시면 문을 엽니다. 생선 가게 아주머니는 얼음을 깔고, 떡집 아저씨는 김이 "
        "모락모락 나는 시루떡을 썰어 진열합니다. 주말이면 장을 보러 온 손님들로 골목이 북적입니다.",
    ),
]


@register("contributions", order=85)
def build(say: Callable[[str], None]) -> None:
    user = user_get_by_email(email=DEMO_EMAIL)
    if user is None:
        return
    if not selectors.contribution_list(owner=user):
        _contribute(user, say)
    if not selectors.statement_list(owner=user):
        _distribute_last_month(user, say)


def _contribute(user: Any, say: Callable[[str], None]) -> None:
    for title, text in TEXTS:
        c = services.contribution_create(
            owner=user, raw=text.encode(), name="paste.txt", licence="own_work", licence_accepted=True, title=title
        )
        services.contribution_process(contribution_id=c.pk)  # demo runs inline; the task finds it done
    snap = services.snapshot_create(created_by=user)
    say(f"{DEMO_EMAIL}: 3 commons contributions, snapshot {snap.merkle_root[:12]}…")


def _distribute_last_month(user: Any, say: Callable[[str], None]) -> None:
    """Mint the demo's shares on chain (what the worker would do), then pay last month's revenue share."""
    from sangsaeng.chain import selectors as chain_selectors
    from sangsaeng.chain import services as chain
    from sangsaeng.core.outbox import event_process, events_pending

    period = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    if chain.chain_sweep().get("unreachable"):  # deploys the contracts on the embedded node first
        say(f"contributions: revenue for {period} not distributed, the chain is not reachable")
        return
    for event_id in events_pending(name="contribution_accepted"):
        event_process(event_id=event_id)
    keys = [mint_key(c.public_id) for c in selectors.contribution_list(owner=user) if c.status == "accepted"]
    for _ in range(100):
        chain.chain_sweep()
        rows = [chain_selectors.transaction_get_by_key(idempotency_key=key) for key in keys]
        if all(row is not None and row.is_final for row in rows):
            break
        time.sleep(0.1)
    try:
        d = services.revenue_distribute(period=period)
    except Problem as exc:
        say(f"contributions: revenue for {period} not distributed ({exc.code}: {exc.en})")
        return
    say(f"contributions: {period} LM revenue share {d.pool_won:,} won to {d.holders} holder(s) (/commons/earnings/)")
