import pytest

pytestmark = pytest.mark.django_db


def test_openapi_lists_every_route_with_bearer_auth(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert spec["info"]["title"] == "sangsaeng API"
    for path in [
        "/api/v1/me",
        "/api/v1/addresses",
        "/api/v1/addresses/{address_id}",
        "/api/v1/tokens",
        "/api/v1/webhooks",
    ]:
        assert path in spec["paths"], path
    schemes = spec["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())


def test_docs_page_uses_local_assets_under_the_csp(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "cdn" not in html.lower()
    assert "/static/ninja/swagger-ui-bundle.js" in html
