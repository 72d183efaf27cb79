"""Deleting an account erases its Drawer, bytes included; other users keep theirs."""

from pathlib import Path

from sangsaeng.accounts.services import user_delete
from sangsaeng.drawer.models import Blob, Item, Upload
from sangsaeng.drawer.services import file_save_from
from sangsaeng.drawer.sharing import share_create
from sangsaeng.drawer.tests import media


def test_a_deleted_accounts_drawer_is_erased(alice, bob, settings, django_capture_on_commit_callbacks):
    # given
    with django_capture_on_commit_callbacks(execute=True):
        photo = file_save_from(owner=alice, name="a.jpg", data=media.jpeg(), source="test")
        kept = file_save_from(owner=bob, name="b.jpg", data=media.jpeg(color="red"), source="test")
    share_create(actor=alice, item_id=photo.public_id)
    stored = [
        Path(settings.DRAWER_FILES_DIR) / key
        for key in Blob.objects.filter(owner=alice).values_list("storage_key", flat=True)
    ]
    assert stored and all(p.exists() for p in stored)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)
    # then
    assert not Item.objects.filter(owner=alice).exists()
    assert not Blob.objects.filter(owner=alice).exists()
    assert not Upload.objects.filter(owner=alice).exists()
    assert not any(p.exists() for p in stored)
    assert Item.objects.filter(pk=kept.pk).exists()
