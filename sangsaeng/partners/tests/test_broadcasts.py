"""Who gets a broadcast, and when (정보통신망법 §50), with fixed clocks."""

from __future__ import annotations

import pytest

from sangsaeng.core.errors import Problem
from sangsaeng.core.models import OutboxEvent
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import Broadcast, Delivery
from sangsaeng.partners.tests.conftest import kst


@pytest.fixture
def audience(channel, make_user):
    """Three followers: plain (no consent), marketing only, marketing and night."""
    plain, marketing, night = make_user("plain"), make_user("marketing"), make_user("night")
    services.channel_follow(user=plain, channel_id=channel.public_id)
    services.channel_follow(user=marketing, channel_id=channel.public_id, marketing=True)
    services.channel_follow(user=night, channel_id=channel.public_id, marketing=True, night=True)
    return {"plain": plain, "marketing": marketing, "night": night}


def _recipients(broadcast):
    return set(Delivery.objects.filter(broadcast=broadcast).values_list("user__email", flat=True))


def test_an_advertisement_at_noon_reaches_only_followers_with_marketing_consent(alice, channel, audience):
    # when
    b = services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="감귤 20% 할인", is_advertising=True, now=kst(1, 12)
    )
    # then
    assert _recipients(b) == {audience["marketing"].email, audience["night"].email}
    assert b.status == Broadcast.Status.SENT
    assert b.delivered_count == 2


def test_an_advertisement_scheduled_at_2230_waits_until_8_for_those_without_night_consent(alice, channel, audience):
    # given: scheduled in the evening for 22:30 KST
    b = services.broadcast_create(
        actor=alice,
        channel_id=channel.public_id,
        text="야간 특가",
        is_advertising=True,
        scheduled_at=kst(1, 22, 30),
        now=kst(1, 18),
    )
    assert _recipients(b) == set()

    # when the periodic job runs at 22:30
    assert services.broadcasts_send_due(now=kst(1, 22, 30)) == 1
    b.refresh_from_db()
    # then only the night-consented follower has it, the rest wait until 08:00 KST
    assert _recipients(b) == {audience["night"].email}
    assert b.status == Broadcast.Status.WAITING
    assert b.next_run_at == kst(2, 8, 0)

    # the job at 03:00 does nothing new
    assert services.broadcasts_send_due(now=kst(2, 3)) == 0

    # at 08:00 the marketing-consented follower gets it; the plain follower never does
    assert services.broadcasts_send_due(now=kst(2, 8)) == 1
    b.refresh_from_db()
    assert _recipients(b) == {audience["night"].email, audience["marketing"].email}
    assert b.status == Broadcast.Status.SENT
    assert b.delivered_count == 2


def test_a_non_advertising_post_at_night_goes_at_once_to_every_follower(alice, channel, audience):
    b = services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="배송 지연 안내", is_advertising=False, now=kst(1, 23, 15)
    )
    assert _recipients(b) == {u.email for u in audience.values()}
    assert b.status == Broadcast.Status.SENT
    assert selectors.post_text(b) == "배송 지연 안내"


def test_advertising_text_carries_the_legal_prefix(alice, channel, audience):
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="특가", now=kst(1, 12))
    assert selectors.post_text(b).startswith("(광고) 상생마켓\n")


def test_delivery_is_idempotent_when_the_job_runs_again(alice, channel, audience):
    # given a delivered broadcast
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="한정 수량", now=kst(1, 10))
    assert b.delivered_count == 2
    # when the same broadcast is delivered again (a retry, or a second worker) even if it were due
    Broadcast.objects.filter(pk=b.pk).update(status=Broadcast.Status.WAITING, next_run_at=kst(1, 10))
    assert services.broadcast_deliver(broadcast_id=b.pk, now=kst(1, 11)) == 0
    assert services.broadcasts_send_due(now=kst(1, 12)) == 0
    # then nobody got it twice
    b.refresh_from_db()
    assert Delivery.objects.filter(broadcast=b).count() == 2
    assert b.delivered_count == 2


def test_a_revoked_consent_stops_advertising(alice, channel, audience):
    services.follow_consents_set(user=audience["marketing"], channel_id=channel.public_id, marketing=False)
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="특가", now=kst(1, 12))
    assert _recipients(b) == {audience["night"].email}


def test_delivered_opened_and_clicked_are_counted_once_and_emitted(alice, channel, audience):
    cards = [{"kind": "product", "title": "한라봉 3kg", "url": "https://sangsaeng.kr/p/1", "price_krw": 29900}]
    b = services.broadcast_create(actor=alice, channel_id=channel.public_id, text="신상품", cards=cards, now=kst(1, 12))
    reader, stranger = audience["marketing"], audience["plain"]

    assert services.broadcast_opened(user=reader, broadcast=b) is True
    assert services.broadcast_opened(user=reader, broadcast=b) is False
    assert services.broadcast_opened(user=stranger, broadcast=b) is False  # not a recipient
    assert services.broadcast_clicked(user=reader, broadcast=b, index=0) == "https://sangsaeng.kr/p/1"
    services.broadcast_clicked(user=reader, broadcast=b, index=0)

    b.refresh_from_db()
    assert selectors.broadcast_stats(b) == {
        "delivered": 2,
        "opened": 1,
        "clicked": 1,
        "open_rate": 0.5,
        "click_rate": 0.5,
    }
    names = list(OutboxEvent.objects.filter(name__startswith="partners.broadcast.").values_list("name", flat=True))
    assert sorted(names) == ["partners.broadcast.clicked", "partners.broadcast.delivered", "partners.broadcast.opened"]


def test_scheduling_in_the_past_is_refused_and_nothing_is_stored(alice, channel):
    with pytest.raises(Problem) as err:
        services.broadcast_create(
            actor=alice, channel_id=channel.public_id, text="늦음", scheduled_at=kst(1, 9), now=kst(1, 10)
        )
    assert err.value.code == "schedule_in_past"
    assert Broadcast.objects.count() == 0


@pytest.mark.parametrize(
    ("card", "code"),
    [
        ({"kind": "coupon", "title": "x", "url": "https://a.kr"}, "invalid_card_kind"),
        ({"kind": "product", "title": "x", "url": "javascript:alert(1)"}, "invalid_card_url"),
        ({"kind": "product", "title": "x", "url": "https://a.kr", "price_krw": -1}, "invalid_price"),
        ({"kind": "product", "title": "", "url": "https://a.kr"}, "invalid_card"),
    ],
)
def test_bad_cards_are_refused(alice, channel, card, code):
    with pytest.raises(Problem) as err:
        services.broadcast_create(actor=alice, channel_id=channel.public_id, text="카드", cards=[card])
    assert err.value.code == code
    assert Broadcast.objects.count() == 0


def test_a_scheduled_broadcast_can_be_cancelled_and_then_never_goes(alice, channel, audience):
    b = services.broadcast_create(
        actor=alice, channel_id=channel.public_id, text="취소될 소식", scheduled_at=kst(1, 15), now=kst(1, 12)
    )
    services.broadcast_cancel(actor=alice, broadcast_id=b.public_id)
    assert services.broadcasts_send_due(now=kst(1, 16)) == 0
    with pytest.raises(Problem) as err:
        services.broadcast_cancel(actor=alice, broadcast_id=b.public_id)
    assert err.value.code == "broadcast_not_cancellable"


def test_an_agent_cannot_post_and_an_outsider_gets_404(alice, bob, charlie, channel):
    services.staff_invite(actor=alice, channel_id=channel.public_id, email=charlie.email, role="agent")
    with pytest.raises(Problem) as err:
        services.broadcast_create(actor=charlie, channel_id=channel.public_id, text="x")
    assert err.value.status == 403
    with pytest.raises(Problem) as err:
        services.broadcast_create(actor=bob, channel_id=channel.public_id, text="x")
    assert err.value.status == 404
    assert Broadcast.objects.count() == 0
