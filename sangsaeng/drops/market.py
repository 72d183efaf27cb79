"""The secondary market: owners list minted editions, buyers buy them, the creator's royalty is honoured.

The royalty is what the contract says (EIP-2981 `royaltyInfo`), read at the moment of sale, and the
platform takes 0%: the buyer pays the price; the creator gets the royalty and the seller the rest,
both through the Pay ledger in one database transaction with the listing's sale, the change of
owner and the on-chain transfer's outbox rows (custodial wallet to custodial wallet). An owner can
also withdraw an edition to the external wallet they linked.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from sangsaeng.chain import services as chain
from sangsaeng.drops import pay
from sangsaeng.drops.access import access_edition, access_listing_own, access_listing_public
from sangsaeng.drops.models import Activity, Edition, Listing
from sangsaeng.drops.problems import edition_busy, invalid, listing_unavailable, not_minted, own_listing

CONTRACT = "ArtworkEditions"


def _on_chain_with(edition: Edition, user: Any) -> None:
    """The token exists and sits in `user`'s custodial wallet (a previous transfer has landed)."""
    if edition.minted_at is None or edition.token_id is None:
        raise not_minted()
    holder = chain.edition_owner(token_id=int(edition.token_id))
    wallet = chain.wallet_get_or_create(user=user)
    if holder is None or holder.lower() != wallet.address.lower():
        raise not_minted()


def listing_create(*, seller: Any, edition_id: Any, price: int) -> Listing:
    """List an edition the seller owns; someone else's edition is a 404 and nothing changes."""
    edition = access_edition(actor=seller, id=edition_id)
    if not isinstance(price, int) or isinstance(price, bool) or not (100 <= price <= 10_000_000_000):
        raise invalid("price", "가격은 100원 ~ 100억 원입니다.", "The price is 100 to 10,000,000,000 KRW.")
    if edition.status != Edition.Status.HELD:
        raise edition_busy()
    _on_chain_with(edition, seller)
    with transaction.atomic():
        if not Edition.objects.filter(pk=edition.pk, owner=seller, status=Edition.Status.HELD).update(
            status=Edition.Status.LISTED
        ):
            raise edition_busy()
        listing = Listing.objects.create(edition=edition, seller=seller, price=price)
        Activity.objects.create(
            kind=Activity.Kind.LISTED, drop=edition.drop, edition=edition, actor=seller, price=price
        )
    return listing


def listing_cancel(*, seller: Any, listing_id: Any) -> Listing:
    listing = access_listing_own(actor=seller, id=listing_id)
    with transaction.atomic():
        if not Listing.objects.filter(pk=listing.pk, status=Listing.Status.ACTIVE).update(
            status=Listing.Status.CANCELLED
        ):
            raise listing_unavailable()
        Edition.objects.filter(pk=listing.edition_id, status=Edition.Status.LISTED).update(status=Edition.Status.HELD)
        Activity.objects.create(
            kind=Activity.Kind.UNLISTED, drop_id=listing.edition.drop_id, edition=listing.edition, actor=seller
        )
    listing.refresh_from_db()
    return listing


def listing_buy(*, buyer: Any, listing_id: Any, idempotency_key: str) -> Listing:
    """Buy a listed edition: the buyer pays the seller, the royalty moves on to the creator, the token to the buyer."""
    listing = access_listing_public(id=listing_id)
    if listing.buyer_id == buyer.pk and listing.status == Listing.Status.SOLD:
        return listing  # a retry of this buyer's own purchase
    if listing.status != Listing.Status.ACTIVE:
        raise listing_unavailable()
    if listing.seller_id == buyer.pk:
        raise own_listing()
    edition = listing.edition
    assert edition.token_id is not None
    creator = edition.drop.creator.user
    _receiver, royalty = chain.royalty_info(token_id=int(edition.token_id), sale_price=int(listing.price))
    royalty = min(royalty, int(listing.price))
    key = f"drops-resale:{listing.public_id}"
    with transaction.atomic():
        if not Listing.objects.filter(pk=listing.pk, status=Listing.Status.ACTIVE).update(
            status=Listing.Status.SOLD, buyer=buyer, royalty_amount=royalty, sold_at=timezone.now()
        ):
            raise listing_unavailable()
        seller = listing.seller
        chain.token_transfer_custodial(
            from_user=seller, to_user=buyer, contract_name=CONTRACT, token_id=int(edition.token_id), idempotency_key=key
        )
        pay.charge(
            payer=buyer,
            payee=seller,
            amount=int(listing.price),
            purpose="drops_resale",
            order_ref=key,
            idempotency_key=f"{key}:price",
        )
        if royalty and creator.pk != seller.pk:
            pay.royalty(
                seller=seller, creator=creator, amount=royalty, memo=f"royalty {key}", idempotency_key=f"{key}:royalty"
            )
        Edition.objects.filter(pk=edition.pk).update(owner=buyer, status=Edition.Status.HELD)
        Activity.objects.create(
            kind=Activity.Kind.RESALE,
            drop_id=edition.drop_id,
            edition=edition,
            actor=buyer,
            counterparty=seller,
            price=listing.price,
            royalty=royalty,
        )
    listing.refresh_from_db()
    return listing


def edition_withdraw(*, owner: Any, edition_id: Any, idempotency_key: str) -> Edition:
    """Send an edition to the owner's linked external wallet through the chain's withdrawal path."""
    edition = access_edition(actor=owner, id=edition_id)
    if edition.status == Edition.Status.WITHDRAWN:
        return edition
    if edition.status != Edition.Status.HELD:
        raise edition_busy()
    _on_chain_with(edition, owner)
    with transaction.atomic():
        chain.token_withdraw(
            user=owner,
            contract_name=CONTRACT,
            token_id=int(edition.token_id or 0),
            idempotency_key=f"drops-withdraw:{edition.public_id}:{idempotency_key}",
        )
        Edition.objects.filter(pk=edition.pk).update(status=Edition.Status.WITHDRAWN)
        Activity.objects.create(kind=Activity.Kind.WITHDRAWN, drop_id=edition.drop_id, edition=edition, actor=owner)
    edition.refresh_from_db()
    return edition
