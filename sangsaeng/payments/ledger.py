"""Posting balanced journal entries and keeping cached balances true.

Why it is safe under concurrency:
- every entry is posted inside one transaction that inserts the entry (unique key), updates each
  touched account's cached balance with an F() expression, and inserts the lines;
- a debit of a wallet or hold account is a conditional UPDATE (`balance >= amount`), which on
  PostgreSQL re-evaluates the condition after waiting for the row lock and on SQLite runs under the
  IMMEDIATE write lock, so two debits can never both spend the same won;
- the CHECK constraint `payments_account_wallet_nonnegative` backs that up in the database itself;
- accounts are updated in primary-key order so two entries touching the same accounts can't deadlock;
- on PostgreSQL a deferred constraint trigger refuses to commit any entry whose lines don't sum to
  zero, and on both databases triggers make lines append-only (see migration 0002).
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Sum

from sangsaeng.payments import errors
from sangsaeng.payments.models import Account, JournalEntry, JournalLine

GUARDED = (Account.Kind.WALLET, Account.Kind.HOLD)

Lines = Sequence[tuple[Account, int]]
KEY_MAX = 300


def user_ref(user: Any) -> str:
    return f"user:{user.public_id}"


def account_get(*, kind: str, ref: str = "") -> Account:
    """The account of this kind for this ref, made on first use (safe against a concurrent maker)."""
    account = Account.objects.filter(kind=kind, ref=ref).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(kind=kind, ref=ref, public_id=uuid.uuid4())
    except IntegrityError:
        return Account.objects.get(kind=kind, ref=ref)


def wallet_account(user: Any) -> Account:
    return account_get(kind=Account.Kind.WALLET, ref=user_ref(user))


def hold_account(user: Any) -> Account:
    return account_get(kind=Account.Kind.HOLD, ref=user_ref(user))


def payable_account(payee_ref: str) -> Account:
    return account_get(kind=Account.Kind.PAYABLE, ref=payee_ref)


def system_account(kind: str) -> Account:
    return account_get(kind=kind, ref="")


def _fingerprint(kind: str, lines: Lines) -> str:
    parts = sorted(f"{account.kind}|{account.ref}|{amount}" for account, amount in lines)
    return hashlib.sha256("\n".join([kind, *parts]).encode()).hexdigest()


def _existing(key: str, fingerprint: str) -> JournalEntry:
    entry = JournalEntry.objects.get(key=key)
    if entry.fingerprint != fingerprint:
        raise errors.idempotency_conflict()
    return entry


def entry_post(
    *, key: str, kind: str, lines: Lines, memo: str = "", guard: Sequence[Account] = ()
) -> tuple[JournalEntry, bool]:
    """Post one balanced entry, or return the one already posted under `key` (created=False).

    Replaying a key with the same lines moves nothing; with different lines it is a conflict.
    A debit that would make a wallet or hold (or an account in `guard`) negative raises
    `insufficient_funds` and moves nothing.
    """
    if len(lines) < 2 or any(not isinstance(a, int) or isinstance(a, bool) or a == 0 for _, a in lines):
        raise ValueError("an entry needs at least two non-zero integer lines")
    if sum(amount for _, amount in lines) != 0:
        raise ValueError("an entry's lines must sum to zero")
    fingerprint = _fingerprint(kind, lines)
    if len(key) > KEY_MAX:  # a long caller key inside a namespaced key: keep it unique, within the column
        key = key[: KEY_MAX - 65] + "#" + hashlib.sha256(key.encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                entry = JournalEntry.objects.create(
                    key=key, fingerprint=fingerprint, kind=kind, memo=memo[:200], public_id=uuid.uuid4()
                )
        except IntegrityError:
            # A replay, or a concurrent request that posted the same key first and has committed.
            return _existing(key, fingerprint), False
        guarded = {account.pk for account in guard}
        deltas: dict[int, int] = defaultdict(int)
        kinds: dict[int, str] = {}
        for account, amount in lines:
            deltas[account.pk] += amount
            kinds[account.pk] = account.kind
        for account_id in sorted(deltas):
            delta = deltas[account_id]
            if delta == 0:
                continue
            rows = Account.objects.filter(pk=account_id)
            if (kinds[account_id] in GUARDED or account_id in guarded) and delta < 0:
                rows = rows.filter(balance__gte=-delta)
            if rows.update(balance=F("balance") + delta) != 1:
                raise errors.insufficient_funds(amount=-delta)
        JournalLine.objects.bulk_create(
            [JournalLine(entry=entry, account=account, amount=amount) for account, amount in lines]
        )
    return entry, True


def balance_of(account: Account) -> int:
    return int(Account.objects.values_list("balance", flat=True).get(pk=account.pk))


def ledger_audit() -> dict[str, Any]:
    """Check the ledger: every account's lines sum to its cached balance, every entry sums to zero,
    the whole ledger sums to zero, and no wallet or hold is negative. Returns the findings."""
    sums = dict(JournalLine.objects.values("account").annotate(s=Sum("amount")).values_list("account", "s"))
    mismatched = [
        {"account": f"{kind}:{ref}", "cached": balance, "lines": int(sums.get(pk) or 0)}
        for pk, kind, ref, balance in Account.objects.values_list("pk", "kind", "ref", "balance")
        if int(sums.get(pk) or 0) != balance
    ]
    unbalanced = list(
        JournalLine.objects.values("entry__key")
        .annotate(s=Sum("amount"))
        .exclude(s=0)
        .values_list("entry__key", flat=True)
    )
    total = int(JournalLine.objects.aggregate(s=Sum("amount"))["s"] or 0)
    cached_total = int(Account.objects.aggregate(s=Sum("balance"))["s"] or 0)
    negative = Account.objects.filter(kind__in=GUARDED, balance__lt=0).count()
    return {
        "ok": not mismatched and not unbalanced and total == 0 and cached_total == 0 and negative == 0,
        "accounts": Account.objects.count(),
        "entries": JournalEntry.objects.count(),
        "lines_total": total,
        "balances_total": cached_total,
        "mismatched_accounts": mismatched[:20],
        "unbalanced_entries": unbalanced[:20],
        "negative_wallets": negative,
    }
