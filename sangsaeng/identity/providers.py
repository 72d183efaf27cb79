"""Where a verified identity can come from: an operator, or a provider plugged in later.

A carrier (PASS) or bank check implements `IdentityProvider`: `start` sends the person to the
provider (a URL, or a code by SMS), `complete` turns the provider's callback into a `ProviderResult`,
and `identity.services.identity_record_from_provider` stores it like an operator's approval.
Providers are listed by dotted path in IDENTITY_PROVIDERS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class ProviderResult:
    legal_name: str
    birthdate: date
    phone: str = ""
    reference: str = ""


class IdentityProvider(Protocol):
    name: str
    label: str

    def start(self, *, user: Any, return_url: str) -> str:
        """Where to send the user (a URL) to begin the check."""
        ...

    def complete(self, *, user: Any, params: dict[str, str]) -> ProviderResult:
        """Check the provider's answer (signature, nonce) and say who the person is."""
        ...


class SmsSender(Protocol):
    def send(self, *, to: str, text: str) -> None: ...


@cache
def providers() -> dict[str, IdentityProvider]:
    found: dict[str, IdentityProvider] = {}
    for path in settings.IDENTITY_PROVIDERS:
        provider = import_string(path)()
        found[provider.name] = provider
    return found
