import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import ApiClient
from sangsaeng.accounts.models import User
from sangsaeng.accounts.selectors import email_is_verified

pytestmark = pytest.mark.django_db


def test_users_create(capsys):
    call_command(
        "users", "create", "--email", "Op@Example.com", "--password", "a-long-password-1", "--verified", "--staff"
    )
    user = User.objects.get(email="op@example.com")
    assert user.is_staff and user.is_superuser
    assert email_is_verified(user=user)
    assert user.password.startswith("argon2")
    assert str(user.public_id) in capsys.readouterr().out


def test_users_create_refuses_a_duplicate(alice):
    with pytest.raises(CommandError, match="email_taken"):
        call_command("users", "create", "--email", alice.email, "--password", "a-long-password-1")


def test_users_create_refuses_a_weak_password():
    with pytest.raises(CommandError, match="weak_password"):
        call_command("users", "create", "--email", "x@example.com", "--password", "123")
    assert not User.objects.filter(email="x@example.com").exists()


def test_tokens_create_prints_a_working_token(alice, capsys):
    call_command("tokens", "create", "--email", alice.email, "--label", "ci")
    secret = capsys.readouterr().out.strip()
    assert ApiClient(secret).get("/api/v1/me").json()["email"] == alice.email


def test_tokens_create_for_an_unknown_user():
    with pytest.raises(CommandError, match="no active user"):
        call_command("tokens", "create", "--email", "ghost@example.com")


def test_demo_is_idempotent():
    call_command("demo")
    call_command("demo")
    assert User.objects.filter(email="demo@sangsaeng.kr").count() == 1
    demo = User.objects.get(email="demo@sangsaeng.kr")
    assert demo.addresses.count() == 2
