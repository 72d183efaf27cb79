"""The drops app's public operations. Other apps call these (and selectors.py), nothing else.

Use cases live in their own modules: curation (creators.py), publishing (catalog.py), first sale
under a rush (sales.py, waiting_room.py), auctions (auctions.py), the secondary market
(market.py) and lazy minting (minting.py).
"""

from __future__ import annotations

from sangsaeng.drops.auctions import auction_close, auctions_close_due, bid_place
from sangsaeng.drops.catalog import artwork_create, drop_cancel, drop_create
from sangsaeng.drops.creators import creator_apply, creator_profile_update, creator_review
from sangsaeng.drops.market import edition_withdraw, listing_buy, listing_cancel, listing_create
from sangsaeng.drops.minting import drops_chain_sync, drops_sweep, editions_mint_pending
from sangsaeng.drops.sales import edition_purchase

__all__ = [
    "artwork_create",
    "auction_close",
    "auctions_close_due",
    "bid_place",
    "creator_apply",
    "creator_profile_update",
    "creator_review",
    "drop_cancel",
    "drop_create",
    "drops_chain_sync",
    "drops_sweep",
    "edition_purchase",
    "edition_withdraw",
    "editions_mint_pending",
    "listing_buy",
    "listing_cancel",
    "listing_create",
]
