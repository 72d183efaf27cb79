"""deploy/run.sh: the reference production layout starts, answers through nginx, carries a short
mixed workload (bench/load.py) and stops.

It runs against its own PostgreSQL database (made for the test, dropped after) on the server of
TEST_DEPLOY_DATABASE_URL and its own Redis database (TEST_DEPLOY_REDIS_URL, flushed first), with
nginx installed from Debian by the script when missing. Where those are missing the test is
skipped, except under CI=true, where it fails.

Migrating a fresh database is most of a start on this machine (~40 s of CPU), so the first run keeps
a migrated copy as a template named after the migration files (`test_deploy_tpl_<hash>`) and later
runs start from a clone of it; the script still runs `migrate` either way.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import shlex
import ssl
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import pytest

from bench import load
from sangsaeng.core.reachable import reachable

pytestmark = pytest.mark.backend_free

ROOT = Path(__file__).resolve().parents[3]
DATABASE = os.environ.get("TEST_DEPLOY_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REDIS = os.environ.get("TEST_DEPLOY_REDIS_URL", "redis://127.0.0.1:6379/9")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the deployment test must run)")
    pytest.skip(reason)


def _template_name() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("sangsaeng/*/migrations/*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return f"test_deploy_tpl_{digest.hexdigest()[:12]}"


@pytest.fixture
def database():
    import psycopg

    if not (reachable(DATABASE, 5432) and reachable(REDIS, 6379)):
        _unavailable(f"PostgreSQL ({DATABASE}) or Redis ({REDIS}) is not reachable")
    base = DATABASE.partition("?")[0].rpartition("/")[0]
    name, template = f"test_deploy_{uuid.uuid4().hex[:8]}", _template_name()
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        cloned = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (template,)).fetchone()
        conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if cloned else ""))
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    state = {"url": f"{base}/{name}", "fresh": not cloned}
    yield state
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if state["fresh"] and state.get("migrated"):
            conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
            conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _processes_gone(run_dir: Path, pids: dict[str, int]) -> list[str]:
    alive = []
    for name, pid in pids.items():
        try:
            os.kill(pid, 0)
            alive.append(name)
        except ProcessLookupError:
            pass
    return alive


def test_the_deployment_serves_through_nginx_carries_a_workload_and_stops(tmp_path, monkeypatch, database):
    # given: the script's environment with free ports and our own database and Redis
    monkeypatch.setenv("REDIS_URL", REDIS)
    var = tmp_path / "var"
    try:
        with load.deployment(var, database=database["url"], ready_timeout=150) as deploy:
            database["migrated"] = True
            # then: /healthz through nginx over TLS, every check ok on PostgreSQL and Redis
            context = ssl.create_default_context(cafile=deploy.ca)
            health = httpx.get(f"{deploy.url}/healthz", verify=context, timeout=30)
            assert health.status_code == 200, health.text
            checks = health.json()["checks"]
            assert checks["database"]["engine"] == "postgresql"
            assert checks["tasks"]["backend"] == "redis"
            assert checks["chain"]["status"] == "ok"

            # and: an API read and a WebSocket through nginx, as a seeded user
            seed = load.django_call(
                deploy, "setup", test_mode=True, users=2, vault_items=3, group_size=2, editions=100, per_user=50
            )
            user = seed["users"][0]
            me = httpx.get(
                f"{deploy.url}/api/v1/me", headers={"Authorization": f"Bearer {user['token']}"}, verify=context
            )
            assert me.status_code == 200, me.text
            assert me.json()["email"] == user["email"]
            assert me.headers["server"] == "nginx"

            async def hello() -> dict:
                import websockets

                async with websockets.connect(
                    deploy.url.replace("https://", "wss://") + "/ws/chat/",
                    ssl=context,
                    additional_headers={"Cookie": user["cookie"], "Origin": deploy.url},
                ) as ws:
                    return json.loads(await ws.recv())

            frame = asyncio.run(hello())
            assert frame["type"] == "hello"
            assert frame["conversations"] == [user["conversation"]]

            # and: a short run of the load driver through the same deployment has no error
            seed["static_root"] = str(var / "static")
            runner = load.Runner(deploy.url, deploy.ca, seed, {"duration": 4, "think_min": 0.05, "think_max": 0.2})
            measured = asyncio.run(runner.main(1))
            result = load.report(runner, measured)
            assert result["errors"] == 0, json.dumps(result["ops"], ensure_ascii=False)
            assert result["operations"] > 10
            assert (
                result["ops"]["drop.rush"]["count"] >= 2 * 2
            )  # every user, rush_purchases each (+ waiting-room retries)
            assert result["healthz_per_s"] > 0

            status = subprocess.run(
                [str(ROOT / "deploy" / "run.sh"), "status"], env=deploy.script_env, capture_output=True, text=True
            )
            assert status.returncode == 0, status.stdout + status.stderr
            run_dir = var / "deploy" / "run"
            pids = {p.stem: int(p.read_text()) for p in run_dir.glob("*.pid")}
            assert set(pids) == {"nginx", "web-1", "web-2", "websockets", "worker", "chain-node"}
    except RuntimeError as exc:
        if "nginx is not installed and could not be installed" in str(exc):
            _unavailable(str(exc))
        raise

    # then: stop ended every process it started
    assert _processes_gone(run_dir, pids) == []
    assert list(run_dir.glob("*.pid")) == []
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{deploy.url}/healthz", verify=context, timeout=5)


def test_start_stops_with_its_own_code_when_nginx_cannot_be_had(tmp_path):
    # given: an nginx binary that does not exist
    env = {
        **os.environ,
        "SANGSAENG_VAR_DIR": str(tmp_path),
        "NGINX": str(tmp_path / "no-nginx"),
        "PYTHON": sys.executable,
    }
    # when
    answer = subprocess.run([str(ROOT / "deploy" / "run.sh"), "start"], env=env, capture_output=True, text=True)
    # then: nothing was started
    assert answer.returncode == 3
    assert "nginx is not installed and could not be installed" in answer.stderr
    assert list((tmp_path / "deploy" / "run").glob("*.pid")) == []


def test_the_script_refuses_an_unknown_command():
    # when
    answer = subprocess.run([str(ROOT / "deploy" / "run.sh"), "launch"], capture_output=True, text=True)
    # then
    assert answer.returncode == 2
    assert "usage:" in answer.stderr


def _compose_render_args() -> list[str]:
    header = [line[1:].strip() for line in (ROOT / "deploy" / "nginx.compose.conf").read_text().splitlines()[:4]]
    command = " ".join(part.rstrip("\\").strip() for part in header)
    return shlex.split(command.removeprefix("Rendered for compose.yaml by: python deploy/render_nginx.py"))


def test_the_compose_nginx_config_is_the_template_rendered(tmp_path):
    # given: the arguments written at the top of deploy/nginx.compose.conf
    args = _compose_render_args()
    out = tmp_path / "nginx.conf"
    args[args.index("--out") + 1] = str(out)
    args[args.index("--template") + 1] = str(ROOT / "deploy" / "nginx.conf.template")
    # when
    subprocess.run([sys.executable, str(ROOT / "deploy" / "render_nginx.py"), *args], check=True)
    # then: the committed file is exactly that rendering under its header
    committed = (ROOT / "deploy" / "nginx.compose.conf").read_text().splitlines()
    assert [line for line in committed if not line.startswith("# Rendered") and not line.startswith("#   ")][
        1:
    ] == out.read_text().splitlines()


def test_compose_runs_every_part_and_nginx_reaches_them():
    import yaml

    # given
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    nginx = (ROOT / "deploy" / "nginx.compose.conf").read_text()
    # then: the reference layout, each part once
    assert set(services) == {
        "postgres",
        "redis",
        "migrate",
        "chain-node",
        "web-1",
        "web-2",
        "websockets",
        "worker",
        "nginx",
    }
    # and: nginx's upstreams are the web and WebSocket services on the ports their commands bind
    assert "server web-1:8000 " in nginx and "server web-2:8000 " in nginx
    assert "server websockets:8001;" in nginx
    assert services["websockets"]["command"][services["websockets"]["command"].index("--port") + 1] == "8001"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert '"--port", "8000"' in dockerfile  # web-1 and web-2 run the image's default command
    # and: every app service reaches the same database, Redis and chain node, and runs as production
    env = services["web-1"]["environment"]
    for name in ("web-2", "websockets", "worker", "migrate", "chain-node"):
        assert services[name]["environment"] == env
    assert env["SANGSAENG_PROFILE"] == "production"
    assert env["CHAIN_RPC_URL"] == "http://chain-node:8545"
    assert "@postgres:5432/" in env["DATABASE_URL"] and env["REDIS_URL"].startswith("redis://redis:6379/")
    # and: the image runs as its own user, not root
    assert "\nUSER sangsaeng\n" in dockerfile
