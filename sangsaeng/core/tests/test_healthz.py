import pytest

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_service(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert {"database", "tasks", "cache", "storage"} <= set(body["checks"])
    assert all(check["status"] == "ok" for check in body["checks"].values())


def test_healthz_is_503_when_a_service_fails(client, monkeypatch):
    from sangsaeng.core import health

    def broken():
        raise ConnectionError("down")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["status"] == "error"
