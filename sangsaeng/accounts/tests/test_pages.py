import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/"])
def test_public_pages_render_in_korean_with_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="ko">' in response.content.decode()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    "path",
    [
        "/settings/",
        "/settings/addresses/",
        "/settings/tokens/",
        "/settings/sessions/",
        "/settings/security/",
        "/settings/delete/",
    ],
)
def test_settings_pages_need_sign_in_and_render(client, alice, path):
    assert client.get(path).status_code == 302
    client.force_login(alice)
    response = client.get(path)
    assert response.status_code == 200
    assert "앨리스" in response.content.decode() or alice.email in response.content.decode()


def test_english_switch(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page
    assert "Sign up" in page


def test_adding_an_address_from_the_page(client, alice):
    client.force_login(alice)
    response = client.post(
        "/settings/addresses/",
        {
            "name": "집",
            "type": "NEW",
            "zone_number": "04524",
            "base_address": "서울 중구 세종대로 110",
            "detail_address": "",
            "receiver_name": "앨리스",
            "receiver_phone_number1": "010-1234-5678",
            "receiver_phone_number2": "",
        },
    )
    assert response.status_code == 302
    assert alice.addresses.get().is_default


def test_a_token_secret_is_shown_once(client, alice):
    client.force_login(alice)
    page = client.post("/settings/tokens/", {"label": "노트북"}).content.decode()
    assert "ssg_" in page and 'data-testid="new-token"' in page
    assert 'data-testid="new-token"' not in client.get("/settings/tokens/").content.decode()
