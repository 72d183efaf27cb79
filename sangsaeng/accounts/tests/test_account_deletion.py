import pytest

from conftest import PASSWORD
from sangsaeng.accounts.models import Address, PersonalAccessToken, User
from sangsaeng.core import outbox
from sangsaeng.core.models import OutboxEvent

pytestmark = pytest.mark.django_db(transaction=True)

SEEN: list[dict] = []


@outbox.handles("account_deleted")
def _seen(payload):
    SEEN.append(payload)


def test_deleting_an_account_erases_it_and_announces_the_event(api_alice, alice):
    SEEN.clear()
    api_alice.post(
        "/api/v1/addresses",
        data={
            "name": "집",
            "base_address": "서울 중구 세종대로 110",
            "zone_number": "04524",
            "receiver_name": "앨리스",
            "receiver_phone_number1": "010-1234-5678",
        },
    )
    public_id = str(alice.public_id)
    response = api_alice.post("/api/v1/me/delete", data={"password": PASSWORD, "confirm": "DELETE"})
    assert response.status_code == 204
    user = User.objects.get(public_id=public_id)
    assert not user.is_active
    assert user.email.endswith("@deleted.invalid")
    assert not user.has_usable_password()
    assert Address.objects.filter(user=user).count() == 0
    assert not PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    event = OutboxEvent.objects.get(name="account_deleted")
    assert event.payload["user_id"] == public_id
    assert event.processed_at is not None
    assert SEEN and SEEN[0]["user_id"] == public_id
    # the old token no longer works
    assert api_alice.get("/api/v1/me").status_code == 401


def test_a_wrong_password_deletes_nothing(api_alice, alice):
    response = api_alice.post("/api/v1/me/delete", data={"password": "wrong", "confirm": "DELETE"})
    assert response.status_code == 403
    assert response.json()["code"] == "wrong_password"
    alice.refresh_from_db()
    assert alice.is_active
    assert not OutboxEvent.objects.filter(name="account_deleted").exists()


def test_the_page_deletes_and_signs_out(client, alice):
    client.force_login(alice)
    response = client.post("/settings/delete/", {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 302
    assert not User.objects.get(pk=alice.pk).is_active
    assert client.get("/settings/").status_code == 302
