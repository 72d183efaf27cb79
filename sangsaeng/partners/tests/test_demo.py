"""`sangsaeng demo`: a verified 상생마켓 channel with posts, followed by the demo user; twice adds nothing."""

from __future__ import annotations

import io

from django.core.management import call_command

from sangsaeng.accounts.selectors import user_get_by_email
from sangsaeng.partners import selectors
from sangsaeng.partners.models import Broadcast, InboxThread


def test_the_demo_channel_is_verified_and_followed(db):
    call_command("demo", stdout=io.StringIO())
    call_command("demo", stdout=io.StringIO())
    channel = selectors.channel_for_handle("sangsaeng-market")
    assert channel.name == "상생마켓" and channel.is_verified
    demo = user_get_by_email(email="demo@sangsaeng.kr")
    [follow] = selectors.follows_of(demo)
    assert follow.channel == channel and follow.marketing_consent_at is not None
    feed = [d.broadcast for d in selectors.feed_for(user=demo)]
    assert len(feed) == 3 and any(p.is_advertising and p.cards for p in feed)
    assert Broadcast.objects.filter(channel=channel, status="scheduled").count() == 1
    assert InboxThread.objects.filter(channel=channel, customer=demo).count() == 1
