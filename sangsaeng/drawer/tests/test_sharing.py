"""Share links: public, optionally expiring and password-protected; revoked and expired are 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sangsaeng.core.errors import Problem
from sangsaeng.drawer.models import ShareLink
from sangsaeng.drawer.services import album_create, album_item_add, file_save_from
from sangsaeng.drawer.sharing import share_create, share_revoke
from sangsaeng.drawer.tests import media


@pytest.fixture
def photo(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return file_save_from(owner=alice, name="바다.jpg", data=media.jpeg(), source="test")


def test_anyone_with_the_link_sees_the_item_and_downloads_it(client, alice, photo):
    link = share_create(actor=alice, item_id=photo.public_id)
    page = client.get(f"/drawer/s/{link.token}/")
    assert page.status_code == 200 and "바다.jpg" in page.content.decode()
    original = client.get(f"/drawer/s/{link.token}/{photo.public_id}/original")
    assert original.status_code == 200


def test_a_password_protected_link_asks_first(client, alice, photo):
    link = share_create(actor=alice, item_id=photo.public_id, password="bada-2026")
    assert "바다.jpg" not in client.get(f"/drawer/s/{link.token}/").content.decode()
    assert client.get(f"/drawer/s/{link.token}/{photo.public_id}/preview").status_code == 404
    assert client.post(f"/drawer/s/{link.token}/", {"password": "wrong"}).status_code == 403
    client.post(f"/drawer/s/{link.token}/", {"password": "bada-2026"})
    assert client.get(f"/drawer/s/{link.token}/{photo.public_id}/preview").status_code == 200


def test_expired_and_revoked_links_are_404(client, alice, photo):
    expired = share_create(actor=alice, item_id=photo.public_id, expires_in_days=1)
    ShareLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    revoked = share_create(actor=alice, item_id=photo.public_id)
    share_revoke(actor=alice, id=revoked.public_id)
    assert client.get(f"/drawer/s/{expired.token}/").status_code == 404
    assert client.get(f"/drawer/s/{revoked.token}/").status_code == 404


def test_an_album_link_shows_only_the_albums_items(client, alice, photo):
    other = file_save_from(owner=alice, name="private.txt", data=b"p", source="test")
    album = album_create(actor=alice, title="여름")
    album_item_add(actor=alice, album_id=album.public_id, item_id=photo.public_id)
    link = share_create(actor=alice, album_id=album.public_id)
    page = client.get(f"/drawer/s/{link.token}/").content.decode()
    assert "바다.jpg" in page and "private.txt" not in page
    assert client.get(f"/drawer/s/{link.token}/{other.public_id}/original").status_code == 404


def test_nobody_shares_another_users_item(bob, photo):
    with pytest.raises(Problem) as refused:
        share_create(actor=bob, item_id=photo.public_id)
    assert refused.value.status == 404
    assert ShareLink.objects.count() == 0


def test_another_user_cannot_revoke_a_link(client, alice, bob, photo):
    link = share_create(actor=alice, item_id=photo.public_id)
    client.force_login(bob)
    assert client.post(f"/drawer/shares/{link.public_id}/revoke").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None
    assert client.get(f"/drawer/s/{link.token}/").status_code == 200


def test_share_page_creates_and_revokes_links(client, alice, photo):
    client.force_login(alice)
    client.post("/drawer/shares/", {"item": str(photo.public_id), "expires_in_days": "7", "password": ""})
    link = ShareLink.objects.get(owner=alice)
    assert link.expires_at is not None
    assert link.token in client.get(f"/drawer/items/{photo.public_id}/").content.decode()
    client.post(f"/drawer/shares/{link.public_id}/revoke")
    link.refresh_from_db()
    assert link.revoked_at is not None


def test_devices_page_creates_and_revokes_app_passwords(client, alice, bob):
    from sangsaeng.drawer.models import AppPassword

    client.force_login(alice)
    page = client.post("/drawer/devices/", {"label": "갤럭시"}).content.decode()
    assert "dav_" in page
    row = AppPassword.objects.get(owner=alice)
    client.force_login(bob)
    assert client.post(f"/drawer/devices/{row.public_id}/revoke").status_code == 404
    client.force_login(alice)
    client.post(f"/drawer/devices/{row.public_id}/revoke")
    row.refresh_from_db()
    assert row.revoked_at is not None
