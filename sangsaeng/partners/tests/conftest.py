from __future__ import annotations

import io
from datetime import datetime

import pytest
from PIL import Image

from conftest import PASSWORD
from sangsaeng.accounts.services import user_create
from sangsaeng.partners import services
from sangsaeng.partners.quiet_hours import KST


def kst(day: int, hour: int, minute: int = 0) -> datetime:
    """A fixed clock: 2026-12-<day> hh:mm in Korea."""
    return datetime(2026, 12, day, hour, minute, tzinfo=KST)


def png(size: tuple[int, int] = (64, 64), color: str = "teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def channel(alice):
    return services.channel_create(owner=alice, name="상생마켓", handle="market", description="제주 감귤과 한라봉")


@pytest.fixture
def charlie(db):
    return user_create(email="charlie@example.com", password=PASSWORD, display_name="찰리", verified=True)


@pytest.fixture
def make_user(db):
    counter = iter(range(1000))

    def make(name: str = "user"):
        n = next(counter)
        return user_create(email=f"{name}{n}@example.com", password=PASSWORD, display_name=f"{name}{n}", verified=True)

    return make
