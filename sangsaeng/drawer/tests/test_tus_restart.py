"""tuspy uploads a large file; the server (granian) is killed mid-upload, restarted, and the
upload resumes where it stopped. The stored SHA-256 matches the file's."""

import hashlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from tusclient import client as tus

# The PostgreSQL pass leaves this out as an exact repeat: its server runs on its own SQLite database in tmp_path.
pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]
SIZE = 24 * 1024 * 1024


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cli(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sangsaeng.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def _serve(env, port) -> subprocess.Popen:
    granian = str(Path(sys.executable).parent / "granian")
    proc = subprocess.Popen(
        [
            granian,
            "--interface",
            "wsgi",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            "1",
            "--blocking-threads",
            "2",
            "--no-ws",
            "--log-level",
            "error",
            "sangsaeng.wsgi:application",
        ],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("granian did not start")


def test_tuspy_resumes_after_the_server_is_killed_mid_upload(tmp_path):
    # given a server on its own SQLite file, a user and an API token
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "STORAGE_URL")}
    env.update(
        {
            "SANGSAENG_VAR_DIR": str(tmp_path / "var"),
            "SANGSAENG_PROFILE": "development",
            "DEBUG": "false",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "sangsaeng.settings",
        }
    )
    _cli(env, "migrate", "--noinput", "-v", "0")
    _cli(env, "users", "create", "--email", "tus@example.com", "--password", "tus-test-passw0rd", "--verified")
    token = _cli(env, "tokens", "create", "--email", "tus@example.com", "--label", "phone")
    data = os.urandom(SIZE)
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    parts = tmp_path / "var" / "files" / "scratch" / "tus"
    server = {"proc": _serve(env, port)}
    killed_at: list[int] = []

    def kill_mid_upload():
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            sizes = [p.stat().st_size for p in parts.glob("*.part")] if parts.exists() else []
            if sizes and sizes[0] >= SIZE // 4:
                os.killpg(server["proc"].pid, signal.SIGKILL)
                server["proc"].wait()
                killed_at.append(next(parts.glob("*.part")).stat().st_size)
                server["proc"] = _serve(env, port)
                return
            time.sleep(0.005)

    killer = threading.Thread(target=kill_mid_upload)
    killer.start()
    try:
        # when tuspy uploads, riding out the restart with retries
        uploader = tus.TusClient(
            f"http://127.0.0.1:{port}/files/", headers={"Authorization": f"Bearer {token}"}
        ).uploader(
            file_path=str(source), chunk_size=256 * 1024, metadata={"filename": "big.bin"}, retries=60, retry_delay=0.5
        )
        uploader.upload()
        killer.join()
        # then the server was killed part-way, and the stored blob has the file's SHA-256
        assert killed_at and 0 < killed_at[0] < SIZE
        sha = hashlib.sha256(data).hexdigest()
        check = httpx.post(
            f"http://127.0.0.1:{port}/api/v1/drawer/bulk-upload-check",
            json={"assets": [{"id": "big", "checksum": sha}]},
            headers={"Authorization": f"Bearer {token}"},
        ).json()["results"][0]
        assert check["action"] == "reject" and check["reason"] == "duplicate"
        item = httpx.get(
            f"http://127.0.0.1:{port}/api/v1/drawer/items/{check['asset_id']}",
            headers={"Authorization": f"Bearer {token}"},
        ).json()
        assert (item["name"], item["size"], item["sha256"]) == ("big.bin", SIZE, sha)
        assert list(parts.glob("*.part")) == []
    finally:
        killer.join(timeout=1)
        os.killpg(server["proc"].pid, signal.SIGTERM)
        server["proc"].wait(timeout=10)
