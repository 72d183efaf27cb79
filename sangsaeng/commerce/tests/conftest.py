"""Fixtures: alice owns the channel 상생마켓 and its store; bob buys with a funded wallet."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from sangsaeng.accounts.services import address_create, user_create
from sangsaeng.commerce import services
from sangsaeng.payments.tests.toss_fake import toss  # noqa: F401  (the fake Toss fixture)

ADDRESS = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "밥",
    "receiver_phone_number1": "010-1234-5678",
}
FUNDS = 1_000_000


@pytest.fixture
def charlie(db):
    return user_create(
        email="charlie@example.com", password="correct-horse-battery-staple", display_name="찰리", verified=True
    )


@pytest.fixture
def channel(alice):
    from sangsaeng.partners import services as partners

    return partners.channel_create(owner=alice, name="상생마켓", handle="sangsaeng-market")


@pytest.fixture
def store(alice, channel):
    return services.store_open(actor=alice, channel_id=channel.public_id)


@pytest.fixture
def product(alice, store):
    return services.product_create(
        actor=alice,
        store_id=store.public_id,
        data={
            "title": "제주 유기농 녹차",
            "description": "첫물 녹차 100g",
            "status": "public",
            "variants": [{"sku": "TEA-100", "price": 12_000, "stock": 10}],
        },
    )


@pytest.fixture
def variant(product):
    return product.variants.get()


def fund(user: Any, amount: int = FUNDS, key: str = "fund") -> None:
    from sangsaeng.payments import services as payments

    payments.wallet_topup_test(user=user, amount=amount, idempotency_key=key)


def balance(user: Any) -> int:
    from sangsaeng.payments import services as payments

    return int(payments.wallet_balance(user=user))


def audit() -> dict[str, Any]:
    from sangsaeng.payments import services as payments

    return dict(payments.ledger_audit())


@pytest.fixture
def buyer(bob):
    address_create(user=bob, data=ADDRESS, is_default=True)
    fund(bob)
    return bob


@pytest.fixture(autouse=True)
def chat(monkeypatch):
    """The chat messages the store's channel sends buyers (messaging is another app's to deliver)."""
    sent: list[dict[str, Any]] = []
    from sangsaeng.partners import services as partners

    def record(*, channel_id, customer, text, card=None):
        sent.append({"channel_id": channel_id, "customer": customer, "text": text, "card": card})

    monkeypatch.setattr(partners, "channel_message_customer", record)
    return sent


def jpeg(color: str = "seagreen", size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return out.getvalue()


def buy(buyer: Any, store: Any, variant: Any, quantity: int = 1, key: str = "k1", **kwargs: Any):
    return services.checkout(
        buyer=buyer,
        store=store,
        idempotency_key=key,
        lines=[{"variant_id": str(variant.public_id), "quantity": quantity}],
        **kwargs,
    )
