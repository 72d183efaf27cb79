"""Rich card message kinds that other apps register (business card, product, passport, artwork).

A card type names a message `kind`. When someone posts one, `validate(payload, actor)` checks what
the client sent and returns the normalised payload that is stored on the message (or raises a
Problem); `template` renders the bubble. An optional `receive(payload, actor)` is the bubble's
"save" action (a business card into the receiver's card book) and returns a short result label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from sangsaeng.core.errors import Problem

Validate = Callable[[dict[str, Any], Any], dict[str, Any]]
Receive = Callable[[dict[str, Any], Any], str]
BASE_KINDS = ("text", "image", "video", "file")


@dataclass(frozen=True)
class CardType:
    kind: str
    validate: Validate
    label_ko: str
    label_en: str
    template: str
    receive: Receive | None = None


_TYPES: dict[str, CardType] = {}


def card_type_register(
    kind: str,
    *,
    validate: Validate,
    label_ko: str,
    label_en: str,
    template: str,
    receive: Receive | None = None,
) -> None:
    if kind in BASE_KINDS:
        raise ValueError(f"{kind} is a base message kind")
    _TYPES[kind] = CardType(kind, validate, label_ko, label_en, template, receive)


def card_type_get(kind: str) -> CardType | None:
    return _TYPES.get(kind)


def card_kinds() -> list[str]:
    return sorted(_TYPES)


def unknown_kind(kind: str) -> Problem:
    return Problem(
        code="unknown_kind",
        status=422,
        ko=f"알 수 없는 메시지 종류입니다: {kind[:30]}",
        en=f"Unknown message kind: {kind[:30]}",
        field="kind",
        extra={"kinds": [*BASE_KINDS, *card_kinds()]},
    )


def card_render(kind: str, payload: dict[str, Any] | None) -> str:
    """The bubble's HTML (autoescaped template), or "" when the kind has no registered card."""
    card_type = _TYPES.get(kind)
    if card_type is None or payload is None:
        return ""
    return render_to_string(card_type.template, {"card": payload, "label": card_type.label_ko})
