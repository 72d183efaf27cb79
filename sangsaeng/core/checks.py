"""System checks that keep the production profile honest."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Warning, register

from sangsaeng.core import crypto


@register(deploy=True)
def production_profile(app_configs: Any, **kwargs: Any) -> list[Any]:
    problems: list[Any] = []
    if getattr(settings, "PROFILE", "") != "production":
        problems.append(
            Warning(
                "SANGSAENG_PROFILE is not production", hint="Set SANGSAENG_PROFILE=production.", id="sangsaeng.W001"
            )
        )
    try:
        crypto.LocalKeyProvider(settings.ENCRYPTION_KEYS)
    except ValueError as exc:
        problems.append(Error(str(exc), id="sangsaeng.E001"))
    return problems
