from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sangsaeng.insights.access import PartnerSource, partner_source_register, partner_source_unregister

PARTNER_A = "test:aaaa1111"
PARTNER_B = "test:bbbb2222"


@pytest.fixture(autouse=True)
def parquet_dir(settings, tmp_path: Path) -> Path:
    settings.INSIGHTS_PARQUET_DIR = tmp_path / "parquet"
    return settings.INSIGHTS_PARQUET_DIR


@pytest.fixture
def staff(alice, bob) -> Iterator[dict[str, set[str]]]:
    """A stand-in partner source for tests: alice is staff of A, bob of B.

    The real source is the partners app (channel staff); this one lets the analytics be tested
    on their own, with the same registry the channel app uses.
    """
    members = {alice.pk: {PARTNER_A}, bob.pk: {PARTNER_B}}
    names = {PARTNER_A: "가게 A", PARTNER_B: "가게 B"}
    partner_source_register(
        PartnerSource(
            prefix="test",
            visible_to=lambda user: {ref: names[ref] for ref in members.get(user.pk, set())},
            name_of=lambda ref: names.get(ref),
            recipients=lambda ref: ["a-staff@example.com"] if ref == PARTNER_A else ["b-staff@example.com"],
            all_refs=lambda: list(names),
        )
    )
    yield {"alice": {PARTNER_A}, "bob": {PARTNER_B}}
    partner_source_unregister("test")
