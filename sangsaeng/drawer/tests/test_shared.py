"""Shared blobs: bytes stored once for several users, each of whom keeps an item of their own."""

from pathlib import Path

import pytest

from sangsaeng.accounts.services import user_create, user_delete
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import services
from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Blob, BlobHold, Item
from sangsaeng.drawer.tests import media

pytestmark = pytest.mark.django_db
HOLDER = "messaging.media:3f1c2a90-0000-4000-8000-000000000001"


@pytest.fixture
def users(alice, bob):
    charlie = user_create(email="charlie@example.com", password="correct-horse-battery-staple", verified=True)
    return [alice, bob, charlie]


def _stored_objects(settings, sha256: str) -> list[Path]:
    return [p for p in Path(settings.DRAWER_FILES_DIR).rglob(f"{sha256}.*") if "scratch" not in p.parts]


def _store(tmp_path, data: bytes) -> str:
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    return services.shared_file_store(path=path, holder=HOLDER)


def test_n_users_keep_one_stored_copy(users, settings, tmp_path):
    # given one photo stored once and added to three Drawers
    photo = media.jpeg(size=(64, 48))
    sha = _store(tmp_path, photo)
    items = [
        services.shared_item_add(owner=u, sha256=sha, name="바다.jpg", folder="채팅 미디어", source="chat")
        for u in users
    ]
    # then there is one blob and one stored object, and each user has an item of their own
    assert Blob.objects.filter(sha256=sha).count() == 1
    assert len(_stored_objects(settings, sha)) == 1
    assert {i.owner_id for i in items} == {u.pk for u in users}
    assert len({i.blob_id for i in items}) == 1
    for user, item in zip(users, items, strict=True):
        mine = services.access_item(actor=user, id=item.public_id)
        assert (mine.folder, mine.name, mine.kind, mine.size) == ("채팅 미디어", "바다.jpg", "image", len(photo))
        assert services.drawer_usage(owner=user) == len(photo)
    # and the same bytes stored again for another message are still the one copy
    assert _store(tmp_path, photo) == sha
    assert Blob.objects.filter(sha256=sha).count() == 1 and len(_stored_objects(settings, sha)) == 1


def test_one_user_deleting_their_item_leaves_the_others_and_the_bytes(
    users, settings, tmp_path, django_capture_on_commit_callbacks
):
    alice, bob, charlie = users
    data = b"%PDF-1.4 shared contract"
    sha = _store(tmp_path, data)
    items = {u.pk: services.shared_item_add(owner=u, sha256=sha, name="계약서.pdf", source="chat") for u in users}
    # when bob trashes and purges his item
    services.item_trash(actor=bob, id=items[bob.pk].public_id)
    services.item_purge(item=services.access_item(actor=bob, id=items[bob.pk].public_id, trashed=True))
    # then alice and charlie still open it, and bob can't see anyone's
    assert blob_read(services.access_item(actor=alice, id=items[alice.pk].public_id).blob) == data
    assert services.access_item(actor=charlie, id=items[charlie.pk].public_id).size == len(data)
    with pytest.raises(Problem) as caught:
        services.access_item(actor=bob, id=items[alice.pk].public_id, trashed=None)
    assert caught.value.status == 404
    assert services.drawer_usage(owner=bob) == 0
    # when everyone has purged theirs, the chat's hold still keeps the bytes
    for user in (alice, charlie):
        services.item_purge(item=services.access_item(actor=user, id=items[user.pk].public_id))
    assert len(_stored_objects(settings, sha)) == 1
    # and releasing the hold deletes them
    with django_capture_on_commit_callbacks(execute=True):
        services.shared_file_release(sha256=sha, holder=HOLDER)
    assert not Blob.objects.filter(sha256=sha).exists()
    assert _stored_objects(settings, sha) == []


def test_a_full_drawer_gets_no_item_and_nothing_changes(users, tmp_path):
    alice, bob, _charlie = users
    sha = _store(tmp_path, b"x" * 1000)
    services.quota_set(owner=bob, limit_bytes=999)
    with pytest.raises(Problem) as caught:
        services.shared_item_add(owner=bob, sha256=sha, name="big.bin", source="chat")
    assert (caught.value.status, caught.value.code) == (413, "quota_exceeded")
    assert not Item.objects.filter(owner=bob).exists()
    assert Blob.objects.filter(sha256=sha).count() == 1
    # an unknown handle is a 404, not someone else's bytes
    with pytest.raises(Problem) as missing:
        services.shared_item_add(owner=alice, sha256="0" * 64, name="x.bin", source="chat")
    assert missing.value.status == 404


def test_renditions_are_made_once_and_shared(users, tmp_path, django_capture_on_commit_callbacks):
    photo = media.jpeg(size=(320, 240))
    sha = _store(tmp_path, photo)
    with django_capture_on_commit_callbacks(execute=True):
        items = [services.shared_item_add(owner=u, sha256=sha, name="사진.jpg", source="chat") for u in users]
    done = [Item.objects.get(pk=i.pk) for i in items]
    assert {i.status for i in done} == {"ready"}
    assert len({i.thumbnail_id for i in done}) == 1 and len({i.preview_id for i in done}) == 1
    thumbnail = done[0].thumbnail
    assert thumbnail is not None and thumbnail.owner_id is None
    assert {(i.width, i.height) for i in done} == {(320, 240)}


def test_erasing_an_account_keeps_shared_bytes_others_use(
    users, settings, tmp_path, django_capture_on_commit_callbacks
):
    alice, bob, _charlie = users
    sha = _store(tmp_path, b"shared bytes")
    with django_capture_on_commit_callbacks(execute=True):
        services.shared_item_add(owner=alice, sha256=sha, name="a.txt", source="chat")
        kept = services.shared_item_add(owner=bob, sha256=sha, name="a.txt", source="chat")
    services.shared_file_release(sha256=sha, holder=HOLDER)  # from now on only the items keep it
    assert Blob.objects.filter(sha256=sha).exists()
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)
    assert blob_read(Item.objects.get(pk=kept.pk).blob) == b"shared bytes"
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=bob)
    assert not Blob.objects.filter(sha256=sha).exists()
    assert not BlobHold.objects.exists()
    assert _stored_objects(settings, sha) == []


def test_holders_are_named_app_thing_id(tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    with pytest.raises(ValueError):
        services.shared_file_store(path=path, holder="anything goes")
    assert not Blob.objects.exists()
