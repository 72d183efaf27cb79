"""Sign-up: the old `/identity/accounts/register` and `register/send-verification-email` + `finish`."""

import pytest
from django.core import mail
from django.test import Client

from sangsaeng.vault import clientcrypto, services
from sangsaeng.vault.models import VaultAccount

pytestmark = pytest.mark.django_db

REGISTER = "/vault/identity/accounts/register"
SEND = "/vault/identity/accounts/register/send-verification-email"
FINISH = "/vault/identity/accounts/register/finish"


def post(path, body):
    return Client().post(path, body, content_type="application/json")


def test_old_register_works_while_sign_up_is_open(alice):
    # given alice opened sign-up from the settings page
    services.signup_window_open(user=alice)
    keys = clientcrypto.make_keys(alice.email, "master-pw-1")
    # when her app registers
    response = post(REGISTER, clientcrypto.register_payload(keys))
    # then her vault exists with what the client sent, and the login hash is stored only re-hashed
    assert response.status_code == 200
    assert response.json() == {"object": "register", "captchaBypassToken": ""}
    account = VaultAccount.objects.get(user=alice)
    assert (account.email, account.kdf_type, account.kdf_iterations) == (alice.email, 0, 5000)
    assert account.user_key == keys.protected_user_key
    assert account.private_key == keys.protected_private_key
    assert keys.hash not in account.password_hash and account.password_hash.startswith("argon2")


def test_old_register_is_refused_without_open_sign_up_or_token(alice):
    keys = clientcrypto.make_keys(alice.email, "master-pw-1")
    response = post(REGISTER, clientcrypto.register_payload(keys))
    assert response.status_code == 400
    body = response.json()
    assert body["object"] == "error" and body["code"] == "signup_not_allowed"
    assert body["errorModel"]["message"] == body["message"]
    assert not VaultAccount.objects.exists()


def test_register_for_an_email_without_a_platform_account_is_refused(db):
    keys = clientcrypto.make_keys("nobody@example.com", "master-pw-1")
    token = services.signup_token_create(email="nobody@example.com")
    response = post(REGISTER, clientcrypto.register_payload(keys, token=token))
    assert response.status_code == 400
    assert response.json()["code"] == "signup_not_allowed"
    assert not VaultAccount.objects.exists()


def test_a_token_for_another_email_is_refused(alice, bob):
    keys = clientcrypto.make_keys(alice.email, "master-pw-1")
    response = post(REGISTER, clientcrypto.register_payload(keys, token=services.signup_token_create(email=bob.email)))
    assert response.status_code == 400
    assert not VaultAccount.objects.exists()


def test_current_flow_mails_a_token_then_finishes_with_it(alice):
    # when alice's app asks for a verification email (sign-up not opened on the site)
    response = post(SEND, {"email": "  Alice@Example.com ", "name": "앨리스"})
    # then the platform address gets the token, and nothing in the answer says the account exists
    assert response.status_code == 204
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]
    token = next(line for line in mail.outbox[0].body.splitlines() if line.count(":") >= 2)
    keys = clientcrypto.make_keys(alice.email, "master-pw-1")
    kdf = {"kdfType": 0, "iterations": 5000, "memory": None, "parallelism": None}
    finished = post(
        FINISH,
        {
            "email": alice.email,
            "emailVerificationToken": token,
            "masterPasswordAuthentication": {
                "kdf": kdf,
                "salt": alice.email,
                "masterPasswordAuthenticationHash": keys.hash,
            },
            "masterPasswordUnlock": {
                "kdf": kdf,
                "salt": alice.email,
                "masterKeyWrappedUserKey": keys.protected_user_key,
            },
            "userAsymmetricKeys": {"publicKey": keys.public_key, "encryptedPrivateKey": keys.protected_private_key},
        },
    )
    assert finished.status_code == 200, finished.content
    assert VaultAccount.objects.get(user=alice).user_key == keys.protected_user_key


def test_verification_for_unknown_email_answers_the_same_and_sends_nothing(db):
    response = post(SEND, {"email": "nobody@example.com"})
    assert response.status_code == 204
    assert mail.outbox == []


def test_verification_returns_the_token_at_once_while_sign_up_is_open(alice):
    services.signup_window_open(user=alice)
    response = post(SEND, {"email": alice.email})
    assert response.status_code == 200
    assert isinstance(response.json(), str) and mail.outbox == []


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"key": "plaintext user key"}, "invalid_encstring"),
        ({"keys": {"publicKey": "x", "encryptedPrivateKey": "2.AAAA|BBBB|CCCC"}}, "invalid_encstring"),
        ({"kdfIterations": 4999}, "invalid_kdf"),
        ({"kdf": 7}, "invalid_kdf"),
        ({"masterPasswordHash": "short"}, "invalid_password_hash"),
    ],
)
def test_bad_registration_material_is_refused(alice, change, code):
    services.signup_window_open(user=alice)
    body = clientcrypto.register_payload(clientcrypto.make_keys(alice.email, "master-pw-1")) | change
    response = post(REGISTER, body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not VaultAccount.objects.exists()


def test_a_second_vault_for_the_same_account_is_refused(alice, alice_keys):
    services.signup_window_open(user=alice)
    response = post(REGISTER, clientcrypto.register_payload(clientcrypto.make_keys(alice.email, "other-pw")))
    assert response.status_code == 409
    assert VaultAccount.objects.get().user_key == alice_keys.protected_user_key


def test_verification_mail_is_limited_per_address(alice):
    assert post(SEND, {"email": alice.email}).status_code == 204
    second = post(SEND, {"email": alice.email})
    assert second.status_code == 429
    assert second.json()["code"] == "rate_limited" and int(second["Retry-After"]) > 0
    assert len(mail.outbox) == 1


def test_argon2id_kdf_settings_are_kept_and_given_back(alice):
    services.signup_window_open(user=alice)
    keys = clientcrypto.make_keys(alice.email, "master-pw-1")
    body = clientcrypto.register_payload(keys) | {"kdf": 1, "kdfIterations": 3, "kdfMemory": 64, "kdfParallelism": 4}
    assert post(REGISTER, body).status_code == 200
    prelogin = post("/vault/identity/accounts/prelogin/password", {"email": alice.email}).json()
    assert prelogin["kdfSettings"] == {"kdfType": 1, "iterations": 3, "memory": 64, "parallelism": 4}
