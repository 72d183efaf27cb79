"""Bad input in a row: corrupt JPEG, HEIC and MP4, a bomb, a traversal name, a wrong offset and
checksum. Each is refused or marked failed with a reason; the healthy item and the server stay fine."""

import base64
import hashlib

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.tests import media

TUS = {"HTTP_TUS_RESUMABLE": "1.0.0"}


def _tus_create(client, name, length):
    meta = f"filename {base64.b64encode(name.encode()).decode()}"
    return client.post(
        "/files/", data=b"", content_type="", HTTP_UPLOAD_LENGTH=str(length), HTTP_UPLOAD_METADATA=meta, **TUS
    )


def test_bad_input_never_harms_what_is_stored(client, alice, settings, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.DRAWER_MAX_IMAGE_PIXELS = 1_000_000
    client.force_login(alice)
    good = media.jpeg()
    bad = {
        "corrupt.jpg": b"\xff\xd8\xff\xe0" + b"\x00junk" * 200,
        "corrupt.heic": b"\x00\x00\x00\x18ftypheic" + b"\x01" * 300,
        "corrupt.mp4": b"\x00\x00\x00\x18ftypisom" + b"\x02" * 300,
        "bomb.png": media.bomb_png(2000, 2000),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/drawer/upload", {"files": [SimpleUploadedFile("good.jpg", good)]})
        client.post("/drawer/upload", {"files": [SimpleUploadedFile(n, d) for n, d in bad.items()]})
    assert _tus_create(client, "../../../etc/passwd", 10).status_code == 400
    url = _tus_create(client, "ok.bin", 20)["Location"]
    assert (
        client.generic(
            "PATCH", url, b"x" * 5, content_type="application/offset+octet-stream", HTTP_UPLOAD_OFFSET="3", **TUS
        ).status_code
        == 409
    )
    wrong = base64.b64encode(hashlib.sha256(b"nope").digest()).decode()
    assert (
        client.generic(
            "PATCH",
            url,
            b"x" * 5,
            content_type="application/offset+octet-stream",
            HTTP_UPLOAD_OFFSET="0",
            HTTP_UPLOAD_CHECKSUM=f"sha256 {wrong}",
            **TUS,
        ).status_code
        == 460
    )

    failed = {i.name: i.failure_reason for i in Item.objects.filter(owner=alice, status="failed")}
    assert set(failed) == set(bad)
    assert all(failed.values())
    for item in Item.objects.filter(owner=alice, name__in=bad):
        assert blob_read(item.blob) == bad[item.name]  # the original is kept
    healthy = Item.objects.get(owner=alice, name="good.jpg")
    assert healthy.status == "ready" and blob_read(healthy.blob) == good
    assert client.get(f"/drawer/items/{healthy.public_id}/file/thumb").status_code == 200
    health = client.get("/healthz").json()
    assert health["status"] == "ok"
    assert health["checks"]["drawer_storage"]["status"] == "ok"
