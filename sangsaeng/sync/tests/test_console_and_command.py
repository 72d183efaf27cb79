import pytest
from django.contrib.auth.hashers import check_password
from django.core.management import call_command
from django.core.management.base import CommandError
from oauth2_provider.models import Application

from sangsaeng.sync.models import Partner, ServiceTerm

pytestmark = pytest.mark.django_db


def test_registering_an_app_shows_the_secret_once_and_stores_a_hash(client, bob):
    client.force_login(bob)
    response = client.post(
        "/sync/apps/",
        {
            "name": "밥의 가게",
            "client_type": "confidential",
            "redirect_uris": "https://bob.example/cb\nhttps://bob.example/cb2",
        },
    )
    partner = Partner.objects.get(owner=bob)
    assert response["Location"] == f"/sync/apps/{partner.public_id}/"
    page = client.get(response["Location"])
    secret = page.context["secret_once"]["value"]
    assert secret in page.content.decode()
    assert check_password(secret, partner.application.client_secret)
    assert secret not in partner.application.client_secret
    assert partner.application.redirect_uris == "https://bob.example/cb https://bob.example/cb2"
    assert "secret-once" not in client.get(response["Location"]).content.decode()


def test_a_wildcard_or_relative_redirect_uri_is_refused(client, bob):
    client.force_login(bob)
    response = client.post("/sync/apps/", {"name": "x", "client_type": "public", "redirect_uris": "/relative"})
    assert response.status_code == 200
    assert not Partner.objects.exists()


def test_console_sets_items_terms_and_channel(client, bob):
    client.force_login(bob)
    client.post("/sync/apps/", {"name": "가게", "client_type": "public", "redirect_uris": "https://a.example/cb"})
    partner = Partner.objects.get()
    url = f"/sync/apps/{partner.public_id}/"
    client.post(
        url,
        {"item_email": "required", "item_shipping_address": "optional", "item_gender": "", "channel_name": "가게 채널"},
    )
    client.post(url + "terms", {"tag": "tos", "title": "이용약관", "text": "본문", "required": "on"})
    client.post(url + "terms", {"tag": "ads", "title": "광고", "url": "https://a.example/ads", "revocable": "on"})
    partner.refresh_from_db()
    assert partner.consent_items == {"email": "required", "shipping_address": "optional"}
    assert partner.channel_name == "가게 채널"
    terms = {t.tag: (t.required, t.revocable) for t in ServiceTerm.objects.filter(partner=partner)}
    assert terms == {"tos": (True, False), "ads": (False, True)}


def test_another_partners_console_is_404_and_unchanged(client, alice, bob):
    client.force_login(bob)
    client.post("/sync/apps/", {"name": "가게", "client_type": "public", "redirect_uris": "https://a.example/cb"})
    partner = Partner.objects.get()
    client.force_login(alice)
    url = f"/sync/apps/{partner.public_id}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"item_email": "optional"}).status_code == 404
    assert client.post(url + "terms", {"tag": "x", "title": "x", "text": "x"}).status_code == 404
    assert client.post(url + "webhook", {"url": "https://evil.example/"}).status_code == 404
    partner.refresh_from_db()
    assert partner.consent_items == {}
    assert partner.unlink_webhook is None
    assert not ServiceTerm.objects.exists()


def test_command_creates_a_confidential_app(bob, capsys):
    call_command(
        "sync",
        "apps",
        "create",
        "--owner-email",
        "bob@example.com",
        "--name",
        "CLI 가게",
        "--redirect-uri",
        "https://cli.example/cb",
        "--scopes",
        "openid email shipping_address",
    )
    out = capsys.readouterr().out
    client_id = out.split("client_id: ")[1].split()[0]
    secret = out.split("client_secret: ")[1].split()[0]
    app = Application.objects.get(client_id=client_id)
    assert app.client_type == Application.CLIENT_CONFIDENTIAL
    assert check_password(secret, app.client_secret)
    assert app.partner.consent_items == {"email": "required", "shipping_address": "required"}


def test_command_creates_a_public_app_without_a_secret(bob, capsys):
    call_command(
        "sync",
        "apps",
        "create",
        "--owner-email",
        "bob@example.com",
        "--name",
        "앱",
        "--redirect-uri",
        "https://app.example/cb",
        "--public",
    )
    out = capsys.readouterr().out
    assert "client_id: " in out
    assert "client_secret" not in out
    assert Application.objects.get().client_type == Application.CLIENT_PUBLIC


def test_command_refuses_an_unknown_owner(db):
    with pytest.raises(CommandError):
        call_command(
            "sync",
            "apps",
            "create",
            "--owner-email",
            "nobody@example.com",
            "--name",
            "x",
            "--redirect-uri",
            "https://x.example/cb",
        )
    assert not Application.objects.exists()


def test_command_rotates_the_signing_key(db, capsys):
    call_command("sync", "keys", "rotate")
    assert "kid: " in capsys.readouterr().out


def test_the_client_secret_hasher_is_fast_but_refuses_human_passwords():
    from django.contrib.auth.hashers import make_password

    from sangsaeng.sync.hashers import ClientSecretHasher

    secret = "s" * 128
    encoded = make_password(secret, hasher="sync_client_secret_sha256")
    assert encoded.startswith("sync_client_secret_sha256$")
    assert check_password(secret, encoded)
    assert not check_password("s" * 127 + "t", encoded)
    assert not ClientSecretHasher().verify("correct-horse-battery-staple", encoded)
    with pytest.raises(ValueError):
        make_password("correct-horse-battery-staple", hasher="sync_client_secret_sha256")
