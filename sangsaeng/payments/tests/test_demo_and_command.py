"""`sangsaeng demo` funds 김상생's wallet and settles yesterday; `sangsaeng payments ...` commands."""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from freezegun import freeze_time

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.payments import services
from sangsaeng.payments.models import Statement
from sangsaeng.payments.settlements import SEOUL, seoul_today

from .conftest import SHOP


def test_the_demo_user_has_a_funded_wallet_and_a_statement(db):
    # Pay's own demo step, twice (other apps' demo steps spend from the same wallet)
    from sangsaeng.core.demo import builders

    for _ in range(2):
        for builder in builders():
            if builder.name in ("accounts", "payments"):
                builder.build(lambda line: None)
    demo = user_get_by_email(email="demo@sangsaeng.kr")
    assert services.wallet_balance(user=demo) == 200_000 - 29_000 - 30_000
    assert services.virtual_account_get(user=demo).number.startswith("790")
    (statement,) = services.statement_list(actor=demo)
    assert statement.day == seoul_today() - timedelta(days=1)
    assert (statement.gross, statement.refunds, statement.platform_fee, statement.net) == (75_000, 5_000, 0, 70_000)
    assert services.ledger_audit()["ok"]


def test_the_audit_command_prints_the_audit(funded_alice):
    out = io.StringIO()
    call_command("payments", "audit", stdout=out)
    audit = json.loads(out.getvalue())
    assert audit["ok"] is True and audit["entries"] == 1


def test_settle_and_payout_commands(funded_alice):
    with freeze_time(datetime(2026, 11, 27, 10, 0, tzinfo=SEOUL)):
        services.payment_create(
            payer=funded_alice,
            payee_ref=SHOP,
            amount=8_000,
            method="wallet",
            purpose="귤",
            order_ref="",
            idempotency_key="k",
        )
    with freeze_time(datetime(2026, 11, 28, 10, 0, tzinfo=SEOUL)):
        out = io.StringIO()
        call_command("payments", "settle", stdout=out)
        call_command("payments", "settle", "--date", "2026-11-27", stdout=io.StringIO())
    assert (
        out.getvalue().strip()
        == f"2026-11-27 {SHOP} gross=8000 refunds=0 pg_fees=0 platform_fee=0 net=8000 payout=8000"
    )
    assert Statement.objects.count() == 1
    csv_out = io.StringIO()
    call_command("payments", "payouts-csv", stdout=csv_out)
    assert csv_out.getvalue().splitlines()[1].endswith(",8000,상생페이 2026-11-27 정산")


def test_import_statement_command_reports_bad_lines(alice, tmp_path):
    number = services.virtual_account_get(user=alice).number
    good = tmp_path / "good.csv"
    good.write_text(f"date,depositor,virtual_account,amount,bank_txn_id\n2026-11-30,앨리스,{number},9000,T1\n")
    out = io.StringIO()
    call_command("payments", "import-statement", str(good), stdout=out)
    assert out.getvalue().strip() == "imported=1 matched=1 unmatched=0 duplicates=0 amount=9000"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"date,depositor,virtual_account,amount,bank_txn_id\n2026-11-30,앨리스,{number},abc,T2\n")
    err = io.StringIO()
    with pytest.raises(CommandError, match="statement_invalid"):
        call_command("payments", "import-statement", str(bad), stdout=io.StringIO(), stderr=err)
    assert "line 2: amount" in err.getvalue()
    assert services.wallet_balance(user=alice) == 9_000


def test_the_health_check_runs_the_ledger_audit(funded_alice, client):
    r = client.get("/healthz")
    assert r.json()["checks"]["ledger"]["status"] == "ok"
    assert r.json()["checks"]["ledger"]["entries"] == 1
