"""The user's KRW wallet: balance, test top-ups and the virtual account number for bank top-ups."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction

from sangsaeng.payments import errors
from sangsaeng.payments.ledger import entry_post, system_account, user_ref, wallet_account
from sangsaeng.payments.models import Account, JournalEntry, VirtualAccount

VA_LENGTH = 14  # bank prefix (3) + 10 random digits + 1 check digit


def wallet_balance(*, user: Any) -> int:
    """The user's spendable balance in won (held money is not spendable)."""
    account = Account.objects.filter(kind=Account.Kind.WALLET, ref=user_ref(user)).only("balance").first()
    return account.balance if account else 0


def wallet_topup_test(*, user: Any, amount: int, idempotency_key: str) -> JournalEntry:
    """테스트 결제: add play money to the wallet, only where PAYMENTS_TEST_MODE is on (never in
    production). The same key tops up once."""
    amount = errors.amount_check(amount)
    key = errors.key_check(idempotency_key)
    if not settings.PAYMENTS_TEST_MODE:
        raise errors.method_disabled("test")
    entry, _ = entry_post(
        key=f"topup-test:{user_ref(user)}:{key}",
        kind="topup_test",
        lines=[(system_account(Account.Kind.TEST), -amount), (wallet_account(user), amount)],
        memo="테스트 충전",
    )
    return entry


def luhn_digit(digits: str) -> str:
    """The Luhn check digit for `digits`, so a mistyped account number is caught before matching."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def va_number_valid(number: str) -> bool:
    return len(number) == VA_LENGTH and number.isdigit() and luhn_digit(number[:-1]) == number[-1]


def va_format(number: str) -> str:
    return f"{number[:3]}-{number[3:9]}-{number[9:]}"


def virtual_account_get(*, user: Any) -> VirtualAccount:
    """The user's own deposit account number (made on first use): random, unique, check digit."""
    existing = VirtualAccount.objects.filter(user=user).first()
    if existing is not None:
        return existing
    prefix = str(settings.PAYMENTS_VA_PREFIX)[:3].rjust(3, "0")
    for _ in range(10):
        body = prefix + "".join(secrets.choice("0123456789") for _ in range(VA_LENGTH - 4))
        try:
            with transaction.atomic():
                return VirtualAccount.objects.create(user=user, number=body + luhn_digit(body))
        except IntegrityError:
            found = VirtualAccount.objects.filter(user=user).first()
            if found is not None:
                return found
    raise RuntimeError("could not find a free virtual account number")
