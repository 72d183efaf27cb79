from __future__ import annotations

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import Follow


def test_following_is_idempotent_and_unfollowing_drops_the_consents(bob, channel):
    services.channel_follow(user=bob, channel_id=channel.public_id, marketing=True)
    services.channel_follow(user=bob, channel_id=channel.public_id)
    assert selectors.follower_count(channel) == 1
    assert list(selectors.followers_with_marketing_consent(channel.public_id).values_list("user", flat=True)) == [
        bob.pk
    ]
    services.channel_unfollow(user=bob, channel_id=channel.public_id)
    assert Follow.objects.count() == 0


def test_consents_are_timestamped_and_revocable(bob, channel):
    services.channel_follow(user=bob, channel_id=channel.public_id)
    follow = services.follow_consents_set(user=bob, channel_id=channel.public_id, marketing=True, night=True)
    assert follow.marketing_consent_at is not None and follow.night_consent_at is not None
    follow = services.follow_consents_set(user=bob, channel_id=channel.public_id, marketing=False)
    # revoking marketing revokes night too, and both revocations are recorded
    assert follow.marketing_consent_at is None and follow.night_consent_at is None
    assert follow.marketing_revoked_at is not None and follow.night_revoked_at is not None


def test_night_consent_needs_marketing_consent(bob, channel):
    services.channel_follow(user=bob, channel_id=channel.public_id)
    with pytest.raises(Problem) as err:
        services.follow_consents_set(user=bob, channel_id=channel.public_id, night=True)
    assert err.value.code == "night_requires_marketing"
    assert Follow.objects.get(user=bob).night_consent_at is None


def test_consents_need_a_follow(bob, channel):
    with pytest.raises(Problem) as err:
        services.follow_consents_set(user=bob, channel_id=channel.public_id, marketing=True)
    assert err.value.code == "not_following"


def test_a_missing_channel_is_a_404(bob):
    with pytest.raises(Problem) as err:
        services.channel_follow(user=bob, channel_id="00000000-0000-0000-0000-000000000000")
    assert err.value.status == 404
