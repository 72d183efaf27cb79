"""/api/v1/partners: success, bad input as problem+json, and 404 for everyone who isn't staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.test.client import MULTIPART_CONTENT
from django.utils import timezone

from sangsaeng.partners import services
from sangsaeng.partners.models import Broadcast, Channel, ChannelStaff, Follow
from sangsaeng.partners.tests.conftest import png

API = "/api/v1/partners"


def test_a_partner_opens_a_channel_and_posts_and_a_follower_sees_it(api_alice, api_bob, bob):
    # given
    answer = api_alice.post(f"{API}/channels", {"name": "상생마켓", "handle": "market", "description": "감귤"})
    assert answer.status_code == 201, answer.content
    channel_id = answer.json()["id"]
    assert api_bob.post(f"{API}/channels/{channel_id}/follow", {"marketing": True}).status_code == 200
    # when
    answer = api_alice.post(
        f"{API}/channels/{channel_id}/broadcasts",
        {
            "text": "주말 특가",
            "cards": [{"kind": "product", "title": "감귤 5kg", "url": "https://sangsaeng.kr/p/1", "price_krw": 19900}],
        },
    )
    # then
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["display_text"] == "(광고) 상생마켓\n주말 특가"
    assert body["stats"]["delivered"] == 1
    stats = api_alice.get(f"{API}/broadcasts/{body['id']}/stats").json()
    assert stats == {"delivered": 1, "opened": 0, "clicked": 0, "open_rate": 0.0, "click_rate": 0.0}
    follows = api_bob.get(f"{API}/follows").json()
    assert [f["handle"] for f in follows] == ["market"]
    assert follows[0]["marketing_consent_at"] is not None


@pytest.mark.parametrize(
    ("payload", "code", "status"),
    [
        ({"name": "채널", "handle": "a"}, "invalid_handle", 422),
        ({"name": "채널", "handle": "market"}, "handle_taken", 409),
        ({"name": "", "handle": "fresh"}, "missing_field", 422),
        ({"name": "채널", "handle": "fresh", "extra": 1}, "unknown_field", 422),
    ],
)
def test_bad_channel_input_is_a_problem(api_alice, channel, payload, code, status):
    answer = api_alice.post(f"{API}/channels", payload)
    assert answer.status_code == status
    assert answer["Content-Type"] == "application/problem+json"
    assert answer.json()["code"] == code
    assert Channel.objects.count() == 1


def test_oversized_and_fake_images_are_refused(api_alice, channel):
    with override_settings(PARTNERS_IMAGE_MAX_BYTES=200):
        big = SimpleUploadedFile("logo.png", png((200, 200), "red"), content_type="image/png")
        answer = api_alice.post(
            f"{API}/channels/{channel.public_id}/logo", {"image": big}, content_type=MULTIPART_CONTENT
        )
    assert (answer.status_code, answer.json()["code"]) == (413, "image_too_large")
    fake = SimpleUploadedFile("logo.png", b"GIF89a not really", content_type="image/png")
    answer = api_alice.post(f"{API}/channels/{channel.public_id}/logo", {"image": fake}, content_type=MULTIPART_CONTENT)
    assert (answer.status_code, answer.json()["code"]) == (422, "image_invalid")
    channel.refresh_from_db()
    assert channel.logo_type == ""
    good = SimpleUploadedFile("logo.png", png(), content_type="image/png")
    answer = api_alice.post(f"{API}/channels/{channel.public_id}/logo", {"image": good}, content_type=MULTIPART_CONTENT)
    assert answer.status_code == 200 and answer.json()["logo_url"] == "/c/market/logo"


def test_scheduling_in_the_past_is_a_problem(api_alice, channel):
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    answer = api_alice.post(f"{API}/channels/{channel.public_id}/broadcasts", {"text": "x", "scheduled_at": past})
    assert (answer.status_code, answer.json()["code"], answer.json()["field"]) == (
        422,
        "schedule_in_past",
        "scheduled_at",
    )
    assert Broadcast.objects.count() == 0


def test_schedule_then_cancel(api_alice, channel):
    later = (timezone.now() + timedelta(hours=3)).isoformat()
    body = api_alice.post(
        f"{API}/channels/{channel.public_id}/broadcasts", {"text": "예약", "scheduled_at": later}
    ).json()
    assert body["status"] == "scheduled"
    answer = api_alice.post(f"{API}/broadcasts/{body['id']}/cancel")
    assert answer.json()["status"] == "cancelled"
    assert api_alice.post(f"{API}/broadcasts/{body['id']}/cancel").json()["code"] == "broadcast_not_cancellable"


def test_consents_through_the_api(api_bob, channel):
    assert api_bob.put(f"{API}/channels/{channel.public_id}/consents", {"marketing": True}).json()["code"] == (
        "not_following"
    )
    api_bob.post(f"{API}/channels/{channel.public_id}/follow", {})
    answer = api_bob.put(f"{API}/channels/{channel.public_id}/consents", {"night": True})
    assert answer.json()["code"] == "night_requires_marketing"
    body = api_bob.put(f"{API}/channels/{channel.public_id}/consents", {"marketing": True, "night": True}).json()
    assert body["night_consent_at"] is not None
    assert api_bob.delete(f"{API}/channels/{channel.public_id}/follow").status_code == 204
    assert Follow.objects.count() == 0


@pytest.fixture
def scheduled(alice, channel):
    return services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="예약", scheduled_at=timezone.now() + timedelta(hours=2)
    )


def test_non_staff_get_404_on_every_object_endpoint_and_nothing_changes(api_bob, bob, channel, scheduled):
    cid, bid = channel.public_id, scheduled.public_id
    staff_id = ChannelStaff.objects.get(channel=channel).public_id
    calls = [
        ("get", f"{API}/channels/{cid}", None),
        ("patch", f"{API}/channels/{cid}", {"name": "뺏은 채널"}),
        ("get", f"{API}/channels/{cid}/staff", None),
        ("post", f"{API}/channels/{cid}/staff", {"email": bob.email, "role": "owner"}),
        ("delete", f"{API}/channels/{cid}/staff/{staff_id}", None),
        ("get", f"{API}/channels/{cid}/broadcasts", None),
        ("post", f"{API}/channels/{cid}/broadcasts", {"text": "스팸"}),
        ("get", f"{API}/broadcasts/{bid}", None),
        ("get", f"{API}/broadcasts/{bid}/stats", None),
        ("post", f"{API}/broadcasts/{bid}/cancel", None),
        ("get", f"{API}/channels/{cid}/inbox", None),
        ("put", f"{API}/channels/{cid}/verification", {"verified": True}),
    ]
    for method, url, data in calls:
        answer = getattr(api_bob, method)(url, data) if data is not None else getattr(api_bob, method)(url)
        assert (method, url, answer.status_code, answer.json()["code"]) == (method, url, 404, "not_found")
    channel.refresh_from_db()
    scheduled.refresh_from_db()
    assert channel.name == "상생마켓" and channel.verified_at is None
    assert scheduled.status == "scheduled"
    assert Broadcast.objects.count() == 1
    assert list(ChannelStaff.objects.values_list("user__email", "role")) == [("alice@example.com", "owner")]
    assert api_bob.get(f"{API}/channels").json() == []


def test_anonymous_callers_are_refused(anon_api, channel):
    assert anon_api.get(f"{API}/channels/{channel.public_id}").status_code == 401


def test_public_reads_by_handle_and_my_feed(api_alice, api_bob, alice, bob, channel):
    services.channel_follow(user=bob, channel_id=channel.public_id)
    services.broadcast_create(actor=alice, channel_id=channel.public_id, text="공지", is_advertising=False)
    assert api_bob.get(f"{API}/handles/market").json()["id"] == str(channel.public_id)
    assert [p["text"] for p in api_bob.get(f"{API}/handles/market/posts").json()] == ["공지"]
    assert [p["text"] for p in api_bob.get(f"{API}/feed").json()] == ["공지"]
    assert api_alice.get(f"{API}/feed").json() == []
    assert api_bob.get(f"{API}/handles/nobody").json()["code"] == "not_found"


def test_images_are_added_before_the_post_goes_and_not_after(api_alice, api_bob, scheduled, alice, channel):
    url = f"{API}/broadcasts/{scheduled.public_id}/images"
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    assert api_bob.post(url, {"image": upload}, content_type=MULTIPART_CONTENT).status_code == 404
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    answer = api_alice.post(url, {"image": upload}, content_type=MULTIPART_CONTENT)
    assert (answer.status_code, answer.json()["images"]) == (201, 1)
    sent = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="바로 발송")
    upload = SimpleUploadedFile("a.png", png(), content_type="image/png")
    answer = api_alice.post(
        f"{API}/broadcasts/{sent.public_id}/images", {"image": upload}, content_type=MULTIPART_CONTENT
    )
    assert answer.json()["code"] == "broadcast_not_editable"
    assert sent.images.count() == 0


def test_a_retried_post_with_the_same_idempotency_key_creates_one_broadcast(api_alice, channel):
    headers = {"Idempotency-Key": "post-once-1"}
    first = api_alice.post(f"{API}/channels/{channel.public_id}/broadcasts", {"text": "한 번만"}, headers=headers)
    again = api_alice.post(f"{API}/channels/{channel.public_id}/broadcasts", {"text": "한 번만"}, headers=headers)
    assert first.json()["id"] == again.json()["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Broadcast.objects.count() == 1


def test_the_worker_runs_the_broadcast_job():
    from sangsaeng.core import periodic
    from sangsaeng.partners.broadcasts import broadcasts_send_due

    assert periodic._JOBS["partners_broadcasts"] is broadcasts_send_due
