"""tus 1.0 at /files/: creation, upload, offsets, checksums, termination, expiration, access."""

import base64
import hashlib
import os
from datetime import timedelta

import pytest
from django.utils import timezone

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item, Upload

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}
OCTETS = "application/offset+octet-stream"


def _meta(**values):
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _auth(client, user):
    client.force_login(user)
    return client


def _create(client, length, name="photo.jpg", **extra):
    return client.post(
        "/files/",
        data=b"",
        content_type="",
        HTTP_UPLOAD_LENGTH=str(length),
        HTTP_UPLOAD_METADATA=_meta(filename=name, filetype="application/octet-stream"),
        **TUS,
        **extra,
    )


def _patch(client, url, data, offset, **extra):
    return client.generic("PATCH", url, data, content_type=OCTETS, HTTP_UPLOAD_OFFSET=str(offset), **TUS, **extra)


def test_options_lists_the_extensions(client):
    response = client.options("/files/")
    assert response.status_code == 204
    assert response["Tus-Version"] == "1.0.0"
    assert set(response["Tus-Extension"].split(",")) == {
        "creation",
        "creation-with-upload",
        "termination",
        "checksum",
        "expiration",
    }
    assert response["Tus-Checksum-Algorithm"] == "sha256"


def test_an_upload_in_two_patches_becomes_an_item(client, alice, django_capture_on_commit_callbacks):
    _auth(client, alice)
    data = os.urandom(150_000)
    created = _create(client, len(data), name="video.bin")
    assert created.status_code == 201
    url = created["Location"]
    assert created["Upload-Expires"]
    head = client.head(url, **TUS)
    assert (head.status_code, head["Upload-Offset"], head["Upload-Length"]) == (200, "0", str(len(data)))
    first = _patch(client, url, data[:100_000], 0)
    assert (first.status_code, first["Upload-Offset"]) == (204, "100000")
    with django_capture_on_commit_callbacks(execute=True):
        last = _patch(client, url, data[100_000:], 100_000)
    assert (last.status_code, last["Upload-Offset"]) == (204, str(len(data)))
    item = Item.objects.get(owner=alice)
    assert item.name == "video.bin"
    assert item.blob.sha256 == hashlib.sha256(data).hexdigest()
    assert blob_read(item.blob) == data
    assert last["Drawer-Item"] == str(item.public_id)


def test_creation_with_upload_finishes_in_one_request(client, alice):
    _auth(client, alice)
    data = b"hello drawer"
    response = client.post(
        "/files/",
        data=data,
        content_type=OCTETS,
        HTTP_UPLOAD_LENGTH=str(len(data)),
        HTTP_UPLOAD_METADATA=_meta(filename="hello.txt"),
        **TUS,
    )
    assert response.status_code == 201
    assert response["Upload-Offset"] == str(len(data))
    assert blob_read(Item.objects.get(owner=alice).blob) == data


def test_a_wrong_offset_is_a_409_and_nothing_is_written(client, alice):
    _auth(client, alice)
    url = _create(client, 100)["Location"]
    _patch(client, url, b"a" * 10, 0)
    response = _patch(client, url, b"b" * 10, 5)
    assert response.status_code == 409
    assert response.json()["code"] == "offset_mismatch"
    assert client.head(url, **TUS)["Upload-Offset"] == "10"


def test_a_bad_checksum_is_a_460_and_the_chunk_is_dropped(client, alice):
    _auth(client, alice)
    url = _create(client, 20)["Location"]
    wrong = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    response = _patch(client, url, b"x" * 10, 0, HTTP_UPLOAD_CHECKSUM=f"sha256 {wrong}")
    assert response.status_code == 460
    assert client.head(url, **TUS)["Upload-Offset"] == "0"
    right = base64.b64encode(hashlib.sha256(b"x" * 10).digest()).decode()
    assert _patch(client, url, b"x" * 10, 0, HTTP_UPLOAD_CHECKSUM=f"sha256 {right}").status_code == 204


def test_an_unknown_checksum_algorithm_is_a_400(client, alice):
    _auth(client, alice)
    url = _create(client, 20)["Location"]
    assert _patch(client, url, b"x", 0, HTTP_UPLOAD_CHECKSUM="md5 AAAA").status_code == 400


def test_termination_removes_the_upload(client, alice):
    _auth(client, alice)
    url = _create(client, 100)["Location"]
    assert client.delete(url, **TUS).status_code == 204
    assert client.head(url, **TUS).status_code == 404
    assert Upload.objects.count() == 0


def test_an_expired_upload_is_gone(client, alice):
    _auth(client, alice)
    url = _create(client, 100)["Location"]
    Upload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.head(url, **TUS).status_code == 410
    from sangsaeng.drawer.maintenance import drawer_sweep

    assert drawer_sweep()["uploads_expired"] == 1


@pytest.mark.parametrize("name", ["../../etc/passwd", "a/../../b", "..", "x\\..\\y"])
def test_path_traversal_in_a_tus_name_is_refused(client, alice, name):
    _auth(client, alice)
    response = _create(client, 10, name=name)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_name"
    assert Upload.objects.count() == 0


def test_an_upload_over_quota_is_refused_at_creation(client, alice, settings):
    settings.DRAWER_QUOTA_BYTES = 1000
    _auth(client, alice)
    response = _create(client, 5000)
    assert response.status_code == 413
    assert response.json()["code"] == "quota_exceeded"


def test_a_missing_tus_version_is_a_412(client, alice):
    _auth(client, alice)
    assert client.post("/files/", HTTP_UPLOAD_LENGTH="10").status_code == 412


def test_anonymous_uploads_are_refused(client):
    assert _create(client, 10).status_code == 401


def test_another_users_upload_is_a_404_and_unchanged(client, alice, bob):
    _auth(client, alice)
    url = _create(client, 100)["Location"]
    _patch(client, url, b"a" * 10, 0)
    client.force_login(bob)
    assert client.head(url, **TUS).status_code == 404
    assert _patch(client, url, b"b" * 10, 10).status_code == 404
    assert client.delete(url, **TUS).status_code == 404
    client.force_login(alice)
    assert client.head(url, **TUS)["Upload-Offset"] == "10"


def test_a_bearer_token_authenticates(client, alice):
    from sangsaeng.accounts.services import token_create

    _, secret = token_create(user=alice, label="phone")
    response = _create(client, 10, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201


def test_an_empty_file_completes_at_creation(client, alice):
    _auth(client, alice)
    response = _create(client, 0, name="empty.txt")
    assert response.status_code == 201
    assert response["Upload-Offset"] == "0"
    assert blob_read(Item.objects.get(owner=alice, name="empty.txt").blob) == b""
