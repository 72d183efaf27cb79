"""`sangsaeng demo`: 김상생 has two API keys and 45 days of metered usage (into last month, which the commons
demo distributes); running it twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.lm import selectors


def test_the_demo_user_has_keys_and_usage(db):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    user = user_get_by_email(email="demo@sangsaeng.kr")
    keys = selectors.key_list(owner=user)
    assert sorted(k.label for k in keys) == ["사내 문서 요약", "상생마켓 상담 챗봇"]
    assert len(selectors.usage_days(owner=user)) == 30  # the usage page's window: one row a day, one key
    assert len(selectors.usage_days(owner=user, days=60)) == 45
