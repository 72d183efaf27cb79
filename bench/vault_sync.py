"""`sangsaeng bench vault-sync`: `/vault/api/sync` latency against the raw limit, and cipher creations/s.

- **sync**: `GET /vault/api/sync` over HTTP from a granian WSGI worker, with 1,000 and with
  10,000 ciphers in the vault (median of `repeat` requests, body fully read).
- **raw**: in the same run, the same rows read with one SQL query (no ORM, no HTTP, no auth) and
  the same JSON document encoded with `json.dumps`. `ratio` = sync / raw: what the endpoint costs
  over the least any implementation must do.
- **creates**: `POST /vault/api/ciphers` with a realistic encrypted login item, one at a time.

Everything runs in a child process with its own SANGSAENG_VAR_DIR and a fresh SQLite database there
(or the scratch database named by `--option database_url=...`), so it never touches real data.
Options: `sizes` (default 1000,10000), `repeat` (5), `creates` (300), `database_url`.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.harness import record_samples

NAME = "vault-sync"
ROOT = Path(__file__).resolve().parents[1]


def _enc(n: int) -> str:
    """A syntactically valid EncString of about the size a client makes for an n-byte value."""
    ct = os.urandom(((n // 16) + 1) * 16)
    return (
        f"2.{base64.b64encode(os.urandom(16)).decode()}|{base64.b64encode(ct).decode()}|"
        + base64.b64encode(os.urandom(32)).decode()
    )


def vault_register(user: Any) -> tuple[Any, str]:
    """A Bitwarden account for `user` with random (well-formed) keys: (account, login hash)."""
    from sangsaeng.vault import services

    services.signup_window_open(user=user)
    login_hash = base64.b64encode(os.urandom(32)).decode()
    account = services.account_register(
        email=user.email,
        token=None,
        login_hash=login_hash,
        kdf=services.Kdf(type=0, iterations=600_000),
        user_key=_enc(64),
        public_key=base64.b64encode(os.urandom(294)).decode(),
        private_key=_enc(1216),
    )
    return account, login_hash


def _login_item() -> dict[str, Any]:
    return {
        "type": 1,
        "name": _enc(12),
        "notes": _enc(40),
        "favorite": False,
        "reprompt": 0,
        "fields": [],
        "login": {
            "username": _enc(16),
            "password": _enc(20),
            "totp": None,
            "uris": [{"uri": _enc(30), "match": None}],
            "passwordRevisionDate": None,
        },
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def _uuid(value: Any) -> str | None:
    return None if value is None else str(uuid.UUID(str(value)))


_KEYS = {1: "login", 2: "secureNote", 3: "card", 4: "identity", 5: "sshKey"}


def raw_sync(account_id: int) -> bytes:
    """The floor: the same rows with raw SQL, the same document with json.dumps."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, name, user_key, private_key, public_key, security_stamp, kdf_type, kdf_iterations, "
            "kdf_memory, kdf_parallelism, public_id, created_at FROM vault_vaultaccount WHERE id = %s",
            [account_id],
        )
        email, name, key, private, public, stamp, kdf, rounds, memory, parallel, public_id, created = cursor.fetchone()
        cursor.execute(
            "SELECT public_id, name, updated_at FROM vault_folder WHERE account_id = %s ORDER BY created_at",
            [account_id],
        )
        folders = [
            {"id": _uuid(f[0]), "revisionDate": _iso(f[2]), "name": f[1], "object": "folder"} for f in cursor.fetchall()
        ]
        cursor.execute(
            "SELECT c.public_id, c.type, c.name, c.notes, c.key, c.data, c.fields, c.password_history, c.favorite, "
            "c.reprompt, c.deleted_at, c.created_at, c.updated_at, f.public_id FROM vault_cipher c "
            "LEFT JOIN vault_folder f ON f.id = c.folder_id WHERE c.account_id = %s ORDER BY c.created_at",
            [account_id],
        )
        rows = cursor.fetchall()
    ciphers = []
    for r in rows:
        data = _json(r[5])
        if r[1] == 1:
            uris = data.get("uris") or []
            data["uri"] = uris[0].get("uri") if uris else None
        cipher = {
            "object": "cipherDetails",
            "id": _uuid(r[0]),
            "type": r[1],
            "creationDate": _iso(r[11]),
            "revisionDate": _iso(r[12]),
            "deletedDate": _iso(r[10]),
            "archivedDate": None,
            "reprompt": r[9],
            "organizationId": None,
            "key": r[4],
            "attachments": None,
            "organizationUseTotp": True,
            "collectionIds": [],
            "name": r[2],
            "notes": r[3],
            "fields": _json(r[6]) or [],
            "passwordHistory": _json(r[7]) or [],
            "folderId": _uuid(r[13]),
            "favorite": bool(r[8]),
            "edit": True,
            "viewPassword": True,
            "permissions": {"delete": True, "restore": True},
            "login": None,
            "secureNote": None,
            "card": None,
            "identity": None,
            "sshKey": None,
            "bankAccount": None,
            "driversLicense": None,
            "passport": None,
        }
        cipher[_KEYS[r[1]]] = data
        ciphers.append(cipher)
    kdf_obj = {"kdfType": kdf, "iterations": rounds, "memory": memory, "parallelism": parallel}
    keys = {
        "publicKeyEncryptionKeyPair": {
            "wrappedPrivateKey": private,
            "publicKey": public,
            "signedPublicKey": None,
            "object": "publicKeyEncryptionKeyPair",
        },
        "signatureKeyPair": None,
        "securityState": None,
        "object": "privateKeys",
    }
    document = {
        "profile": {
            "_status": 0,
            "accountKeys": keys,
            "id": _uuid(public_id),
            "name": name,
            "email": email,
            "emailVerified": True,
            "premium": True,
            "premiumFromOrganization": False,
            "culture": "ko-KR",
            "twoFactorEnabled": False,
            "key": key,
            "privateKey": private,
            "securityStamp": _uuid(stamp),
            "organizations": [],
            "providers": [],
            "providerOrganizations": [],
            "forcePasswordReset": False,
            "avatarColor": None,
            "usesKeyConnector": False,
            "creationDate": _iso(created),
            "object": "profile",
        },
        "folders": folders,
        "collections": [],
        "policies": [],
        "ciphers": ciphers,
        "domains": None,
        "sends": [],
        "userDecryption": {
            "masterPasswordUnlock": {
                "kdf": kdf_obj,
                "masterKeyEncryptedUserKey": key,
                "masterKeyWrappedUserKey": key,
                "salt": email,
            }
        },
        "object": "sync",
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _median_ms(fn: Any, repeat: int, series: str, *, baseline: bool = False) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    record_samples(series, times, baseline=baseline)
    return round(statistics.median(times), 2), result


def _child(options: dict[str, Any]) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sangsaeng.settings")
    django.setup()
    import httpx
    from django.core.management import call_command

    from sangsaeng.accounts.services import user_create
    from sangsaeng.vault import items
    from sangsaeng.vault.models import Cipher

    call_command("migrate", verbosity=0, interactive=False)
    user = user_create(email="bench@example.com", password="x", verified=True, validate=False)
    account, login_hash = vault_register(user)
    sizes = [int(s) for s in str(options.get("sizes", "1000,10000")).split(",")]
    repeat, creates = int(options.get("repeat", 5)), int(options.get("creates", 300))
    port = _free_port()
    argv = [
        str(Path(sys.executable).parent / "granian"),
        "--interface",
        "wsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--blocking-threads",
        "1",
        "--no-ws",
        "--log-level",
        "error",
        "sangsaeng.wsgi:application",
    ]
    server = subprocess.Popen(argv, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    result: dict[str, Any] = {"name": NAME}
    try:
        base = f"http://127.0.0.1:{port}/vault"
        with httpx.Client(timeout=120) as http:
            for _ in range(150):
                try:
                    http.get(f"{base}/api/config")
                    break
                except httpx.HTTPError:
                    time.sleep(0.2)
            token = http.post(
                f"{base}/identity/connect/token",
                data={
                    "grant_type": "password",
                    "username": user.email,
                    "password": login_hash,
                    "deviceIdentifier": "bench",
                    "deviceName": "bench",
                    "deviceType": "25",
                },
            ).json()["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            bodies = [_login_item() for _ in range(creates)]
            create_ms = []
            started = time.perf_counter()
            for body in bodies:
                one = time.perf_counter()
                http.post(f"{base}/api/ciphers", json=body, headers=headers).raise_for_status()
                create_ms.append((time.perf_counter() - one) * 1000)
            record_samples("cipher_create", create_ms)
            result["creates_per_s"] = round(creates / (time.perf_counter() - started), 1)
            for size in sizes:
                missing = size - Cipher.objects.filter(account=account).count()
                for start in range(0, max(0, missing), 1000):
                    batch = [
                        Cipher(
                            account=account,
                            **{
                                k: v
                                for k, v in items.cipher_parse(actor=account, data=_login_item()).items()
                                if k != "last_known"
                            },
                        )
                        for _ in range(min(1000, missing - start))
                    ]
                    Cipher.objects.bulk_create(batch)

                def sync() -> bytes:
                    response = http.get(f"{base}/api/sync", params={"excludeDomains": "true"}, headers=headers)
                    response.raise_for_status()
                    return response.content

                sync()  # warm
                sync_ms, served = _median_ms(sync, repeat, f"sync_{size}_ciphers")
                raw_ms, raw = _median_ms(lambda: raw_sync(account.pk), repeat, f"raw_{size}_ciphers", baseline=True)
                served_doc, raw_doc = json.loads(served), json.loads(raw)
                if served_doc != raw_doc or len(served_doc["ciphers"]) != size:
                    raise RuntimeError("the endpoint and the raw baseline disagree; the comparison would be unfair")
                result[f"sync_{size}_ms"] = sync_ms
                result[f"raw_{size}_ms"] = raw_ms
                result[f"ratio_{size}"] = round(sync_ms / raw_ms, 2)
                result[f"bytes_{size}"] = len(served)
    finally:
        server.terminate()
        server.wait(timeout=10)
    result["ratio"] = result[f"ratio_{sizes[-1]}"]
    return result


def run(options: dict[str, Any]) -> dict[str, Any]:
    """Run the benchmark in a child process with a throwaway var directory; return its JSON fields."""
    with tempfile.TemporaryDirectory(prefix="ssg-bench-vault-") as var:
        env = {**os.environ, "SANGSAENG_VAR_DIR": var, "DEBUG": "false", "SANGSAENG_PROFILE": "development"}
        # A fresh SQLite file in the temporary var directory, unless the caller names a (scratch) database.
        if options.get("database_url"):
            env["DATABASE_URL"] = str(options["database_url"])
        else:
            env.pop("DATABASE_URL", None)
        child = subprocess.run(
            [sys.executable, "-m", "bench.vault_sync", json.dumps({k: str(v) for k, v in options.items()})],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            raise RuntimeError(f"vault-sync benchmark failed: {child.stderr[-2000:]}")
        return dict(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1]) if len(sys.argv) > 1 else {})))
