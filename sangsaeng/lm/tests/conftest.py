"""The bundled model loaded once per test session, served by the real LM server in a thread."""

from __future__ import annotations

import pytest

from sangsaeng.contributions.tests.conftest import pipeline_runs_now  # noqa: F401  (the provenance test contributes text)
from sangsaeng.lm.services import key_create


@pytest.fixture(scope="session")
def lm_engine():
    from sangsaeng.lm.engine.batching import Engine
    from sangsaeng.lm.engine.runtime import runtime_load

    engine = Engine(runtime_load(), max_batch=8, collect_ms=20).start()
    yield engine
    engine.stop()


@pytest.fixture(scope="session")
def lm_port(lm_engine):
    from sangsaeng.lm.engine.server import server_make, server_start_thread

    server = server_make(engine=lm_engine, host="127.0.0.1", port=0)
    server_start_thread(server)
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture
def lm_local(settings, lm_port):
    """/v1 generates through the session's LM server."""
    settings.LM_SERVER_PORT = lm_port
    settings.LM_BASE_URL = ""
    return lm_port


@pytest.fixture
def alice_key(alice):
    return key_create(owner=alice, label="앨리스 테스트")


def v1_post(client, path, body, secret, **extra):
    return client.post(
        f"/v1/{path}", body, content_type="application/json", headers={"Authorization": f"Bearer {secret}"}, **extra
    )


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"message", "type", "param", "code"}
    return body["error"]
