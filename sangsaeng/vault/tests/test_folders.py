"""`/api/folders`: create, read, update, delete; other users get 404."""

import pytest

from sangsaeng.vault.models import Cipher, Folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def folder(bw_alice, alice_keys):
    response = bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")})
    assert response.status_code == 200
    return response.json()


def test_folder_crud(bw_alice, alice_keys, folder):
    assert folder["object"] == "folder" and alice_keys.open(folder["name"]) == "업무"
    assert bw_alice.get(f"/vault/api/folders/{folder['id']}").json() == folder
    renamed = bw_alice.put(f"/vault/api/folders/{folder['id']}", {"name": alice_keys.seal("개인")})
    assert alice_keys.open(renamed.json()["name"]) == "개인"
    assert [f["id"] for f in bw_alice.get("/vault/api/folders").json()["data"]] == [folder["id"]]
    assert bw_alice.delete(f"/vault/api/folders/{folder['id']}").status_code == 200
    assert not Folder.objects.exists()


def test_deleting_a_folder_keeps_its_items(bw_alice, alice_keys, folder):
    from sangsaeng.vault.tests.test_ciphers import login_item

    item = bw_alice.post("/vault/api/ciphers", login_item(alice_keys, folder_id=folder["id"])).json()
    bw_alice.delete(f"/vault/api/folders/{folder['id']}")
    assert Cipher.objects.get(public_id=item["id"]).folder is None


def test_folder_name_must_be_an_encstring(bw_alice):
    response = bw_alice.post("/vault/api/folders", {"name": "업무"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encstring"
    assert not Folder.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_another_users_folder_is_not_found_and_unchanged(bw_bob, bob_keys, folder, method):
    before = list(Folder.objects.values_list("public_id", "name", "updated_at"))
    path = f"/vault/api/folders/{folder['id']}"
    response = bw_bob.get(path) if method == "get" else getattr(bw_bob, method)(path, {"name": bob_keys.seal("x")})
    assert response.status_code == 404
    assert list(Folder.objects.values_list("public_id", "name", "updated_at")) == before
    assert bw_bob.get("/vault/api/folders").json()["data"] == []
