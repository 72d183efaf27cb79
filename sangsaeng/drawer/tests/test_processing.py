"""Processing: EXIF, thumbnails and previews, HEIC, video poster/transcode, bad files fail with a reason."""

from datetime import UTC, datetime

import pytest
from PIL import Image

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Item
from sangsaeng.drawer.services import file_save_from
from sangsaeng.drawer.tests import media


def _save(owner, name, data, capture):
    with capture(execute=True):
        item = file_save_from(owner=owner, name=name, data=data, source="test")
    item.refresh_from_db()
    return item


def test_a_photo_gets_exif_place_thumbnail_and_preview(alice, django_capture_on_commit_callbacks):
    # given a 2000 px photo taken in Jeju
    data = media.jpeg(size=(2000, 1500), taken=datetime(2024, 5, 5, 14, 30), gps=(33.4996, 126.5312))
    # when
    item = _save(alice, "jeju.jpg", data, django_capture_on_commit_callbacks)
    # then
    assert item.status == Item.Status.READY, item.failure_reason
    assert item.kind == "image"
    assert item.taken_at == datetime(2024, 5, 5, 5, 30, tzinfo=UTC)
    assert item.sort_at == item.taken_at
    assert item.camera == "Samsung Galaxy S24"
    assert item.latitude == pytest.approx(33.4996, abs=1e-3)
    assert item.longitude == pytest.approx(126.5312, abs=1e-3)
    assert item.place == "제주시"
    assert (item.width, item.height) == (2000, 1500)
    import io

    thumb = Image.open(io.BytesIO(blob_read(item.thumbnail)))
    preview = Image.open(io.BytesIO(blob_read(item.preview)))
    assert thumb.format == "WEBP" and max(thumb.size) == 250
    assert preview.format == "JPEG" and max(preview.size) == 1440


def test_a_heic_photo_gets_a_thumbnail(alice, django_capture_on_commit_callbacks):
    item = _save(alice, "IMG_0001.HEIC", media.heic(), django_capture_on_commit_callbacks)
    assert item.status == Item.Status.READY, item.failure_reason
    assert (item.width, item.height) == (256, 192)
    assert item.thumbnail is not None


def test_a_video_gets_duration_resolution_poster_and_720p_transcode(
    alice, tmp_path, django_capture_on_commit_callbacks
):
    data = media.mp4(tmp_path / "clip.mp4", seconds=1.0, size="320x240", created="2025-12-24T11:00:00Z")
    item = _save(alice, "clip.mp4", data, django_capture_on_commit_callbacks)
    assert item.status == Item.Status.READY, item.failure_reason
    assert item.kind == "video"
    assert (item.width, item.height) == (320, 240)
    assert item.duration == pytest.approx(1.0, abs=0.15)
    assert item.taken_at == datetime(2025, 12, 24, 11, 0, tzinfo=UTC)
    assert item.poster is not None and item.thumbnail is not None
    assert blob_read(item.transcode, 4, 8) == b"ftyp"


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00garbage" * 100, "not a readable image"),
        ("broken.heic", b"\x00\x00\x00\x18ftypheic" + b"\x00" * 200, "not a readable image"),
        ("broken.mp4", b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 500, "not a readable video"),
    ],
)
def test_a_corrupt_file_is_marked_failed_and_the_original_kept(
    alice, name, data, reason, django_capture_on_commit_callbacks
):
    healthy = _save(alice, "ok.png", media.png(), django_capture_on_commit_callbacks)
    item = _save(alice, name, data, django_capture_on_commit_callbacks)
    assert item.status == Item.Status.FAILED
    assert item.failure_reason.startswith(reason)
    assert blob_read(item.blob) == data
    healthy.refresh_from_db()
    assert healthy.status == Item.Status.READY


def test_a_decompression_bomb_is_refused(alice, settings, django_capture_on_commit_callbacks):
    settings.DRAWER_MAX_IMAGE_PIXELS = 1_000_000
    item = _save(alice, "bomb.png", media.bomb_png(2000, 2000), django_capture_on_commit_callbacks)
    assert item.status == Item.Status.FAILED
    assert item.failure_reason.startswith("decompression bomb")
