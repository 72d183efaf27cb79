# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ArtworkEditions
@notice Limited digital-art editions: ERC-721 (snekmate) with EIP-2981 royalties kept
        per drop. A drop has a hard supply cap that no mint can pass; editions of a drop
        are minted in batches. Token ids read as drop * 1_000_000 + edition number, so a
        token id alone tells which drop (and royalty) it belongs to.
"""

from snekmate.auth import ownable as ow
initializes: ow

from snekmate.tokens import erc721
initializes: erc721[ownable := ow]

exports: (
    ow.owner,
    erc721.name,
    erc721.symbol,
    erc721.balanceOf,
    erc721.ownerOf,
    erc721.approve,
    erc721.getApproved,
    erc721.setApprovalForAll,
    erc721.isApprovedForAll,
    erc721.transferFrom,
    erc721.safeTransferFrom,
    erc721.tokenURI,
    erc721.totalSupply,
    erc721.tokenByIndex,
    erc721.tokenOfOwnerByIndex,
    erc721.permit,
    erc721.nonces,
    erc721.DOMAIN_SEPARATOR,
    erc721.is_minter,
    erc721.set_minter,
    erc721.transfer_ownership,
    erc721.renounce_ownership,
)

EDITION_SPACE: public(constant(uint256)) = 1_000_000
FEE_DENOMINATOR: constant(uint256) = 10_000
MAX_BATCH: constant(uint256) = 100

_SUPPORTED_INTERFACES: constant(bytes4[5]) = [
    0x01FFC9A7, # ERC-165
    0x80AC58CD, # ERC-721
    0x5B5E139F, # ERC-721 metadata
    0x780E9D63, # ERC-721 enumeration
    0x2A55205A, # ERC-2981 royalties
]


struct Drop:
    cap: uint256
    minted: uint256
    royalty_receiver: address
    royalty_bps: uint256


drops: public(HashMap[uint256, Drop])
drop_count: public(uint256)


event DropCreated:
    drop_id: indexed(uint256)
    cap: uint256
    royalty_receiver: address
    royalty_bps: uint256


@deploy
def __init__(name_: String[25], symbol_: String[5], base_uri_: String[80]):
    ow.__init__()
    erc721.__init__(name_, symbol_, base_uri_, name_, "1")


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    return interface_id in _SUPPORTED_INTERFACES


@external
def create_drop(cap: uint256, royalty_receiver: address, royalty_bps: uint256) -> uint256:
    assert erc721.is_minter[msg.sender], "editions: caller is not a minter"
    assert cap > 0 and cap < EDITION_SPACE, "editions: cap out of range"
    assert royalty_bps <= FEE_DENOMINATOR, "editions: royalty above 100%"
    assert royalty_receiver != empty(address) or royalty_bps == 0, "editions: royalty receiver missing"
    drop_id: uint256 = self.drop_count + 1
    self.drop_count = drop_id
    self.drops[drop_id] = Drop(cap=cap, minted=0, royalty_receiver=royalty_receiver, royalty_bps=royalty_bps)
    log DropCreated(drop_id=drop_id, cap=cap, royalty_receiver=royalty_receiver, royalty_bps=royalty_bps)
    return drop_id


@external
def mint_batch(drop_id: uint256, recipients: DynArray[address, MAX_BATCH]) -> uint256:
    """
    @notice Mints one edition of `drop_id` to each recipient, in order, and returns the
            first token id. The whole batch reverts when it would pass the drop's cap.
    """
    assert erc721.is_minter[msg.sender], "editions: caller is not a minter"
    drop: Drop = self.drops[drop_id]
    assert drop.cap > 0, "editions: unknown drop"
    assert drop.minted + len(recipients) <= drop.cap, "editions: drop supply cap reached"
    first: uint256 = drop_id * EDITION_SPACE + drop.minted + 1
    token_id: uint256 = first
    for recipient: address in recipients:
        erc721._mint(recipient, token_id)
        token_id += 1
    self.drops[drop_id].minted = drop.minted + len(recipients)
    return first


@external
@view
def royaltyInfo(token_id: uint256, sale_price: uint256) -> (address, uint256):
    drop: Drop = self.drops[token_id // EDITION_SPACE]
    return (drop.royalty_receiver, sale_price * drop.royalty_bps // FEE_DENOMINATOR)
