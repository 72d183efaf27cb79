from __future__ import annotations

from sangsaeng.accounts.services import user_delete
from sangsaeng.core.models import OutboxEvent
from sangsaeng.core.outbox import event_process
from sangsaeng.partners import services
from sangsaeng.partners.models import Channel, ChannelStaff, Delivery, Follow


def _process_all():
    for event in OutboxEvent.objects.filter(processed_at__isnull=True):
        event_process(event_id=event.pk)


def test_a_deleted_account_leaves_no_follows_deliveries_or_staff_roles(alice, bob, charlie, channel):
    # given: bob follows and received a post; charlie owns another channel alone
    services.channel_follow(user=bob, channel_id=channel.public_id, marketing=True)
    services.broadcast_create(actor=alice, channel_id=channel.public_id, text="소식", is_advertising=False)
    services.staff_invite(actor=alice, channel_id=channel.public_id, email=bob.email, role="manager")
    solo = services.channel_create(owner=charlie, name="혼자 채널", handle="solo")
    # when
    user_delete(user=bob)
    user_delete(user=charlie)
    _process_all()
    # then
    assert not Follow.objects.filter(user=bob).exists()
    assert not Delivery.objects.filter(user=bob).exists()
    assert list(ChannelStaff.objects.values_list("user__email", flat=True)) == ["alice@example.com"]
    assert not Channel.objects.filter(pk=solo.pk).exists()
    assert Channel.objects.filter(pk=channel.pk).exists()
