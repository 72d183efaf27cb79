"""Library pages: timeline by day and month, infinite scroll, item, Range, trash, albums, filters."""

from datetime import UTC, datetime, timedelta

import pytest

from sangsaeng.drawer.blobs import blob_read
from sangsaeng.drawer.models import Album, Item
from sangsaeng.drawer.services import file_save_from
from sangsaeng.drawer.tests import media


@pytest.fixture
def photo(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = file_save_from(
            owner=alice,
            name="서울.jpg",
            source="test",
            data=media.jpeg(taken=datetime(2025, 3, 1, 9, 0), gps=(37.5730, 126.9794)),
        )
    item.refresh_from_db()
    return item


def test_the_timeline_groups_by_month_and_day_in_seoul_time(client, alice, photo):
    client.force_login(alice)
    page = client.get("/drawer/").content.decode()
    assert "2025년 3월" in page
    assert "3월 1일" in page and "서울 종로구" in page
    assert f"/drawer/items/{photo.public_id}/" in page


def test_the_timeline_scrolls_in_pages_with_htmx(client, alice):
    client.force_login(alice)
    base = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(65):
        item = file_save_from(owner=alice, name=f"f{i}.txt", data=str(i).encode(), source="test")
        Item.objects.filter(pk=item.pk).update(sort_at=base + timedelta(hours=i))
    first = client.get("/drawer/").content.decode()
    assert first.count('data-testid="tile"') == 60
    next_url = first.split('hx-get="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get("/drawer/" + next_url, HTTP_HX_REQUEST="true").content.decode()
    assert second.count('data-testid="tile"') == 5
    assert "<html" not in second
    assert 'hx-get="' not in second


def test_filters_by_type_place_and_date(client, alice, photo):
    client.force_login(alice)
    file_save_from(owner=alice, name="memo.txt", data=b"memo", source="test")
    assert "memo.txt" not in client.get("/drawer/", {"kind": "image"}).content.decode()
    assert "서울.jpg" in client.get("/drawer/", {"place": "서울"}).content.decode()
    assert "서울.jpg" not in client.get("/drawer/", {"from": "2025-03-02"}).content.decode()
    assert "서울.jpg" in client.get("/drawer/", {"from": "2025-03-01", "to": "2025-03-01"}).content.decode()
    assert client.get("/drawer/", {"from": "2025-02-30", "before": "2025-99-01T00:00:00", "id": "x"}).status_code == 200


def test_the_web_page_uploads_files_by_multipart(client, alice, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/drawer/upload", {"files": [SimpleUploadedFile("a.png", media.png()), SimpleUploadedFile("b.txt", b"b")]}
        )
    assert response.status_code == 302
    assert sorted(Item.objects.filter(owner=alice).values_list("name", "status")) == [
        ("a.png", "ready"),
        ("b.txt", "ready"),
    ]


def test_originals_download_and_ranges_are_served(client, alice, photo):
    client.force_login(alice)
    data = blob_read(photo.blob)
    whole = client.get(f"/drawer/items/{photo.public_id}/file/original")
    assert b"".join(whole.streaming_content) == data
    assert "attachment" in whole["Content-Disposition"]
    part = client.get(f"/drawer/items/{photo.public_id}/file/original", HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]
    tail = client.get(f"/drawer/items/{photo.public_id}/file/original", HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == data[-10:]
    bad = client.get(f"/drawer/items/{photo.public_id}/file/original", HTTP_RANGE=f"bytes={len(data)}-")
    assert bad.status_code == 416
    thumb = client.get(f"/drawer/items/{photo.public_id}/file/thumb")
    assert thumb["Content-Type"] == "image/webp"


def test_trash_and_restore(client, alice, photo):
    client.force_login(alice)
    client.post(f"/drawer/items/{photo.public_id}/trash")
    assert "서울.jpg" not in client.get("/drawer/").content.decode()
    assert "서울.jpg" in client.get("/drawer/trash/").content.decode()
    client.post(f"/drawer/items/{photo.public_id}/restore")
    photo.refresh_from_db()
    assert photo.trashed_at is None
    assert "서울.jpg" in client.get("/drawer/").content.decode()


def test_trash_older_than_30_days_is_purged(alice, photo):
    from sangsaeng.drawer.maintenance import drawer_sweep
    from sangsaeng.drawer.models import Blob

    Item.objects.filter(pk=photo.pk).update(trashed_at=datetime.now(UTC) - timedelta(days=31))
    assert drawer_sweep()["trash_purged"] == 1
    assert not Item.objects.filter(pk=photo.pk).exists()
    assert Blob.objects.filter(owner=alice).count() == 0


def test_favourites_and_albums(client, alice, photo):
    client.force_login(alice)
    client.post(f"/drawer/items/{photo.public_id}/favourite", {"favourite": "1"})
    assert "서울.jpg" in client.get("/drawer/favourites/").content.decode()
    client.post("/drawer/albums/", {"title": "봄 여행"})
    album = Album.objects.get(owner=alice)
    client.post(f"/drawer/items/{photo.public_id}/album", {"album": str(album.public_id)})
    assert "서울.jpg" in client.get(f"/drawer/albums/{album.public_id}/").content.decode()
    client.post(f"/drawer/items/{photo.public_id}/album/remove", {"album": str(album.public_id)})
    assert album.items.count() == 0


def test_another_user_gets_404_on_every_item_page_and_nothing_changes(client, bob, photo):
    client.force_login(bob)
    base = f"/drawer/items/{photo.public_id}"
    for url in [f"{base}/", f"{base}/file/original", f"{base}/file/thumb", f"{base}/file/video"]:
        assert client.get(url).status_code == 404, url
    for url in [f"{base}/favourite", f"{base}/trash", f"{base}/restore", f"{base}/purge"]:
        assert client.post(url, {"favourite": "1"}).status_code == 404, url
    album = Album.objects.create(owner=photo.owner, title="x")
    assert client.get(f"/drawer/albums/{album.public_id}/").status_code == 404
    assert client.post(f"{base}/album", {"album": str(album.public_id)}).status_code == 404
    assert client.post(f"{base}/album/remove", {"album": str(album.public_id)}).status_code == 404
    assert client.post("/drawer/shares/", {"item": str(photo.public_id)}).status_code == 404
    photo.refresh_from_db()
    assert (photo.favourite, photo.trashed_at, photo.shares.count(), album.items.count()) == (False, None, 0, 0)
    assert photo.name not in client.get("/drawer/").content.decode()


def test_pages_need_sign_in(client, photo):
    assert client.get("/drawer/").status_code == 302
    assert client.get(f"/drawer/items/{photo.public_id}/file/original").status_code == 302


def test_a_video_whose_type_was_lied_about_is_not_served_as_html(client, alice):
    item = file_save_from(
        owner=alice, name="x.mp4", data=b"<script>alert(1)</script>", content_type="text/html", source="test"
    )
    client.force_login(alice)
    response = client.get(f"/drawer/items/{item.public_id}/file/video")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"
