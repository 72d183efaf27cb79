"""Drops fixtures: an approved creator with a Pillow-made artwork, drops of each format, funded buyers,
and the embedded chain node for the tests that mint, resell and withdraw."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from conftest import PASSWORD
from sangsaeng.accounts.services import user_create
from sangsaeng.drops import pay, services

FUNDS = 1_000_000


def png(color: tuple[int, int, int] = (200, 60, 90), size: tuple[int, int] = (1600, 1200)) -> SimpleUploadedFile:
    img = Image.new("RGB", size, color)
    for x in range(0, size[0], 40):
        img.paste((color[2], color[0], color[1]), (x, 0, x + 10, size[1]))
    out = io.BytesIO()
    img.save(out, "PNG")
    return SimpleUploadedFile("art.png", out.getvalue(), content_type="image/png")


def fund(user, amount: int = FUNDS) -> None:
    pay.topup_test(user=user, amount=amount, idempotency_key=f"fund-{user.pk}-{amount}")


@pytest.fixture
def operator(db):
    return user_create(email="op@example.com", password=PASSWORD, display_name="운영자", verified=True, staff=True)


@pytest.fixture
def creator(db, operator):
    user = user_create(email="artist@example.com", password=PASSWORD, display_name="한빛", verified=True)
    profile = services.creator_apply(user=user, display_name="한빛", portfolio_url="https://portfolio.example/hanbit")
    services.creator_review(operator=operator, creator_id=profile.public_id, approve=True)
    return user


@pytest.fixture
def artwork(creator):
    return services.artwork_create(actor=creator, title="제주의 새벽", upload=png())


def make_drop(creator, artwork, **data):
    base = {
        "format": "fixed",
        "opens_at": timezone.now() - timedelta(minutes=1),
        "price": 10_000,
        "edition_size": 5,
        "per_user_limit": 1,
        "royalty_bps": 1000,
    }
    base.update(data)
    return services.drop_create(actor=creator, artwork_id=artwork.public_id, data=base)


@pytest.fixture
def fixed_drop(creator, artwork):
    return make_drop(creator, artwork)


@pytest.fixture
def buyers(db):
    def build(n: int, prefix: str = "buyer"):
        users = []
        for i in range(n):
            user = user_create(
                email=f"{prefix}{i}@example.com",
                password=None,  # type: ignore[arg-type]  # no password: unusable, tokens only
                display_name=f"{prefix}{i}",
                verified=True,
                validate=False,
            )
            fund(user)
            users.append(user)
        return users

    return build


@pytest.fixture
def funded_alice(alice):
    fund(alice)
    return alice


@pytest.fixture
def funded_bob(bob):
    fund(bob)
    return bob


@pytest.fixture(scope="session")
def embedded_node(tmp_path_factory):
    from sangsaeng.chain.tests.conftest import free_port, start_embedded, stop

    port = free_port()
    proc = start_embedded(tmp_path_factory.mktemp("chain"), port)
    yield f"http://127.0.0.1:{port}"
    stop(proc)


@pytest.fixture
def onchain(settings, embedded_node, db):
    """The embedded node with our contracts deployed, for tests that mint and transfer."""
    from sangsaeng.chain.deploy import contracts_deploy

    settings.CHAIN_RPC_URL = embedded_node
    settings.CHAIN_CONFIRMATIONS = 1
    contracts_deploy()
    return embedded_node


def settle(passes: int = 60) -> None:
    """Run the drops job and the chain worker until nothing of ours is in flight."""
    import time

    from sangsaeng.chain.tests.conftest import settle as chain_settle
    from sangsaeng.drops.minting import drops_sweep
    from sangsaeng.drops.models import Drop, Edition

    for _ in range(passes):
        drops_sweep()
        chain_settle()
        drops_sweep()
        pending = Edition.objects.filter(minted_at__isnull=True).exists()
        unsynced = Drop.objects.filter(chain_drop_id__isnull=True, cancelled_at__isnull=True).exists()
        if not pending and not unsynced:
            return
        time.sleep(0.05)
    raise AssertionError("drops did not settle on chain")
