"""`/api/ciphers`: create, read, update, soft delete, restore, delete; bad input; other users."""

import json

import pytest

from sangsaeng.vault.models import Cipher, VaultAccount

pytestmark = pytest.mark.django_db


def login_item(keys, *, name="네이버", password="pw-1", folder_id=None):
    return {
        "type": 1,
        "name": keys.seal(name),
        "notes": keys.seal("메모"),
        "folderId": folder_id,
        "favorite": False,
        "reprompt": 0,
        "fields": [{"type": 0, "name": keys.seal("PIN"), "value": keys.seal("1234"), "linkedId": None}],
        "login": {
            "username": keys.seal("alice"),
            "password": keys.seal(password),
            "totp": keys.seal("JBSWY3DPEHPK3PXP"),
            "uris": [{"uri": keys.seal("https://naver.com"), "match": None}],
            "passwordRevisionDate": None,
        },
    }


def snapshot():
    return [
        (c.public_id, c.name, json.dumps(c.data), c.deleted_at, c.updated_at) for c in Cipher.objects.order_by("id")
    ]


@pytest.fixture
def item(bw_alice, alice_keys):
    response = bw_alice.post("/vault/api/ciphers", login_item(alice_keys))
    assert response.status_code == 200, response.content
    return response.json()


def test_create_returns_cipher_details(bw_alice, alice_keys, item):
    assert item["object"] == "cipherDetails" and item["type"] == 1
    assert alice_keys.open(item["name"]) == "네이버"
    assert alice_keys.open(item["login"]["password"]) == "pw-1"
    assert item["login"]["uri"] == item["login"]["uris"][0]["uri"]
    assert (item["secureNote"], item["card"], item["identity"], item["sshKey"]) == (None, None, None, None)
    assert (item["deletedDate"], item["organizationId"], item["folderId"], item["attachments"]) == (
        None,
        None,
        None,
        None,
    )
    assert item["edit"] is True and item["collectionIds"] == []
    assert bw_alice.get(f"/vault/api/ciphers/{item['id']}").json() == item


def test_create_moves_the_revision_date(bw_alice, alice_keys):
    before = bw_alice.get("/vault/api/accounts/revision-date").json()
    bw_alice.post("/vault/api/ciphers", login_item(alice_keys))
    assert bw_alice.get("/vault/api/accounts/revision-date").json() > before


def test_create_wrapped_form(bw_alice, alice_keys):
    response = bw_alice.post("/vault/api/ciphers/create", {"cipher": login_item(alice_keys), "collectionIds": []})
    assert response.status_code == 200
    assert Cipher.objects.count() == 1


def test_update_replaces_the_contents(bw_alice, alice_keys, item):
    body = login_item(alice_keys, password="pw-2") | {"lastKnownRevisionDate": item["revisionDate"]}
    response = bw_alice.put(f"/vault/api/ciphers/{item['id']}", body)
    assert response.status_code == 200
    assert alice_keys.open(response.json()["login"]["password"]) == "pw-2"
    assert response.json()["revisionDate"] > item["revisionDate"]


def test_update_with_a_stale_copy_is_refused(bw_alice, alice_keys, item):
    # given the item was changed on another device after this client's copy
    bw_alice.put(f"/vault/api/ciphers/{item['id']}", login_item(alice_keys, password="pw-2"))
    before = snapshot()
    # when this client saves its older copy
    body = login_item(alice_keys, password="pw-3") | {"lastKnownRevisionDate": "2020-01-01T00:00:00.000Z"}
    response = bw_alice.put(f"/vault/api/ciphers/{item['id']}", body)
    # then it is refused and nothing changed
    assert response.status_code == 400
    assert (
        response.json()["message"] == "The client copy of this cipher is out of date. Resync the client and try again."
    )
    assert snapshot() == before


def test_partial_update_moves_to_a_folder_and_favourites(bw_alice, alice_keys, item):
    folder = bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")}).json()
    response = bw_alice.put(f"/vault/api/ciphers/{item['id']}/partial", {"folderId": folder["id"], "favorite": True})
    assert (response.json()["folderId"], response.json()["favorite"]) == (folder["id"], True)


def test_soft_delete_restore_and_permanent_delete(bw_alice, item):
    assert bw_alice.put(f"/vault/api/ciphers/{item['id']}/delete").status_code == 200
    assert bw_alice.get(f"/vault/api/ciphers/{item['id']}").json()["deletedDate"] is not None
    restored = bw_alice.put(f"/vault/api/ciphers/{item['id']}/restore")
    assert restored.status_code == 200 and restored.json()["deletedDate"] is None
    assert bw_alice.delete(f"/vault/api/ciphers/{item['id']}").status_code == 200
    assert not Cipher.objects.exists()
    assert bw_alice.get(f"/vault/api/ciphers/{item['id']}").status_code == 404


def test_post_delete_is_permanent(bw_alice, item):
    assert bw_alice.post(f"/vault/api/ciphers/{item['id']}/delete").status_code == 200
    assert not Cipher.objects.exists()


@pytest.mark.parametrize(
    ("method", "suffix"),
    [
        ("get", ""),
        ("put", ""),
        ("post", ""),
        ("delete", ""),
        ("put", "/delete"),
        ("post", "/delete"),
        ("put", "/restore"),
        ("put", "/partial"),
        ("get", "/details"),
    ],
)
def test_another_users_cipher_is_not_found_and_unchanged(bw_bob, bob_keys, item, method, suffix):
    before = snapshot()
    path = f"/vault/api/ciphers/{item['id']}{suffix}"
    if method == "get":
        response = bw_bob.get(path)
    else:
        response = getattr(bw_bob, method)(path, login_item(bob_keys) if suffix in ("", "/partial") else None)
    assert response.status_code == 404
    assert response.json()["object"] == "error" and response.json()["code"] == "not_found"
    assert snapshot() == before


def test_a_missing_or_malformed_id_is_the_same_404(bw_alice):
    assert bw_alice.get("/vault/api/ciphers/8c1c3d3e-0000-4000-8000-000000000000").status_code == 404
    assert bw_alice.get("/vault/api/ciphers/not-a-uuid").status_code == 404


def test_another_users_folder_cannot_be_used(bw_alice, bw_bob, alice_keys, bob_keys):
    folder = bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")}).json()
    response = bw_bob.post("/vault/api/ciphers", login_item(bob_keys, folder_id=folder["id"]))
    assert response.status_code == 404
    assert not Cipher.objects.exists()


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"name": "네이버"}, "invalid_encstring", "name"),
        ({"name": "2.notbase64|x|y"}, "invalid_encstring", "name"),
        ({"name": "2.AAAAAAAAAAAAAAAAAAAAAA==|AAAA|AAAA"}, "invalid_encstring", "name"),  # MAC not 32 bytes
        ({"name": "9.AAAA"}, "invalid_encstring", "name"),
        ({"notes": "plain notes"}, "invalid_encstring", "notes"),
        ({"login": {"password": "hunter2"}}, "invalid_encstring", "login.password"),
        ({"login": {"uris": [{"uri": "https://naver.com"}]}}, "invalid_encstring", "login.uris[0].uri"),
        ({"fields": [{"type": 0, "name": "PIN", "value": None}]}, "invalid_encstring", "fields[0].name"),
        ({"type": 99}, "unknown_cipher_type", "type"),
        ({"type": "1"}, "unknown_cipher_type", "type"),
        ({"name": None}, "missing_field", "name"),
    ],
)
def test_bad_input_is_a_400_in_bitwardens_format(bw_alice, alice_keys, change, code, field):
    response = bw_alice.post("/vault/api/ciphers", login_item(alice_keys) | change)
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["object"]) == (code, "error")
    assert body["validationErrors"] == {field: [body["message"]]}
    assert body["errorModel"] == {"message": body["message"], "object": "error"}
    assert not Cipher.objects.exists()


def test_oversized_fields_are_refused(bw_alice, alice_keys):
    huge = alice_keys.seal("x" * 2000)  # over the 1,000 characters Bitwarden allows for a name
    response = bw_alice.post("/vault/api/ciphers", login_item(alice_keys) | {"name": huge})
    assert response.status_code == 400
    assert response.json()["code"] == "field_too_long"
    assert not Cipher.objects.exists()


def test_an_oversized_body_is_refused(bw_alice, alice_keys, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = bw_alice.post("/vault/api/ciphers", login_item(alice_keys) | {"notes": alice_keys.seal("x" * 9000)})
    assert response.status_code == 413
    assert not Cipher.objects.exists()


def test_malformed_json_is_refused(bw_alice):
    response = bw_alice.post("/vault/api/ciphers", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "malformed_json"


def test_a_list_shows_only_my_own_items(bw_bob, item):

    assert bw_bob.get("/vault/api/ciphers").json()["data"] == []
    assert VaultAccount.objects.get(email="alice@example.com").ciphers.count() == 1


def test_request_bodies_are_never_logged(bw_alice, alice_keys, caplog):
    caplog.set_level("DEBUG")
    caplog.set_level("DEBUG", logger="django.request")
    secret = "hunter2-평문-비밀번호"
    bw_alice.post("/vault/api/ciphers", login_item(alice_keys) | {"notes": secret})
    bw_alice.post("/vault/identity/connect/token", {"grant_type": "password", "password": secret})
    assert any("Bad Request: /vault/api/ciphers" in r.getMessage() for r in caplog.records)  # logging ran ...
    assert secret not in caplog.text  # ... without the bodies
