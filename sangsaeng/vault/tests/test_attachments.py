"""Attachments through the v2 flow, stored by the platform's storage layer."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import MULTIPART_CONTENT

from sangsaeng.vault.models import Attachment
from sangsaeng.vault.tests.test_ciphers import login_item

pytestmark = pytest.mark.django_db

CONTENT = b"\x02" + bytes(range(256)) * 4  # stands in for the client's encrypted file


@pytest.fixture(autouse=True)
def _storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "files"},
        },
    }


@pytest.fixture
def item(bw_alice, alice_keys):
    return bw_alice.post("/vault/api/ciphers", login_item(alice_keys)).json()


def announce(client, keys, item, size=len(CONTENT)):
    return client.post(
        f"/vault/api/ciphers/{item['id']}/attachment/v2",
        {"key": keys.seal("file key"), "fileName": keys.seal("여권.pdf"), "fileSize": size, "adminRequest": False},
    )


def upload(client, item, attachment_id, content=CONTENT):
    return client.post(
        f"/vault/api/ciphers/{item['id']}/attachment/{attachment_id}",
        {"data": SimpleUploadedFile("blob", content)},
        content_type=MULTIPART_CONTENT,
    )


def test_upload_and_download(bw_alice, alice_keys, item):
    # when the client announces a file, then uploads it where it was told
    announced = announce(bw_alice, alice_keys, item)
    assert announced.status_code == 200
    body = announced.json()
    assert (body["object"], body["fileUploadType"]) == ("attachment-fileUpload", 0)
    assert body["url"] == f"/ciphers/{item['id']}/attachment/{body['attachmentId']}"
    assert upload(bw_alice, item, body["attachmentId"]).status_code == 200
    # then the item lists it with a download URL that serves the stored bytes without a bearer token
    listed = bw_alice.get(f"/vault/api/ciphers/{item['id']}").json()["attachments"]
    assert [(a["id"], a["size"], a["object"]) for a in listed] == [
        (body["attachmentId"], str(len(CONTENT)), "attachment")
    ]
    assert alice_keys.open(listed[0]["fileName"]) == "여권.pdf"
    url = listed[0]["url"].removeprefix("http://testserver")
    download = Client().get(url)
    assert download.status_code == 200
    assert download.getvalue() == CONTENT


def test_a_download_url_with_a_bad_token_is_not_found(bw_alice, alice_keys, item):
    attachment_id = announce(bw_alice, alice_keys, item).json()["attachmentId"]
    upload(bw_alice, item, attachment_id)
    response = Client().get(f"/vault/attachments/{item['id']}/{attachment_id}?token=forged")
    assert response.status_code == 404


def test_the_uploaded_size_must_match(bw_alice, alice_keys, item):
    attachment_id = announce(bw_alice, alice_keys, item, size=10).json()["attachmentId"]
    response = upload(bw_alice, item, attachment_id)
    assert response.status_code == 400
    assert response.json()["code"] == "attachment_size_mismatch"
    assert Attachment.objects.get().storage_name == ""


def test_oversized_attachments_are_refused(bw_alice, alice_keys, item):
    response = announce(bw_alice, alice_keys, item, size=200 * 1024 * 1024)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_another_user_cannot_add_read_or_delete_attachments(bw_alice, bw_bob, alice_keys, bob_keys, item):
    attachment_id = announce(bw_alice, alice_keys, item).json()["attachmentId"]
    upload(bw_alice, item, attachment_id)
    assert announce(bw_bob, bob_keys, item).status_code == 404
    assert upload(bw_bob, item, attachment_id, content=b"x" * len(CONTENT)).status_code == 404
    assert bw_bob.get(f"/vault/api/ciphers/{item['id']}/attachment/{attachment_id}").status_code == 404
    assert bw_bob.delete(f"/vault/api/ciphers/{item['id']}/attachment/{attachment_id}").status_code == 404
    assert Attachment.objects.count() == 1
    stored = Client().get(bw_alice.get(f"/vault/api/ciphers/{item['id']}/attachment/{attachment_id}").json()["url"])
    assert stored.getvalue() == CONTENT


def test_deleting_the_cipher_removes_the_file(bw_alice, alice_keys, item, tmp_path):
    attachment_id = announce(bw_alice, alice_keys, item).json()["attachmentId"]
    upload(bw_alice, item, attachment_id)
    assert len(list((tmp_path / "files").rglob("*"))) > 0
    bw_alice.delete(f"/vault/api/ciphers/{item['id']}")
    assert [p for p in (tmp_path / "files").rglob("*") if p.is_file()] == []
