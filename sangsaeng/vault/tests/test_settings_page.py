"""The vault settings page: connection help, sign-up, devices, deletion."""

import pytest

from sangsaeng.vault.models import Device, SignupWindow, VaultAccount
from sangsaeng.vault.tests.conftest import token_login

pytestmark = pytest.mark.django_db


def test_the_page_needs_a_platform_sign_in(client):
    response = client.get("/vault/settings/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_without_a_vault_it_explains_and_opens_sign_up(client, alice):
    client.force_login(alice)
    page = client.get("/vault/settings/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "https://testserver:8443/vault" in html and "1시간 동안 가입 열기" in html
    assert 'href="/vault/settings/"' in html  # the navigation entry
    assert client.post("/vault/settings/signup").status_code == 302
    assert SignupWindow.objects.filter(user=alice).exists()
    assert "가입이 열려 있습니다" in client.get("/vault/settings/").content.decode()


def test_devices_are_listed_and_revoked(client, alice, alice_keys):
    token_login(alice_keys, device="cli-1")
    client.force_login(alice)
    html = client.get("/vault/settings/").content.decode()
    assert "Linux CLI" in html and "linux" in html
    device = Device.objects.get()
    assert client.post(f"/vault/settings/devices/{device.public_id}/revoke").status_code == 302
    assert not Device.objects.exists()


def test_bob_cannot_revoke_alices_device(client, bob, alice_keys):
    token_login(alice_keys, device="cli-1")
    client.force_login(bob)
    device = Device.objects.get()
    assert client.post(f"/vault/settings/devices/{device.public_id}/revoke").status_code == 404
    assert Device.objects.filter(pk=device.pk).exists()


def test_deleting_the_vault_needs_the_email_typed(client, alice, alice_keys):
    client.force_login(alice)
    client.post("/vault/settings/delete", {"confirm_email": "wrong@example.com"})
    assert VaultAccount.objects.filter(user=alice).exists()
    client.post("/vault/settings/delete", {"confirm_email": alice.email})
    assert not VaultAccount.objects.filter(user=alice).exists()


def test_the_page_reads_in_english(client, alice, alice_keys):
    client.force_login(alice)
    html = client.get("/vault/settings/", headers={"Accept-Language": "en"}).content.decode()
    assert "Password vault" in html and "Server URL" in html


def test_sign_out_every_device_from_the_page(client, alice, alice_keys):
    token_login(alice_keys, device="cli-1")
    token_login(alice_keys, device="phone")
    stamp = VaultAccount.objects.get().security_stamp
    client.force_login(alice)
    assert "모든 기기 로그아웃" in client.get("/vault/settings/").content.decode()
    assert client.post("/vault/settings/devices/sign-out").status_code == 302
    assert not Device.objects.exists()
    assert VaultAccount.objects.get().security_stamp != stamp


def test_sign_out_every_device_touches_only_my_vault(client, bob, alice_keys, bob_keys):
    token_login(alice_keys, device="cli-1")
    client.force_login(bob)
    client.post("/vault/settings/devices/sign-out")
    assert Device.objects.filter(account__email="alice@example.com").count() == 1
