"""usage_totals(period): what the LM commons reads to book revenue per key and partner."""

from __future__ import annotations

import datetime as dt

import pytest

from sangsaeng.lm.models import UsageDay
from sangsaeng.lm.selectors import usage_days, usage_totals
from sangsaeng.lm.services import key_create, usage_record


def test_totals_sum_a_month_per_key(alice, bob):
    a = key_create(owner=alice, label="A", partner="상생마켓").key
    b = key_create(owner=bob, label="B").key
    UsageDay.objects.create(key=a, day=dt.date(2026, 10, 31), requests=9, prompt_tokens=900, completion_tokens=900)
    UsageDay.objects.create(key=a, day=dt.date(2026, 11, 1), requests=2, prompt_tokens=10, completion_tokens=20)
    UsageDay.objects.create(key=a, day=dt.date(2026, 11, 30), requests=1, prompt_tokens=5, completion_tokens=5)
    UsageDay.objects.create(key=b, day=dt.date(2026, 11, 2), requests=1, prompt_tokens=100, completion_tokens=1)
    totals = usage_totals("2026-11")
    assert [
        (t["label"], t["partner"], t["requests"], t["prompt_tokens"], t["completion_tokens"], t["total_tokens"])
        for t in totals
    ] == [
        ("B", "", 1, 100, 1, 101),
        ("A", "상생마켓", 3, 15, 25, 40),
    ]
    assert usage_totals("2026-11-01")[0]["total_tokens"] == 30
    assert usage_totals("2026-12") == []
    with pytest.raises(ValueError):
        usage_totals("November")


def test_recording_adds_to_todays_row(alice, bob):
    key = key_create(owner=alice, label="A").key
    usage_record(key=key, prompt_tokens=3, completion_tokens=4)
    usage_record(key=key, prompt_tokens=1, completion_tokens=1)
    row = UsageDay.objects.get()
    assert (row.requests, row.prompt_tokens, row.completion_tokens) == (2, 4, 5)
    assert [r["total_tokens"] for r in usage_days(owner=alice)] == [9]
    assert usage_days(owner=bob) == []
