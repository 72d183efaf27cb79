"""Customers appear by name only with consent; RFM segments; the weekly report mail."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core import mail

from sangsaeng.insights import compaction, exports, selectors, services
from sangsaeng.insights.models import WeeklyReport
from sangsaeng.insights.tests.conftest import PARTNER_A

pytestmark = pytest.mark.django_db


def order(user, n: int, day: int, gross: int) -> services.EventIn:
    return services.EventIn(
        name="order_paid",
        partner_ref=PARTNER_A,
        occurred_at=datetime(2026, 11, day, 12, tzinfo=services.KST),
        order_ref=f"o{n}",
        subject=services.subject_for(partner_ref=PARTNER_A, user=user),
        gross=gross,
    )


def test_only_consented_customers_are_named(staff, alice, bob, django_user_model) -> None:
    carol = django_user_model.objects.create_user(email="carol@example.com", password="x-Very-Long-1")
    services.events_record([order(bob, 1, 2, 50_000), order(bob, 2, 9, 70_000), order(carol, 3, 3, 9_000)])
    compaction.compact()
    assert selectors.customers(actor=alice, ref=PARTNER_A) == []  # nobody consented yet

    services.consent_grant(partner_ref=PARTNER_A, user=bob)
    rows = selectors.customers(actor=alice, ref=PARTNER_A, as_of=datetime(2026, 11, 10).date())
    assert [(r["email"], r["frequency"], r["monetary"], r["recency_days"]) for r in rows] == [
        ("bob@example.com", 2, 120_000, 1)
    ]
    assert "carol" not in exports.customers_csv(actor=alice, ref=PARTNER_A)

    services.consent_revoke(partner_ref=PARTNER_A, user=bob)
    assert selectors.customers(actor=alice, ref=PARTNER_A) == []


def test_pseudonyms_differ_per_partner(bob) -> None:
    a = services.subject_for(partner_ref=PARTNER_A, user=bob)
    assert a == services.subject_for(partner_ref=PARTNER_A, user=bob)
    assert a != services.subject_for(partner_ref="test:other", user=bob)
    assert str(bob.public_id) not in a and bob.email not in a


def test_segments_are_broadcast_targets(staff, alice, django_user_model) -> None:
    users = [
        django_user_model.objects.create_user(email=f"c{i}@example.com", password="x-Very-Long-1") for i in range(10)
    ]
    events, n = [], 0
    for i, user in enumerate(users):
        for k in range(1 + i // 2):  # later users order more often and more recently
            n += 1
            events.append(order(user, n, min(28, 1 + i * 2 + k), 10_000 * (i + 1)))
        services.consent_grant(partner_ref=PARTNER_A, user=user)
    services.events_record(events)
    compaction.compact()
    rows = selectors.customers(actor=alice, ref=PARTNER_A, as_of=datetime(2026, 11, 28).date())
    by_email = {r["email"]: r for r in rows}
    assert by_email["c9@example.com"]["segment"] == "champions"
    assert by_email["c0@example.com"]["segment"] == "hibernating"
    champions = selectors.segment_users(actor=alice, ref=PARTNER_A, segment="champions")
    assert {u.email for u in champions} == {r["email"] for r in rows if r["segment"] == "champions"}


def test_customer_csv_neutralises_formulas(staff, alice, django_user_model) -> None:
    user = django_user_model.objects.create_user(email="=cmd@example.com", password="x-Very-Long-1")
    services.events_record([order(user, 1, 2, 1000)])
    services.consent_grant(partner_ref=PARTNER_A, user=user)
    compaction.compact()
    assert "'=cmd@example.com" in exports.customers_csv(actor=alice, ref=PARTNER_A)


def test_weekly_report_goes_once_on_monday(staff) -> None:
    services.events_record(
        [
            services.EventIn(
                name="order_paid",
                partner_ref=PARTNER_A,
                order_ref="w1",
                gross=42_000,
                occurred_at=datetime(2026, 11, 25, 12, tzinfo=services.KST),
            )
        ]
    )
    compaction.compact()
    sunday = datetime(2026, 11, 29, 9, tzinfo=services.KST)
    monday = datetime(2026, 11, 30, 9, tzinfo=services.KST)
    assert exports.weekly_reports_send(now=sunday) == 0
    assert exports.weekly_reports_send(now=monday) == 2
    assert exports.weekly_reports_send(now=monday) == 0
    a_mail = next(m for m in mail.outbox if m.to == ["a-staff@example.com"])
    assert "42,000원" in a_mail.body and "2026-11-23" in a_mail.subject
    assert WeeklyReport.objects.count() == 2
