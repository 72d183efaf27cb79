"""The providers for apps that exist today; apps built later register their own (see registry)."""

from __future__ import annotations

from sangsaeng.search.providers.cards import CardProvider
from sangsaeng.search.providers.commerce import ProductProvider, StoreProvider
from sangsaeng.search.providers.drawer import AlbumProvider, MediaProvider
from sangsaeng.search.providers.drops import ArtworkProvider, DropProvider
from sangsaeng.search.providers.messaging import MessageProvider
from sangsaeng.search.providers.partners import ChannelProvider, PostProvider
from sangsaeng.search.registry import provider_register


def register() -> None:
    provider_register("media", MediaProvider())
    provider_register("album", AlbumProvider())
    provider_register("card", CardProvider())
    provider_register("chat", MessageProvider())
    provider_register("channel", ChannelProvider())
    provider_register("post", PostProvider())
    provider_register("store", StoreProvider())
    provider_register("product", ProductProvider())
    provider_register("drop", DropProvider())
    provider_register("artwork", ArtworkProvider())
