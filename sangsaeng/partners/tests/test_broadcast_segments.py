"""A broadcast for a customer segment: only the segment's followers, under the same consent and
quiet-hour rules, with the members fixed when it is written; bad segments store nothing.

The segments here come from a stand-in provider, put in the same registry insights uses (and
restored by monkeypatch); insights' own RFM segments are tested in insights/tests.
"""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.core.errors import Problem
from sangsaeng.partners import audiences, services
from sangsaeng.partners.models import Broadcast, BroadcastTarget, Delivery
from sangsaeng.partners.tests.conftest import kst

API = "/api/v1/partners"


@pytest.fixture
def vip(monkeypatch):
    """A registry with one provider: segment `vip` = the users listed per channel; calls are recorded."""
    members: dict[object, set[int]] = {}
    calls: list[tuple[object, object, str]] = []

    def lookup(actor, channel_id, segment):
        calls.append((actor, channel_id, segment))
        return list(members.get(channel_id, set()))

    provider = audiences.AudienceProvider(name="test", segments={"vip": "VIP 고객"}, members=lookup)
    monkeypatch.setattr(audiences, "_PROVIDERS", {"test": provider})
    return members, calls


@pytest.fixture
def people(channel, make_user):
    """Followers with every consent mix, an outsider follower, and a segment member who doesn't follow."""
    plain, marketing, night, outsider, stranger = (
        make_user(n) for n in ("plain", "marketing", "night", "outsider", "stranger")
    )
    services.channel_follow(user=plain, channel_id=channel.public_id)
    services.channel_follow(user=marketing, channel_id=channel.public_id, marketing=True)
    services.channel_follow(user=night, channel_id=channel.public_id, marketing=True, night=True)
    services.channel_follow(user=outsider, channel_id=channel.public_id, marketing=True, night=True)
    return {"plain": plain, "marketing": marketing, "night": night, "outsider": outsider, "stranger": stranger}


def _recipients(broadcast):
    return set(Delivery.objects.filter(broadcast=broadcast).values_list("user__email", flat=True))


def test_an_advertisement_to_a_segment_reaches_only_its_consented_followers(alice, channel, people, vip):
    # given: the segment holds every follower but the outsider, and someone who doesn't follow
    members, calls = vip
    members[channel.public_id] = {people[n].pk for n in ("plain", "marketing", "night", "stranger")}
    # when
    b = services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="VIP 감사 쿠폰", segment="vip", now=kst(1, 12)
    )
    # then: marketing consent still decides; the outsider and the stranger get nothing
    assert _recipients(b) == {people["marketing"].email, people["night"].email}
    assert (b.segment, b.delivered_count, b.targets.count()) == ("vip", 2, 4)
    assert calls == [(alice, channel.public_id, "vip")]


def test_a_notice_to_a_segment_reaches_every_follower_in_it(alice, channel, people, vip):
    members, _ = vip
    members[channel.public_id] = {people["plain"].pk, people["stranger"].pk}
    b = services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="배송 안내", is_advertising=False, segment="vip", now=kst(1, 23)
    )
    assert _recipients(b) == {people["plain"].email}


def test_a_segment_advertisement_at_night_waits_for_8_and_keeps_its_members(alice, channel, people, vip):
    # given: scheduled for 22:30 to the segment {plain, marketing, night}
    members, _ = vip
    members[channel.public_id] = {people[n].pk for n in ("plain", "marketing", "night")}
    b = services.broadcast_create(
        actor=alice,
        channel_id=channel.public_id,
        text="야간 VIP 특가",
        segment="vip",
        scheduled_at=kst(1, 22, 30),
        now=kst(1, 18),
    )
    # the segment changes after the post was written: it must not matter
    members[channel.public_id] = {people["outsider"].pk}
    # when / then: at 22:30 only the night-consented member; the outsider (night consent) never
    assert services.broadcasts_send_due(now=kst(1, 22, 30)) == 1
    b.refresh_from_db()
    assert _recipients(b) == {people["night"].email}
    assert b.status == Broadcast.Status.WAITING
    assert services.broadcasts_send_due(now=kst(2, 8)) == 1
    b.refresh_from_db()
    assert _recipients(b) == {people["night"].email, people["marketing"].email}
    assert b.status == Broadcast.Status.SENT


def test_an_empty_segment_is_stored_and_reaches_nobody(alice, channel, people, vip):
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="쿠폰", segment="vip", now=kst(1, 12))
    assert (b.segment, b.delivered_count, b.targets.count(), _recipients(b)) == ("vip", 0, 0, set())


@pytest.mark.parametrize("segment", ["champions-of-everything", "VIP", "x" * 31])
def test_an_unknown_segment_is_refused_and_stores_nothing(alice, channel, people, vip, segment):
    with pytest.raises(Problem) as refused:
        services.broadcast_create(actor=alice, channel_id=channel.public_id, text="쿠폰", segment=segment)
    assert (refused.value.code, refused.value.status, refused.value.field) == ("unknown_segment", 422, "segment")
    assert Broadcast.objects.count() == 0 and BroadcastTarget.objects.count() == 0 and Delivery.objects.count() == 0
    assert vip[1] == []


def test_a_segment_of_another_users_channel_is_404_and_the_provider_is_never_asked(alice, bob, channel, people, vip):
    members, calls = vip
    members[channel.public_id] = {people["marketing"].pk}
    with pytest.raises(Problem) as refused:
        services.broadcast_create(actor=bob, channel_id=channel.public_id, text="가로채기", segment="vip")
    assert refused.value.status == 404
    assert calls == [] and Broadcast.objects.count() == 0 and Delivery.objects.count() == 0


def test_a_channel_only_gets_the_members_of_its_own_segment(alice, bob, channel, people, make_user, vip):
    # given: bob's channel has its own vip, who also follows alice's channel with consent
    members, calls = vip
    theirs = services.channel_create(owner=bob, name="옆가게", handle="nextdoor")
    their_vip = make_user("theirs")
    services.channel_follow(user=their_vip, channel_id=channel.public_id, marketing=True)
    members[theirs.public_id] = {their_vip.pk}
    members[channel.public_id] = {people["marketing"].pk}
    # when
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="쿠폰", segment="vip", now=kst(1, 12))
    # then
    assert _recipients(b) == {people["marketing"].email}
    assert calls == [(alice, channel.public_id, "vip")]


def test_the_api_posts_to_a_segment_and_lists_segments(api_alice, channel, people, vip):
    members, _ = vip
    members[channel.public_id] = {people["marketing"].pk, people["stranger"].pk}
    assert api_alice.get(f"{API}/segments").json() == [{"key": "vip", "label": "VIP 고객"}]
    answer = api_alice.post(f"{API}/channels/{channel.public_id}/broadcasts", {"text": "쿠폰", "segment": "vip"})
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["segment"], body["segment_size"], body["stats"]["delivered"]) == ("vip", 2, 1)
    plain = api_alice.post(f"{API}/channels/{channel.public_id}/broadcasts", {"text": "전체 공지"}).json()
    assert (plain["segment"], plain["segment_size"]) == (None, None)


def test_the_api_refuses_an_unknown_segment_as_problem_json(api_alice, api_bob, channel, people, vip):
    url = f"{API}/channels/{channel.public_id}/broadcasts"
    answer = api_alice.post(url, {"text": "쿠폰", "segment": "nope"})
    assert (answer.status_code, answer["Content-Type"]) == (422, "application/problem+json")
    assert (answer.json()["code"], answer.json()["field"]) == ("unknown_segment", "segment")
    assert api_bob.post(url, {"text": "쿠폰", "segment": "vip"}).status_code == 404
    assert Broadcast.objects.count() == 0 and BroadcastTarget.objects.count() == 0


def test_the_console_form_preselects_and_sends_to_a_segment(alice, channel, people, vip):
    members, _ = vip
    members[channel.public_id] = {people["marketing"].pk}
    client = Client()
    client.force_login(alice)
    base = f"/partners/{channel.public_id}/broadcasts/"
    html = client.get(base + "?segment=vip").content.decode()
    assert '<option value="vip" selected>VIP 고객</option>' in html
    answer = client.post(base, {"text": "VIP 쿠폰", "is_advertising": "on", "segment": "vip"})
    post = Broadcast.objects.get(channel=channel)
    assert answer["Location"] == f"{base}{post.public_id}/"
    assert post.segment == "vip" and _recipients(post) == {people["marketing"].email}
    assert "VIP 고객 (1명) 중 채널 친구" in client.get(answer["Location"]).content.decode()
