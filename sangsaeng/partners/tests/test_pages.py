"""Pages: the public channel page, my feed, tracked post views and links, and the console's 404s."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangsaeng.partners import services
from sangsaeng.partners.models import Broadcast, Channel, ChannelStaff, Delivery, Follow


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def posted(alice, bob, channel):
    services.channel_follow(user=bob, channel_id=channel.public_id, marketing=True, night=True)
    cards = [{"kind": "product", "title": "한라봉 3kg", "url": "https://shop.example/p/1", "price_krw": 29900}]
    return services.broadcast_create(actor=alice, channel_id=channel.public_id, text="한라봉 입고", cards=cards)


def test_the_channel_page_shows_posts_badge_and_follow_button(client, channel, posted):
    Channel.objects.filter(pk=channel.pk).update(verified_at=timezone.now())
    html = client.get("/c/market/").content.decode()
    assert "상생마켓" in html and "인증 채널" in html
    assert "(광고) 상생마켓" in html and "한라봉 입고" in html
    assert "29,900" in html


def test_a_follower_sees_the_post_in_the_feed_and_opens_and_clicks_it(bob, channel, posted):
    client = _client(bob)
    assert "한라봉 입고" in client.get("/c/").content.decode()
    client.get(f"/c/market/p/{posted.public_id}/")
    answer = client.get(f"/c/market/p/{posted.public_id}/go/0")
    assert (answer.status_code, answer["Location"]) == (302, "https://shop.example/p/1")
    posted.refresh_from_db()
    assert (posted.delivered_count, posted.open_count, posted.click_count) == (1, 1, 1)
    assert Delivery.objects.get(broadcast=posted, user=bob).clicked_at is not None


def test_follow_and_consent_forms(charlie, channel):
    client = _client(charlie)
    client.post("/c/market/follow", {"action": "follow"})
    client.post("/c/market/consents", {"marketing": "on"})
    follow = Follow.objects.get(user=charlie)
    assert follow.marketing_consent_at is not None and follow.night_consent_at is None
    client.post("/c/market/follow", {"action": "unfollow"})
    assert not Follow.objects.filter(user=charlie).exists()


def test_a_partner_opens_a_channel_and_posts_from_the_console(bob):
    client = _client(bob)
    answer = client.post("/partners/", {"name": "한라봉농장", "handle": "hallabong", "description": "제주"})
    channel = Channel.objects.get(handle="hallabong")
    assert answer["Location"] == f"/partners/{channel.public_id}/"
    answer = client.post(f"/partners/{channel.public_id}/broadcasts/", {"text": "수확 시작", "is_advertising": ""})
    post = Broadcast.objects.get(channel=channel)
    assert answer["Location"] == f"/partners/{channel.public_id}/broadcasts/{post.public_id}/"
    assert post.is_advertising is False and post.status == "sent"
    assert "수확 시작" in client.get(answer["Location"]).content.decode()


def test_a_taken_handle_shows_the_form_again(bob, channel):
    answer = _client(bob).post("/partners/", {"name": "가짜 마켓", "handle": "market"})
    assert answer.status_code == 400
    assert "이미 사용 중인 채널 주소입니다." in answer.content.decode()


def test_the_console_is_404_for_non_staff_and_nothing_changes(bob, channel, alice):
    later = timezone.now() + timedelta(hours=2)
    post = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="예약", scheduled_at=later)
    owner = ChannelStaff.objects.get(channel=channel)
    client = _client(bob)
    base = f"/partners/{channel.public_id}"
    for url in (
        f"{base}/",
        f"{base}/staff/",
        f"{base}/broadcasts/",
        f"{base}/broadcasts/{post.public_id}/",
        f"{base}/inbox/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"{base}/", {"name": "탈취", "handle": "market"}).status_code == 404
    assert client.post(f"{base}/broadcasts/", {"text": "스팸"}).status_code == 404
    assert client.post(f"{base}/broadcasts/{post.public_id}/cancel").status_code == 404
    assert client.post(f"{base}/staff/", {"email": bob.email, "role": "owner"}).status_code == 404
    assert client.post(f"{base}/staff/{owner.public_id}/remove").status_code == 404
    assert client.post("/c/market/verify", {"verified": "1"}).status_code == 404
    channel.refresh_from_db()
    post.refresh_from_db()
    assert channel.name == "상생마켓" and channel.verified_at is None
    assert post.status == "scheduled" and Broadcast.objects.count() == 1
    assert ChannelStaff.objects.filter(channel=channel).count() == 1


def test_a_broadcast_of_one_channel_is_not_reachable_through_another(alice, channel):
    mine = services.channel_create(owner=alice, name="두번째", handle="second")
    post = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="x")
    assert _client(alice).get(f"/partners/{mine.public_id}/broadcasts/{post.public_id}/").status_code == 404


def test_unsent_posts_are_not_public(client, alice, channel):
    later = timezone.now() + timedelta(hours=2)
    post = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="비밀 예약", scheduled_at=later)
    assert client.get(f"/c/market/p/{post.public_id}/").status_code == 404
    assert "비밀 예약" not in client.get("/c/market/").content.decode()


def test_the_channel_page_speaks_english(client, bob, channel):
    client.force_login(bob)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/c/market/").content.decode()
    assert "Follow" in html and "No posts yet." in html
    assert "친구 추가" not in html
