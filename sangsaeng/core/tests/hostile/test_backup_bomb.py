"""A chat backup is opened with the user's own password, so its owner can seal anything in it: a
gzip bomb, JSON nested past Python's recursion limit, a NUL PostgreSQL can't store, rows with broken
ids. Each restore is a clean problem that restores nothing."""

from __future__ import annotations

import base64
import gzip
import json
import secrets
import time

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from conftest import PASSWORD, ApiClient
from sangsaeng.accounts.services import token_create, user_create
from sangsaeng.core.tests.hostile.conftest import assert_healthy, assert_problem, corpus

pytestmark = pytest.mark.django_db

BACKUP_PASSWORD = "backup-password-1"


def _seal(plain: bytes, n: int) -> bytes:
    """What `backup.seal` does, but over any bytes instead of gzip(JSON of the user's chats)."""
    from sangsaeng.messaging import backup

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    header = {"v": 1, "kdf": "scrypt", "n": n, "r": 8, "p": 1, "cipher": "AES-256-GCM"}
    header |= {"salt": base64.b64encode(salt).decode(), "nonce": base64.b64encode(nonce).decode()}
    line = json.dumps(header, separators=(",", ":")).encode() + b"\n"
    key = backup._derive(BACKUP_PASSWORD, salt, n, 8, 1)
    return backup.MAGIC + line + AESGCM(key).encrypt(nonce, plain, backup.MAGIC + line)


def test_hostile_backups_restore_nothing_and_say_why(db, settings, monkeypatch):
    from sangsaeng.drawer import services as drawer
    from sangsaeng.messaging import backup
    from sangsaeng.messaging.models import ArchivedMessage

    settings.MESSAGING_BACKUP_SCRYPT_N = n = 2**10
    monkeypatch.setattr(backup, "MAX_RESTORED_BYTES", 8 * 1024 * 1024)  # the bomb is 1 GiB either way
    alice = user_create(email="alice@example.com", password=PASSWORD, display_name="앨리스", verified=True)
    api = ApiClient(token_create(user=alice, label="t")[1])
    user = str(alice.public_id)
    row = {"id": "8d6f7c2e-0d4e-4a57-9a39-6d0f0b1c2d3e", "conversation": "not-a-uuid", "seq": "x", "text": "안녕"}
    bomb = gzip.decompress(corpus("gzip_bomb_nested.gz"))  # one layer off: ~1 MB that gunzips to 1 GiB
    cases = {
        "gzip_bomb": (bomb, 413, "backup_too_large"),
        "deep_json": (gzip.compress(b"[" * 100_000 + b"]" * 100_000), 422, "backup_invalid"),
        "not_gzip": (b"plain bytes", 422, "backup_invalid"),
        "truncated_gzip": (gzip.compress(b'{"v": 1}' * 1000)[:50], 422, "backup_invalid"),
        "nul": (
            gzip.compress(json.dumps({"user": user, "messages": [{**row, "text": "a\x00b"}]}).encode()),
            422,
            "backup_invalid",
        ),
        "broken_row": (gzip.compress(json.dumps({"user": user, "messages": [row]}).encode()), 422, "backup_invalid"),
        "not_an_object": (gzip.compress(b"[1, 2, 3]"), 422, "backup_invalid"),
    }
    assert_healthy(api)  # the first request of a process loads every URL and router: not the bomb's time
    for name, (plain, status, code) in cases.items():
        item = drawer.file_save_from(
            owner=alice,
            name=f"{name}.sschat",
            data=_seal(plain, n),
            content_type="application/octet-stream",
            source="chat_backup",
        )
        started = time.monotonic()
        answer = api.post(
            "/api/v1/messaging/backups/restore", {"drawer_item_id": str(item.public_id), "password": BACKUP_PASSWORD}
        )
        assert time.monotonic() - started < 3, name
        assert (answer.status_code, assert_problem(answer)["code"]) == (status, code), name
    assert not ArchivedMessage.objects.exists()
    assert_healthy(api)
