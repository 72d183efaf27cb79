# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ContributionShares
@notice ERC-20 shares that LM commons contributors earn. Only accounts holding the
        minter role (the platform relayer) can mint; the owner grants and revokes it.
        Holders may transfer, burn and use EIP-2612 permits (snekmate's ERC-20).
"""

from snekmate.auth import ownable as ow
initializes: ow

from snekmate.tokens import erc20
initializes: erc20[ownable := ow]

exports: erc20.__interface__


@deploy
def __init__(name_: String[25], symbol_: String[5], name_eip712_: String[50], version_eip712_: String[20]):
    ow.__init__()
    erc20.__init__(name_, symbol_, 18, name_eip712_, version_eip712_)
