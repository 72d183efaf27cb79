"""`sangsaeng serve` (what `make run` starts) answers on HTTP and HTTPS, and WebSockets are up."""

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

# The PostgreSQL pass leaves this out as an exact repeat: its server runs on its own SQLite database in tmp_path.
pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, **kwargs) -> httpx.Response:
    deadline = time.monotonic() + 60
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            return httpx.get(url, timeout=2, **kwargs)
        except httpx.HTTPError as exc:
            last = exc
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer: {last}")


def _ws_close_code(url: str) -> int:
    from websockets.exceptions import ConnectionClosed
    from websockets.sync.client import connect

    deadline = time.monotonic() + 30
    while True:
        try:
            with connect(url, origin="http://127.0.0.1", open_timeout=3) as ws:  # type: ignore[call-overload]
                ws.recv(timeout=10)
        except ConnectionClosed as closed:
            assert closed.rcvd is not None
            return closed.rcvd.code
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _sign_in(base: str, email: str, password: str) -> str:
    with httpx.Client(base_url=base) as client:
        page = client.get("/accounts/login/")
        token = client.cookies["csrftoken"]
        assert 'name="csrfmiddlewaretoken"' in page.text
        response = client.post(
            "/accounts/login/", data={"login": email, "password": password, "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302, response.text[:500]
        return f"sessionid={client.cookies['sessionid']}"


def _assert_notification_arrives(ws_url: str, cookie: str, cli: list[str], env: dict[str, str]) -> None:
    import json

    from websockets.sync.client import connect

    with connect(ws_url, origin="http://127.0.0.1", additional_headers={"Cookie": cookie}) as ws:  # type: ignore[call-overload]
        hello = json.loads(ws.recv(timeout=10))
        assert hello["event"] == "hello"
        user_id = hello["data"]["user"]
        code = (
            "from sangsaeng.core.realtime import notify_user; "
            f"notify_user(user_public_id='{user_id}', event='order_paid', data={{'message': '결제 완료'}})"
        )
        subprocess.run([*cli, "shell", "-c", code], env=env, check=True, cwd=ROOT, timeout=60)
        assert json.loads(ws.recv(timeout=10)) == {"event": "order_paid", "data": {"message": "결제 완료"}}


def _assert_bundled_model_speaks_korean(base_url: str, key: str) -> None:
    import re

    from openai import APIStatusError, OpenAI

    client = OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=60)
    deadline = time.monotonic() + 120  # the LM process loads torch and the model after serve starts
    while True:
        try:
            result = client.completions.create(
                model="sangsaeng-ko-mini", prompt="대한민국 헌법", max_tokens=12, temperature=0, seed=1
            )
            break
        except APIStatusError as exc:
            if exc.status_code != 503 or time.monotonic() > deadline:
                raise
            time.sleep(1)
    assert re.search(r"[\uac00-\ud7a3]", result.choices[0].text), result.choices[0].text
    assert result.usage is not None and result.usage.completion_tokens > 0


def test_serve_answers_on_http_and_https(tmp_path):
    ports = {
        "HTTP_PORT": _free_port(),
        "HTTPS_PORT": _free_port(),
        "WS_PORT": _free_port(),
        "CHAIN_NODE_PORT": _free_port(),
        "LM_SERVER_PORT": _free_port(),
    }
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update({k: str(v) for k, v in ports.items()})
    env.update({"SANGSAENG_VAR_DIR": str(tmp_path), "SANGSAENG_PROFILE": "development", "PYTHONPATH": str(ROOT)})
    cli = [sys.executable, "-m", "sangsaeng.cli"]
    subprocess.run([*cli, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    proc = subprocess.Popen(
        [*cli, "serve", "--workers", "1"], env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        http = _wait(f"http://127.0.0.1:{ports['HTTP_PORT']}/healthz")
        assert http.status_code == 200, http.text
        assert http.json()["status"] == "ok"
        cert = tmp_path / "tls" / "cert.pem"
        assert cert.exists()
        context = ssl.create_default_context(cafile=str(cert))
        https = _wait(f"https://127.0.0.1:{ports['HTTPS_PORT']}/healthz", verify=context)
        assert https.status_code == 200
        # the WebSocket server is up, and refuses an anonymous socket with our own close code
        ws_url = f"ws://127.0.0.1:{ports['WS_PORT']}/ws/notifications/"
        assert _ws_close_code(ws_url) == 4401
        # a signed-in page gets a notification sent from another process (the bridge to the hub)
        subprocess.run(
            [*cli, "users", "create", "--email", "live@example.com", "--password", "live-password-2026", "--verified"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
        )
        cookie = _sign_in(f"http://127.0.0.1:{ports['HTTP_PORT']}", "live@example.com", "live-password-2026")
        _assert_notification_arrives(ws_url, cookie, cli, env)
        # the bundled Korean model answers /v1 out of the box, through the LM process that serve started
        key = subprocess.run(
            [*cli, "lm", "keys", "create", "--email", "live@example.com", "--quota", "5000"],
            env=env,
            check=True,
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
        _assert_bundled_model_speaks_korean(f"http://127.0.0.1:{ports['HTTP_PORT']}/v1", key)
    finally:
        proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=30)[0].decode()
    assert "http://127.0.0.1:" in output and "healthz" in output
