"""Encrypted chat backups in the Drawer: restore in a fresh session merges without duplicates;
a wrong password restores nothing and says why."""

import pytest
from django.test import Client

from sangsaeng.drawer import services as drawer
from sangsaeng.messaging import backup, services
from sangsaeng.messaging.models import ArchivedMessage

pytestmark = pytest.mark.django_db
BASE = "/api/v1/messaging"
PASSWORD = "우리집 고양이 이름은 나비"


def _chat(alice, bob, count=5):
    conversation = services.conversation_direct_open(actor=alice, other=bob)
    for n in range(count):
        services.message_post(actor=alice if n % 2 else bob, conversation_id=conversation.public_id, text=f"대화 {n}")
    return conversation


def test_the_backup_is_a_sealed_file_in_the_drawer_without_the_password(alice, bob):
    _chat(alice, bob)
    made = services.backup_create(actor=alice, password=PASSWORD)
    assert made.message_count == 5
    data = drawer.item_read(actor=alice, id=made.drawer_item_id, limit=10_000_000)
    assert data.startswith(backup.MAGIC)
    assert "대화".encode() not in data and PASSWORD.encode() not in data
    item = drawer.access_item(actor=alice, id=made.drawer_item_id)
    assert item.folder == "채팅 백업"


def test_restore_in_a_fresh_session_brings_every_message_back_once(alice, bob, settings):
    # given alice backed up, then left the conversation (its messages are gone from her view)
    conversation = _chat(alice, bob, count=7)
    password_client = Client()
    password_client.force_login(alice)
    made = password_client.post("/api/v1/messaging/backups", {"password": PASSWORD}, content_type="application/json")
    assert made.status_code == 201
    item_id = made.json()["drawer_item_id"]
    services.conversation_leave(actor=alice, conversation_id=conversation.public_id)

    # when she signs in on a new device (a fresh session) and restores, twice
    fresh = Client()
    fresh.force_login(alice)
    first = fresh.post(
        f"{BASE}/backups/restore", {"drawer_item_id": item_id, "password": PASSWORD}, content_type="application/json"
    )
    second = fresh.post(
        f"{BASE}/backups/restore", {"drawer_item_id": item_id, "password": PASSWORD}, content_type="application/json"
    )

    # then all seven are back exactly once
    assert first.json() == {"restored": 7, "already_present": 0, "total": 7}
    assert second.json() == {"restored": 0, "already_present": 7, "total": 7}
    rows = list(ArchivedMessage.objects.filter(owner=alice).order_by("seq"))
    assert [r.text for r in rows] == [f"대화 {n}" for n in range(7)]
    assert {r.conversation_title for r in rows} == {"밥"}


def test_messages_still_on_the_server_are_not_duplicated(alice, bob):
    _chat(alice, bob, count=3)
    made = services.backup_create(actor=alice, password=PASSWORD)
    result = services.backup_restore(actor=alice, drawer_item_id=made.drawer_item_id, password=PASSWORD)
    assert result == {"restored": 0, "already_present": 3, "total": 3}
    assert ArchivedMessage.objects.count() == 0


def test_a_wrong_password_restores_nothing_and_says_why(api_alice, alice, bob):
    conversation = _chat(alice, bob)
    made = services.backup_create(actor=alice, password=PASSWORD)
    services.conversation_leave(actor=alice, conversation_id=conversation.public_id)
    response = api_alice.post(
        f"{BASE}/backups/restore", {"drawer_item_id": str(made.drawer_item_id), "password": "틀린 비밀번호입니다"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "backup_password_wrong"
    assert ArchivedMessage.objects.count() == 0


def test_weak_passwords_and_non_backup_files_are_refused(api_alice, alice):
    assert api_alice.post(f"{BASE}/backups", {"password": "short"}).json()["code"] == "backup_password_weak"
    photo = drawer.file_save_from(owner=alice, name="memo.txt", data=b"just a note", source="test")
    response = api_alice.post(f"{BASE}/backups/restore", {"drawer_item_id": str(photo.public_id), "password": PASSWORD})
    assert response.json()["code"] == "backup_invalid"


def test_another_users_backup_is_not_found(api_bob, alice, bob):
    _chat(alice, bob)
    made = services.backup_create(actor=alice, password=PASSWORD)
    response = api_bob.post(
        f"{BASE}/backups/restore", {"drawer_item_id": str(made.drawer_item_id), "password": PASSWORD}
    )
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
    assert api_bob.get(f"{BASE}/backups").json() == []
    assert ArchivedMessage.objects.count() == 0
