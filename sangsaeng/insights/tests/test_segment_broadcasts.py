"""RFM segments as broadcast targets, through the real channel source: a channel's post to its
champions reaches its consented champions who follow with marketing consent, and nobody of another
channel's data."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.insights import bridge, compaction, selectors, services
from sangsaeng.insights.engine import SEGMENTS
from sangsaeng.partners import selectors as partners_selectors
from sangsaeng.partners import services as partners
from sangsaeng.partners.models import Delivery

pytestmark = pytest.mark.django_db


def _orders(ref: str, user, count: int, last_days_ago: int, tag: str) -> list[services.EventIn]:
    now = timezone.now()
    return [
        services.EventIn(
            name="order_paid",
            partner_ref=ref,
            occurred_at=now - timedelta(days=last_days_ago + k),
            order_ref=f"{tag}-{user.pk}-{k}",
            subject=services.subject_for(partner_ref=ref, user=user),
            gross=10_000 * count,
        )
        for k in range(count)
    ]


@pytest.fixture
def shops(alice, bob, django_user_model):
    """Two channels with the same five consented customers in reverse order: c4 and c3 are A's
    champions, c0 and c1 are B's. Plus `quiet`, A's best buyer, who never consented."""
    a = partners.channel_create(owner=alice, name="가게 A", handle="shop-a")
    b = partners.channel_create(owner=bob, name="가게 B", handle="shop-b")
    ref_a, ref_b = bridge.ref_for(a.public_id), bridge.ref_for(b.public_id)
    users = [
        django_user_model.objects.create_user(email=f"c{i}@example.com", password="x-Very-Long-1") for i in range(5)
    ]
    quiet = django_user_model.objects.create_user(email="quiet@example.com", password="x-Very-Long-1")
    events = _orders(ref_a, quiet, 9, 1, "qa")
    for i, user in enumerate(users):
        events += _orders(ref_a, user, i + 1, 5 - i, "a") + _orders(ref_b, user, 5 - i, 1 + i, "b")
        services.consent_grant(partner_ref=ref_a, user=user)
        services.consent_grant(partner_ref=ref_b, user=user)
    services.events_record(events)
    compaction.compact()
    return a, b, users, quiet


def _recipients(broadcast) -> set[str]:
    return set(Delivery.objects.filter(broadcast=broadcast).values_list("user__email", flat=True))


def test_a_post_to_champions_reaches_the_consented_champions_who_follow_with_marketing_consent(alice, bob, shops):
    # given: c4 follows A with consent, c3 (also a champion) without, c0 (B's champion) with,
    # and quiet (never consented to share their identity) with
    a, b, (c0, _c1, _c2, c3, c4), quiet = shops
    champions = selectors.segment_users(actor=alice, ref=bridge.ref_for(a.public_id), segment="champions")
    assert {u.email for u in champions} == {"c3@example.com", "c4@example.com"}
    theirs = selectors.segment_users(actor=bob, ref=bridge.ref_for(b.public_id), segment="champions")
    assert {u.email for u in theirs} == {"c0@example.com", "c1@example.com"}
    partners.channel_follow(user=c4, channel_id=a.public_id, marketing=True)
    partners.channel_follow(user=c3, channel_id=a.public_id)
    partners.channel_follow(user=c0, channel_id=a.public_id, marketing=True)
    partners.channel_follow(user=quiet, channel_id=a.public_id, marketing=True)
    noon = timezone.now().astimezone(services.KST).replace(hour=12)
    # when
    post = partners.broadcast_create(
        actor=alice, channel_id=a.public_id, text="챔피언 감사 쿠폰", segment="champions", now=noon
    )
    # then
    assert _recipients(post) == {"c4@example.com"}
    assert partners_selectors.broadcast_segment_size(post) == 2
    notice = partners.broadcast_create(
        actor=alice, channel_id=a.public_id, text="배송 안내", is_advertising=False, segment="champions", now=noon
    )
    assert _recipients(notice) == {"c3@example.com", "c4@example.com"}


def test_the_other_channels_staff_cannot_read_this_channels_segment(bob, shops):
    a, *_ = shops
    with pytest.raises(Problem) as refused:
        bridge.segment_members(bob, a.public_id, "champions")
    assert refused.value.status == 404


def test_every_rfm_segment_is_a_labelled_broadcast_target() -> None:
    assert tuple(selectors.SEGMENT_LABELS) == SEGMENTS
    assert dict(partners_selectors.segment_choices())["champions"] == "챔피언"


def test_the_customers_page_links_a_segment_to_the_broadcast_form(alice, shops):
    a, *_ = shops
    client = Client()
    client.force_login(alice)
    html = client.get(f"/insights/{bridge.ref_for(a.public_id)}/customers/?segment=champions").content.decode()
    assert f'href="/partners/{a.public_id}/broadcasts/?segment=champions"' in html
    assert "이 세그먼트에 소식 보내기" in html and "챔피언" in html
