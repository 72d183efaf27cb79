import pytest

from sangsaeng.accounts.models import Address

pytestmark = pytest.mark.django_db

HOME = {
    "name": "집",
    "base_address": "서울특별시 중구 세종대로 110",
    "detail_address": "3층",
    "zone_number": "04524",
    "receiver_name": "앨리스",
    "receiver_phone_number1": "010-1234-5678",
}


def test_the_first_address_becomes_the_default(api_alice):
    response = api_alice.post("/api/v1/addresses", data=HOME)
    assert response.status_code == 201
    body = response.json()
    assert body["is_default"] is True
    assert body["type"] == "NEW"
    assert body["zone_number"] == "04524"


def test_a_new_default_replaces_the_old_one(api_alice, alice):
    first = api_alice.post("/api/v1/addresses", data=HOME).json()
    second = api_alice.post("/api/v1/addresses", data={**HOME, "name": "회사", "is_default": True}).json()
    assert second["is_default"] is True
    assert Address.objects.get(public_id=first["id"]).is_default is False
    assert Address.objects.filter(user=alice, is_default=True).count() == 1
    listed = api_alice.get("/api/v1/addresses").json()
    assert [a["name"] for a in listed] == ["회사", "집"]


def test_deleting_the_default_promotes_another(api_alice, alice):
    first = api_alice.post("/api/v1/addresses", data=HOME).json()
    api_alice.post("/api/v1/addresses", data={**HOME, "name": "회사"})
    assert api_alice.delete(f"/api/v1/addresses/{first['id']}").status_code == 204
    assert Address.objects.get(user=alice).is_default is True


def test_update_and_set_default(api_alice):
    a = api_alice.post("/api/v1/addresses", data=HOME).json()
    b = api_alice.post("/api/v1/addresses", data={**HOME, "name": "회사"}).json()
    patched = api_alice.patch(f"/api/v1/addresses/{b['id']}", data={"detail_address": "5층"}).json()
    assert patched["detail_address"] == "5층"
    made = api_alice.post(f"/api/v1/addresses/{b['id']}/default").json()
    assert made["is_default"] is True
    assert api_alice.get(f"/api/v1/addresses/{a['id']}").json()["is_default"] is False


@pytest.mark.parametrize(
    "field,value",
    [("zone_number", "1234"), ("zone_number", "abcde"), ("receiver_phone_number1", "12345"), ("type", "MID")],
)
def test_bad_addresses_are_refused(api_alice, field, value):
    response = api_alice.post("/api/v1/addresses", data={**HOME, field: value})
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert Address.objects.count() == 0


def test_the_limit_on_addresses(api_alice, alice):
    from sangsaeng.accounts.services import MAX_ADDRESSES

    for i in range(MAX_ADDRESSES):
        Address.objects.create(user=alice, **{**HOME, "name": f"{i}"}, is_default=i == 0)
    response = api_alice.post("/api/v1/addresses", data=HOME)
    assert response.status_code == 409
    assert response.json()["code"] == "address_limit"


class TestAnotherUsersAddress:
    """Bob, holding Alice's address id, gets the same 404 as for a missing one, and nothing changes."""

    @pytest.fixture
    def alices(self, api_alice):
        return api_alice.post("/api/v1/addresses", data=HOME).json()

    def _unchanged(self, alices):
        row = Address.objects.get(public_id=alices["id"])
        assert (row.name, row.detail_address, row.is_default) == ("집", "3층", True)

    def test_read(self, api_bob, alices):
        assert api_bob.get(f"/api/v1/addresses/{alices['id']}").status_code == 404
        assert api_bob.get("/api/v1/addresses").json() == []

    def test_update(self, api_bob, alices):
        response = api_bob.patch(f"/api/v1/addresses/{alices['id']}", data={"detail_address": "hacked"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        self._unchanged(alices)

    def test_set_default(self, api_bob, alices, bob):
        assert api_bob.post(f"/api/v1/addresses/{alices['id']}/default").status_code == 404
        self._unchanged(alices)

    def test_delete(self, api_bob, alices):
        assert api_bob.delete(f"/api/v1/addresses/{alices['id']}").status_code == 404
        self._unchanged(alices)

    def test_pages(self, client, bob, alices):
        client.force_login(bob)
        assert client.post(f"/settings/addresses/{alices['id']}/delete").status_code == 404
        assert client.post(f"/settings/addresses/{alices['id']}/default").status_code == 404
        self._unchanged(alices)
