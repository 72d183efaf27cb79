"""Pay's public operations: other apps (commerce, drops, the LM commons) import these and selectors.

All amounts are integer won. Every function that moves money takes an idempotency key: a replay
returns the first result and moves nothing; the same key with other parameters is a 409.
"""

from __future__ import annotations

from sangsaeng.payments.access import payee_access_register, payee_refs_for
from sangsaeng.payments.bank import bank_deposit_assign, bank_deposit_confirm, bank_statement_import
from sangsaeng.payments.commons import commons_dividend_pay, commons_pool_balance, commons_pool_fund, lm_revenue_book
from sangsaeng.payments.holds import hold_capture, hold_place, hold_release, transfer
from sangsaeng.payments.ledger import ledger_audit, user_ref
from sangsaeng.payments.payment import (
    PAYMENT_PAID,
    access_payment,
    method_enabled,
    payment_confirm_card,
    payment_confirm_test,
    payment_create,
    payment_fail,
)
from sangsaeng.payments.refunds import access_payment_as_payee, refund
from sangsaeng.payments.settlements import (
    access_statement,
    payee_bank_account_set,
    payout_export_csv,
    settle_day,
    statement_generate,
    statement_list,
)
from sangsaeng.payments.wallet import virtual_account_get, wallet_balance, wallet_topup_test

__all__ = [
    "PAYMENT_PAID",
    "access_payment",
    "access_payment_as_payee",
    "access_statement",
    "bank_deposit_assign",
    "bank_deposit_confirm",
    "bank_statement_import",
    "commons_dividend_pay",
    "commons_pool_balance",
    "commons_pool_fund",
    "hold_capture",
    "hold_place",
    "hold_release",
    "ledger_audit",
    "lm_revenue_book",
    "method_enabled",
    "payee_access_register",
    "payee_bank_account_set",
    "payee_refs_for",
    "payment_confirm_card",
    "payment_confirm_test",
    "payment_create",
    "payment_fail",
    "payout_export_csv",
    "refund",
    "settle_day",
    "statement_generate",
    "statement_list",
    "transfer",
    "user_ref",
    "virtual_account_get",
    "wallet_balance",
    "wallet_topup_test",
]
