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
    assert [h.extra["name"] for h in services.search(user=user, q="한라봉", kinds=("card",)).hits] == ["박서연"]
    # the merged apps' demo content: 상생마켓's products, its channel posts and chats, the drops
    assert {h.kind for h in services.search(user=user, q="한라봉을").hits} >= {"card", "product", "post"}
    assert "post" in {h.kind for h in services.search(user=None, q="택배를").hits}
    # 천혜향 is a product; the post announcing it is only scheduled, so it isn't public yet
    cheonhyehyang = {h.kind for h in services.search(user=None, q="천혜향").hits}
    assert "product" in cheonhyehyang and "post" not in cheonhyehyang
    assert {h.kind for h in services.search(user=None, q="물빛").hits} >= {"drop", "artwork"}
    assert "chat" in {h.kind for h in services.search(user=user, q="워크숍을").hits}
    assert "chat" not in {h.kind for h in services.search(user=None, q="워크숍").hits}
    assert {h.kind for h in services.search(user=user, q="제주").hits} >= {"card", "album"}
    assert SynonymGroup.objects.count() == 3
