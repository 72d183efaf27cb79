"""The chat card the assistant posts for a proposed action, with its "confirm" button.

Only the assistant posts these (through `messaging.services.message_post_as_bot`, which takes a
payload it already built); a person who tries to post one is refused. The bubble's button is
messaging's card "save" action, which here confirms the action for the member who pressed it: the
owner, or a 404 for anyone else.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps

from sangsaeng.assistant.chat import CARD_KIND
from sangsaeng.core.errors import Problem


def _refuse(payload: dict[str, Any], actor: Any) -> dict[str, Any]:
    raise Problem(
        code="invalid_card",
        status=422,
        ko="비서의 확인 카드는 비서만 보낼 수 있어요.",
        en="Only the assistant posts assistant cards.",
        field="card",
    )


def _confirm(payload: dict[str, Any], actor: Any) -> str:
    from sangsaeng.assistant.actions import action_confirm

    action_confirm(actor=actor, action_id=payload.get("action_id"))
    return "confirmed"


def cards_register() -> None:
    if not apps.is_installed("sangsaeng.messaging"):
        return
    from sangsaeng.messaging.services import card_type_register

    card_type_register(
        CARD_KIND,
        validate=_refuse,
        label_ko="비서 확인 요청",
        label_en="Assistant confirmation",
        template="assistant/cards/action.html",
        receive=_confirm,
    )
