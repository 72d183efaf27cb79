"""The store's money in Pay: the channel's daily statement shows the platform fee at 0."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from freezegun import freeze_time

from sangsaeng.commerce import services
from sangsaeng.commerce.tests.conftest import buy

SEOUL = ZoneInfo("Asia/Seoul")


def test_the_channels_statement_shows_a_zero_platform_fee(alice, buyer, channel, store, variant):
    from sangsaeng.payments import services as payments

    # given a sale and a partial refund on 27 November (Seoul)
    with freeze_time(datetime(2026, 11, 27, 14, 0, tzinfo=SEOUL)):
        order = buy(buyer, store, variant, quantity=3)
        services.order_refund_partial(actor=alice, order_id=order.public_id, amount=6_000, reason="파손", key="r")
    # when the day is settled
    with freeze_time(datetime(2026, 11, 28, 9, 0, tzinfo=SEOUL)):
        ref = f"channel:{channel.public_id}"
        statement = payments.statement_generate(payee_ref=ref, day=datetime(2026, 11, 27).date())
        # then the store's staff see it, with no platform fee
        assert [s.pk for s in payments.statement_list(actor=alice, payee_ref=ref)] == [statement.pk]
    assert statement.platform_fee == 0
    assert statement.gross == 36_000 and statement.refunds == 6_000
    assert statement.net == 30_000 - statement.pg_fees
