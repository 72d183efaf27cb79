"""Failed sign-ins are limited per account and per IP: 429 with Retry-After."""

import pytest

from conftest import PASSWORD
from sangsaeng.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _login(client, email, password, ip="10.0.0.1"):
    return client.post("/accounts/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


def test_wrong_passwords_lock_the_account_with_retry_after(client, alice, settings):
    settings.SIGNIN_RATE_PER_ACCOUNT = 3
    for _ in range(3):
        response = _login(client, alice.email, "wrong-password")
        assert response.status_code == 200  # the form shows its error
    # given three failures, the fourth attempt is refused before checking the password
    response = _login(client, alice.email, PASSWORD)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="signin.failed").count() == 3


def test_the_account_limit_holds_across_ips(client, alice, settings):
    settings.SIGNIN_RATE_PER_ACCOUNT = 2
    _login(client, alice.email, "nope", ip="10.0.0.1")
    _login(client, alice.email, "nope", ip="10.0.0.2")
    assert _login(client, alice.email, PASSWORD, ip="10.0.0.3").status_code == 429


def test_one_ip_guessing_many_accounts_is_limited(client, alice, bob, settings):
    settings.SIGNIN_RATE_PER_IP = 3
    settings.SIGNIN_RATE_PER_ACCOUNT = 100
    for i in range(3):
        _login(client, f"user{i}@example.com", "nope", ip="10.9.9.9")
    assert _login(client, bob.email, PASSWORD, ip="10.9.9.9").status_code == 429
    # another IP is not affected
    assert _login(client, bob.email, PASSWORD, ip="10.9.9.10").status_code == 302


def test_bad_api_tokens_are_limited_per_ip(alice, settings):
    from conftest import ApiClient

    settings.SIGNIN_RATE_PER_IP = 1  # three bad tokens a window
    client = ApiClient("ssg_abc_wrong")
    codes = [client.get("/api/v1/me", REMOTE_ADDR="10.1.1.1").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]
    limited = client.get("/api/v1/me", REMOTE_ADDR="10.1.1.1")
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["code"] == "rate_limited"
    assert int(limited["Retry-After"]) > 0


def test_a_good_sign_in_succeeds(client, alice):
    response = _login(client, alice.email, PASSWORD)
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="signin.succeeded", actor=alice).exists()
