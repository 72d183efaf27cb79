import pytest

from sangsaeng.accounts.models import PersonalAccessToken

pytestmark = pytest.mark.django_db


def test_create_use_and_revoke_a_token(api_alice, alice):
    created = api_alice.post("/api/v1/tokens", data={"label": "스크립트"})
    assert created.status_code == 201
    secret = created.json()["token"]
    assert secret.startswith("ssg_")
    row = PersonalAccessToken.objects.get(public_id=created.json()["id"])
    assert secret not in row.token_hash  # only a hash is stored
    from conftest import ApiClient

    assert ApiClient(secret).get("/api/v1/me").json()["email"] == alice.email
    assert api_alice.delete(f"/api/v1/tokens/{row.public_id}").status_code == 204
    assert ApiClient(secret).get("/api/v1/me").status_code == 401
    # the list shows it revoked, without the secret
    listed = api_alice.get("/api/v1/tokens").json()
    assert all("token" not in t for t in listed)
    assert any(t["revoked_at"] for t in listed)


def test_bob_cannot_revoke_alices_token(api_alice, api_bob):
    created = api_alice.post("/api/v1/tokens", data={"label": "mine"}).json()
    assert api_bob.delete(f"/api/v1/tokens/{created['id']}").status_code == 404
    assert PersonalAccessToken.objects.get(public_id=created["id"]).revoked_at is None


def test_sessions_list_and_revoke(client, alice, bob):
    from django.test import Client

    from conftest import PASSWORD
    from sangsaeng.accounts.selectors import session_list

    phone = Client(HTTP_USER_AGENT="Phone")
    assert phone.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).status_code == 302
    laptop = Client(HTTP_USER_AGENT="Laptop")
    assert laptop.post("/accounts/login/", {"login": alice.email, "password": PASSWORD}).status_code == 302
    laptop.get("/settings/sessions/")
    sessions = session_list(user=alice)
    assert len(sessions) == 2
    phone_session = next(s for s in sessions if s.user_agent == "Phone")
    # bob can't end alice's session
    client.force_login(bob)
    assert client.post(f"/settings/sessions/{phone_session.pk}/revoke").status_code == 404
    assert phone.get("/settings/").status_code == 200
    # alice ends it from her laptop; the phone is signed out at once
    response = laptop.post(f"/settings/sessions/{phone_session.pk}/revoke")
    assert response.status_code == 302
    assert phone.get("/settings/").status_code == 302
    assert laptop.get("/settings/").status_code == 200


def test_session_api_lists_only_mine(alice, bob):
    from django.test import Client

    from conftest import PASSWORD

    c = Client()
    c.post("/accounts/login/", {"login": alice.email, "password": PASSWORD})
    sessions = c.get("/api/v1/sessions").json()
    assert len(sessions) == 1 and sessions[0]["current"] is True
    b = Client()
    b.post("/accounts/login/", {"login": bob.email, "password": PASSWORD})
    other = b.delete(f"/api/v1/sessions/{sessions[0]['id']}", headers={"X-CSRFToken": "x"})
    assert other.status_code in (403, 404)
    assert c.get("/api/v1/sessions").status_code == 200


def test_bob_cannot_revoke_alices_token_from_the_page(client, alice, bob):
    from sangsaeng.accounts.services import token_create

    token, _secret = token_create(user=alice, label="mine")
    client.force_login(bob)
    assert client.post(f"/settings/tokens/{token.public_id}/revoke").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    # bob's token list does not show it
    assert "mine" not in client.get("/settings/tokens/").content.decode()
