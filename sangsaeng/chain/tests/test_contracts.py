"""The Vyper contracts in titanoboa: roles, caps, royalties and the passport's recovery window."""

from __future__ import annotations

import boa
import pytest

from sangsaeng.chain.build import CONTRACTS_DIR, EVM_VERSION

BRAND = b"\x0b" * 32
OTHER_BRAND = b"\x0c" * 32
WINDOW = 3600


def _deployer(name: str):
    # the sources pin `# pragma evm-version cancun`, the version the build uses
    assert f"# pragma evm-version {EVM_VERSION}" in (CONTRACTS_DIR / f"{name}.vy").read_text()
    return boa.load_partial(str(CONTRACTS_DIR / f"{name}.vy"))


@pytest.fixture(scope="module")
def passport_deployer():
    return _deployer("ProductPassport")


@pytest.fixture(scope="module")
def editions_deployer():
    return _deployer("ArtworkEditions")


@pytest.fixture(scope="module")
def shares_deployer():
    return _deployer("ContributionShares")


@pytest.fixture
def accounts():
    return [boa.env.generate_address() for _ in range(4)]


@pytest.fixture
def passport(passport_deployer, accounts):
    owner = accounts[0]
    with boa.env.prank(owner):
        contract = passport_deployer.deploy("Sangsaeng Passport", "SSPP", "https://x/", WINDOW)
        contract.set_issuer(BRAND, accounts[1], True)
    return contract


def test_only_an_issuer_of_the_brand_issues_passports(passport, accounts):
    _owner, issuer, holder, stranger = accounts
    with boa.env.prank(stranger), boa.reverts("passport: caller is not an issuer of this brand"):
        passport.issue(BRAND, holder, 1, b"\x01" * 32)
    with boa.env.prank(issuer), boa.reverts("passport: caller is not an issuer of this brand"):
        passport.issue(OTHER_BRAND, holder, 1, b"\x01" * 32)
    with boa.env.prank(issuer):
        passport.issue(BRAND, holder, 1, b"\x01" * 32)
    assert passport.ownerOf(1) == holder
    assert passport.brand_of(1) == BRAND
    assert passport.metadata_hash(1) == b"\x01" * 32


def test_only_the_owner_appoints_issuers(passport, accounts):
    with boa.env.prank(accounts[3]), boa.reverts("ownable: caller is not the owner"):
        passport.set_issuer(BRAND, accounts[3], True)
    assert passport.is_issuer(BRAND, accounts[3]) is False


def test_the_holder_transfers_a_passport(passport, accounts):
    _owner, issuer, holder, buyer = accounts
    with boa.env.prank(issuer):
        passport.issue(BRAND, holder, 9, b"\x02" * 32)
    with boa.env.prank(holder):
        passport.transferFrom(holder, buyer, 9)
    assert passport.ownerOf(9) == buyer


def test_the_issuer_recovers_a_passport_only_inside_the_window(passport, accounts):
    _owner, issuer, holder, rightful = accounts
    with boa.env.prank(issuer):
        passport.issue(BRAND, holder, 3, b"\x03" * 32)
        passport.recover(3, rightful)
    assert passport.ownerOf(3) == rightful
    boa.env.time_travel(seconds=WINDOW + 1)
    with boa.env.prank(issuer), boa.reverts("passport: recovery window has closed"):
        passport.recover(3, holder)
    assert passport.ownerOf(3) == rightful


def test_a_stranger_cannot_recover(passport, accounts):
    _owner, issuer, holder, stranger = accounts
    with boa.env.prank(issuer):
        passport.issue(BRAND, holder, 4, b"\x04" * 32)
    with boa.env.prank(stranger), boa.reverts("passport: caller is not an issuer of this brand"):
        passport.recover(4, stranger)
    assert passport.ownerOf(4) == holder


@pytest.fixture
def editions(editions_deployer, accounts):
    with boa.env.prank(accounts[0]):
        return editions_deployer.deploy("Sangsaeng Editions", "SSED", "https://x/")


def test_a_drop_mints_in_batches_up_to_its_cap(editions, accounts):
    minter, artist, a, b = accounts
    with boa.env.prank(minter):
        drop = editions.create_drop(3, artist, 750)
        first = editions.mint_batch(drop, [a, b])
        assert first == drop * 1_000_000 + 1
        with boa.reverts("editions: drop supply cap reached"):
            editions.mint_batch(drop, [a, b])
        editions.mint_batch(drop, [b])
    assert editions.ownerOf(first) == a
    assert editions.ownerOf(first + 2) == b
    assert editions.totalSupply() == 3
    assert editions.drops(drop).minted == 3


def test_royalties_follow_the_drop(editions, accounts):
    minter, artist, buyer, _ = accounts
    with boa.env.prank(minter):
        drop = editions.create_drop(5, artist, 750)
        token = editions.mint_batch(drop, [buyer])
    assert editions.royaltyInfo(token, 10_000) == (artist, 750)
    assert editions.supportsInterface(bytes.fromhex("2a55205a")) is True
    assert editions.supportsInterface(bytes.fromhex("80ac58cd")) is True


def test_only_minters_open_drops_and_mint(editions, accounts):
    with boa.env.prank(accounts[3]), boa.reverts("editions: caller is not a minter"):
        editions.create_drop(5, accounts[1], 100)
    with boa.env.prank(accounts[0]):
        drop = editions.create_drop(5, accounts[1], 100)
    with boa.env.prank(accounts[3]), boa.reverts("editions: caller is not a minter"):
        editions.mint_batch(drop, [accounts[3]])


@pytest.fixture
def shares(shares_deployer, accounts):
    with boa.env.prank(accounts[0]):
        return shares_deployer.deploy("Sangsaeng Shares", "SSSH", "Sangsaeng Shares", "1")


def test_only_minters_mint_shares(shares, accounts):
    owner, minter, holder, stranger = accounts
    with boa.env.prank(stranger), boa.reverts("erc20: access is denied"):
        shares.mint(holder, 10)
    with boa.env.prank(owner):
        shares.set_minter(minter, True)
    with boa.env.prank(minter):
        shares.mint(holder, 10)
    assert shares.balanceOf(holder) == 10
    assert shares.totalSupply() == 10
    assert shares.decimals() == 18


def test_a_frozen_holder_cannot_move_the_frozen_shares(shares, accounts):
    owner, minter, holder, buyer = accounts
    with boa.env.prank(owner):
        shares.set_minter(minter, True)
    with boa.env.prank(minter):
        shares.mint(holder, 10)
    with boa.env.prank(owner):
        shares.freeze(holder, 7)
    assert shares.frozenOf(holder) == 7
    with boa.env.prank(holder), boa.reverts("shares: amount is frozen"):
        shares.transfer(buyer, 4)
    with boa.env.prank(holder), boa.reverts("shares: amount is frozen"):
        shares.burn(4)
    with boa.env.prank(holder):
        shares.approve(buyer, 10)
    with boa.env.prank(buyer), boa.reverts("shares: amount is frozen"):
        shares.transferFrom(holder, buyer, 4)
    with boa.env.prank(buyer), boa.reverts("shares: amount is frozen"):
        shares.burn_from(holder, 4)
    assert (shares.balanceOf(holder), shares.balanceOf(buyer), shares.totalSupply()) == (10, 0, 10)
    with boa.env.prank(holder):
        shares.transfer(buyer, 3)  # the unfrozen part still moves
    assert (shares.balanceOf(holder), shares.balanceOf(buyer)) == (7, 3)
    with boa.env.prank(owner):
        shares.unfreeze(holder, 7)
    with boa.env.prank(holder):
        shares.transfer(buyer, 7)
    assert (shares.balanceOf(holder), shares.balanceOf(buyer), shares.frozenOf(holder)) == (0, 10, 0)


def test_only_the_owner_freezes_and_unfreezes(shares, accounts):
    owner, minter, holder, _stranger = accounts
    with boa.env.prank(owner):
        shares.set_minter(minter, True)
    for caller in (minter, holder):
        with boa.env.prank(caller), boa.reverts("ownable: caller is not the owner"):
            shares.freeze(holder, 1)
    with boa.env.prank(owner):
        shares.freeze(holder, 2)
    with boa.env.prank(holder), boa.reverts("ownable: caller is not the owner"):
        shares.unfreeze(holder, 2)
    with boa.env.prank(owner), boa.reverts("shares: amount is not frozen"):
        shares.unfreeze(holder, 3)
    assert shares.frozenOf(holder) == 2


def test_a_freeze_above_the_balance_blocks_every_move(shares, accounts):
    owner, minter, holder, buyer = accounts
    with boa.env.prank(owner):
        shares.set_minter(minter, True)
        shares.freeze(holder, 5)  # the shares were moved away before the removal
    with boa.env.prank(minter):
        shares.mint(holder, 3)
    with boa.env.prank(holder), boa.reverts("shares: amount is frozen"):
        shares.transfer(buyer, 1)
    assert shares.balanceOf(holder) == 3
