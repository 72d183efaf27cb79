"""Vault fixtures: alice's and bob's vaults and Bitwarden-style API clients for them."""

from __future__ import annotations

import pytest
from django.test import Client

from sangsaeng.vault import clientcrypto, services

MASTER = "마스터-비밀번호-correct-horse"


class BitwardenClient(Client):
    """A test client that speaks like a Bitwarden app: JSON bodies, a bearer access token."""

    def __init__(self, token: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def _auth(self, headers):
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        return headers

    def get(self, path, data=None, headers=None, **extra):  # type: ignore[override]
        return super().get(path, data, headers=self._auth(headers), **extra)

    def post(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().post(path, data, content_type=content_type, headers=self._auth(headers), **extra)

    def put(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().put(path, data, content_type=content_type, headers=self._auth(headers), **extra)

    def delete(self, path, data=None, headers=None, content_type="application/json", **extra):  # type: ignore[override]
        return super().delete(path, data, content_type=content_type, headers=self._auth(headers), **extra)


def token_login(
    keys: clientcrypto.Keys, *, device: str = "dev-1", password_hash: str | None = None, ip: str = "127.0.0.1"
):
    """POST the password grant as the clients do (form-encoded)."""
    return Client(REMOTE_ADDR=ip).post(
        "/vault/identity/connect/token",
        {
            "grant_type": "password",
            "username": keys.email,
            "password": password_hash or keys.hash,
            "scope": "api offline_access",
            "client_id": "cli",
            "deviceType": "25",
            "deviceIdentifier": device,
            "deviceName": "linux",
        },
    )


def make_vault(user, password: str = MASTER) -> clientcrypto.Keys:
    keys = clientcrypto.make_keys(user.email, password)
    services.account_register(
        email=user.email,
        token=services.signup_token_create(email=user.email),
        login_hash=keys.hash,
        kdf=services.Kdf(type=0, iterations=clientcrypto.ITERATIONS),
        user_key=keys.protected_user_key,
        public_key=keys.public_key,
        private_key=keys.protected_private_key,
    )
    return keys


@pytest.fixture
def alice_keys(alice) -> clientcrypto.Keys:
    return make_vault(alice)


@pytest.fixture
def bob_keys(bob) -> clientcrypto.Keys:
    return make_vault(bob)


@pytest.fixture
def bw_alice(alice_keys) -> BitwardenClient:
    response = token_login(alice_keys)
    assert response.status_code == 200, response.content
    client = BitwardenClient(response.json()["access_token"])
    client.refresh_token = response.json()["refresh_token"]  # type: ignore[attr-defined]
    return client


@pytest.fixture
def bw_bob(bob_keys) -> BitwardenClient:
    response = token_login(bob_keys)
    assert response.status_code == 200, response.content
    return BitwardenClient(response.json()["access_token"])
