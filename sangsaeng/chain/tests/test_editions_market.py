"""The edition reads and the custodial transfer the drops market uses: drop ids from receipts,
EIP-2981 royalties, minted counts, holders, and a permit-then-transfer between custodial wallets."""

from __future__ import annotations

import pytest

from sangsaeng.chain import services
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.tests.conftest import settle
from sangsaeng.core.errors import Problem

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition_of_alice(embedded, deployed, alice, bob):
    royalty_to = services.wallet_get_or_create(user=bob).address
    services.edition_drop_create(idempotency_key="drop-a", cap=2, royalty_receiver=royalty_to, royalty_bps=750)
    settle()
    drop_id = services.edition_drop_id(idempotency_key="drop-a")
    assert drop_id is not None
    services.editions_mint(idempotency_key="mint-a", drop_id=drop_id, owners=[alice])
    settle()
    return drop_id * 1_000_000 + 1


def test_the_drop_id_comes_from_the_receipt_and_supply_is_counted(edition_of_alice, alice):
    drop_id = edition_of_alice // 1_000_000
    assert services.edition_drop_id(idempotency_key="missing") is None
    assert services.edition_drop_minted(drop_id=drop_id) == 1
    holder = services.edition_owner(token_id=edition_of_alice)
    assert str(holder).lower() == services.wallet_get_or_create(user=alice).address.lower()
    assert services.edition_owner(token_id=edition_of_alice + 1) is None


def test_royalty_info_is_the_contracts_eip2981_answer(edition_of_alice, bob):
    receiver, amount = services.royalty_info(token_id=edition_of_alice, sale_price=200_000)
    assert str(receiver).lower() == services.wallet_get_or_create(user=bob).address.lower()
    assert amount == 15_000


def test_a_custodial_transfer_moves_the_token_once(edition_of_alice, alice, charlie_user):
    first = services.token_transfer_custodial(
        from_user=alice,
        to_user=charlie_user,
        contract_name="ArtworkEditions",
        token_id=edition_of_alice,
        idempotency_key="sale-1",
    )
    again = services.token_transfer_custodial(
        from_user=alice,
        to_user=charlie_user,
        contract_name="ArtworkEditions",
        token_id=edition_of_alice,
        idempotency_key="sale-1",
    )
    assert first.pk == again.pk
    settle()
    holder = services.edition_owner(token_id=edition_of_alice)
    assert str(holder).lower() == services.wallet_get_or_create(user=charlie_user).address.lower()


def test_a_transfer_of_a_token_not_held_is_refused_and_queues_nothing(edition_of_alice, bob, charlie_user):
    before = ChainTransaction.objects.count()
    with pytest.raises(Problem) as caught:
        services.token_transfer_custodial(
            from_user=bob,
            to_user=charlie_user,
            contract_name="ArtworkEditions",
            token_id=edition_of_alice,
            idempotency_key="sale-2",
        )
    assert caught.value.code == "token_not_owned"
    assert ChainTransaction.objects.count() == before


@pytest.fixture
def charlie_user(db):
    from sangsaeng.accounts.services import user_create

    return user_create(email="charlie@example.com", password=None, verified=True, validate=False)  # type: ignore[arg-type]
