"""Chat media are stored once through the Drawer and appear in each member's Drawer under 채팅 미디어."""

import importlib
import io
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from PIL import Image

from sangsaeng.accounts.services import user_create
from sangsaeng.core.errors import Problem
from sangsaeng.drawer import services as drawer
from sangsaeng.messaging import services
from sangsaeng.messaging.models import Attachment, Message, MessageMedia
from sangsaeng.messaging.serialize import message_dict

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _drawer_files(settings, tmp_path):
    settings.DRAWER_FILES_DIR = tmp_path / "files"
    settings.STORAGE_URL = ""


@pytest.fixture
def dave(db):
    return user_create(email="dave@example.com", password="correct-horse-battery-staple", verified=True)


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (20, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def _stored_objects(settings, sha256: str) -> list[Path]:
    return [p for p in Path(settings.DRAWER_FILES_DIR).rglob(f"{sha256}.*") if "scratch" not in p.parts]


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _send(actor, conversation, data: bytes, name: str = "바다.jpg") -> Message:
    return services.message_attach(
        actor=actor, conversation_id=conversation.public_id, name=name, data=data, content_type="image/jpeg"
    )


def test_a_photo_sent_to_a_group_is_stored_once_and_each_member_has_it(alice, bob, charlie, dave, settings):
    # given a group of four
    group = services.conversation_group_create(actor=alice, title="사진방", members=[bob, charlie, dave])
    photo = _jpeg()
    # when alice sends a photo
    message = _send(alice, group, photo)
    # then the bytes are stored once: one blob, one stored object
    media = MessageMedia.objects.get(message=message)
    assert len(_stored_objects(settings, media.sha256)) == 1
    entries = list(Attachment.objects.filter(message=message).select_related("user"))
    assert {e.user_id for e in entries} == {alice.pk, bob.pk, charlie.pk, dave.pk}
    items = [drawer.access_item(actor=e.user, id=e.drawer_item_id) for e in entries]
    assert len({i.blob_id for i in items}) == 1
    assert items[0].blob.owner_id is None
    # and every member sees it in their own Drawer under 채팅 미디어
    for item in items:
        assert (item.folder, item.name, item.kind, item.size) == ("채팅 미디어", "바다.jpg", "image", len(photo))
    # and the message shows it
    assert message_dict(message)["media"] == {
        "name": "바다.jpg",
        "content_type": "image/jpeg",
        "size": len(photo),
        "url": f"/chat/m/{message.public_id}/media",
    }
    # sending it again stores nothing new
    _send(bob, group, photo, name="다시.jpg")
    assert len(_stored_objects(settings, media.sha256)) == 1


def test_a_member_deleting_it_from_their_drawer_keeps_it_for_everyone_else(alice, bob, charlie, client, settings):
    group = services.conversation_group_create(actor=alice, title="사진방", members=[bob, charlie])
    photo = _jpeg()
    message = _send(alice, group, photo)
    bob_entry = Attachment.objects.get(message=message, user=bob)
    # when bob deletes it from his Drawer for good
    drawer.item_trash(actor=bob, id=bob_entry.drawer_item_id)
    drawer.item_purge(item=drawer.access_item(actor=bob, id=bob_entry.drawer_item_id, trashed=True))
    # then alice and charlie still have theirs, with the same bytes
    for user in (alice, charlie):
        entry = Attachment.objects.get(message=message, user=user)
        assert drawer.item_read(actor=user, id=entry.drawer_item_id, limit=10**6) == photo
    # and bob still opens it in the chat, from the shared copy
    client.force_login(bob)
    response = client.get(f"/chat/m/{message.public_id}/media")
    assert response.status_code == 200 and _body(response) == photo
    # while alice opens her own Drawer item
    client.force_login(alice)
    response = client.get(f"/chat/m/{message.public_id}/media?size=preview")
    assert response.status_code == 302
    assert str(Attachment.objects.get(message=message, user=alice).drawer_item_id) in response["Location"]


def test_someone_outside_the_conversation_cannot_fetch_it(alice, bob, charlie, client, settings):
    direct = services.conversation_direct_open(actor=alice, other=bob)
    message = _send(alice, direct, _jpeg())
    alice_entry = Attachment.objects.get(message=message, user=alice)
    client.force_login(charlie)
    # not through the chat
    assert client.get(f"/chat/m/{message.public_id}/media").status_code == 404
    assert client.get(f"/chat/m/{message.public_id}/media?size=preview").status_code == 404
    # nor through a member's Drawer item
    assert client.get(f"/drawer/items/{alice_entry.drawer_item_id}/file/original").status_code == 404
    with pytest.raises(Problem) as caught:
        drawer.access_item(actor=charlie, id=alice_entry.drawer_item_id)
    assert caught.value.status == 404
    # and charlie's Drawer got nothing, nor did anything change
    assert not Attachment.objects.filter(user=charlie).exists()
    assert drawer.drawer_usage(owner=charlie) == 0
    assert Attachment.objects.filter(message=message).count() == 2


def test_a_member_with_a_full_drawer_gets_the_message_and_opens_it_from_the_chat(alice, bob, client, settings):
    direct = services.conversation_direct_open(actor=alice, other=bob)
    drawer.quota_set(owner=bob, limit_bytes=10)
    photo = _jpeg()
    message = _send(alice, direct, photo)
    assert list(Attachment.objects.filter(message=message).values_list("user_id", flat=True)) == [alice.pk]
    client.force_login(bob)
    response = client.get(f"/chat/m/{message.public_id}/media")
    assert response.status_code == 200 and _body(response) == photo


def test_deleting_the_message_for_everyone_drops_the_chats_hold_only(
    alice, bob, client, settings, django_capture_on_commit_callbacks
):
    direct = services.conversation_direct_open(actor=alice, other=bob)
    photo = _jpeg()
    message = _send(alice, direct, photo)
    sha = MessageMedia.objects.get(message=message).sha256
    with django_capture_on_commit_callbacks(execute=True):
        services.message_delete(actor=alice, message_id=message.public_id)
    client.force_login(bob)
    assert client.get(f"/chat/m/{message.public_id}/media").status_code == 404
    # the members' Drawer items still hold the bytes
    bob_entry = Attachment.objects.get(message=message, user=bob)
    assert drawer.item_read(actor=bob, id=bob_entry.drawer_item_id, limit=10**6) == photo
    # once both purge theirs, the bytes are gone
    with django_capture_on_commit_callbacks(execute=True):
        for entry in Attachment.objects.filter(message=message).select_related("user"):
            drawer.item_purge(item=drawer.access_item(actor=entry.user, id=entry.drawer_item_id))
    assert _stored_objects(settings, sha) == []


def test_files_sent_before_sharing_are_migrated_without_loss(alice, bob, client, settings):
    # given a file sent the old way: a copy in each member's Drawer, no media row
    direct = services.conversation_direct_open(actor=alice, other=bob)
    message = services.message_post(actor=alice, conversation_id=direct.public_id, text="계약서 보냅니다")
    data = b"%PDF-1.4 old contract"
    for user in (alice, bob):
        item = drawer.file_save_from(owner=user, name="계약서.pdf", data=data, source="chat", folder="채팅 미디어")
        Attachment.objects.create(
            message=message,
            user=user,
            drawer_item_id=item.public_id,
            name=item.name,
            content_type=item.content_type,
            size=item.size,
            sha256="a" * 64,
        )
    # when the data migration runs
    migration = importlib.import_module("sangsaeng.messaging.migrations.0002_message_media")
    migration.media_from_attachments(django_apps, None)
    # then the message shows its file, and each member opens their own copy as before
    media = MessageMedia.objects.get(message=message)
    assert (media.name, media.size, media.hold) == ("계약서.pdf", len(data), None)
    assert message_dict(Message.objects.get(pk=message.pk))["media"]["name"] == "계약서.pdf"
    client.force_login(bob)
    response = client.get(f"/chat/m/{message.public_id}/media")
    bob_item = Attachment.objects.get(message=message, user=bob).drawer_item_id
    assert response.status_code == 302 and str(bob_item) in response["Location"]
    assert drawer.item_read(actor=bob, id=bob_item, limit=10**6) == data
