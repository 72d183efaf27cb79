"""On chain: lazy batch mints, resale with the contract's EIP-2981 royalty, listing refusals, withdrawal."""

from __future__ import annotations

import pytest

from sangsaeng.chain import selectors as chain_selectors
from sangsaeng.chain import services as chain
from sangsaeng.core.errors import Problem
from sangsaeng.drops import pay, services
from sangsaeng.drops.models import Activity, Edition, Listing
from sangsaeng.drops.tests.conftest import FUNDS, make_drop, settle

pytestmark = pytest.mark.django_db


@pytest.fixture
def minted(onchain, creator, artwork, funded_alice):
    """Alice owns edition #1 of a 10%-royalty drop, minted to her custodial wallet."""
    drop = make_drop(creator, artwork, price=10_000, edition_size=3, royalty_bps=1000)
    edition = services.edition_purchase(buyer=funded_alice, drop_id=drop.public_id, idempotency_key="k")
    settle()
    edition.refresh_from_db()
    return edition


def test_editions_are_minted_in_batches_to_the_buyers_wallets(onchain, creator, artwork, buyers):
    # given 3 buyers of a 3-edition drop
    drop = make_drop(creator, artwork, edition_size=3)
    people = buyers(3)
    for person in people:
        services.edition_purchase(buyer=person, drop_id=drop.public_id, idempotency_key="k")
    # when the jobs run
    settle()
    # then one batch minted all three, each to its buyer, and on-chain supply equals sold
    drop.refresh_from_db()
    assert chain.edition_drop_minted(drop_id=drop.chain_drop_id) == 3
    editions = list(Edition.objects.filter(drop=drop).order_by("number"))
    assert len({e.mint_key for e in editions}) == 1
    for edition, person in zip(editions, people, strict=True):
        assert edition.token_id is not None
        assert int(edition.token_id) == drop.chain_drop_id * 1_000_000 + edition.number
        owner = chain.edition_owner(token_id=int(edition.token_id))
        assert str(owner).lower() == chain.wallet_get_or_create(user=person).address.lower()
    assert Activity.objects.filter(drop=drop, kind="minted").count() == 3


def test_a_resale_pays_the_creator_exactly_the_contract_royalty(minted, funded_alice, funded_bob, creator):
    # given alice lists her edition for 123,456 won
    creator_before = pay.payable(user=creator)
    listing = services.listing_create(seller=funded_alice, edition_id=minted.public_id, price=123_456)
    _receiver, royalty = chain.royalty_info(token_id=int(minted.token_id), sale_price=123_456)
    assert royalty == 12_345
    # when bob buys it
    sold = services.listing_buy(buyer=funded_bob, listing_id=listing.public_id, idempotency_key="buy")
    # then the creator got exactly the royalty, alice the rest, bob paid the price
    assert sold.status == "sold" and sold.royalty_amount == 12_345
    assert pay.payable(user=creator) - creator_before == 12_345
    assert pay.payable(user=funded_alice) == 123_456 - 12_345
    assert pay.balance(user=funded_bob) == FUNDS - 123_456
    assert pay.ledger_audit()["ok"] is True
    # and the token moves to bob's custodial wallet; provenance shows sale, mint, listing, resale
    settle()
    chain_settle_transfers()
    owner = chain.edition_owner(token_id=int(minted.token_id))
    assert str(owner).lower() == chain.wallet_get_or_create(user=funded_bob).address.lower()
    minted.refresh_from_db()
    assert minted.owner == funded_bob
    kinds = [a.kind for a in Activity.objects.filter(edition=minted).order_by("created_at", "id")]
    assert kinds == ["sale", "minted", "listed", "resale"]
    history = chain_selectors.token_history(contract_name="ArtworkEditions", token_id=int(minted.token_id))
    assert len(history) == 2  # the mint and the resale transfer


def chain_settle_transfers() -> None:
    from sangsaeng.chain.tests.conftest import settle as chain_settle

    chain_settle()


def test_a_retried_purchase_of_a_listing_moves_money_once(minted, funded_alice, funded_bob):
    listing = services.listing_create(seller=funded_alice, edition_id=minted.public_id, price=50_000)
    services.listing_buy(buyer=funded_bob, listing_id=listing.public_id, idempotency_key="buy")
    services.listing_buy(buyer=funded_bob, listing_id=listing.public_id, idempotency_key="buy")
    assert pay.balance(user=funded_bob) == FUNDS - 50_000


def test_listing_an_edition_you_dont_own_moves_nothing(minted, funded_bob, funded_alice):
    from sangsaeng.chain.models import ChainTransaction

    before = (ChainTransaction.objects.count(), pay.balance(user=funded_bob), pay.balance(user=funded_alice))
    with pytest.raises(Problem) as caught:
        services.listing_create(seller=funded_bob, edition_id=minted.public_id, price=50_000)
    assert caught.value.status == 404
    after = (ChainTransaction.objects.count(), pay.balance(user=funded_bob), pay.balance(user=funded_alice))
    assert after == before
    assert pay.ledger_audit()["ok"] is True
    holder = chain.edition_owner(token_id=int(minted.token_id or 0))
    assert str(holder).lower() == chain.wallet_get_or_create(user=funded_alice).address.lower()
    assert Listing.objects.count() == 0
    minted.refresh_from_db()
    assert minted.status == "held"


def test_buying_your_own_listing_or_a_sold_one_is_refused(minted, funded_alice, funded_bob, buyers):
    listing = services.listing_create(seller=funded_alice, edition_id=minted.public_id, price=50_000)
    with pytest.raises(Problem) as own:
        services.listing_buy(buyer=funded_alice, listing_id=listing.public_id, idempotency_key="x")
    assert own.value.code == "own_listing"
    services.listing_buy(buyer=funded_bob, listing_id=listing.public_id, idempotency_key="x")
    (late,) = buyers(1, prefix="late")
    with pytest.raises(Problem) as gone:
        services.listing_buy(buyer=late, listing_id=listing.public_id, idempotency_key="x")
    assert gone.value.code == "listing_unavailable"
    assert pay.balance(user=late) == FUNDS


def test_a_resale_buyer_without_funds_moves_nothing(minted, funded_alice, charlie_poor):
    listing = services.listing_create(seller=funded_alice, edition_id=minted.public_id, price=500_000)
    before = (pay.payable(user=funded_alice), pay.balance(user=charlie_poor))
    with pytest.raises(Problem) as caught:
        services.listing_buy(buyer=charlie_poor, listing_id=listing.public_id, idempotency_key="x")
    assert caught.value.code == "insufficient_funds"
    assert (pay.payable(user=funded_alice), pay.balance(user=charlie_poor)) == before
    listing.refresh_from_db()
    assert listing.status == "active"
    assert (
        chain_selectors.transaction_get_by_key(idempotency_key=f"transfer:drops-resale:{listing.public_id}:transfer")
        is None
    )


@pytest.fixture
def charlie_poor(db):
    from sangsaeng.accounts.services import user_create

    user = user_create(email="charlie@example.com", password=None, verified=True, validate=False)  # type: ignore[arg-type]  # no password: unusable, tokens only
    pay.topup_test(user=user, amount=1_000, idempotency_key="c")
    return user


def test_an_unminted_edition_cannot_be_listed_yet(onchain, fixed_drop, funded_alice):
    edition = services.edition_purchase(buyer=funded_alice, drop_id=fixed_drop.public_id, idempotency_key="k")
    with pytest.raises(Problem) as caught:
        services.listing_create(seller=funded_alice, edition_id=edition.public_id, price=50_000)
    assert caught.value.code == "not_minted_yet"
    assert Listing.objects.count() == 0


def test_withdrawing_needs_a_linked_wallet_then_enqueues_the_transfer(minted, funded_alice):
    with pytest.raises(Problem) as caught:
        services.edition_withdraw(owner=funded_alice, edition_id=minted.public_id, idempotency_key="w")
    assert caught.value.code == "no_linked_address"
    minted.refresh_from_db()
    assert minted.status == "held"
    # link an external wallet (EIP-191 signature over the challenge), then withdraw
    from eth_account import Account
    from eth_account.messages import encode_defunct

    external = Account.create()
    _wallet, message = chain.wallet_link_challenge(user=funded_alice)
    signature = "0x" + external.sign_message(encode_defunct(text=message)).signature.hex()
    chain.wallet_link(user=funded_alice, address=external.address, signature=signature)
    edition = services.edition_withdraw(owner=funded_alice, edition_id=minted.public_id, idempotency_key="w")
    assert edition.status == "withdrawn"
    chain_settle_transfers()
    assert str(chain.edition_owner(token_id=int(minted.token_id))).lower() == external.address.lower()
