"""Custodial wallets: one key per user, made when first needed, sealed at rest.

The private key is stored only as a core.crypto envelope whose context names the wallet's
address, so a sealed key copied onto another row does not open. Users may take their key out
(after typing their password again) and may link an address they control, proven by an EIP-191
signature over a one-time challenge, to withdraw tokens to.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from eth_account import Account
from eth_account.messages import encode_defunct

from sangsaeng.chain.gateway import address_parse
from sangsaeng.chain.models import Wallet
from sangsaeng.core.audit import audit_record
from sangsaeng.core.crypto import decrypt_text, encrypt_text
from sangsaeng.core.errors import Problem


def _context(address: str) -> str:
    return f"chain.Wallet.private_key:{address.lower()}"


def wallet_get_or_create(*, user: Any) -> Wallet:
    """The user's custodial wallet, created on first need."""
    wallet = Wallet.objects.filter(user=user).first()
    if wallet is not None:
        return wallet
    account = Account.create()
    try:
        with transaction.atomic():
            return Wallet.objects.create(
                user=user,
                address=account.address,
                encrypted_key=encrypt_text("0x" + bytes(account.key).hex(), context=_context(account.address)),
                link_nonce=secrets.token_hex(16),
            )
    except IntegrityError:  # a concurrent first need made it
        return Wallet.objects.get(user=user)


def wallet_private_key(*, wallet: Wallet) -> str:
    """Open the sealed key; only the signing code and a re-authenticated export call this."""
    return decrypt_text(wallet.encrypted_key, context=_context(wallet.address))


def wallet_export(*, user: Any, password: str, request: HttpRequest | None = None) -> str:
    """Hand the user their private key after they type their password again."""
    encoded = getattr(user, "password", "")
    if not password or not check_password(password, encoded):
        audit_record(action="chain.wallet_export_denied", actor=user, request=request)
        raise Problem(
            code="reauthentication_failed",
            status=403,
            ko="비밀번호가 맞지 않습니다. 키를 내보내려면 비밀번호를 다시 입력하세요.",
            en="The password is wrong; enter it again to export the key.",
            field="password",
        )
    wallet = wallet_get_or_create(user=user)
    wallet.exported_at = timezone.now()
    wallet.save(update_fields=["exported_at", "updated_at"])
    audit_record(action="chain.wallet_exported", actor=user, request=request, target=wallet.address)
    return wallet_private_key(wallet=wallet)


def link_message(*, wallet: Wallet) -> str:
    """The text the external wallet signs (EIP-191 personal_sign); the nonce makes each one single-use."""
    return f"상생 지갑 연결 / sangsaeng wallet link\ncustodial: {wallet.address}\nnonce: {wallet.link_nonce}"


def wallet_link_challenge(*, user: Any) -> tuple[Wallet, str]:
    wallet = wallet_get_or_create(user=user)
    if not wallet.link_nonce:
        wallet.link_nonce = secrets.token_hex(16)
        wallet.save(update_fields=["link_nonce", "updated_at"])
    return wallet, link_message(wallet=wallet)


def wallet_link(*, user: Any, address: str, signature: str, request: HttpRequest | None = None) -> Wallet:
    """Link `address` after checking its EIP-191 signature over the current challenge."""
    target = address_parse(address)
    wallet, message = wallet_link_challenge(user=user)
    try:
        signer = Account.recover_message(encode_defunct(text=message), signature=signature)
    except Exception as exc:  # malformed signature bytes, bad v/r/s
        raise _bad_signature() from exc
    if signer.lower() != target.lower():
        raise _bad_signature()
    with transaction.atomic():
        wallet.linked_address = target
        wallet.linked_at = timezone.now()
        wallet.link_nonce = secrets.token_hex(16)
        wallet.save(update_fields=["linked_address", "linked_at", "link_nonce", "updated_at"])
        audit_record(action="chain.wallet_linked", actor=user, request=request, target=target)
    return wallet


def _bad_signature() -> Problem:
    return Problem(
        code="bad_signature",
        status=400,
        ko="서명이 이 주소로 연결 메시지에 서명한 것이 아닙니다.",
        en="The signature is not this address's signature of the link message.",
        field="signature",
    )
