"""The demo builder: two accepted texts, one rejected near-duplicate, a snapshot; running it twice adds nothing."""

from __future__ import annotations

from sangsaeng.accounts.services import user_create
from sangsaeng.contributions import demo, selectors


def test_demo_contributions(db):
    user = user_create(email="demo@sangsaeng.kr", password="demo-password-1234", display_name="김상생")
    said: list[str] = []
    demo.build(said.append)
    demo.build(said.append)
    got = sorted((c.title, c.status, c.reasons) for c in selectors.contribution_list(owner=user))
    assert got == [
        ("설악산 단풍", "accepted", []),
        ("우리 동네 전통시장", "accepted", []),
        ("전통시장 (다시 올림)", "rejected", ["near_duplicate"]),
    ]
    (snap,) = selectors.snapshot_list()
    assert snap.document_count == 2
    # no chain node in this test: the revenue part is skipped, and said so
    assert selectors.statement_list(owner=user) == []
    assert any("not distributed, the chain is not reachable" in line for line in said)
