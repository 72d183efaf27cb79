"""`/api/sync`, `/api/accounts/profile`, `/api/accounts/revision-date`, `/api/config`."""

import pytest
from django.test import Client

from sangsaeng.vault.models import VaultAccount
from sangsaeng.vault.tests.test_ciphers import login_item

pytestmark = pytest.mark.django_db


def test_sync_has_profile_folders_and_ciphers(bw_alice, alice_keys, alice):
    folder = bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")}).json()
    item = bw_alice.post("/vault/api/ciphers", login_item(alice_keys, folder_id=folder["id"])).json()
    response = bw_alice.get("/vault/api/sync", {"excludeDomains": "true"})
    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "sync"
    assert body["profile"]["email"] == alice.email and body["profile"]["key"] == alice_keys.protected_user_key
    assert body["profile"]["object"] == "profile"
    assert body["folders"] == [folder]
    assert body["ciphers"] == [item]
    assert body["domains"] is None
    assert (body["collections"], body["policies"], body["sends"]) == ([], [], [])
    unlock = body["userDecryption"]["masterPasswordUnlock"]
    assert unlock["kdf"] == {"kdfType": 0, "iterations": 5000, "memory": None, "parallelism": None}
    assert unlock["salt"] == alice.email


def test_sync_shows_only_my_items(bw_alice, bw_bob, alice_keys):
    bw_alice.post("/vault/api/ciphers", login_item(alice_keys))
    body = bw_bob.get("/vault/api/sync").json()
    assert (body["ciphers"], body["folders"]) == ([], [])
    assert body["domains"]["object"] == "domains"


def test_revision_date_is_milliseconds_of_the_last_change(bw_alice, alice_keys):
    account = VaultAccount.objects.get()
    assert bw_alice.get("/vault/api/accounts/revision-date").json() == int(account.revision_date.timestamp() * 1000)


def test_profile_read_and_update(bw_alice, alice):
    assert bw_alice.get("/vault/api/accounts/profile").json()["email"] == alice.email
    updated = bw_alice.put("/vault/api/accounts/profile", {"name": "앨리스", "masterPasswordHint": "고양이"})
    assert updated.json()["name"] == "앨리스"
    assert VaultAccount.objects.get().password_hint == "고양이"


def test_config_points_clients_at_this_server(db):
    body = Client().get("/vault/api/config", secure=True).json()
    assert body["object"] == "config" and body["version"] == "2026.6.0"
    assert body["environment"]["api"] == "https://testserver/vault/api"
    assert body["environment"]["identity"] == "https://testserver/vault/identity"
