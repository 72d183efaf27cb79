from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def won(value: Any) -> str:
    """12,000원 in Korean, ₩12,000 in English."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return f"₩{amount:,}" if (get_language() or "ko").startswith("en") else f"{amount:,}원"


@register.filter
def stars(value: Any) -> str:
    try:
        n = round(float(value))
    except (TypeError, ValueError):
        return ""
    return "★" * n + "☆" * (5 - n)
