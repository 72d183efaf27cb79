"""The buyer hears from the store's channel in chat, with an order card; products are shareable cards."""

from __future__ import annotations

import pytest

from sangsaeng.commerce.tests.conftest import buy
from sangsaeng.core.errors import Problem


def test_a_paid_order_arrives_as_a_chat_message_from_the_channel(
    buyer, store, variant, monkeypatch, django_capture_on_commit_callbacks
):
    from sangsaeng.messaging import selectors as messaging

    monkeypatch.undo()  # the real partners inbox and messaging, not the recording stand-in
    with django_capture_on_commit_callbacks(execute=True):
        order = buy(buyer, store, variant)
    (conversation,) = messaging.conversations_for(buyer)
    (message,) = messaging.messages_for(actor=buyer, conversation_id=conversation.public_id)
    assert order.number in message.text and message.kind == "order"
    assert message.card is not None
    assert message.card["order_id"] == str(order.public_id) and message.card["total"] == 12_000


def test_product_and_order_cards_are_registered(buyer, charlie, store, variant):
    from sangsaeng.messaging.cards import CardType
    from sangsaeng.messaging.cards import card_type_get as lookup

    def card_type_get(kind: str) -> CardType:
        found = lookup(kind)
        assert found is not None, kind
        return found

    product = variant.product
    card = card_type_get("product").validate({"product_id": str(product.public_id)}, buyer)
    assert card["title"] == "제주 유기농 녹차" and card["price"] == 12_000
    with pytest.raises(Problem):
        card_type_get("product").validate({"product_id": "not-a-product"}, buyer)
    order = buy(buyer, store, variant)
    assert card_type_get("order").validate({"order_id": str(order.public_id)}, buyer)["number"] == order.number
    with pytest.raises(Problem) as refused:
        card_type_get("order").validate({"order_id": str(order.public_id)}, charlie)
    assert refused.value.status == 404
