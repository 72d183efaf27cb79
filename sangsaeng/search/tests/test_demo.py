"""`sangsaeng demo` indexes the demo data: 김상생 finds colleagues' cards by initials and by note."""

from __future__ import annotations

import io

from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.search import services
from sangsaeng.search.models import SynonymGroup


def test_the_demo_is_searchable(db):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    user = user_get_by_email(email="demo@sangsaeng.kr")

    assert [h.extra["name"] for h in services.search(user=user, q="ㄱㅁㅈ").hits] == ["김민지"]
    assert [h.extra["name"] for h in services.search(user=user, q="한라봉").hits] == ["박서연"]
    assert {h.kind for h in services.search(user=user, q="제주").hits} >= {"card", "album"}
    assert SynonymGroup.objects.count() == 3
