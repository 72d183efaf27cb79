"""/api/v1/drawer: bulk checksum check, items, trash and restore; another user's ids are 404."""

import base64
import hashlib

from sangsaeng.drawer.models import Item
from sangsaeng.drawer.services import file_save_from


def test_bulk_upload_check_rejects_what_the_drawer_has(api_alice, alice):
    # given one stored file
    file_save_from(owner=alice, name="a.jpg", data=b"photo-a", source="test")
    have = hashlib.sha256(b"photo-a").hexdigest()
    new = base64.b64encode(hashlib.sha256(b"photo-b").digest()).decode()
    # when the phone asks about two, one in hex and one in base64
    response = api_alice.post(
        "/api/v1/drawer/bulk-upload-check", {"assets": [{"id": "1", "checksum": have}, {"id": "2", "checksum": new}]}
    )
    # then
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["action"] == "reject" and results[0]["reason"] == "duplicate"
    assert results[0]["asset_id"] == str(Item.objects.get(owner=alice).public_id)
    assert results[1] == {"id": "2", "action": "accept", "reason": None, "asset_id": None, "is_trashed": False}


def test_bulk_upload_check_does_not_see_other_users_files(api_bob, alice):
    file_save_from(owner=alice, name="a.jpg", data=b"photo-a", source="test")
    response = api_bob.post(
        "/api/v1/drawer/bulk-upload-check",
        {"assets": [{"id": "1", "checksum": hashlib.sha256(b"photo-a").hexdigest()}]},
    )
    assert response.json()["results"][0]["action"] == "accept"


def test_a_bad_checksum_is_a_422(api_alice):
    response = api_alice.post("/api/v1/drawer/bulk-upload-check", {"assets": [{"id": "1", "checksum": "xyz"}]})
    assert response.status_code == 422
    assert response.json()["field"] == "checksum"


def test_items_trash_and_restore(api_alice, alice):
    item = file_save_from(owner=alice, name="a.txt", data=b"a", source="test")
    got = api_alice.get(f"/api/v1/drawer/items/{item.public_id}").json()
    assert got["sha256"] == hashlib.sha256(b"a").hexdigest()
    assert api_alice.delete(f"/api/v1/drawer/items/{item.public_id}").json()["trashed_at"] is not None
    assert api_alice.post(f"/api/v1/drawer/items/{item.public_id}/restore").json()["trashed_at"] is None
    assert api_alice.get("/api/v1/drawer/usage").json()["used"] == 1


def test_another_users_item_is_404_everywhere_and_unchanged(api_bob, alice):
    item = file_save_from(owner=alice, name="a.txt", data=b"a", source="test")
    for response in [
        api_bob.get(f"/api/v1/drawer/items/{item.public_id}"),
        api_bob.delete(f"/api/v1/drawer/items/{item.public_id}"),
        api_bob.post(f"/api/v1/drawer/items/{item.public_id}/restore"),
        api_bob.get("/api/v1/drawer/items/not-a-uuid"),
    ]:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    item.refresh_from_db()
    assert item.trashed_at is None


def test_the_item_list_pages_with_a_cursor_and_shows_only_mine(api_alice, alice, bob):
    from datetime import UTC, datetime, timedelta

    for i in range(5):
        item = file_save_from(owner=alice, name=f"{i}.txt", data=str(i).encode(), source="test")
        Item.objects.filter(pk=item.pk).update(sort_at=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(days=i))
    file_save_from(owner=bob, name="bob.txt", data=b"b", source="test")
    first = api_alice.get("/api/v1/drawer/items", {"limit": 3}).json()
    assert [i["name"] for i in first["items"]] == ["4.txt", "3.txt", "2.txt"]
    second = api_alice.get("/api/v1/drawer/items", {"limit": 3, "cursor": first["next_cursor"]}).json()
    assert [i["name"] for i in second["items"]] == ["1.txt", "0.txt"]
    assert second["next_cursor"] is None
    assert api_alice.get("/api/v1/drawer/items", {"cursor": "nonsense"}).status_code == 422


def test_the_openapi_document_lists_the_drawer_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/drawer/bulk-upload-check", "/api/v1/drawer/items", "/api/v1/drawer/usage"} <= set(paths)


def test_a_non_ascii_checksum_is_a_422_not_a_500(api_alice):
    # found by the schemathesis run: base64 raises ValueError, not binascii.Error, on non-ASCII text
    response = api_alice.post(
        "/api/v1/drawer/bulk-upload-check", data={"assets": [{"id": "x", "checksum": "(é\u001f{\u0080𘔓"}]}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "checksum"
