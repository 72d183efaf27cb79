# pragma version ~=0.4.3
# pragma evm-version cancun
"""
@title ProductPassport
@notice Authenticity certificates as ERC-721 tokens (snekmate). The contract owner
        appoints issuers per brand; an issuer can only issue under its own brands. Each
        passport stores the keccak-256 hash of its off-chain metadata, so anyone can check
        the document a page shows. Owners transfer passports freely; for a short window
        after issuance the brand's issuers can move a passport (a mis-addressed or
        disputed issuance) without the holder's consent. After the window, only the
        holder moves it.
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
    erc721.transfer_ownership,
)

_SUPPORTED_INTERFACES: constant(bytes4[4]) = [
    0x01FFC9A7, # ERC-165
    0x80AC58CD, # ERC-721
    0x5B5E139F, # ERC-721 metadata
    0x780E9D63, # ERC-721 enumeration
]

recovery_window: public(immutable(uint256))
is_issuer: public(HashMap[bytes32, HashMap[address, bool]])
brand_of: public(HashMap[uint256, bytes32])
metadata_hash: public(HashMap[uint256, bytes32])
issued_at: public(HashMap[uint256, uint256])


event IssuerChanged:
    brand: indexed(bytes32)
    issuer: indexed(address)
    status: bool


event PassportIssued:
    token_id: indexed(uint256)
    brand: indexed(bytes32)
    metadata_hash: bytes32


event PassportRecovered:
    token_id: indexed(uint256)
    issuer: indexed(address)
    previous_owner: address
    new_owner: address


event MetadataUpdated:
    token_id: indexed(uint256)
    metadata_hash: bytes32


@deploy
def __init__(name_: String[25], symbol_: String[5], base_uri_: String[80], recovery_window_: uint256):
    ow.__init__()
    erc721.__init__(name_, symbol_, base_uri_, name_, "1")
    recovery_window = recovery_window_


@external
@view
def supportsInterface(interface_id: bytes4) -> bool:
    return interface_id in _SUPPORTED_INTERFACES


@external
def set_issuer(brand: bytes32, issuer: address, status: bool):
    ow._check_owner()
    assert brand != empty(bytes32), "passport: empty brand"
    assert issuer != empty(address), "passport: issuer is the zero address"
    self.is_issuer[brand][issuer] = status
    log IssuerChanged(brand=brand, issuer=issuer, status=status)


@external
def issue(brand: bytes32, to: address, token_id: uint256, metadata_hash_: bytes32):
    assert self.is_issuer[brand][msg.sender], "passport: caller is not an issuer of this brand"
    erc721._mint(to, token_id)
    self.brand_of[token_id] = brand
    self.metadata_hash[token_id] = metadata_hash_
    self.issued_at[token_id] = block.timestamp
    log PassportIssued(token_id=token_id, brand=brand, metadata_hash=metadata_hash_)


@external
def update_metadata(token_id: uint256, metadata_hash_: bytes32):
    erc721._require_minted(token_id)
    assert self.is_issuer[self.brand_of[token_id]][msg.sender], "passport: caller is not an issuer of this brand"
    self.metadata_hash[token_id] = metadata_hash_
    log MetadataUpdated(token_id=token_id, metadata_hash=metadata_hash_)


@external
def recover(token_id: uint256, to: address):
    """
    @notice Moves a passport on an issuer's authority, only within the recovery window.
    """
    erc721._require_minted(token_id)
    assert self.is_issuer[self.brand_of[token_id]][msg.sender], "passport: caller is not an issuer of this brand"
    assert block.timestamp <= self.issued_at[token_id] + recovery_window, "passport: recovery window has closed"
    holder: address = erc721._owner_of(token_id)
    erc721._transfer(holder, to, token_id)
    log PassportRecovered(token_id=token_id, issuer=msg.sender, previous_owner=holder, new_owner=to)
