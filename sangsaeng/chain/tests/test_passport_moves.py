"""Passports issued into custody, handed out by the relayer, moved by permit, recovered by the brand."""

from __future__ import annotations

import pytest

from sangsaeng.chain import services
from sangsaeng.chain.gateway import contract_at
from sangsaeng.chain.models import ChainTransaction
from sangsaeng.chain.registry import contract_address
from sangsaeng.chain.tests.conftest import settle

pytestmark = pytest.mark.django_db
EXTERNAL = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"


def _owner(token_id: int) -> str:
    return contract_at("ProductPassport", contract_address("ProductPassport")).functions.ownerOf(token_id).call()


def test_custody_then_claim_then_permit_transfer_then_recover(embedded, deployed, alice):
    # given a passport issued into custody
    services.passport_issue_to_custody(idempotency_key="p-issue", brand="b1", token_id=77, metadata_hash=b"\x07" * 32)
    settle()
    assert _owner(77) == services.passport_custody_address()
    # when the relayer hands it to alice's custodial wallet
    services.passport_transfer(
        idempotency_key="p-claim", token_id=77, to_address=services.wallet_get_or_create(user=alice).address
    )
    settle()
    assert _owner(77) == services.wallet_get_or_create(user=alice).address
    # when alice's wallet moves it on with a permit
    moved = services.passport_transfer(idempotency_key="p-move", token_id=77, to_address=EXTERNAL, holder=alice)
    again = services.passport_transfer(idempotency_key="p-move", token_id=77, to_address=EXTERNAL, holder=alice)
    settle()
    assert moved.pk == again.pk and _owner(77) == EXTERNAL
    assert ChainTransaction.objects.get(idempotency_key="passport-move:p-move:permit").status == "confirmed"
    # when the brand recovers it within the window
    services.passport_recover(idempotency_key="p-recover", token_id=77, to_address=services.passport_custody_address())
    settle()
    assert _owner(77) == services.passport_custody_address()


def test_a_holder_who_does_not_hold_it_signs_nothing(embedded, deployed, alice):
    from sangsaeng.core.errors import Problem

    services.passport_issue_to_custody(idempotency_key="q-issue", brand="b1", token_id=78, metadata_hash=b"\x08" * 32)
    settle()
    with pytest.raises(Problem) as exc:
        services.passport_transfer(idempotency_key="q-move", token_id=78, to_address=EXTERNAL, holder=alice)
    assert exc.value.code == "token_not_owned"
    assert not ChainTransaction.objects.filter(idempotency_key__startswith="passport-move:q-move").exists()
