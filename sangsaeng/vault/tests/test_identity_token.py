"""Prelogin and `/identity/connect/token`: password and refresh grants, throttling, stamps."""

import pytest
from django.test import Client

from sangsaeng.vault import services, tokens
from sangsaeng.vault.models import Device, VaultAccount
from sangsaeng.vault.tests.conftest import BitwardenClient, token_login

pytestmark = pytest.mark.django_db

TOKEN = "/vault/identity/connect/token"


def refresh(refresh_token, ip="127.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(
        TOKEN, {"grant_type": "refresh_token", "client_id": "cli", "refresh_token": refresh_token}
    )


@pytest.mark.parametrize("path", ["/vault/identity/accounts/prelogin", "/vault/identity/accounts/prelogin/password"])
def test_prelogin_gives_the_accounts_kdf(alice_keys, path):
    response = Client().post(path, {"email": "ALICE@example.com"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {
        "kdf": 0,
        "kdfIterations": 5000,
        "kdfMemory": None,
        "kdfParallelism": None,
        "kdfSettings": {"kdfType": 0, "iterations": 5000, "memory": None, "parallelism": None},
        "salt": None,
    }


def test_prelogin_for_an_unknown_email_gives_the_default_in_the_same_shape(db):
    response = Client().post(
        "/vault/identity/accounts/prelogin/password", {"email": "nobody@example.com"}, content_type="application/json"
    )
    assert response.json()["kdfIterations"] == services.DEFAULT_KDF_ITERATIONS
    assert set(response.json()) == {"kdf", "kdfIterations", "kdfMemory", "kdfParallelism", "kdfSettings", "salt"}


def test_password_grant_returns_tokens_keys_and_kdf(alice, alice_keys):
    response = token_login(alice_keys)
    assert response.status_code == 200
    body = response.json()
    account = VaultAccount.objects.get(user=alice)
    assert body["token_type"] == "Bearer" and body["expires_in"] == tokens.ACCESS_TOKEN_SECONDS
    assert body["scope"] == "api offline_access"
    assert (body["Key"], body["PrivateKey"]) == (alice_keys.protected_user_key, alice_keys.protected_private_key)
    assert (body["Kdf"], body["KdfIterations"], body["KdfMemory"], body["KdfParallelism"]) == (0, 5000, None, None)
    assert body["AccountKeys"]["publicKeyEncryptionKeyPair"]["publicKey"] == alice_keys.public_key
    unlock = body["UserDecryptionOptions"]["MasterPasswordUnlock"]
    assert unlock["Salt"] == alice.email and unlock["MasterKeyWrappedUserKey"] == alice_keys.protected_user_key
    claims = tokens.jwt_decode(body["access_token"])
    assert claims is not None
    assert (claims["sub"], claims["email"], claims["sstamp"]) == (
        str(account.public_id),
        alice.email,
        str(account.security_stamp),
    )
    assert claims["amr"] == ["Application"] and claims["iss"] == "http://testserver/vault|login"
    device = Device.objects.get(account=account)
    assert (device.identifier, device.name, device.type) == ("dev-1", "linux", 25)
    assert device.refresh_token_hash == tokens.refresh_token_hash(body["refresh_token"])


def test_wrong_password_gets_the_message_the_clients_show(alice_keys):
    response = token_login(alice_keys, password_hash="d3JvbmctaGFzaC13cm9uZy1oYXNoLXdyb25n")
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "invalid_username_or_password",
        "ErrorModel": {"Message": "Username or password is incorrect. Try again.", "Object": "error"},
    }
    assert not Device.objects.exists()


def test_unknown_email_gets_the_same_answer_as_a_wrong_password(alice_keys):
    alice_keys.email = "nobody@example.com"
    response = token_login(alice_keys)
    assert response.status_code == 400
    assert response.json()["ErrorModel"]["Message"] == "Username or password is incorrect. Try again."


def test_logins_are_throttled_per_account(alice_keys, settings):
    settings.SIGNIN_RATE_PER_ACCOUNT = 3
    wrong = "d3JvbmctaGFzaC13cm9uZy1oYXNoLXdyb25n"
    # given three failures for alice's account, from three different addresses
    for n in range(3):
        assert token_login(alice_keys, password_hash=wrong, ip=f"10.0.0.{n}").status_code == 400
    # when the right password comes from a fourth address
    response = token_login(alice_keys, ip="10.0.0.9")
    # then the account is still throttled, and nothing was signed in
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["error_description"] == "too_many_requests"
    assert not Device.objects.exists()


def test_logins_are_throttled_per_ip(alice_keys, bob_keys, settings):
    settings.SIGNIN_RATE_PER_IP = 2
    wrong = "d3JvbmctaGFzaC13cm9uZy1oYXNoLXdyb25n"
    assert token_login(alice_keys, password_hash=wrong, ip="10.9.9.9").status_code == 400
    assert token_login(bob_keys, password_hash=wrong, ip="10.9.9.9").status_code == 400
    # another account from the same address is throttled too; another address is not
    assert token_login(bob_keys, ip="10.9.9.9").status_code == 429
    assert token_login(bob_keys, ip="10.1.1.1").status_code == 200


def test_refresh_grant_issues_a_new_access_token(bw_alice):
    response = refresh(bw_alice.refresh_token)
    assert response.status_code == 200
    body = response.json()
    assert body["refresh_token"] == bw_alice.refresh_token and body["token_type"] == "Bearer"
    assert BitwardenClient(body["access_token"]).get("/vault/api/accounts/revision-date").status_code == 200


def test_a_bad_refresh_token_is_invalid_grant(db):
    response = refresh("not-a-token")
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant"}


def test_security_stamp_rotation_kills_refresh_and_access_tokens(bw_alice, alice_keys):
    # when alice logs out every device
    response = bw_alice.post("/vault/api/accounts/security-stamp", {"masterPasswordHash": alice_keys.hash})
    assert response.status_code == 200
    # then neither her refresh token nor her access token works any more
    assert refresh(bw_alice.refresh_token).json() == {"error": "invalid_grant"}
    assert bw_alice.get("/vault/api/sync").status_code == 401
    assert not Device.objects.exists()
    # and a fresh login works
    assert token_login(alice_keys).status_code == 200


def test_security_stamp_rotation_needs_the_master_password(bw_alice):
    stamp = VaultAccount.objects.get().security_stamp
    response = bw_alice.post("/vault/api/accounts/security-stamp", {"masterPasswordHash": "d3Jvbmctd3Jvbmctd3Jvbmc="})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_password"
    assert VaultAccount.objects.get().security_stamp == stamp
    assert refresh(bw_alice.refresh_token).status_code == 200


def test_api_needs_a_valid_bearer_token(bw_alice):
    assert BitwardenClient().get("/vault/api/sync").status_code == 401
    forged = bw_alice.token[:-4] + ("AAAA" if not bw_alice.token.endswith("AAAA") else "BBBB")
    response = BitwardenClient(forged).get("/vault/api/sync")
    assert response.status_code == 401
    assert response.json()["object"] == "error"


def test_unsupported_grant_type(db):
    response = Client().post(TOKEN, {"grant_type": "client_credentials"})
    assert response.status_code == 400
    assert response.json() == {"error": "unsupported_grant_type"}


def test_a_refresh_token_unused_for_thirty_days_is_dead(bw_alice):
    from datetime import timedelta

    from django.utils import timezone

    Device.objects.update(last_seen_at=timezone.now() - services.REFRESH_IDLE - timedelta(minutes=1))
    assert refresh(bw_alice.refresh_token).json() == {"error": "invalid_grant"}


def test_master_password_checks_of_signed_in_operations_share_the_login_throttle(bw_alice, alice_keys, settings):
    settings.SIGNIN_RATE_PER_ACCOUNT = 2
    wrong = {"masterPasswordHash": "d3Jvbmctd3Jvbmctd3Jvbmc="}
    assert bw_alice.post("/vault/api/accounts/verify-password", wrong).status_code == 400
    assert bw_alice.post("/vault/api/accounts/verify-password", wrong).status_code == 400
    # the budget is spent: even the right password waits, and so does a fresh login
    right = bw_alice.post("/vault/api/accounts/verify-password", {"masterPasswordHash": alice_keys.hash})
    assert right.status_code == 429 and right.json()["code"] == "rate_limited"
    assert token_login(alice_keys, device="other").status_code == 429


def test_logins_and_failures_are_in_the_audit_log(alice, alice_keys):
    from sangsaeng.core.audit import audit_list

    token_login(alice_keys, password_hash="d3JvbmctaGFzaC13cm9uZy1oYXNoLXdyb25n", ip="10.2.2.2")
    token_login(alice_keys, ip="10.3.3.3")
    events = [(e.action, e.data) for e in audit_list(actor=alice) if e.action.startswith("vault.login")]
    assert events == [("vault.login", {"ip": "10.3.3.3"}), ("vault.login_failed", {"ip": "10.2.2.2"})]
