"""Several ciphers at once: trash, restore, delete, move (the apps' multi-select)."""

import pytest

from sangsaeng.vault.models import Cipher
from sangsaeng.vault.tests.test_ciphers import login_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(bw_alice, alice_keys):
    return [bw_alice.post("/vault/api/ciphers", login_item(alice_keys)).json()["id"] for _ in range(2)]


def states():
    return sorted((str(c.public_id), c.deleted_at, c.folder_id) for c in Cipher.objects.all())


def test_trash_restore_and_delete_several(bw_alice, two):
    assert bw_alice.put("/vault/api/ciphers/delete", {"ids": two}).status_code == 200
    assert Cipher.objects.filter(deleted_at__isnull=False).count() == 2
    restored = bw_alice.put("/vault/api/ciphers/restore", {"ids": two}).json()
    assert sorted(c["id"] for c in restored["data"]) == sorted(two)
    assert all(c["deletedDate"] is None for c in restored["data"])
    assert bw_alice.delete("/vault/api/ciphers", {"ids": two}).status_code == 200
    assert not Cipher.objects.exists()


def test_move_several_to_a_folder(bw_alice, alice_keys, two):
    folder = bw_alice.post("/vault/api/folders", {"name": alice_keys.seal("업무")}).json()
    assert bw_alice.put("/vault/api/ciphers/move", {"ids": two, "folderId": folder["id"]}).status_code == 200
    moved = {str(public_id) for public_id in Cipher.objects.values_list("folder__public_id", flat=True)}
    assert moved == {folder["id"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("put", "/vault/api/ciphers/delete"),
        ("post", "/vault/api/ciphers/delete"),
        ("delete", "/vault/api/ciphers"),
        ("put", "/vault/api/ciphers/restore"),
        ("put", "/vault/api/ciphers/move"),
    ],
)
def test_one_foreign_id_refuses_the_whole_batch(bw_alice, bw_bob, bob_keys, two, method, path):
    mine = bw_bob.post("/vault/api/ciphers", login_item(bob_keys)).json()["id"]
    before = states()
    response = getattr(bw_bob, method)(path, {"ids": [mine, two[0]]})
    assert response.status_code == 404
    assert states() == before


def test_ids_must_be_a_bounded_list(bw_alice, two):
    assert bw_alice.put("/vault/api/ciphers/delete", {"ids": "all"}).status_code == 400
    assert bw_alice.put("/vault/api/ciphers/delete", {"ids": []}).status_code == 400
    assert Cipher.objects.filter(deleted_at__isnull=True).count() == 2
