"""Demo: 김상생 contributes three Korean texts to the commons (two accepted, one near-duplicate), and a snapshot."""

from __future__ import annotations

from collections.abc import Callable

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.contributions import selectors, services
from sangsaeng.core.demo import register

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
    if user is None or selectors.contribution_list(owner=user):
        return
    for title, text in TEXTS:
        c = services.contribution_create(
            owner=user, raw=text.encode(), name="paste.txt", licence="own_work", licence_accepted=True, title=title
        )
        services.contribution_process(contribution_id=c.pk)  # demo runs inline; the task finds it done
    snap = services.snapshot_create(created_by=user)
    say(f"{DEMO_EMAIL}: 3 commons contributions, snapshot {snap.merkle_root[:12]}…")
