"""The demo vault opens with its printed master password, like any Bitwarden app would open it."""

import pytest
from django.core.management import call_command

from sangsaeng.vault import clientcrypto
from sangsaeng.vault.demo import DEMO_EMAIL, DEMO_KDF_ITERATIONS, DEMO_MASTER_PASSWORD
from sangsaeng.vault.models import VaultAccount
from sangsaeng.vault.tests.conftest import BitwardenClient, token_login

pytestmark = pytest.mark.django_db


def test_demo_vault_is_created_once_and_decrypts_with_the_master_password():
    call_command("demo")
    call_command("demo")
    assert VaultAccount.objects.filter(email=DEMO_EMAIL).count() == 1
    # a client derives the keys from the printed master password, logs in and syncs
    hash_ = clientcrypto.login_hash(DEMO_MASTER_PASSWORD, DEMO_EMAIL, DEMO_KDF_ITERATIONS)
    keys = clientcrypto.Keys(DEMO_EMAIL, DEMO_MASTER_PASSWORD, b"", "", "", "", hash_)
    login = token_login(keys)
    assert login.status_code == 200
    master = clientcrypto.master_key(DEMO_MASTER_PASSWORD, DEMO_EMAIL, DEMO_KDF_ITERATIONS)
    keys.user_key = clientcrypto.decrypt(login.json()["Key"], *clientcrypto.stretch(master))
    sync = BitwardenClient(login.json()["access_token"]).get("/vault/api/sync").json()
    assert sorted(keys.open(c["name"]) for c in sync["ciphers"]) == sorted(
        ["네이버", "카카오", "사내 메일", "집 와이파이", "체크카드"]
    )
    assert sorted(keys.open(f["name"]) for f in sync["folders"]) == ["개인", "업무"]
