"""The card kinds messaging itself registers (business cards), and the bubble's "save" action."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from sangsaeng.accounts.selectors import User
from sangsaeng.business_cards import services as business_cards
from sangsaeng.core.errors import Problem
from sangsaeng.messaging.access import access_message, as_uuid
from sangsaeng.messaging.cards import card_type_get, card_type_register


def _business_card_validate(payload: dict[str, Any], actor: Any) -> dict[str, Any]:
    """The sender names one of their own cards; the stored payload is the signed share payload."""
    card_id = as_uuid(payload.get("card_id"))
    if card_id is None or set(payload) - {"card_id"}:
        raise Problem(
            code="invalid_card",
            status=422,
            ko="보낼 명함을 고르세요.",
            en='card must be {"card_id": <your card id>}.',
            field="card",
        )
    return business_cards.card_share_payload(actor=actor, card_id=card_id)


def _business_card_receive(payload: dict[str, Any], actor: Any) -> str:
    business_cards.card_receive_from_share(holder=actor, payload=payload)
    return "saved_to_card_book"


def register_builtin() -> None:
    card_type_register(
        "business_card",
        validate=_business_card_validate,
        label_ko="명함",
        label_en="Business card",
        template="messaging/cards/business_card.html",
        receive=_business_card_receive,
    )


def message_card_receive(*, actor: User, message_id: UUID | str) -> str:
    """Run a card bubble's "save" action for a member (e.g. save a business card to my card book)."""
    message, _member = access_message(actor=actor, message_id=message_id)
    card_type = card_type_get(message.kind)
    if card_type is None or card_type.receive is None or message.card is None or message.deleted_at is not None:
        raise Problem(
            code="not_receivable",
            status=422,
            ko="저장할 수 있는 카드가 아닙니다.",
            en="This message has nothing to save.",
        )
    return card_type.receive(message.card, actor)
