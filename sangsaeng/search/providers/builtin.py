"""The providers for apps that exist today; apps built later register their own (see registry)."""

from __future__ import annotations

from sangsaeng.search.providers.cards import CardProvider
from sangsaeng.search.providers.drawer import AlbumProvider, MediaProvider
from sangsaeng.search.registry import provider_register


def register() -> None:
    provider_register("media", MediaProvider())
    provider_register("album", AlbumProvider())
    provider_register("card", CardProvider())
