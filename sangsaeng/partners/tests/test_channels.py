from __future__ import annotations

import pytest
from django.test import override_settings

from sangsaeng.core.errors import Problem
from sangsaeng.partners import selectors, services
from sangsaeng.partners.models import Channel, ChannelStaff
from sangsaeng.partners.tests.conftest import png


def test_opening_a_channel_makes_its_creator_the_owner(alice):
    channel = services.channel_create(owner=alice, name=" 상생 마켓 ", handle="@Sangsaeng-Market", logo=png())
    assert (channel.name, channel.handle) == ("상생 마켓", "sangsaeng-market")
    assert channel.logo_type == "image/jpeg"
    assert selectors.channels_for_staff(alice) == [(channel, "owner")]
    assert selectors.channel_for_handle("sangsaeng-market") == channel


@pytest.mark.parametrize("handle", ["ab", "-abc", "abc-", "한글채널", "a b c", "x" * 31, "a--b", "admin", "a/b"])
def test_bad_handles_are_refused(alice, handle):
    with pytest.raises(Problem) as err:
        services.channel_create(owner=alice, name="채널", handle=handle)
    assert err.value.code in {"invalid_handle", "handle_reserved"}
    assert Channel.objects.count() == 0


def test_a_taken_handle_is_refused(alice, bob, channel):
    with pytest.raises(Problem) as err:
        services.channel_create(owner=bob, name="다른 채널", handle="Market")
    assert (err.value.code, err.value.status) == ("handle_taken", 409)
    assert Channel.objects.count() == 1


def test_images_that_are_not_images_or_too_large_are_refused(alice):
    with pytest.raises(Problem) as err:
        services.channel_create(owner=alice, name="채널", handle="chan", logo=b"<svg onload=alert(1)>")
    assert err.value.code == "image_invalid"
    with override_settings(PARTNERS_IMAGE_MAX_BYTES=100), pytest.raises(Problem) as err:
        services.channel_create(owner=alice, name="채널", handle="chan", cover=png((300, 300)))
    assert (err.value.code, err.value.status) == ("image_too_large", 413)
    assert Channel.objects.count() == 0


def test_covers_are_shrunk_and_re_encoded(alice):
    channel = services.channel_create(owner=alice, name="채널", handle="chan", cover=png((4000, 1000)))
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(bytes(channel.cover))).size == (1600, 400)


def test_only_an_operator_can_verify(alice, bob, channel):
    with pytest.raises(Problem) as err:
        services.channel_verify(actor=alice, channel_id=channel.public_id, verified=True)
    assert err.value.status == 404
    bob.is_staff = True
    bob.save(update_fields=["is_staff"])
    assert services.channel_verify(actor=bob, channel_id=channel.public_id, verified=True).is_verified
    channel.refresh_from_db()
    assert channel.verified_by == bob


def test_the_owner_adds_and_removes_staff_by_email(alice, bob, charlie, channel):
    row = services.staff_invite(actor=alice, channel_id=channel.public_id, email="BOB@example.com", role="manager")
    assert row.user == bob
    # a manager can't manage staff
    with pytest.raises(Problem) as err:
        services.staff_invite(actor=bob, channel_id=channel.public_id, email=charlie.email, role="agent")
    assert err.value.status == 403
    # an outsider gets the 404 and nothing changes
    with pytest.raises(Problem) as err:
        services.staff_remove(actor=charlie, channel_id=channel.public_id, staff_id=row.public_id)
    assert err.value.status == 404
    assert ChannelStaff.objects.filter(channel=channel).count() == 2
    services.staff_remove(actor=alice, channel_id=channel.public_id, staff_id=row.public_id)
    assert selectors.channels_for_staff(bob) == []


def test_unknown_emails_and_the_last_owner_are_refused(alice, channel):
    with pytest.raises(Problem) as err:
        services.staff_invite(actor=alice, channel_id=channel.public_id, email="nobody@example.com", role="agent")
    assert err.value.code == "staff_user_not_found"
    own = ChannelStaff.objects.get(channel=channel, user=alice)
    with pytest.raises(Problem) as err:
        services.staff_remove(actor=alice, channel_id=channel.public_id, staff_id=own.public_id)
    assert err.value.code == "last_owner"
    with pytest.raises(Problem) as err:
        services.staff_invite(actor=alice, channel_id=channel.public_id, email=alice.email, role="agent")
    assert err.value.code == "last_owner"
    assert ChannelStaff.objects.get(pk=own.pk).role == "owner"


def test_other_apps_attach_stores_and_drops(alice, bob, channel):
    services.channel_attachment_set(actor=alice, channel_id=channel.public_id, kind="store", ref="s1", title="스토어")
    services.channel_attachment_set(
        actor=alice, channel_id=channel.public_id, kind="store", ref="s1", title="감귤 스토어"
    )
    assert [(a.kind, a.title) for a in selectors.channel_attachments(channel.public_id)] == [("store", "감귤 스토어")]
    with pytest.raises(Problem) as err:
        services.channel_attachment_set(actor=bob, channel_id=channel.public_id, kind="drop", ref="d1", title="드롭")
    assert err.value.status == 404
    assert len(selectors.channel_attachments(channel.public_id)) == 1


def test_attachment_links_are_local_paths_or_http(alice, channel):
    a = services.channel_attachment_set(
        actor=alice, channel_id=channel.public_id, kind="store", ref="s1", title="스토어", url="/s/market/"
    )
    assert a.url == "/s/market/"
    for bad in ("javascript:alert(1)", "//evil.example/", "ftp://x.example/"):
        with pytest.raises(Problem) as err:
            services.channel_attachment_set(
                actor=alice, channel_id=channel.public_id, kind="store", ref="s1", title="스토어", url=bad
            )
        assert err.value.code == "invalid_attachment_url"
    assert selectors.channel_attachments(channel.public_id)[0].url == "/s/market/"
