# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ContributionShares
@notice ERC-20 shares that LM commons contributors earn. Only accounts holding the
        minter role (the platform relayer) can mint; the owner grants and revokes it.
        Holders may transfer, burn and use EIP-2612 permits (snekmate's ERC-20).
        When an operator removes a contribution after a takedown, the owner freezes the
        shares it earned: `frozenOf[holder]` of the holder's balance can no longer move
        (transfer, transferFrom or burn), while the rest stays free. A freeze may exceed
        the balance (the shares were moved before the removal); then nothing moves until
        the balance is back above the frozen amount or the owner unfreezes.
"""

from snekmate.auth import ownable as ow
initializes: ow

from snekmate.tokens import erc20
initializes: erc20[ownable := ow]

# Every ERC-20 function but the four that move a balance away, which are wrapped below.
exports: (
    ow.owner,
    erc20.name,
    erc20.symbol,
    erc20.decimals,
    erc20.balanceOf,
    erc20.allowance,
    erc20.totalSupply,
    erc20.approve,
    erc20.mint,
    erc20.set_minter,
    erc20.is_minter,
    erc20.permit,
    erc20.nonces,
    erc20.DOMAIN_SEPARATOR,
    erc20.eip712Domain,
    erc20.transfer_ownership,
    erc20.renounce_ownership,
)


# @dev Base units of each holder's balance that cannot move.
frozenOf: public(HashMap[address, uint256])


event Frozen:
    holder: indexed(address)
    amount: uint256
    frozen: uint256


event Unfrozen:
    holder: indexed(address)
    amount: uint256
    frozen: uint256


@deploy
def __init__(name_: String[25], symbol_: String[5], name_eip712_: String[50], version_eip712_: String[20]):
    ow.__init__()
    erc20.__init__(name_, symbol_, 18, name_eip712_, version_eip712_)


@internal
@view
def _check_unfrozen(holder: address, amount: uint256):
    balance: uint256 = erc20.balanceOf[holder]
    frozen: uint256 = self.frozenOf[holder]
    assert balance >= frozen and balance - frozen >= amount, "shares: amount is frozen"


@external
def transfer(to: address, amount: uint256) -> bool:
    self._check_unfrozen(msg.sender, amount)
    erc20._transfer(msg.sender, to, amount)
    return True


@external
def transferFrom(owner: address, to: address, amount: uint256) -> bool:
    self._check_unfrozen(owner, amount)
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._transfer(owner, to, amount)
    return True


@external
def burn(amount: uint256):
    self._check_unfrozen(msg.sender, amount)
    erc20._burn(msg.sender, amount)


@external
def burn_from(owner: address, amount: uint256):
    self._check_unfrozen(owner, amount)
    erc20._spend_allowance(owner, msg.sender, amount)
    erc20._burn(owner, amount)


@external
def freeze(holder: address, amount: uint256):
    """
    @notice Owner only: add `amount` to the holder's frozen shares (a removed contribution's).
    """
    ow._check_owner()
    assert amount > 0, "shares: nothing to freeze"
    frozen: uint256 = self.frozenOf[holder] + amount
    self.frozenOf[holder] = frozen
    log Frozen(holder=holder, amount=amount, frozen=frozen)


@external
def unfreeze(holder: address, amount: uint256):
    """
    @notice Owner only: release `amount` of the holder's frozen shares (a removal reversed).
    """
    ow._check_owner()
    frozen: uint256 = self.frozenOf[holder]
    assert amount > 0 and amount <= frozen, "shares: amount is not frozen"
    self.frozenOf[holder] = frozen - amount
    log Unfrozen(holder=holder, amount=amount, frozen=frozen - amount)
