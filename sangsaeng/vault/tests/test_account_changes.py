"""Master password change, KDF change, vault deletion, and the platform account's deletion."""

import pytest

from sangsaeng.accounts.services import user_delete
from sangsaeng.vault import clientcrypto
from sangsaeng.vault.models import Cipher, Device, VaultAccount
from sangsaeng.vault.tests.conftest import token_login
from sangsaeng.vault.tests.test_ciphers import login_item

pytestmark = pytest.mark.django_db

WRONG = "d3Jvbmctd3Jvbmctd3Jvbmc="


def test_password_change_rewraps_the_user_key_and_signs_out_other_devices(alice, alice_keys, bw_alice):
    other = token_login(alice_keys, device="phone").json()
    new = clientcrypto.make_keys(alice.email, "새-마스터-비밀번호")
    new_key = clientcrypto.encrypt(
        alice_keys.user_key, *clientcrypto.stretch(clientcrypto.master_key(new.password, alice.email))
    )
    response = bw_alice.post(
        "/vault/api/accounts/password",
        {"masterPasswordHash": alice_keys.hash, "newMasterPasswordHash": new.hash, "key": new_key},
    )
    assert response.status_code == 200
    # the old password no longer logs in, the new one does, and gives the same user key back
    assert token_login(alice_keys).status_code == 400
    login = token_login(new, device="laptop-2")
    assert login.status_code == 200 and login.json()["Key"] == new_key
    # the phone's session ended; this device's refresh token survives
    assert not Device.objects.filter(identifier="phone").exists()
    assert Device.objects.filter(identifier="dev-1").exists()
    from sangsaeng.vault.tests.test_identity_token import refresh

    assert refresh(other["refresh_token"]).json() == {"error": "invalid_grant"}
    assert refresh(bw_alice.refresh_token).status_code == 200


def test_password_change_with_a_wrong_current_password_changes_nothing(alice_keys, bw_alice):
    before = VaultAccount.objects.values("password_hash", "user_key", "security_stamp").get()
    response = bw_alice.post(
        "/vault/api/accounts/password",
        {"masterPasswordHash": WRONG, "newMasterPasswordHash": alice_keys.hash, "key": alice_keys.protected_user_key},
    )
    assert response.status_code == 400
    assert VaultAccount.objects.values("password_hash", "user_key", "security_stamp").get() == before


def test_kdf_change(alice, alice_keys, bw_alice):
    new = clientcrypto.make_keys(alice.email, alice_keys.password, iterations=6000)
    new_key = clientcrypto.encrypt(
        alice_keys.user_key, *clientcrypto.stretch(clientcrypto.master_key(alice_keys.password, alice.email, 6000))
    )
    kdf = {"kdfType": 0, "iterations": 6000, "memory": None, "parallelism": None}
    response = bw_alice.post(
        "/vault/api/accounts/kdf",
        {
            "masterPasswordHash": alice_keys.hash,
            "authenticationData": {"kdf": kdf, "salt": alice.email, "masterPasswordAuthenticationHash": new.hash},
            "unlockData": {"kdf": kdf, "salt": alice.email, "masterKeyWrappedUserKey": new_key},
        },
    )
    assert response.status_code == 200, response.content
    account = VaultAccount.objects.get()
    assert (account.kdf_iterations, account.user_key) == (6000, new_key)
    assert token_login(new, device="d2").status_code == 200


def test_kdf_change_refuses_mismatched_settings(alice, alice_keys, bw_alice):
    response = bw_alice.post(
        "/vault/api/accounts/kdf",
        {
            "masterPasswordHash": alice_keys.hash,
            "authenticationData": {"kdf": {"kdfType": 0, "iterations": 6000}, "salt": alice.email},
            "unlockData": {"kdf": {"kdfType": 0, "iterations": 7000}, "salt": alice.email},
        },
    )
    assert response.status_code == 400
    assert VaultAccount.objects.get().kdf_iterations == 5000


def test_vault_deletion_needs_the_master_password(alice_keys, bw_alice):
    bw_alice.post("/vault/api/ciphers", login_item(alice_keys))
    assert bw_alice.delete("/vault/api/accounts", {"masterPasswordHash": WRONG}).status_code == 400
    assert Cipher.objects.count() == 1
    assert bw_alice.delete("/vault/api/accounts", {"masterPasswordHash": alice_keys.hash}).status_code == 200
    assert (VaultAccount.objects.count(), Cipher.objects.count(), Device.objects.count()) == (0, 0, 0)


def test_deleting_the_platform_account_erases_the_vault(
    alice, alice_keys, bob_keys, bw_alice, django_capture_on_commit_callbacks
):
    bw_alice.post("/vault/api/ciphers", login_item(alice_keys))
    with django_capture_on_commit_callbacks(execute=True):
        user_delete(user=alice)
    assert list(VaultAccount.objects.values_list("email", flat=True)) == ["bob@example.com"]
    assert Cipher.objects.count() == 0
